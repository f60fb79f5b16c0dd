"""Issue 19's attacks, each as it was reproduced: a switched-off diary written through a
forged consent, health data in logs, forged state, markup replayed by "repeat", deeply
nested JSON, NaN, broken envelopes on Lambda, and a settings API that drips."""

from __future__ import annotations

import importlib.util
import json
import logging
import time

import pytest
from flask.testing import FlaskClient

from harness.replies import DATA
from skill.builder import build_skill
from skill.config import Settings
from skill.dev.envelopes import envelope_for, request_for
from skill.dev.nlu import for_locale
from skill.diary import DiaryOff, Entry, MemoryDiary, SwitchedOff
from skill.persistence import MemoryPersistenceAdapter
from skill.speech import plain_text
from skill.state import SessionState
from skill.web.server import ServerConfig, create_app
from tests.conftest import ROOT, START, Conversation, assert_speakable
from tests.fakes import FakeAlexaApi
from tests.test_night import ask_at

APOLOGY = "something went wrong"
HEALTH = "5 cramps in the last 14 days, mostly your left calf"
PENDING = {"at": START.timestamp(), "muscle": "CALF", "side": "LEFT", "night": True}


def forged(talk: Conversation, state: dict) -> None:
    """The session as a client could send it back: any state at all."""
    talk.session.session_id = talk.session.session_id or "amzn1.echo-api.session.forged"
    talk.session.attributes = {"state": state}


# ------------------------------------------------------------------ 2. the diary when off
def test_a_forged_consent_stores_nothing_while_the_diary_is_off() -> None:
    """Diary switched off, a forged "yes" to its consent question with a pending entry:
    nothing stored, no consent kept."""
    store, diary = MemoryPersistenceAdapter(), MemoryDiary()
    talk = Conversation(store=store, settings=Settings(diary=False), diary=diary)
    talk.say("")
    forged(talk, {"awaiting": "diary_consent", "pending_entry": PENDING})
    reply = talk.say("yes")
    assert diary.snapshot() == {}
    assert not any(p.get("profile", {}).get("diary_consent") for p in store.snapshot().values())
    assert "diary" in reply["speech"].lower() and APOLOGY not in reply["speech"]
    assert talk.state["awaiting"] != "diary_consent"


def test_the_endpoint_stores_nothing_while_the_diary_is_off() -> None:
    """The same forged consent over HTTP, on a server configured without the diary."""
    diary = MemoryDiary()
    client = create_app(ServerConfig(settings=Settings(diary=False), diary=diary)).test_client()
    talk = Conversation()  # only to build the envelope
    talk.say("")
    forged(talk, {"awaiting": "diary_consent", "pending_entry": PENDING})
    request = request_for(for_locale("en-US").understand("yes"), "en-US", START)
    envelope = envelope_for(request, "amzn1.ask.account.x", "s", talk.session.attributes)
    reply = client.post("/alexa", json=envelope)
    assert reply.status_code == 200
    assert diary.snapshot() == {}


def test_no_write_path_gets_past_a_switched_off_store() -> None:
    """Below every handler: a skill built without the diary refuses writes in the store,
    reads nothing, and still deletes what an earlier configuration kept."""
    kept = MemoryDiary({"someone": [PENDING]})
    store = SwitchedOff(kept)
    with pytest.raises(DiaryOff):
        store.add("someone", Entry(at=1.0), 1.0)
    assert store.entries("someone") == []
    store.delete("someone")
    assert kept.snapshot() == {}


# ------------------------------------------------------------------ 3. logs
def test_logs_name_fields_and_reasons_never_values(caplog: pytest.LogCaptureFixture) -> None:
    """A state with bad fields and a diary summary in it: the logs name the fields and
    reasons, never a value."""
    state = {
        "flow": "first_aid",
        "step": "not a number",
        "muscle": HEALTH,
        "topic": HEALTH,
        "last_said": HEALTH,
        "pending_entry": {"at": "soon", "muscle": HEALTH},
        "last_screen": {"text": HEALTH, "holds": "x"},
    }
    with caplog.at_level(logging.DEBUG):
        SessionState.from_dict(state)
        talk = Conversation()
        talk.say("")
        forged(talk, state)
        talk.say("repeat")
    for name in ("step", "muscle", "topic", "last_said", "pending_entry"):
        assert name in caplog.text
    assert "left calf" not in caplog.text and "not a number" not in caplog.text
    assert "soon" not in caplog.text


