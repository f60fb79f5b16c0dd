"""The bedtime routine: pacing, the seated variant, and pause, resume, skip, next, stop."""

from __future__ import annotations

from datetime import timedelta

import pytest

from skill.speech import estimated_seconds
from tests.conftest import WITH_TONES, Conversation

SOON = timedelta(seconds=10)  # said while the last reply is still playing


def start_without_warm_up(talk: Conversation, words: str = "start my bedtime stretches") -> dict:
    intro = talk.say(words)
    assert intro["speech"].endswith("Would you like a two-minute warm-up first?")
    ready = talk.say("no")
    assert ready["speech"].endswith("Ready for the left calf stretch?")
    return ready


def test_the_standing_routine_runs_calves_then_hamstrings_each_leg(talk: Conversation) -> None:
    intro = talk.say("start my bedtime stretches")
    assert "never pain" in intro["speech"] and "If you can't stand" in intro["speech"]
    talk.say("no")
    expected = [
        ("Wall calf stretch, left leg", "Ready for the right calf stretch?"),
        ("Now the right leg back", "Ready for the left hamstring stretch?"),
        ("Hamstring stretch. Sit with your left leg", "Ready for the right hamstring stretch?"),
        (
            "Now your right leg straight out",
            "That's your routine done. Shall I remind you to stretch at this time every night?",
        ),
    ]
    blocks = []
    for first, last in expected:
        block = talk.say("next")
        assert block["speech"].startswith(first) and block["speech"].endswith(last)
        assert block["speech"].count("Starting now.") == 3
        assert block["speech"].count("Relax.") == 2
        assert block["speech"].count("10 And release.") == 3
        blocks.append(block)
    assert blocks[-1]["end_session"] is False, "the reminder offer waits for an answer"
    minutes = sum(estimated_seconds(block["ssml"]) for block in blocks) / 60
    assert 3 <= minutes <= 5


def test_the_warm_up_is_two_timed_minutes(talk: Conversation) -> None:
    talk.say("start my bedtime stretches")
    warm_up = talk.say("yes")
    assert "I'll tell you when two minutes are up" in warm_up["speech"]
    assert "One minute to go" in warm_up["speech"]
    assert 120 <= estimated_seconds(warm_up["ssml"]) <= 140
    assert warm_up["speech"].endswith("Ready for the left calf stretch?")


@pytest.mark.parametrize(
    "words", ["I can't stand", "do my bedtime stretches sitting down", "seated stretches"]
)
def test_a_seated_routine_on_request(talk: Conversation, words: str) -> None:
    intro = talk.say(words)
    assert "sitting down instead" in intro["speech"]
    talk.say("skip")
    assert talk.say("next")["speech"].startswith("Seated calf stretch, left leg.")


def test_switching_to_sitting_keeps_the_place(talk: Conversation) -> None:
    start_without_warm_up(talk)
    talk.say("next")
    switched = talk.say("I can't stand up")
    assert switched["speech"] == "Okay, sitting down instead. Ready for the right calf stretch?"
    assert "towel around the ball of your foot" in talk.say("yes")["speech"]


def test_pause_during_a_block_resumes_that_block(talk: Conversation) -> None:
    start_without_warm_up(talk)
    talk.say("next")
    paused = talk.say("pause", after=SOON)
    assert paused["speech"] == "Paused before the left calf stretch. Say resume when you're ready."
    assert not paused["end_session"]
    assert talk.say("resume")["speech"].startswith("Wall calf stretch, left leg")


def test_pause_between_blocks_resumes_at_the_next(talk: Conversation) -> None:
    start_without_warm_up(talk)
    talk.say("next")
    assert "before the right calf stretch" in talk.say("wait")["speech"]
    assert talk.say("resume")["speech"].startswith("Now the right leg back")


def test_help_during_the_routine_says_what_works_then_asks_again(talk: Conversation) -> None:
    start_without_warm_up(talk)
    reply = talk.say("help")
    # Two or three things to say, not every command.
    assert reply["speech"].startswith(
        "We're doing your bedtime stretches. Say next, skip, or pause."
    )
    assert reply["speech"].endswith("Say ready when you're ready, skip to move on, or pause.")


def test_no_to_ready_pauses(talk: Conversation) -> None:
    start_without_warm_up(talk)
    assert talk.say("no")["speech"].startswith("Paused before the left calf stretch")


def test_skip_during_a_block_moves_on(talk: Conversation) -> None:
    start_without_warm_up(talk)
    talk.say("next")
    assert talk.say("skip", after=SOON)["speech"] == "Ready for the right calf stretch?"


def test_skip_at_the_question_skips_that_stretch(talk: Conversation) -> None:
    start_without_warm_up(talk)
    talk.say("next")
    assert talk.say("skip")["speech"] == "Ready for the left hamstring stretch?"
    assert talk.say("ready")["speech"].startswith("Hamstring stretch. Sit with your left leg")


def test_again_other_leg_and_back(talk: Conversation) -> None:
    start_without_warm_up(talk)
    talk.say("next")
    assert talk.say("do it again")["speech"].startswith("Wall calf stretch, left leg")
    assert talk.say("other leg")["speech"].startswith("Now the right leg back")
    assert talk.say("go back")["speech"].startswith("Now the right leg back")
    assert talk.say("go back", after=SOON)["speech"].startswith("Wall calf stretch, left leg")
    assert talk.say("start over")["speech"].startswith("Wall calf stretch, left leg")


def test_resume_in_a_later_session_carries_on(talk: Conversation) -> None:
    start_without_warm_up(talk)
    talk.say("next")
    talk.say("next", after=SOON)  # interrupted the left calf; now on the right calf
    assert talk.say("stop", after=SOON)["end_session"] is True
    talk.new_session()
    resumed = talk.say("resume", after=timedelta(minutes=5))
    assert resumed["speech"].startswith("Now the right leg back")


def test_opening_the_skill_soon_after_offers_to_carry_on(talk: Conversation) -> None:
    start_without_warm_up(talk)
    talk.say("next")
    talk.say("pause")
    talk.new_session()
    offer = talk.say("open cramp coach", after=timedelta(minutes=20))
    assert offer["speech"].endswith("Shall we carry on with the right calf stretch?")
    assert talk.say("yes")["speech"].startswith("Now the right leg back")


def test_declining_to_carry_on_forgets_the_place(talk: Conversation) -> None:
    start_without_warm_up(talk)
    talk.say("pause")
    talk.new_session()
    talk.say("open cramp coach")
    assert "Where is the cramp" in talk.say("no")["speech"]
    talk.new_session()
    assert "carry on" not in talk.say("open cramp coach")["speech"]


def test_a_pause_from_last_night_is_not_offered(talk: Conversation) -> None:
    start_without_warm_up(talk)
    talk.say("pause")
    talk.new_session()
    reply = talk.say("open cramp coach", after=timedelta(hours=20))
    assert reply["speech"].endswith("Where is the cramp: calf, thigh, foot or toes?")


def test_a_cramp_during_the_routine_goes_straight_to_first_aid(talk: Conversation) -> None:
    start_without_warm_up(talk)
    talk.say("next")
    reply = talk.say("ow my calf is cramping", after=SOON)
    assert "Straighten your leg" in reply["speech"]


def test_a_routine_with_tones_uses_three_tracks_a_block() -> None:
    talk = Conversation(settings=WITH_TONES)
    talk.say("count with tones")
    start_without_warm_up(talk)
    block = talk.say("next")
    assert block["ssml"].count("hold-10.mp3") == 3
    assert "1 2 3" not in block["speech"]
