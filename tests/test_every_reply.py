"""Every reply the skill can give, within Alexa's limits (SSML_RULES.md).

A breadth-first walk over conversations: from each state reached, every utterance below,
said both once the last reply has played and while it is still playing. It runs with the
longest holds in both count styles, so the biggest replies are among those checked.
Each reply must be well-formed SSML under 8000 characters, with breaks of at most 10 s,
at most five sounds of ours totalling at most 240 s, nothing from clinical.md §2, and a
question (a reprompt) whenever the session stays open.
"""

from __future__ import annotations

import copy
import functools
import json
from datetime import datetime, timedelta

import pytest
from ask_sdk_core.skill import CustomSkill

from harness.replies import assert_speakable
from skill.builder import build_skill
from skill.dev.envelopes import envelope_for, request_for
from skill.dev.nlu import Recognition, for_locale
from skill.dev.runner import summarise
from skill.invoke import invoke
from skill.persistence import MemoryPersistenceAdapter
from skill.speech import estimated_seconds
from tests.conftest import NIGHT, START, WITH_TONES
from tests.test_screen import check_inflated

USER = "amzn1.ask.account.explorer"
UTTERANCES = [
    "",
    "my calf is cramping",
    "my left foot is cramping in bed",
    "cramp in my thigh while swimming",
    "I've got a cramp",
    "yes",
    "no",
    "next",
    "go back",
    "start over",
    "repeat",
    "help",
    "stop",
    "pause",
    "resume",
    "do it again",
    "other leg",
    "count for me",
    "hold for a thousand",
    "hold for banana",
    "start my bedtime stretches",
    "I can't stand",
    "how do I prevent cramps",
    "tell me more",
    "should I see a doctor",
    "my calf is red and swollen",
    "I can't breathe",
    "he's having a fit",
    "the whole body",
    "I get them every night",
    "it's gone",
    "it still hurts",
    "count with beeps",
    "count out loud",
    "log a cramp",
    "banana pancakes",
]
DEPTH = 3
TRANSIENT = {
    "last_said",
    "last_question",
    "playing_until",
    "cramp_started",
    "routine_saved_at",
    "last_screen",
}
# Count style, longest holds, the time of day (the night voice and night steps), and a
# screen, whose every document must inflate.
PROFILES = {
    "voice at night on a phone": (
        {"profile": {"hold_seconds": 60, "count_style": "VOICE", "disclaimer_heard": True}},
        NIGHT,
        "phone",
    ),
    "tones by day on a hub": (
        {"profile": {"hold_seconds": 60, "count_style": "TONES"}},
        START,
        "hub",
    ),
}
# Alexa's limit on a whole response, session attributes and screen included (NOTES.md).
MAX_RESPONSE_BYTES = 120 * 1024


def recognitions(locale: str) -> list[Recognition]:
    understanding = for_locale(locale)
    return [understanding.understand(text, today=START.date()) for text in UTTERANCES]


def explore(
    persistent: dict, start: datetime, screen: str, locale: str = "en-US", depth: int = DEPTH
) -> int:
    """Walk the conversations; returns how many replies were checked."""
    skill = build_skill(MemoryPersistenceAdapter(), WITH_TONES)
    readings = recognitions(locale)
    frontier = [({}, persistent, start, 0.0)]
    seen: set[str] = set()
    checked = 0
    for _ in range(depth):
        following = []
        for attributes, stored, clock, seconds in frontier:
            for reading in readings:
                for soon in (False, True):
                    before = (attributes, stored, clock, seconds)
                    reply, after = turn(skill, reading, before, soon, screen, locale)
                    checked += 1
                    key = state_key(*after[:2])
                    if not reply["end_session"] and key not in seen:
                        seen.add(key)
                        following.append(after)
        frontier = following
    return checked


def state_key(attributes: dict, stored: dict) -> str:
    """What makes a state different for the next reply: not clocks or the words said."""
    state = {k: v for k, v in (attributes.get("state") or {}).items() if k not in TRANSIENT}
    profile = {k: v for k, v in (stored.get("profile") or {}).items() if k not in TRANSIENT}
    return json.dumps([state, profile], sort_keys=True)


@functools.cache
def check_screen_once(screen: str) -> None:
    """Inflate each different screen once: many replies show the same one."""
    check_inflated({"cramp": json.loads(screen)}, "hold")


def turn(
    skill: CustomSkill,
    reading: Recognition,
    before: tuple[dict, dict, datetime, float],
    soon: bool,
    screen: str,
    locale: str,
) -> tuple[dict, tuple[dict, dict, datetime, float]]:
    """One request from a given state (and how long its last reply plays); the reply and
    the state after it."""
    attributes, stored, clock, last_seconds = before
    store = MemoryPersistenceAdapter({USER: stored})
    skill.persistence_adapter = store  # the skill reads its adapter per request
    now = clock + timedelta(seconds=5)
    if not soon:
        now += timedelta(seconds=last_seconds)
    session_id = "amzn1.echo-api.session.explorer" if attributes else None
    request = request_for(reading, locale, now)
    envelope = envelope_for(request, USER, session_id, attributes, screen)
    response = invoke(skill, copy.deepcopy(envelope))
    assert len(json.dumps(response).encode()) <= MAX_RESPONSE_BYTES
    reply = summarise(reading.intent, {}, response)
    assert_speakable(reply["ssml"])
    if "screen" in reply:
        check_screen_once(json.dumps(reply["screen"], sort_keys=True))
    assert reply["end_session"] or reply["reprompt"], reply
    after_attributes = response.get("sessionAttributes") or {}
    seconds = estimated_seconds(reply["ssml"]) if after_attributes else 0.0
    return reply, (after_attributes, store.snapshot().get(USER, {}), now, seconds)


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_every_reachable_reply_fits_alexas_limits(profile: str) -> None:
    assert explore(*PROFILES[profile]) > 1000


# The other English locales differ in a few lines (skill/content/<locale>.toml), all of
# which test_content crawls: two turns deep is enough to hear each in conversation.
OTHER_LOCALES = {
    "en-GB": "voice at night on a phone",
    "en-CA": "tones by day on a hub",
    "en-AU": "voice at night on a phone",
    "en-IN": "tones by day on a hub",
}


@pytest.mark.parametrize("locale", sorted(OTHER_LOCALES))
def test_every_locale_replies_within_alexas_limits(locale: str) -> None:
    assert explore(*PROFILES[OTHER_LOCALES[locale]], locale=locale, depth=2) > 1000