# ------------------------------------------------------------------ 4. forged state
FORGED_STATES = {
    "an unknown muscle in first aid": {"flow": "first_aid", "awaiting": "eased", "muscle": "X"},
    "a muscle without first aid": {"flow": "first_aid", "muscle": "LEG", "step": 1},
    "step 10^9 in first aid": {"flow": "first_aid", "muscle": "CALF", "step": 10**9},
    "step 10^9 in the routine": {"flow": "routine", "step": 10**9},
    "an unknown topic": {"flow": "info", "topic": "astrology", "more_index": 2},
    "more items than a topic has": {"flow": "info", "topic": "causes", "more_index": 10**9},
    "a hold of 1000 s": {"flow": "hold", "awaiting": "hold_again", "hold_seconds": 1000},
    "an unknown situation": {"flow": "first_aid", "muscle": "CALF", "situation": "MOON"},
    "numbers as text": {"flow": "routine", "step": "2", "seated": "yes"},
    "a time of 1e300": {"flow": "first_aid", "muscle": "CALF", "cramp_started": 1e300},
    "a screen with a hold of 10^9 s": {"last_screen": {"holds": [[0, 10**9]], "text": "x"}},
    "an unknown flow": {"flow": "astral", "awaiting": "whatever"},
    "first aid's question in another flow": {"awaiting": "retry", "step": 9, "muscle": "CALF"},
    "a muscle without first aid elsewhere": {"flow": "hold", "awaiting": "retry", "muscle": "LEG"},
    "the routine's question at a night step": {
        "awaiting": "warm_up_offer",
        "step": 5,
        "situation": "NIGHT",
    },
}


