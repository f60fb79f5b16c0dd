"""The bedtime routine: pacing, the seated variant, and pause, resume, skip, next, stop."""

from __future__ import annotations

from datetime import timedelta

import pytest

from skill.speech import estimated_seconds
from tests.conftest import WITH_TONES, Conversation

SOON = timedelta(seconds=10)  # said while the last reply is still playing
IN_POSITION = "Say ready when you're in position."
LEFT_CALF = "Wall calf stretch, left leg."
RIGHT_CALF = "Now the right leg back"
LEFT_HAMSTRING = "Hamstring stretch. Sit with your left leg"
COUNT = "Hold it gently. Starting now."


def start_without_warm_up(talk: Conversation, words: str = "start my bedtime stretches") -> dict:
    intro = talk.say(words)
    assert intro["speech"].endswith("Would you like a two-minute warm-up first?")
    described = talk.say("no")
    assert described["speech"].startswith(LEFT_CALF)
    assert described["speech"].endswith(IN_POSITION)
    return described


def test_the_standing_routine_runs_calves_then_hamstrings_each_leg(talk: Conversation) -> None:
    intro = talk.say("start my bedtime stretches")
    assert "never pain" in intro["speech"] and "If you can't stand" in intro["speech"]
    first = talk.say("no")
    assert first["speech"].startswith(LEFT_CALF) and COUNT not in first["speech"]
    expected = [
        RIGHT_CALF,
        LEFT_HAMSTRING,
        "Now your right leg straight out",
        "That's your routine done. Shall I remind you to stretch at this time every night?",
    ]
    blocks = []
    for after in expected:
        block = talk.say("ready")
        # The count starts at once: the person said they are in position.
        assert block["speech"].startswith(COUNT)
        assert block["speech"].count("Starting now.") == 3
        assert block["speech"].count("Relax.") == 2
        assert block["speech"].count("10 And release.") == 3
        tail = block["speech"].rsplit("10 And release. ", 1)[1]
        assert tail.startswith(after), tail
        if after != expected[-1]:
            assert tail.endswith(IN_POSITION)
        blocks.append(block)
    assert blocks[-1]["end_session"] is False, "the reminder offer waits for an answer"
    minutes = sum(estimated_seconds(block["ssml"]) for block in [first, *blocks]) / 60
    assert 3 <= minutes <= 5


@pytest.mark.parametrize("words", ["ready", "yes", "ok", "go", "I'm in position", "let's go"])
def test_the_count_starts_on_ready_in_any_words(talk: Conversation, words: str) -> None:
    start_without_warm_up(talk)
    assert talk.say(words)["speech"].startswith(COUNT)


def test_alexas_resume_at_the_position_counts(talk: Conversation) -> None:
    # Alexa may hear "continue" or "keep going" as AMAZON.ResumeIntent: asking for the
    # position again would loop. After a pause it describes the stretch again (below).
    start_without_warm_up(talk)
    assert talk.say_intent("AMAZON.ResumeIntent", {})["speech"].startswith(COUNT)


def test_resume_with_nothing_to_resume_asks_where_the_cramp_is(talk: Conversation) -> None:
    assert talk.say_intent("AMAZON.ResumeIntent", {})["speech"].startswith("Where is the cramp")


def test_the_count_starts_on_a_tap_on_ready() -> None:
    talk = Conversation(screen="hub")
    start_without_warm_up(talk)
    shown = [button["id"] for button in talk.replies[-1]["screen"]["buttons"]]
    assert shown == ["ready", "skip"], shown
    assert talk.tap("ready")["speech"].startswith(COUNT)


def test_the_count_waits_however_long_getting_into_position_takes(talk: Conversation) -> None:
    start_without_warm_up(talk)
    reply = talk.say("ready", after=timedelta(minutes=3))
    assert reply["speech"].startswith(COUNT)
    # No seconds given to get into position before the first count: that was "ready".
    assert reply["ssml"].index("Starting now") < reply["ssml"].index("<break")


