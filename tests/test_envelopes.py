"""Real Alexa request envelopes from public projects: each gets a valid reply, or none."""

from __future__ import annotations

import json

import pytest

from harness.fuzz import REQUESTS
from harness.replies import DATA, assert_speakable
from skill.builder import build_skill
from skill.invoke import invoke

FRAGMENTS = sorted((DATA / "requests/fragments").glob("*.json"))
# Alexa ignores any answer to these; the skill sends no speech.
NO_SPEECH_TYPES = (
    "SessionEndedRequest",
    "System.ExceptionEncountered",
    "AudioPlayer.",
    "PlaybackController.",
    "AlexaSkillEvent.",
    "CanFulfillIntentRequest",
)


@pytest.fixture(scope="module")
def skill():
    return build_skill()


def check_reply(request_type: str, reply: dict) -> None:
    assert reply["version"] == "1.0"
    response = reply["response"]
    if request_type.startswith(NO_SPEECH_TYPES):
        assert "outputSpeech" not in response
        return
    ssml = response["outputSpeech"]["ssml"]
    assert_speakable(ssml)
    if response.get("shouldEndSession") is False:
        assert_speakable(response["reprompt"]["outputSpeech"]["ssml"])


def test_the_envelopes_are_there() -> None:
    assert len(REQUESTS) >= 30 and FRAGMENTS


@pytest.mark.parametrize("path", REQUESTS, ids=[p.name for p in REQUESTS])
def test_real_envelope(skill, path) -> None:
    envelope = json.loads(path.read_text(encoding="utf-8"))
    reply = invoke(skill, envelope)
    check_reply(envelope["request"]["type"], reply)


def minimal_envelope(request: dict) -> dict:
    """A bare `request` object (the fragments) in the least envelope Alexa would send."""
    return {
        "version": "1.0",
        "session": {
            "new": False,
            "sessionId": "amzn1.echo-api.session.test",
            "application": {"applicationId": "amzn1.ask.skill.test"},
            "user": {"userId": "amzn1.ask.account.test"},
        },
        "request": request,
    }


@pytest.mark.parametrize("path", FRAGMENTS, ids=[p.name for p in FRAGMENTS])
def test_request_fragment_in_a_minimal_envelope(skill, path) -> None:
    request = json.loads(path.read_text(encoding="utf-8"))
    check_reply(request["type"], invoke(skill, minimal_envelope(request)))


def test_can_fulfill_says_yes_to_our_intents(skill) -> None:
    envelope = json.loads((DATA / "requests/CanFulfillIntentRequest__jovo.json").read_text())
    assert invoke(skill, envelope)["response"]["canFulfillIntent"]["canFulfill"] == "NO"
    envelope["request"]["intent"] = {
        "name": "CrampNowIntent",
        "slots": {"muscle": {"name": "muscle", "value": "calf"}},
    }
    answer = invoke(skill, envelope)["response"]["canFulfillIntent"]
    assert answer["canFulfill"] == "YES"
    assert answer["slots"]["muscle"]["canUnderstand"] == "YES"


def test_a_slot_alexa_could_not_resolve_is_treated_as_missing(skill) -> None:
    envelope = json.loads(
        (DATA / "requests/IntentRequest_ER_SUCCESS_NO_MATCH__jovo.json").read_text()
    )
    envelope["request"]["intent"]["name"] = "CrampNowIntent"
    envelope["request"]["intent"]["slots"] = {
        "muscle": {
            "name": "muscle",
            "value": "elbow",
            "resolutions": {
                "resolutionsPerAuthority": [
                    {"authority": "x", "status": {"code": "ER_SUCCESS_NO_MATCH"}}
                ]
            },
        }
    }
    speech = invoke(skill, envelope)["response"]["outputSpeech"]["ssml"]
    assert "Where is the cramp" in speech
