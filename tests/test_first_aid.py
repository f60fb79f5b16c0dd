"""First aid conversations, typed as a new user would say them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from skill.persistence import MemoryPersistenceAdapter
from tests.conftest import Conversation, talking_seconds

MAX_REPLY_SECONDS = 25


@pytest.mark.parametrize(
    ("opening", "muscle", "first_words"),
    [
        ("ow my calf is cramping", "calf", "Straighten your leg"),
        ("I've got cramp in the front of my thigh", "thigh, at the front", "Hold on to a chair"),
        ("my hamstring is seizing up", "thigh, at the back", "Sit with that leg straight"),
        ("my foot's locking up", "foot", "With your hand, gently pull your toes"),
        ("my toes are curling", "toes", "With your hand, gently pull your toes"),
    ],
)
def test_each_location_reads_naturally_to_the_end(
    talk: Conversation, opening: str, muscle: str, first_words: str
) -> None:
    talk.say("open cramp coach")
    reply = talk.say(opening)
    assert f"Okay, your {muscle}." in reply["speech"]
    assert first_words in reply["speech"]
    # Getting into position takes as long as it takes: the count waits for "ready".
    assert reply["speech"].endswith("Say ready when you're in position.")
    reply = talk.say("ready")
    assert reply["speech"].startswith("Hold it gently. Starting now. 1 2 3")
    assert reply["speech"].endswith("30 And release. Has it eased?")
    counted = reply
    while talk.state.get("awaiting") != "eased" or talk.replies[-1] is counted:
        reply = talk.say("no" if talk.state.get("awaiting") == "eased" else "next")
        assert not reply["end_session"]
    done = talk.say("yes it's better")
    assert "tender for up to a day" in done["speech"]
    assert talk.say("no")["end_session"] is True
    for reply in talk.replies:
        assert reply["end_session"] or reply["reprompt"], reply
        assert talking_seconds(reply) < MAX_REPLY_SECONDS, reply["speech"]


def test_one_shot_request_starts_first_aid_with_the_notice(talk: Conversation) -> None:
    reply = talk.say("Alexa, ask cramp coach to help with my calf cramp")
    assert reply["intent"] == "CrampNowIntent"
    assert reply["slots"]["muscle"] == {"value": "calf", "id": "CALF"}
    assert reply["speech"].startswith("Cramp Coach gives general information, not medical advice")
    assert "Straighten your leg" in reply["speech"]


def test_location_is_asked_once_then_defaults_to_the_calf(talk: Conversation) -> None:
    asked = talk.say("I've got a cramp")
    assert "Where is the cramp" in asked["speech"]
    reply = talk.say("I don't know, somewhere")
    assert "I'll guide you for the calf" in reply["speech"]
    assert talk.state["muscle"] == "CALF"


def test_leg_without_place_asks_where_in_the_leg(talk: Conversation) -> None:
    reply = talk.say("charley horse in my left leg")
    assert "Where in your leg" in reply["speech"]
    talk.say("the back of my thigh")
    assert talk.state["muscle"] == "BACK_THIGH" and talk.state["side"] == "LEFT"


def test_next_back_repeat_and_start_over(talk: Conversation) -> None:
    talk.say("my calf is cramping")
    assert "Starting now" in talk.say("I'm in position")["speech"]
    first = talk.say("next")
    assert "rub the calf" in first["speech"]
    second = talk.say("next")
    assert "Warmth" in second["speech"]
    assert "rub the calf" in talk.say("go back")["speech"]
    assert talk.say("say that again")["ssml"] == talk.replies[-2]["ssml"]
    assert "Straighten your leg" in talk.say("start over")["speech"]
    assert "That's the first step" in talk.say("go back")["speech"]


def test_first_aid_holds_follow_the_preference_within_twenty_to_thirty(talk: Conversation) -> None:
    talk.say("make my holds ten seconds")
    talk.say("my calf is cramping")
    reply = talk.say("ready")
    assert "19 20 And release" in reply["speech"] and " 21 " not in reply["speech"]
    talk.say("make my holds sixty seconds")
    talk.say("start over")
    assert "29 30 And release" in talk.say("ready")["speech"]


def test_a_short_hold_asked_for_in_first_aid_still_counts_twenty(talk: Conversation) -> None:
    talk.say("my calf is cramping")
    reply = talk.say("hold it for ten seconds")
    assert reply["speech"].startswith("For a cramp, I'll count 20 seconds.")
    assert "19 20 And release" in reply["speech"] and " 21 " not in reply["speech"]


def test_count_for_me_during_first_aid_counts_the_stretch(talk: Conversation) -> None:
    talk.say("my calf is cramping")
    talk.say("ready")
    talk.say("no")
    reply = talk.say("hold it for forty five seconds")
    assert reply["speech"].startswith("For a cramp, I'll count 30 seconds.")
    assert "Straighten your leg" in reply["speech"] and "30 And release" in reply["speech"]
    assert reply["speech"].endswith("Has it eased?")
    assert "Straighten your leg" in talk.say("do it again")["speech"]


def test_other_leg_during_first_aid_starts_the_stretch_on_that_side(talk: Conversation) -> None:
    talk.say("my left calf is cramping")
    reply = talk.say("now the other leg")
    assert reply["speech"].startswith("Now the other leg. Straighten your leg")
    assert talk.state["side"] == "RIGHT"


def test_not_eased_goes_round_again_then_after_ten_minutes_advises_help_today(
    talk: Conversation,
) -> None:
    talk.say("my calf is cramping")
    talk.say("ready")
    for _ in range(3):
        talk.say("no")
    reply = talk.say("it still hurts", after=timedelta(seconds=30))
    assert "Let's stretch it again" in reply["speech"]
    assert "Straighten your leg" in reply["speech"]
    late = talk.say("it's still cramping", after=timedelta(minutes=10))
    assert "more than ten minutes" in late["speech"]
    assert "medical advice today" in late["speech"]
    assert "Straighten your leg" in talk.say("yes")["speech"]
    # The advice in full once; on a later "no" it is said shorter.
    talk.say("ready")
    again = talk.say("no", after=timedelta(minutes=1))
    assert "still past ten minutes" in again["speech"]
    assert "A cramp that lasts this long" not in again["speech"]


def test_ten_minutes_count_from_the_start_of_first_aid(talk: Conversation) -> None:
    talk.say("my calf is cramping")
    reply = talk.say("still cramping", after=timedelta(minutes=9))
    assert "more than ten minutes" not in reply["speech"]
    reply = talk.say("still cramping", after=timedelta(minutes=2))
    assert "more than ten minutes" in reply["speech"]


def test_situations_change_the_steps(talk: Conversation) -> None:
    night = talk.say("my calf is cramping in bed")
    assert "turn on a light" in night["speech"]
    talk.say("no")
    for _ in range(4):
        reply = talk.say("next")
    assert "sit on the edge of the bed" in reply["speech"]

    pregnant = Conversation().say("I'm pregnant and my calf is cramping")
    assert "keep your heel down" in pregnant["speech"]

    swimming = Conversation()
    reply = swimming.say("I got a cramp in my calf while swimming")
    assert "float" in reply["speech"]
    swimming.say("next")
    assert "out of the water" in swimming.say("next")["speech"]

    exercise = Conversation()
    assert "stop exercising" in exercise.say("cramp in my calf at the gym")["speech"]


def test_disclaimer_is_given_once_per_user() -> None:
    store = MemoryPersistenceAdapter()
    first = Conversation(store)
    assert "not medical advice" in first.say("open cramp coach")["speech"]
    first.say("stop")
    first.new_session()
    assert "not medical advice" not in first.say("open cramp coach")["speech"]
    stranger = Conversation(store)
    assert "not medical advice" in stranger.say("open cramp coach")["speech"]


def test_eased_at_any_time_gives_after_care_then_prevention(talk: Conversation) -> None:
    talk.say("my foot is cramping")
    reply = talk.say("it's gone")
    assert "glad it's eased" in reply["speech"]
    tips = talk.say("yes")
    assert "stretch your calves before bed" in tips["speech"]


def test_alexas_resume_at_the_position_counts_and_after_a_pause_asks_again() -> None:
    # "Continue" may arrive as AMAZON.ResumeIntent: at "say ready" it means ready.
    talk = Conversation()
    talk.say("my calf is cramping")
    assert talk.say_intent("AMAZON.ResumeIntent", {})["speech"].startswith("Hold it gently.")
    talk = Conversation()
    talk.say("my calf is cramping")
    talk.say("hang on")
    resumed = talk.say_intent("AMAZON.ResumeIntent", {})
    assert resumed["speech"] == "Say ready when you're in position, or skip."