def test_what_at_a_stretch_says_the_stretch_again_never_a_hold(talk: Conversation) -> None:
    start_without_warm_up(talk)
    again = talk.say("what?")
    assert again["speech"].startswith(LEFT_CALF) and COUNT not in again["speech"]
    talk.say("ready")
    after_count = talk.say("what?")
    assert after_count["speech"].startswith(RIGHT_CALF), after_count["speech"]
    assert COUNT not in after_count["speech"]


@pytest.mark.parametrize("words", ["wait", "hang on"])
def test_wait_at_a_stretch_pauses_then_ready_counts_it(talk: Conversation, words: str) -> None:
    start_without_warm_up(talk)
    paused = talk.say(words)
    assert paused["speech"] == "Paused before the left calf stretch. Say resume when you're ready."
    assert talk.say("ready")["speech"].startswith(COUNT)


def test_resume_after_a_pause_describes_the_stretch_again(talk: Conversation) -> None:
    start_without_warm_up(talk)
    talk.say("hang on")
    resumed = talk.say("resume")
    assert resumed["speech"].startswith(LEFT_CALF) and resumed["speech"].endswith(IN_POSITION)


def test_cant_do_a_standing_stretch_gives_the_seated_one(talk: Conversation) -> None:
    start_without_warm_up(talk)
    reply = talk.say("I can't do that")
    assert reply["speech"].startswith("That's fine. Let's do it sitting down. Seated calf stretch")
    assert reply["speech"].endswith(IN_POSITION)
    assert talk.say("ready")["speech"].startswith(COUNT)


def test_cant_do_a_seated_stretch_gives_another_way_then_skip(talk: Conversation) -> None:
    talk.say("I can't stand")
    talk.say("no")
    calf = talk.say("I can't do that")
    assert calf["speech"] == (
        "That's fine. Use a belt instead of a towel, or your hand. " + IN_POSITION
    )
    again = talk.say("I can't do it")
    assert again["speech"] == "That's fine. Say skip to miss this one, or stop."
    assert talk.say("skip")["speech"].startswith("Now the right leg straight out")
    talk.say("skip")
    hamstring = talk.say("I can't do that")
    assert hamstring["speech"].startswith("That's fine. Keep the leg straight.")


def test_stop_at_a_stretch_keeps_it_for_resume(talk: Conversation) -> None:
    start_without_warm_up(talk)
    talk.say("ready")
    assert talk.say("stop")["end_session"] is True
    talk.new_session()
    resumed = talk.say("resume", after=timedelta(minutes=5))
    assert resumed["speech"].startswith(RIGHT_CALF) and resumed["speech"].endswith(IN_POSITION)


def test_the_warm_up_is_two_timed_minutes(talk: Conversation) -> None:
    talk.say("start my bedtime stretches")
    warm_up = talk.say("yes")
    assert "I'll tell you when two minutes are up" in warm_up["speech"]
    assert "One minute to go" in warm_up["speech"]
    timed = warm_up["ssml"].split(LEFT_CALF)[0] + "</speak>"
    assert 120 <= estimated_seconds(timed) <= 140
    assert "That's your warm-up. " + LEFT_CALF in warm_up["speech"]
    assert warm_up["speech"].endswith(IN_POSITION)


@pytest.mark.parametrize(
    "words", ["I can't stand", "do my bedtime stretches sitting down", "seated stretches"]
)
def test_a_seated_routine_on_request(talk: Conversation, words: str) -> None:
    intro = talk.say(words)
    assert "sitting down instead" in intro["speech"]
    assert talk.say("skip")["speech"].startswith("Seated calf stretch, left leg.")


def test_switching_to_sitting_keeps_the_place(talk: Conversation) -> None:
    start_without_warm_up(talk)
    talk.say("ready")
    switched = talk.say("I can't stand up")
    assert switched["speech"].startswith("Okay, sitting down instead. Now the right leg straight")
    assert "towel around the ball of your foot" in switched["speech"]
    assert talk.say("yes")["speech"].startswith(COUNT)


