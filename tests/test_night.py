"""Night mode: the device's clock, a gentler voice, night steps, and voice preferences.

The time-zone lookup runs against a local fake of Alexa's settings API on loopback.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from datetime import time as clock_time

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.builder import build_skill
from skill.config import Settings
from skill.dev.envelopes import envelope_for, request_for
from skill.dev.nlu import for_locale
from skill.invoke import invoke
from skill.night import NightWindow
from skill.speech import Speech, Voice
from tests.conftest import NIGHT, START, Conversation
from tests.fakes import DEVICE, TOKEN, FakeAlexaApi


def ask_at(
    skill: CustomSkill, api: FakeAlexaApi, moment: datetime, text: str = "my calf is cramping"
) -> str:
    """The SSML of a reply to `text` said on the fake device at `moment`."""
    reading = for_locale("en-US").understand(text)
    envelope = envelope_for(request_for(reading, "en-US", moment), "user", None, {})
    envelope["context"]["System"].update(
        {"apiEndpoint": api.endpoint, "apiAccessToken": TOKEN, "device": {"deviceId": DEVICE}}
    )
    return invoke(skill, envelope)["response"]["outputSpeech"]["ssml"]


def zone_skill(default: str = "UTC") -> CustomSkill:
    return build_skill(
        settings=Settings(time_zone=default, look_up_time_zones=True, api_hosts=("127.0.0.1",))
    )


def test_night_follows_the_device_zone(api: FakeAlexaApi) -> None:
    evening_utc = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    api.zone = "Europe/London"  # 23:30 there: night
    assert 'rate="90%"' in ask_at(zone_skill(), api, evening_utc)
    api.zone = "America/Los_Angeles"  # 15:30 there: day
    assert "<prosody" not in ask_at(zone_skill(), api, evening_utc)


def test_the_zone_is_cached_per_device(api: FakeAlexaApi) -> None:
    skill = zone_skill()
    for _ in range(3):
        ask_at(skill, api, START)
    assert api.calls == 1


@pytest.mark.parametrize(
    ("window", "moment", "night"),
    [
        ("22:00-07:00", "21:59", False),
        ("22:00-07:00", "22:00", True),
        ("22:00-07:00", "00:00", True),
        ("22:00-07:00", "06:59", True),
        ("22:00-07:00", "07:00", False),
        ("01:00-05:00", "00:59", False),
        ("01:00-05:00", "01:00", True),
        ("01:00-05:00", "05:00", False),
        ("00:00-00:00", "03:00", False),
    ],
)
def test_window_edges(window: str, moment: str, night: bool) -> None:
    assert NightWindow.parse(window).contains(clock_time.fromisoformat(moment)) is night


def test_daytime_speech_is_unchanged(talk: Conversation) -> None:
    reply = talk.say("my calf is cramping")
    assert "<prosody" not in reply["ssml"] and "<amazon:effect" not in reply["ssml"]
    assert reply["speech"].startswith("Cramp Coach gives general information")
    assert "turn on a light" not in reply["speech"]


def test_at_night_words_are_softer_and_slower_but_counts_keep_time() -> None:
    talk = Conversation(start=NIGHT)
    talk.say("make my holds twenty seconds")
    ssml = talk.say("count for me")["ssml"]
    assert '<prosody rate="90%" volume="soft">Get into the stretch.' in ssml
    slowed = " ".join(re.findall(r'<prosody rate="90%"[^>]*>(.*?)</prosody>', ssml))
    assert not re.search(r"\b1\b", slowed), "counted numbers must keep the default rate"
    assert '<prosody volume="soft">1 <break' in ssml


def test_at_night_first_aid_puts_the_light_on_and_stands_up_safely() -> None:
    talk = Conversation(start=NIGHT)
    first = talk.say("my calf is cramping")
    assert "Gently. Stop if it hurts more. First, if you can, turn on a light" in first["speech"]
    for _ in range(5):
        reply = talk.say("next")
    assert "sit on the edge of the bed first. Hold on to something steady." in reply["speech"]


@pytest.mark.parametrize(
    ("words", "answer", "markup"),
    [
        ("whisper", "Okay, I'll whisper.", '<amazon:effect name="whispered">'),
        ("speak up", "Okay, I'll speak up.", 'volume="loud"'),
        ("can you talk quieter", "Okay, I'll speak more quietly.", 'volume="x-soft"'),
    ],
)
def test_voice_requests_stick(words: str, answer: str, markup: str) -> None:
    talk = Conversation(start=NIGHT)
    talk.say("my calf is cramping")
    reply = talk.say(words)
    assert reply["speech"].startswith(answer) and markup in reply["ssml"]
    talk.say("stop")
    talk.new_session()
    assert markup in talk.say("open cramp coach")["ssml"]
    assert "Okay, my normal voice" in talk.say("normal voice")["speech"]
    assert 'rate="90%" volume="soft"' in talk.replies[-1]["ssml"]


def test_a_voice_wraps_words_not_timed_parts() -> None:
    speech = Speech("Hold it.").say("1", ms=400).pause(600).say("And release.")
    voiced = speech.voiced(Voice(rate=90, volume="soft"))
    assert voiced == (
        '<speak><prosody rate="90%" volume="soft">Hold it.</prosody> '
        '<prosody volume="soft">1 <break time="600ms"/></prosody> '
        '<prosody rate="90%" volume="soft">And release.</prosody></speak>'
    )
    assert speech.voiced(None) == speech.ssml
