"""Every intent of the voice contract, and the built-ins, behave as Alexa users expect."""

from __future__ import annotations

import pytest

from skill.builder import build_skill
from skill.handlers import first_aid
from tests.conftest import Conversation


def test_launch_asks_where_without_a_menu(talk: Conversation) -> None:
    reply = talk.say("")
    assert reply["intent"] == "LaunchRequest"
    assert reply["speech"].endswith("Where is the cramp: calf, thigh, foot or toes?")
    assert "call 911" in reply["speech"]
    assert reply["end_session"] is False


@pytest.mark.parametrize("words", ["stop", "cancel", "shut up"])
def test_stop_stops_at_once_from_anywhere(talk: Conversation, words: str) -> None:
    talk.say("my calf is cramping")
    reply = talk.say(words)
    assert reply["end_session"] is True
    assert len(reply["speech"].split()) <= 6


def test_help_says_what_the_skill_does_and_keeps_listening(talk: Conversation) -> None:
    reply = talk.say("help")
    assert "one step at a time" in reply["speech"] and reply["end_session"] is False
    talk.say("my calf is cramping")
    talk.say("ready")
    in_steps = talk.say("help")
    assert "Say next, go back, or stop" in in_steps["speech"]
    assert in_steps["speech"].endswith("Has the cramp eased? Say yes or no.")


def test_fallback_is_one_sentence_then_the_open_question(talk: Conversation) -> None:
    talk.say("my calf is cramping")
    talk.say("no")
    reply = talk.say("banana pancakes")
    assert reply["intent"] == "AMAZON.FallbackIntent"
    assert reply["speech"] == (
        "Sorry, I didn't catch that. Say ready when you're in position, or skip."
    )
    assert reply["end_session"] is False
    assert talk.state["flow"] == "first_aid"


def test_fallback_with_nothing_asked_offers_a_few_things_to_say(talk: Conversation) -> None:
    talk.say("what causes cramps")
    talk.say("no")
    reply = talk.say("banana pancakes")
    assert reply["speech"] == (
        "Sorry, I didn't catch that. "
        "You can say my calf is cramping, count for me, or bedtime stretches."
    )
    assert reply["end_session"] is False


def test_navigate_home_restarts_at_the_question(talk: Conversation) -> None:
    talk.say("what causes cramps")
    assert "Where is the cramp" in talk.say("go home")["speech"]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("how do I stop getting cramps", "stretch your calves before bed"),
        ("what should I eat", "No food is known to stop cramps"),
        ("what should I drink", "go easy on alcohol and caffeine"),
        ("why do my legs cramp at night", "no clear cause"),
        ("should I see a doctor about my cramps", "Most cramps are harmless"),
    ],
)
def test_information_is_short_with_more_on_request(
    talk: Conversation, words: str, expected: str
) -> None:
    reply = talk.say(words)
    assert expected in reply["speech"] and reply["speech"].endswith("Want to hear more?")
    deeper = talk.say("tell me more")
    assert deeper["speech"] != reply["speech"] and not deeper["end_session"]
    for _ in range(6):
        last = talk.say("yes")
        if "That's all I have on that" in last["speech"]:
            break
    assert "That's all I have on that" in last["speech"]
    assert talk.say("no")["end_session"] is True


def test_medicine_questions_go_to_the_doctor_or_pharmacist(talk: Conversation) -> None:
    reply = talk.say("can I take magnesium")
    assert reply["intent"] == "MedicineQuestionIntent"
    assert "ask your doctor or pharmacist" in reply["speech"]


@pytest.mark.parametrize(
    ("words", "level_words"),
    [
        ("my leg is swollen and I'm struggling to breathe", "Call 911 now"),
        ("my wife is shaking all over", "Call 911 now"),
        ("my calf is red and swollen", "medical advice today"),
        ("I get them every single night", "book an appointment"),
    ],
)
def test_red_flags_get_their_level(talk: Conversation, words: str, level_words: str) -> None:
    reply = talk.say(words)
    assert reply["intent"] == "RedFlagIntent"
    assert reply["speech"].startswith(level_words) or level_words in reply["speech"]
    assert "Straighten" not in reply["speech"]


def test_an_emergency_interrupts_first_aid_and_starts_with_the_action(talk: Conversation) -> None:
    talk.say("my calf is cramping")
    reply = talk.say("my face is drooping")
    assert reply["speech"].startswith("Call 911 now. I can't call for you")
    # clinical.md §3a: "repeat" too gets the call first (tests/test_emergency_state.py).
    assert talk.say("repeat")["speech"].startswith("Please call 911 now if you haven't.")


@pytest.mark.parametrize("words", ["log a cramp in my right calf", "how many cramps did I have"])
def test_diary_intents_say_the_diary_is_off(talk: Conversation, words: str) -> None:
    reply = talk.say(words)
    assert "diary is switched off" in reply["speech"] and not reply["end_session"]


def test_pause_and_resume_keep_the_place(talk: Conversation) -> None:
    talk.say("my calf is cramping")
    talk.say("ready")
    talk.say("next")
    assert "take your time" in talk.say("pause")["speech"]
    resumed = talk.say("resume")["speech"]
    assert resumed == "Say next for the next step, or repeat to hear this one again."
    assert "Warmth" in talk.say("next")["speech"]


def test_pause_at_a_question_then_resume_asks_it_again_not_the_hold(talk: Conversation) -> None:
    talk.say("my calf is cramping")
    talk.say("ready")
    talk.say("hang on")
    assert talk.say("resume")["speech"] == "Has the cramp eased? Say yes or no."
    talk.say("wait")
    # "Ready" ends the pause and asks the same question: it is no answer to it.
    assert talk.say("I'm ready")["speech"] == "Has the cramp eased? Say yes or no."
    assert talk.say("no")["speech"].startswith("Now rub the calf")


def test_yes_with_nothing_pending_asks_where(talk: Conversation) -> None:
    talk.say("what causes cramps")
    talk.say("no")
    assert "Where is the cramp" in talk.say("yes")["speech"]


def test_an_unexpected_error_still_speaks(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(turn):
        raise RuntimeError("boom")

    monkeypatch.setattr(first_aid, "say_step", broken)
    talk = Conversation()
    talk.skill = build_skill(talk.store)
    reply = talk.say("my calf is cramping")
    assert reply["speech"].startswith("Sorry, something went wrong")
    assert "call 911" in reply["speech"] and reply["end_session"] is False


def test_a_failing_store_never_blocks_first_aid() -> None:
    class BrokenStore:
        def get_attributes(self, request_envelope):
            raise OSError("disk on fire")

        def save_attributes(self, request_envelope, attributes):
            raise OSError("disk on fire")

        def delete_attributes(self, request_envelope):
            raise OSError("disk on fire")

    talk = Conversation()
    talk.skill = build_skill(BrokenStore())
    reply = talk.say("my calf is cramping")
    assert "Straighten your leg" in reply["speech"]