def test_pause_during_a_block_resumes_that_block(talk: Conversation) -> None:
    start_without_warm_up(talk)
    talk.say("ready")
    paused = talk.say("pause", after=SOON)
    assert paused["speech"] == "Paused before the left calf stretch. Say resume when you're ready."
    assert not paused["end_session"]
    assert talk.say("resume")["speech"].startswith(LEFT_CALF)


def test_pause_between_blocks_resumes_at_the_next(talk: Conversation) -> None:
    start_without_warm_up(talk)
    talk.say("ready")
    assert "before the right calf stretch" in talk.say("wait")["speech"]
    assert talk.say("resume")["speech"].startswith(RIGHT_CALF)


def test_help_during_the_routine_says_what_works_then_asks_again(talk: Conversation) -> None:
    start_without_warm_up(talk)
    reply = talk.say("help")
    # Two or three things to say, not every command.
    assert reply["speech"].startswith(
        "We're doing your bedtime stretches. Say ready, skip, or pause."
    )
    assert reply["speech"].endswith("Say ready when you're in position, or skip.")


def test_no_to_ready_pauses(talk: Conversation) -> None:
    start_without_warm_up(talk)
    assert talk.say("no")["speech"].startswith("Paused before the left calf stretch")


def test_skip_during_a_block_moves_on(talk: Conversation) -> None:
    start_without_warm_up(talk)
    talk.say("ready")
    assert talk.say("skip", after=SOON)["speech"].startswith(RIGHT_CALF)


def test_skip_at_the_question_skips_that_stretch(talk: Conversation) -> None:
    start_without_warm_up(talk)
    talk.say("ready")
    assert talk.say("skip")["speech"].startswith(LEFT_HAMSTRING)
    assert talk.say("ready")["speech"].startswith(COUNT)


def test_again_other_leg_and_back(talk: Conversation) -> None:
    start_without_warm_up(talk)
    talk.say("ready")
    assert talk.say("do it again")["speech"].startswith(LEFT_CALF)
    talk.say("ready")
    assert talk.say("other leg")["speech"].startswith(RIGHT_CALF)
    assert talk.say("go back")["speech"].startswith(LEFT_CALF)
    talk.say("ready")
    assert talk.say("go back", after=SOON)["speech"].startswith(LEFT_CALF)
    assert talk.say("start over")["speech"].startswith(LEFT_CALF)


def test_resume_in_a_later_session_carries_on(talk: Conversation) -> None:
    start_without_warm_up(talk)
    talk.say("ready")
    talk.say("next", after=SOON)  # interrupted the left calf; the right calf described
    talk.say("ready")
    assert talk.say("stop", after=SOON)["end_session"] is True
    talk.new_session()
    resumed = talk.say("resume", after=timedelta(minutes=5))
    assert resumed["speech"].startswith(RIGHT_CALF)


def test_opening_the_skill_soon_after_offers_to_carry_on(talk: Conversation) -> None:
    start_without_warm_up(talk)
    talk.say("ready")
    talk.say("pause")
    talk.new_session()
    offer = talk.say("open cramp coach", after=timedelta(minutes=20))
    assert offer["speech"].endswith("Shall we carry on with the right calf stretch?")
    assert talk.say("yes")["speech"].startswith(RIGHT_CALF)


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
    talk.say("ready")
    reply = talk.say("ow my calf is cramping", after=SOON)
    assert "Straighten your leg" in reply["speech"]


def test_a_routine_with_tones_uses_three_tracks_a_block() -> None:
    talk = Conversation(settings=WITH_TONES)
    talk.say("count with tones")
    start_without_warm_up(talk)
    block = talk.say("ready")
    assert block["ssml"].count("hold-10.mp3") == 3
    assert "1 2 3" not in block["speech"]


def test_a_place_kept_after_sitting_down_resumes_seated(talk: Conversation) -> None:
    start_without_warm_up(talk)
    talk.say("ready")
    talk.say("sitting down")
    talk.say("stop")
    talk.new_session()
    resumed = talk.say("resume", after=timedelta(minutes=5))
    assert "towel around the ball of your foot" in resumed["speech"], resumed["speech"]
