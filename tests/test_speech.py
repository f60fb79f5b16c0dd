from __future__ import annotations

import pytest

from skill.content import content_for
from skill.profile import UserProfile
from skill.speech import Speech, estimated_seconds, plain_text
from skill.state import Awaiting, Flow, SessionState


def test_text_is_escaped() -> None:
    speech = Speech("Salt & water <maybe>")
    assert speech.ssml == "<speak>Salt &amp; water &lt;maybe&gt;</speak>"
    assert plain_text(speech.ssml) == "Salt & water <maybe>"


def test_long_pauses_are_split_at_ten_seconds() -> None:
    ssml = Speech().pause(25_000).ssml
    assert ssml.count('<break time="10000ms"/>') == 2
    assert '<break time="5000ms"/>' in ssml
    assert estimated_seconds(ssml) == 25


def test_speech_plans_its_own_length() -> None:
    speech = Speech("two words").pause(1500).say("7", ms=400).audio("https://a.test/x.mp3", 2000)
    assert speech.seconds == pytest.approx(2 / 2.5 + 1.5 + 0.4 + 2)
    assert '<audio src="https://a.test/x.mp3"/>' in speech.ssml
    assert Speech().extend(speech).seconds == speech.seconds


def test_a_reply_from_content_is_rebuilt_from_its_recipe() -> None:
    content = content_for("en-US")
    original = Speech(content.line("greeting")).pause(500)
    original.say(content.line("hold_too_long", seconds=60))
    assert Speech.from_recipe(original.recipe, content.say_again).ssml == original.ssml
    assert Speech("words not from the content").recipe is None
    assert Speech(content.line("greeting")).hold_starts(30).recipe is None


def test_state_round_trips_and_survives_garbage() -> None:
    state = SessionState(flow=Flow.FIRST_AID, awaiting=Awaiting.EASED, step=2, muscle="CALF")
    assert SessionState.from_dict(state.to_dict()) == state
    assert SessionState.from_dict({"flow": "nonsense"}) == SessionState()
    assert SessionState.from_dict("not a dict") == SessionState()
    assert SessionState.from_dict({"step": "x"}) == SessionState()


def test_a_bad_stored_profile_gives_defaults() -> None:
    assert UserProfile.from_dict({"hold_seconds": "lots"}) == UserProfile()
    assert UserProfile.from_dict({"hold_seconds": 500}).hold_seconds == 60
    assert UserProfile.from_dict({"count_style": "KAZOO"}).count_style == "VOICE"
