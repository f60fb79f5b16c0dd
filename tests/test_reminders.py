"""The nightly stretch reminder: the offer after the routine, one-shot set, change, ask
and stop, the voice permission, every failure of Alexa's Reminders API, the device's
time zone, and the manifest.

Conversations on a laptop keep reminders in memory (skill.reminders.LocalReminders);
the Alexa path runs against a loopback fake of the Reminders API (tests/fakes.py), with
envelopes that carry an API token and the reminders permission, or not.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from skill.build.models import PROJECT_ROOT
from skill.builder import build_skill
from skill.config import Settings
from skill.dev.envelopes import envelope_for, request_for
from skill.dev.nlu import for_locale
from skill.dev.runner import LocalSession, summarise
from skill.handlers.reminders import said_time
from skill.invoke import invoke
from skill.reminders import SCOPE, quarter_hour
from skill.speech import estimated_seconds
from tests.conftest import START, Conversation, assert_speakable
from tests.fakes import DEVICE, TOKEN, FakeRemindersApi, running

FAILURES = {
    "down": "Sorry, I couldn't reach Alexa's reminders just now.",
    "slow": "Sorry, I couldn't reach Alexa's reminders just now.",
    "401": "Alexa won't let me set reminders, but you can allow them in the Alexa app.",
    "403": "Alexa won't let me set reminders, but you can allow them in the Alexa app.",
    "429": "Alexa's reminders are busy, so please try again in a minute.",
    "too_many": "You have too many reminders, so I couldn't add this one.",
}
ANYTHING_ELSE = "Anything else? You can ask how to prevent cramps, or say stop."
OFFER = "That's your routine done. Shall I remind you to stretch at this time every night?"
# Alexa waits about 8 s for a reply; a slow Reminders API must cost far less.
ALEXA_WAITS_SECONDS = 8


def sentences(speech: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", speech) if s]


def finish_routine(talk: Conversation | AlexaDevice) -> dict:
    talk.say("start my bedtime stretches")
    talk.say("no")
    for _ in range(3):
        talk.say("next")
    return talk.say("next")


# ---------------------------------------------------------------- on a laptop (in memory)
def test_yes_after_the_routine_sets_a_daily_reminder_at_the_quarter_hour(
    talk: Conversation,
) -> None:
    offer = finish_routine(talk)
    assert offer["speech"].endswith(OFFER) and not offer["end_session"]
    reply = talk.say("yes")
    at = quarter_hour(talk.clock)
    spoken = at.strftime("%-I:%M %p")
    assert (
        reply["speech"] == f"Done. I'll remind you to stretch every night at {spoken}. Sleep well."
    )
    assert reply["end_session"]
    assert reply["reminder"]["at"] == f"{at.hour:02d}:{at.minute:02d}"
    assert reply["reminder"]["zone"] == "UTC" and reply["reminder"]["status"] == "set"
    profile = talk.store.snapshot()[talk.session.user_id]["profile"]
    assert profile["reminder_id"] == reply["reminder"]["id"]


def test_no_after_the_routine_sets_nothing(talk: Conversation) -> None:
    finish_routine(talk)
    reply = talk.say("no thanks")
    assert reply["speech"] == "Okay, no reminder. Sleep well." and reply["end_session"]
    assert "reminder" not in reply and not talk.reminders.snapshot()


def test_no_offer_when_a_reminder_is_already_set(talk: Conversation) -> None:
    talk.say("remind me to stretch every night at ten")
    talk.say("stop")
    last = finish_routine(talk)
    assert last["speech"].endswith("That's your routine done. Sleep well.")
    assert last["end_session"]


def test_set_change_ask_and_stop_one_shot(talk: Conversation) -> None:
    reply = talk.say("Alexa, ask cramp coach to remind me to stretch every night at ten")
    assert (
        reply["speech"]
        == f"Done. I'll remind you to stretch every night at 10:00 PM. {ANYTHING_ELSE}"
    )
    first_id = reply["reminder"]["id"]
    talk.new_session()
    changed = talk.say("tell cramp coach to change my reminder to nine thirty")
    assert changed["speech"].startswith(
        "Done. Your stretch reminder is now at 9:30 PM every night."
    )
    assert changed["reminder"]["id"] == first_id, "changed in place, not a second reminder"
    assert changed["reminder"]["at"] == "21:30"
    talk.new_session()
    asked = talk.say("ask cramp coach when is my reminder")
    assert asked["speech"].startswith("Your stretch reminder is at 9:30 PM every night.")
    talk.new_session()
    stopped = talk.say("tell cramp coach to stop reminding me")
    assert stopped["speech"].startswith("Okay. I've stopped your stretch reminder.")
    assert stopped["reminder"]["status"] == "stopped" and not talk.reminders.snapshot()
    none = talk.say("when is my reminder?")
    assert none["speech"].startswith(
        "You have no stretch reminder. To set one, say: remind me to stretch at ten."
    )


def test_a_reminder_without_a_time_asks_for_one_and_the_example_works(
    talk: Conversation,
) -> None:
    reply = talk.say("remind me to stretch")
    assert reply["speech"] == "What time each night? For example, say ten pm."
    assert not reply["end_session"]
    assert talk.say("ten pm")["reminder"]["at"] == "22:00"


@pytest.mark.parametrize(
    ("words", "at"),
    [
        ("remind me every night at 10:45 pm", "22:45"),
        ("set a bedtime reminder for half past nine", "21:30"),
        ("move my reminder to quarter to eleven", "22:45"),
        ("remind me to stretch at eleven thirty at night", "23:30"),
        ("remind me at midnight", "00:00"),
    ],
)
def test_times_as_people_say_them(talk: Conversation, words: str, at: str) -> None:
    assert talk.say(words)["reminder"]["at"] == at


@pytest.mark.parametrize(
    ("value", "at"),
    [
        ("10:00", "22:00"),
        ("09:30", "21:30"),
        ("22:15", "22:15"),
        ("00:30", "00:30"),
        ("01:00", "01:00"),
        ("12:00", "12:00"),
        ("EV", None),
        (None, None),
        ("25:00", None),
    ],
)
def test_a_time_without_pm_is_the_evening(value: str | None, at: str | None) -> None:
    assert said_time(value) == at


@pytest.mark.parametrize(
    ("clock", "rounded"),
    [("22:07:29", "22:00"), ("22:07:30", "22:15"), ("22:08", "22:15"), ("23:53", "00:00")],
)
def test_rounding_to_the_quarter_hour(clock: str, rounded: str) -> None:
    moment = datetime.fromisoformat(f"2026-11-22T{clock}")
    assert quarter_hour(moment).strftime("%H:%M") == rounded


def test_stop_or_ask_with_no_reminder(talk: Conversation) -> None:
    for words in ("stop reminding me", "when is my reminder"):
        reply = talk.say(words)
        assert reply["speech"].startswith("You have no stretch reminder.")
        assert "reminder" not in reply


def test_the_reminder_words_are_calm_about_stretching_and_say_how_to_start(
    talk: Conversation,
) -> None:
    text = talk.say("remind me to stretch at ten")["reminder"]["text"]
    assert text == (
        "Time for your bedtime stretches. "
        "Say: Alexa, open cramp coach and start my bedtime stretches."
    )
    assert "cramp" not in text.lower().replace("cramp coach", ""), "no health data"
    instruction = text.split("Say: ", 1)[1]
    assert for_locale("en-US").understand(instruction).intent == "BedtimeRoutineIntent"
    opened = Conversation().say(instruction)
    assert "Let's do your bedtime stretches" in opened["speech"]


def test_every_reminder_sentence_is_short(talk: Conversation) -> None:
    for words in (
        "remind me to stretch at ten",
        "change my reminder to nine",
        "when is my reminder",
        "stop reminding me",
        "when is my reminder",
        "remind me to stretch",
    ):
        for sentence in sentences(talk.say(words)["speech"]):
            assert len(sentence.split()) <= 15, sentence


def test_nothing_here_answers_in_an_emergency(talk: Conversation) -> None:
    talk.say("my calf is cramping")
    emergency = talk.say("I can't breathe")
    assert emergency["speech"].startswith("Call 911 now.")
    reply = talk.say("remind me to stretch at ten")
    assert "reminder" not in reply and not talk.reminders.snapshot()
    assert "Done" not in reply["speech"]


def test_a_reminder_survives_in_the_cli_state_file(tmp_path) -> None:
    from skill.dev import cli

    state = tmp_path / "state.json"
    outputs = []
    for words in ("remind me to stretch at ten", "when is my reminder"):
        args = cli.parser().parse_args(["say", "--state", str(state), words])
        import contextlib
        import io

        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert cli.command_say(args) == 0
        outputs.append(out.getvalue())
    assert "[Alexa reminder set: every night at 22:00 (UTC), saying: Time for" in outputs[0]
    assert outputs[1].startswith("Your stretch reminder is at 10:00 PM every night.")


# ---------------------------------------------------------------- on Alexa (loopback fake)
class AlexaDevice:
    """A user on an Alexa device: envelopes with the fake API's endpoint and token, and
    the reminders permission granted or not, on a clock the test moves."""

    def __init__(self, api: FakeRemindersApi, granted: bool = True, start: datetime = START):
        self.api = api
        self.granted = granted
        self.skill = build_skill(
            settings=Settings(look_up_time_zones=True, api_hosts=("127.0.0.1",))
        )
        self.session = LocalSession()
        self.clock = start
        self.last: dict | None = None
        self.seconds = 0.0

    def say(self, text: str) -> dict:
        self.clock += timedelta(
            seconds=5
            + (estimated_seconds(self.last["ssml"]) if self.last and self.last["ssml"] else 0)
        )
        reading = for_locale("en-US").understand(text, today=self.clock.date())
        return self.send(request_for(reading, "en-US", self.clock), reading.intent)

    def answer_permission(self, status: str, code: str = "200") -> dict:
        """Alexa's Connections.Response to the skill's AskFor request."""
        directive = self.last and next(
            d for d in self.last["raw"]["directives"] if d["type"] == "Connections.SendRequest"
        )
        assert directive, "the skill asked for no permission"
        self.granted = status == "ACCEPTED"
        request = {
            "type": "Connections.Response",
            "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
            "timestamp": self.clock.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "locale": "en-US",
            "status": {"code": code, "message": "OK" if code == "200" else "Error"},
            "name": "AskFor",
            "payload": {"permissionScope": SCOPE, "status": status, "isCardThrown": False},
            "token": directive["token"],
        }
        return self.send(request, "Connections.Response")

    def send(self, request: dict, label: str) -> dict:
        envelope = envelope_for(
            request, self.session.user_id, self.session.session_id, self.session.attributes
        )
        system = envelope["context"]["System"]
        system["apiEndpoint"], system["apiAccessToken"] = self.api.endpoint, TOKEN
        system["device"] = {"deviceId": DEVICE, "supportedInterfaces": {}}
        if self.granted:
            system["user"]["permissions"] = {"scopes": {SCOPE: {"status": "GRANTED"}}}
        began = time.monotonic()
        response = invoke(self.skill, envelope)
        self.seconds = time.monotonic() - began
        reply = {**summarise(label, {}, response), "raw": response["response"]}
        if reply["ssml"]:
            assert_speakable(reply["ssml"])
        if reply["end_session"] and reply["directives"] == []:
            self.session.session_id, self.session.attributes = None, {}
        else:
            self.session.session_id = envelope["session"]["sessionId"]
            self.session.attributes = response.get("sessionAttributes") or {}
        self.last = reply
        return reply


@pytest.fixture
def reminders_api() -> Iterator[FakeRemindersApi]:
    with running(FakeRemindersApi()) as fake:
        yield fake


def test_the_request_alexa_gets(reminders_api: FakeRemindersApi) -> None:
    device = AlexaDevice(reminders_api, start=datetime(2026, 11, 22, 21, 58, tzinfo=UTC))
    reminders_api.zone = "America/New_York"  # 16:58 there
    reply = device.say("remind me to stretch every night at ten")
    assert reply["speech"].startswith("Done. I'll remind you to stretch every night at 10:00 PM.")
    (body,) = reminders_api.bodies
    trigger = body["trigger"]
    assert trigger["type"] == "SCHEDULED_ABSOLUTE"
    assert trigger["timeZoneId"] == "America/New_York"
    assert trigger["scheduledTime"] == "2026-11-22T22:00:00", "local, no offset, still to come"
    assert trigger["recurrence"]["recurrenceRules"] == [
        "FREQ=DAILY;BYHOUR=22;BYMINUTE=0;BYSECOND=0;INTERVAL=1;"
    ]
    (content,) = body["alertInfo"]["spokenInfo"]["content"]
    assert content["locale"] == "en-US" and content["text"].startswith("Time for your bedtime")
    assert body["pushNotification"] == {"status": "ENABLED"}
    assert body["requestTime"] == "2026-11-22T16:58:05"


def test_yes_after_the_routine_uses_the_device_clock(reminders_api: FakeRemindersApi) -> None:
    """The same moment is evening in London and afternoon in Los Angeles."""
    for zone, expected in (("Europe/London", "22:"), ("America/Los_Angeles", "14:")):
        reminders_api.zone = zone
        device = AlexaDevice(reminders_api, start=datetime(2026, 11, 22, 22, 0, tzinfo=UTC))
        assert finish_routine(device)["speech"].endswith(OFFER)
        device.say("yes")
        trigger = reminders_api.bodies[-1]["trigger"]
        assert trigger["timeZoneId"] == zone
        local = trigger["recurrence"]["recurrenceRules"][0]
        assert f"BYHOUR={int(expected[:2])};" in local, local


def test_change_and_stop_use_the_kept_id(reminders_api: FakeRemindersApi) -> None:
    device = AlexaDevice(reminders_api)
    device.say("remind me to stretch at ten")
    device.say("change my reminder to nine thirty")
    device.say("stop reminding me")
    assert reminders_api.calls == [
        ("POST", "/v1/alerts/reminders"),
        ("PUT", "/v1/alerts/reminders/alert-1"),
        ("DELETE", "/v1/alerts/reminders/alert-1"),
    ]
    assert not reminders_api.reminders


def test_a_reminder_deleted_in_the_alexa_app_is_forgotten(
    reminders_api: FakeRemindersApi,
) -> None:
    device = AlexaDevice(reminders_api)
    device.say("remind me to stretch at ten")
    reminders_api.reminders.clear()
    assert device.say("when is my reminder")["speech"].startswith("You have no stretch reminder.")
    changed = device.say("change my reminder to nine")
    assert changed["speech"].startswith("Done. I'll remind you to stretch every night at 9:00 PM.")


def test_without_permission_alexa_asks_by_voice_then_it_is_set(
    reminders_api: FakeRemindersApi,
) -> None:
    device = AlexaDevice(reminders_api, granted=False)
    asking = device.say("remind me to stretch every night at ten")
    assert asking["speech"] == "" and asking["directives"] == ["Connections.SendRequest"]
    (directive,) = asking["raw"]["directives"]
    assert directive["name"] == "AskFor"
    assert directive["payload"] == {
        "@type": "AskForPermissionsConsentRequest",
        "@version": "2",
        "permissionScopes": [
            {
                "permissionScope": "alexa::alerts:reminders:skill:readwrite",
                "consentLevel": "ACCOUNT",
            }
        ],
    }
    assert "shouldEndSession" not in asking["raw"] and not reminders_api.calls
    done = device.answer_permission("ACCEPTED")
    assert (
        done["speech"]
        == f"Done. I'll remind you to stretch every night at 10:00 PM. {ANYTHING_ELSE}"
    )
    assert reminders_api.bodies[0]["trigger"]["recurrence"]["recurrenceRules"][0].startswith(
        "FREQ=DAILY;BYHOUR=22;"
    )


def test_permission_asked_after_the_routine_ends_with_goodnight(
    reminders_api: FakeRemindersApi,
) -> None:
    device = AlexaDevice(reminders_api, granted=False)
    finish_routine(device)
    assert device.say("yes")["directives"] == ["Connections.SendRequest"]
    done = device.answer_permission("ACCEPTED")
    assert done["speech"].endswith("Sleep well.") and done["end_session"]
    assert len(reminders_api.reminders) == 1


@pytest.mark.parametrize(
    ("status", "code", "said"),
    [
        ("DENIED", "200", "Okay, no reminder. You can allow reminders later in the Alexa app."),
        (
            "NOT_ANSWERED",
            "200",
            "I didn't set a reminder. To set one later, say: remind me to stretch at ten.",
        ),
        (
            "NOT_ANSWERED",
            "400",
            "I've sent a card to your Alexa app where you can allow reminders.",
        ),
    ],
)
def test_permission_denied_unanswered_or_unavailable(
    reminders_api: FakeRemindersApi, status: str, code: str, said: str
) -> None:
    device = AlexaDevice(reminders_api, granted=False)
    device.say("remind me to stretch at ten")
    reply = device.answer_permission(status, code)
    assert reply["speech"] == f"{said} {ANYTHING_ELSE}" and not reply["end_session"]
    assert not reminders_api.calls
    card = reply["raw"].get("card")
    if code == "200":
        assert card is None
    else:
        assert card == {"type": "AskForPermissionsConsent", "permissions": [SCOPE]}
    assert "Okay, your calf." in device.say("my calf is cramping")["speech"]


@pytest.mark.parametrize("mode", list(FAILURES))
def test_each_failure_is_one_plain_sentence_and_nothing_else_breaks(
    reminders_api: FakeRemindersApi, mode: str
) -> None:
    device = AlexaDevice(reminders_api)
    reminders_api.mode = mode
    reply = device.say("remind me to stretch every night at ten")
    assert device.seconds < ALEXA_WAITS_SECONDS / 2, "bounded like the other API calls"
    assert reply["speech"] == f"{FAILURES[mode]} {ANYTHING_ELSE}"
    assert not reply["end_session"]
    assert (reply["raw"].get("card") is not None) == (mode in ("401", "403"))
    reminders_api.mode = "ok"
    assert device.say("when is my reminder")["speech"].startswith("You have no stretch reminder.")
    assert "Okay, your calf." in device.say("my calf is cramping")["speech"]


@pytest.mark.parametrize("mode", ["down", "429"])
def test_a_failure_at_bedtime_still_says_goodnight(
    reminders_api: FakeRemindersApi, mode: str
) -> None:
    device = AlexaDevice(reminders_api)
    finish_routine(device)
    reminders_api.mode = mode
    reply = device.say("yes")
    assert reply["speech"] == f"{FAILURES[mode]} Sleep well." and reply["end_session"]


def test_stopping_or_asking_while_alexa_fails_keeps_the_reminder(
    reminders_api: FakeRemindersApi,
) -> None:
    device = AlexaDevice(reminders_api)
    device.say("remind me to stretch at ten")
    reminders_api.mode = "down"
    stop = device.say("stop reminding me")
    assert stop["speech"].startswith("Sorry, I couldn't reach Alexa's reminders just now.")
    asked = device.say("when is my reminder")
    assert asked["speech"].startswith("Your stretch reminder is at 10:00 PM every night.")
    reminders_api.mode = "ok"
    device.say("stop reminding me")
    assert not reminders_api.reminders


# ---------------------------------------------------------------- the manifest
def test_the_manifest_declares_the_permission_and_stays_private() -> None:
    manifest = json.loads((PROJECT_ROOT / "interaction_models/skill.json").read_text())["manifest"]
    assert {"name": "alexa::alerts:reminders:skill:readwrite"} in manifest["permissions"]
    privacy = manifest["privacyAndCompliance"]
    assert privacy["usesHealthInfo"] is False and privacy["usesPersonalInfo"] is False


def test_delete_my_data_also_stops_the_reminder(talk: Conversation) -> None:
    talk.say("remind me to stretch at ten")
    talk.say("delete my data")
    talk.say("yes")
    assert not talk.reminders.snapshot(), "no reminder left that the skill can't reach"


def test_the_console_shows_a_reminder_set_and_the_alexa_endpoint_does_not_fake_one() -> None:
    from skill.web.server import ServerConfig, create_app

    config = ServerConfig()
    client = create_app(config).test_client()
    reply = client.post("/api/say", json={"text": "remind me to stretch at ten"}).get_json()
    assert reply["reminder"]["at"] == "22:00" and reply["reminder"]["status"] == "set"
    assert "user" not in reply["reminder"]
    assert reply["reminder"]["text"].startswith("Time for your bedtime stretches.")
    script = (PROJECT_ROOT / "skill/dev/console/console.js").read_text(encoding="utf-8")
    assert "Simulate it going off" in script and "reply.reminder" in script
    # Alexa's own endpoint: no permission in the request, so Alexa is asked for it.
    reading = for_locale("en-US").understand("remind me to stretch at ten")
    envelope = envelope_for(request_for(reading, "en-US"), "amzn1.ask.account.x", None, {})
    answer = client.post("/alexa", json=envelope).get_json()
    assert answer["response"]["directives"][0]["type"] == "Connections.SendRequest"
    assert len(config.reminders.snapshot()) == 1


def test_the_routine_is_over_at_the_offer(talk: Conversation) -> None:
    finish_routine(talk)
    reply = talk.say("next")
    assert "Get into the stretch" not in reply["speech"], "the last stretch is not replayed"
    assert "reminder" not in reply


@pytest.mark.parametrize(
    ("words", "intent"),
    [
        ("can you remind me every evening to do my stretches", "SetReminderIntent"),
        ("set a reminder for ten pm", "SetReminderIntent"),
        ("what time's my reminder", "ReminderTimeIntent"),
        ("turn off reminders", "StopReminderIntent"),
        ("cancel the reminder", "StopReminderIntent"),
    ],
)
def test_words_not_written_into_the_model(words: str, intent: str) -> None:
    assert for_locale("en-US").understand(words).intent == intent