@pytest.mark.parametrize("text", ["next", "yes", "repeat", "tell me more", "again", "resume"])
@pytest.mark.parametrize("case", sorted(FORGED_STATES))
def test_forged_state_gets_an_ordinary_answer(
    case: str, text: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Forged state (unknown muscles, topics, flows; steps of 10^9, holds of 1000 s, times
    of 1e300, numbers as text): an ordinary answer, never the apology."""
    talk = Conversation(screen="hub")
    talk.say("")
    forged(talk, FORGED_STATES[case])
    reply = talk.say(text)
    assert APOLOGY not in reply["speech"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    if talk.state:  # what the skill sends back is already valid
        assert SessionState.from_dict(talk.state).to_dict() == talk.state


def test_a_hold_of_1000_seconds_is_counted_as_at_most_60() -> None:
    """A forged hold of 1000 s is counted as at most 60."""
    talk = Conversation()
    talk.say("")
    forged(talk, FORGED_STATES["a hold of 1000 s"])
    reply = talk.say("again")
    assert "sixty" in reply["speech"] or "60" in reply["speech"]
    assert "61" not in reply["speech"] and "1000" not in reply["speech"]


MARKUP = "<audio src='http://evil.example/a.mp3'/> & " + "x" * 10_000


@pytest.mark.parametrize(
    "state",
    [
        {"flow": "first_aid", "last_ssml": f"<speak>{MARKUP}</speak>"},
        {"last_said": [["line", MARKUP, {}]]},
        {"last_said": [["line", "lines.diary_logged", {"place": MARKUP[:100], "day": "x"}]]},
        {"last_said": [["pause", 3_600_000]], "last_question": [["audio", MARKUP, 1]]},
        {"last_said": [["line", "lines.greeting", {}]] * 41},
        {"last_question": MARKUP},
    ],
)
def test_repeat_never_speaks_what_the_client_sent(state: dict) -> None:
    """ "Repeat" with markup, an http audio tag, a bare &, 10,000 characters, forged recipes
    or an hour's pause in the state: none of it is spoken."""
    talk = Conversation()
    talk.say("my calf is cramping")
    forged(talk, {**talk.state, **state})
    reply = talk.say("repeat")
    assert "evil" not in reply["ssml"] and "xxxx" not in reply["ssml"]
    assert '<break time="10000ms"/> <break' not in reply["ssml"]
    assert APOLOGY not in reply["speech"]
    assert_speakable(reply["ssml"])


def test_repeat_says_the_last_reply_again_from_content() -> None:
    """ "Repeat" rebuilds the last reply from content paths and values, word for word."""
    talk = Conversation()
    first = talk.say("")
    assert talk.say("repeat")["ssml"] == first["ssml"]
    assert "last_ssml" not in talk.state and talk.state["last_said"]


@pytest.mark.parametrize("words", ["repeat", "what?", "say that again"])
def test_after_a_counted_hold_repeat_says_the_question_not_the_hold(words: str) -> None:
    """ "Repeat", "what?" or "say that again" after a counted hold: the question, never 30
    seconds of counting again."""
    talk = Conversation()
    hold = talk.say("count thirty seconds")
    assert "starting now" in hold["speech"].lower()
    again = talk.say(words)
    assert "starting now" not in again["speech"].lower()
    assert plain_text(again["reprompt"]) in again["speech"]
    assert again["speech"].strip().endswith(plain_text(hold["reprompt"]).strip())


def test_pause_at_a_question_then_resume_asks_it_again() -> None:
    """Pause at a question, then resume: the question again."""
    talk = Conversation()
    asked = talk.say("my calf is cramping")
    talk.say("pause")
    resumed = talk.say("resume")
    assert plain_text(asked["reprompt"]) in resumed["speech"]


# ------------------------------------------------------------------ 5, 6. the request body
@pytest.fixture
def client() -> FlaskClient:
    return create_app(ServerConfig()).test_client()


def launch_envelope() -> dict:
    return json.loads((DATA / "requests/LaunchRequest__jovo.json").read_text())


def test_deeply_nested_json_is_refused_before_the_skill_runs(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    """JSON nested 400 levels deep in 1 KB: a 400 before the skill runs, no traceback."""
    envelope = launch_envelope()
    body = json.dumps(envelope)[:-1] + ', "deep": ' + "[" * 400 + "]" * 400 + "}"
    assert len(body) < 3000
    with caplog.at_level(logging.INFO):
        reply = client.post("/alexa", data=body, content_type="application/json")
    assert reply.status_code == 400 and "nests deeper" in reply.get_json()["error"]
    assert "Traceback" not in caplog.text and len(caplog.text) < 2000


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused_never_echoed(client: FlaskClient, constant: str) -> None:
    """NaN, Infinity and -Infinity in a body: a 400, never echoed into a reply."""
    envelope = launch_envelope()
    envelope["session"]["attributes"] = {"state": {"cramp_started": "PLACEHOLDER"}}
    body = json.dumps(envelope).replace('"PLACEHOLDER"', constant)
    reply = client.post("/alexa", data=body, content_type="application/json")
    assert reply.status_code == 400
    assert constant.lstrip("-") not in reply.get_data(as_text=True)


# ------------------------------------------------------------------ 8. Lambda
@pytest.fixture(scope="module")
def lambda_handler() -> object:
    spec = importlib.util.spec_from_file_location(
        "lambda_function", ROOT / "lambda/lambda_function.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.handler


@pytest.mark.parametrize("event", [{}, {"version": "1.0"}, {"request": None}, [], "x"])
def test_lambda_answers_an_event_without_a_request_cleanly(
    lambda_handler: object, event: object, caplog: pytest.LogCaptureFixture
) -> None:
    """Lambda given an event without a request: a valid, silent response, no error."""
    reply = lambda_handler(event, None)  # type: ignore[operator]
    assert reply == {"version": "1.0", "response": {}}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("values", [[{}], [None], [{"value": None}], [{"value": {}}]])
def test_lambda_answers_an_empty_slot_resolution_cleanly(
    lambda_handler: object, values: list, caplog: pytest.LogCaptureFixture
) -> None:
    """Lambda given a slot resolution `values: [{}]` (and other empty shapes): an ordinary
    answer, no error."""
    envelope = launch_envelope()
    envelope["request"] = {
        **envelope["request"],
        "type": "IntentRequest",
        "intent": {
            "name": "CrampNowIntent",
            "slots": {
                "muscle": {
                    "name": "muscle",
                    "value": "calf",
                    "resolutions": {
                        "resolutionsPerAuthority": [
                            {
                                "authority": "x",
                                "status": {"code": "ER_SUCCESS_MATCH"},
                                "values": values,
                            }
                        ]
                    },
                }
            },
        },
    }
    reply = lambda_handler(envelope, None)  # type: ignore[operator]
    speech = reply["response"]["outputSpeech"]["ssml"]
    assert APOLOGY not in speech and "cramp" in speech.lower()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# ------------------------------------------------------------------ 13. the settings API
def test_a_settings_api_that_drips_is_cut_off_at_one_deadline(api: FakeAlexaApi) -> None:
    """A settings API dripping a byte every 0.2 s: cut off at one half-second deadline for
    the whole lookup, the default zone used."""
    api.mode = "drip"
    skill = build_skill(
        settings=Settings(time_zone="Asia/Tokyo", look_up_time_zones=True, api_hosts=("127.0.0.1",))
    )
    began = time.monotonic()
    ssml = ask_at(skill, api, START)  # 15:00 UTC is midnight in Tokyo: the default is used
    assert time.monotonic() - began < 1.5
    assert 'rate="90%"' in ssml


def test_the_token_goes_only_to_alexas_api_hosts(api: FakeAlexaApi) -> None:
    """An apiEndpoint that is not one of Alexa's API hosts: the bearer token is never sent."""
    skill = build_skill(settings=Settings(look_up_time_zones=True))
    ask_at(skill, api, START)
    assert api.calls == 0
