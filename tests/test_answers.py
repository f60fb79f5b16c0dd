"""Every question the skill asks, answered every way people answer (issue 18).

A walk: each question the skill can ask (in first aid, the routine, holds, information,
the diary, reminders and safety), by day and by night, in every locale, answered with
each class of answer: yes, no, okay, "it's worse", "I can't do that", "what?", "hang on"
(then "resume", or "ready"), the endings, "done" and "go on", and words it cannot
understand. Each reply must not be the fallback (unless the words were nonsense), must
not end the session unless the words ended it, and must answer what was said.

The questions are not only a hand list: the walk must reach every question the state
can name (each `Awaiting` value, in each flow that asks it), and every question the
content can speak (each line with a "?") must be the question of some walked state, so
a new question fails here until it is walked. The state reached by each question's
opening turns is kept and restored for every answer, and each phrase is understood
once per locale, so the walk stays quick.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable
from datetime import timedelta

import pytest

from skill.build.models import LOCALES
from skill.config import Settings
from skill.content import content_for
from skill.dev.envelopes import request_for
from skill.dev.nlu import Recognition, for_locale
from skill.dev.runner import send
from skill.diary import Entry
from skill.state import YES_NO_QUESTIONS, Awaiting, Flow
from tests.conftest import NIGHT, START, Conversation
from tests.test_content import PLACEHOLDERS

FALLBACK = "AMAZON.FallbackIntent"
SORRY = "Sorry, I didn't catch that."
ELEVEN_MINUTES = timedelta(minutes=11)
NEW_SESSION = "<new session>"
# First aid at night starts with the light: "the light is on" then, nothing by day.
LIGHT = "<light on at night>"
# Two cramps a week for the last four weeks, in the diary (GUIDE.md §3: see a doctor).
A_MONTH_OF_CRAMPS = "<a month of cramps>"
WEEK = 7 * 86400
# The diary's questions are asked only where it is on (off for Alexa by default).
DIARY_ON = Settings(diary=True)
ROUTINE = "start my bedtime stretches"
CRAMP = "my calf is cramping"
Steps = list[str | tuple[str, timedelta]]

# Each question, by the turns that lead to it: (words, or (words, time after the last)).
QUESTIONS: dict[str, Steps] = {
    # First aid (GUIDE.md §1).
    "where is it": ["open cramp coach"],
    "where in the leg": ["I have a cramp in my leg"],
    "front or back of the thigh": ["my thigh is cramping"],
    "calf or back of the thigh": ["it's behind my knee"],
    "the light": [CRAMP],
    "in position": [CRAMP, LIGHT],
    "has it eased": [CRAMP, LIGHT, "ready"],
    "a first-aid step": [CRAMP, LIGHT, "ready", "no"],
    "has it eased, last step": ["my shin is cramping", LIGHT, "next"],
    "hard, swollen or hot": [CRAMP, LIGHT, "ready", "it's worse"],
    "has it eased, resting": [CRAMP, LIGHT, "ready", "it's worse", "no"],
    "stretch again": [CRAMP, LIGHT, "ready", ("it still hurts", ELEVEN_MINUTES)],
    "tips": [CRAMP, LIGHT, "ready", "yes"],
    # Information (GUIDE.md §4-§5).
    "hear more": ["how do I prevent cramps"],
    "anything else": ["how do I prevent cramps", "no"],
    "a few things to say": ["how do I prevent cramps", "no", "banana pancakes"],
    # Holds.
    "another hold": ["count thirty seconds"],
    # The bedtime routine (GUIDE.md §4).
    "warm-up": [ROUTINE],
    "a routine stretch": [ROUTINE, "no"],
    "the next routine stretch": [ROUTINE, "no", "ready"],
    "a routine stretch, paused": [ROUTINE, "no", "hang on"],
    "a seated stretch, another way": ["I can't stand", "no", "I can't do it"],
    "a seated stretch, skip it": ["I can't stand", "no", "I can't do it", "I can't do it"],
    "carry on the routine": [ROUTINE, "no", "ready", "stop", NEW_SESSION, "open cramp coach"],
    "remind me every night": [ROUTINE, "no", "ready", "ready", "ready", "ready"],
    "what time each night": ["remind me to stretch"],
    # The diary.
    "keep a diary": ["log a cramp in my left calf"],
    "stretches after a month of cramps": [
        "log a cramp in my calf",
        "yes",
        A_MONTH_OF_CRAMPS,
        "how many cramps have I had in the last 30 days",
    ],
    "delete everything": ["delete my data"],
    # Safety (GUIDE.md §3, §3a).
    "one muscle or the whole body": ["I think I'm having a seizure"],
    "anything else, under a caution": ["my calf is warm and puffy and red"],
    "anything else, after a doctor's advice": ["I get cramps every night"],
}
# Each class of answer, its phrasings (the first is used in every locale and time; all
# of them by day in en-US), and whether it may end the session at a given question.
CLASSES: dict[str, list[str]] = {
    "yes": ["yes", "yeah", "yes please"],
    "no": ["no", "nope", "not really"],
    "okay": ["okay", "ok", "alright"],
    "worse": ["it's worse", "it hurts more", "it's getting worse", "the pain is worse"],
    "can't": ["I can't do that", "I can't reach my toes", "I don't have a towel"],
    "what": ["what?", "pardon", "say that again"],
    "wait": ["hang on", "wait", "give me a minute", "hold on a sec"],
    "ending": [
        "thanks",
        "thank you",
        "goodnight",
        "I'm going back to sleep",
        "maybe later",
        "cheers",
    ],
    "done": ["done", "go on", "continue"],
    "nonsense": ["banana pancakes"],
}
# After "wait", each of these ends the pause.
PAUSE_ENDS = ("resume", "ready")
# Where "no" or "done" is the end of the conversation, and meant to be.
NO_ENDS = {
    "a few things to say",
    "stretch again",
    "tips",
    "anything else",
    "remind me every night",
    "anything else, under a caution",
    "anything else, after a doctor's advice",
}
DONE_ENDS = {
    "tips",
    "anything else",
    "anything else, under a caution",
    "anything else, after a doctor's advice",
}
# With nothing under way and only things to say offered, "go on" (and "done", the same
# words to Alexa) starts first aid: where is the cramp?
NOTHING_UNDER_WAY = {"a few things to say"}
# Where "yes" closes the session: the routine is over, the reminder set, it is bedtime.
YES_ENDS = {"remind me every night"}
# How "it's worse" starts: with a stretch under way, or not (first aid's rub and light
# steps are no stretch: tests below).
OPENERS = ("Ease off the stretch now. Let the leg rest.", "Let the leg rest.")
# Where no stretch can be under way, so "it's worse" gets the §3 check without "ease off
# the stretch" (nothing started yet, or it is over and the conversation moved on).
NO_STRETCH = {
    "where is it",
    "where in the leg",
    "front or back of the thigh",
    "calf or back of the thigh",
    "tips",
    "hear more",
    "anything else",
    "a few things to say",
    "what time each night",
    "keep a diary",
    "stretches after a month of cramps",
    "delete everything",
    "anything else, after a doctor's advice",
}
# Questions safety answers for itself (GUIDE.md §3, §3a; tests/test_safety.py): at the
# seizure question every answer but one muscle, the whole body or "what?" gets both ways
# out, the call first; under a caution every answer that could lead to a step, a hold or
# a tip gets the caution again (words not understood: "didn't catch that", then the
# caution). Not the fallback, and open.
SAFETY_ANSWERS: dict[str, tuple[str, set[str]]] = {
    "one muscle or the whole body": (
        "If the whole body is shaking, call",
        set(CLASSES) - {"what"},
    ),
    "anything else, under a caution": (
        "Please keep the leg still and raised.",
        {"yes", "okay", "worse", "can't", "done"},
    ),
}


@functools.cache
def understood(locale: str, text: str) -> Recognition:
    return for_locale(locale).understand(text, today=START.date())


def turn(talk: Conversation, text: str, after: timedelta | None = None) -> dict:
    """`Conversation.say`, with each phrase understood once per locale."""
    if text == NEW_SESSION:
        talk.new_session()
        return {}
    if text == LIGHT:
        return turn(talk, "the light is on") if talk.clock.hour < 6 else {}
    if text == A_MONTH_OF_CRAMPS:
        now = talk.clock.timestamp()
        for week in range(4):
            for day in (1, 3):
                entry = Entry(at=now - week * WEEK - day * 86400)
                talk.diary.add(talk.session.user_id, entry, now)
        return {}
    if text.startswith("@"):
        # An intent whose slot Alexa heard but could not place (no words give it here).
        talk.clock += talk.listening_time()
        return talk.say_intent(text[1:], {})
    talk.clock += after if after is not None else talk.listening_time()
    reading = understood(talk.locale, text)
    slots = {
        name: {"value": fill.value, **({"id": fill.id} if fill.id else {})}
        for name, fill in reading.slots.items()
    }
    request = request_for(reading, talk.locale, talk.clock)
    reply = send(talk.skill, talk.session, request, reading.intent, slots, talk.screen)
    talk.replies.append(reply)
    return reply


class Saved:
    """A conversation's place (session, stored profile, diary, clock), to answer from again."""

    def __init__(self, talk: Conversation) -> None:
        self.store = copy.deepcopy(talk.store._store)
        self.diary = copy.deepcopy(talk.diary._entries)
        self.session = (talk.session.session_id, copy.deepcopy(talk.session.attributes))
        self.clock = talk.clock
        self.last = talk.replies[-1]

    def restore(self, talk: Conversation) -> None:
        talk.store._store = copy.deepcopy(self.store)
        talk.diary._entries = copy.deepcopy(self.diary)
        talk.session.session_id, attributes = self.session
        talk.session.attributes = copy.deepcopy(attributes)
        talk.clock = self.clock
        talk.replies = [self.last]


def reach(locale: str, night: bool, question: str) -> tuple[Conversation, Saved]:
    talk = Conversation(locale=locale, start=NIGHT if night else START, settings=DIARY_ON)
    for step in QUESTIONS[question]:
        words, after = step if isinstance(step, tuple) else (step, None)
        turn(talk, words, after)
    assert not talk.replies[-1]["end_session"], (question, talk.replies[-1])
    return talk, Saved(talk)


def check(question: str, kind: str, words: str, talk: Conversation, awaited: str) -> None:
    """One answer to one question, as a person would judge it."""
    asked = talk.replies[-1]
    reply = turn(talk, words)
    where = (talk.locale, question, words, reply["speech"])
    speech = reply["speech"]
    safety, answered_by_safety = SAFETY_ANSWERS.get(question, ("", set()))
    if kind in answered_by_safety:
        assert speech.startswith(safety), where
        assert not reply["end_session"], where
        return
    if kind == "nonsense":
        assert reply["intent"] == FALLBACK, where
        assert speech.startswith(SORRY) or "I'll guide you for the calf" in speech, where
        assert not reply["end_session"], where
        return
    assert reply["intent"] != FALLBACK, where
    assert SORRY not in speech, where
    ends = (
        kind == "ending"
        or (kind == "yes" and question in YES_ENDS)
        or (kind == "no" and question in NO_ENDS)
        or (kind == "done" and question in DONE_ENDS)
    )
    assert reply["end_session"] is ends, where
    if kind == "ending":
        assert len(speech.split()) <= 5, where
    if kind == "done" and question not in NOTHING_UNDER_WAY:
        assert "Where is the cramp" not in speech, where
    if kind in ("yes", "no") and Awaiting(awaited) in YES_NO_QUESTIONS:
        # Taken as an answer: neither asked again nor met with "yes, or no?".
        assert not speech.startswith("Is that a yes"), where
        assert speech != asked["reprompt"], where
    if kind == "okay" and Awaiting(awaited) in YES_NO_QUESTIONS:
        assert speech.startswith("Is that a yes, or a no?"), where
    if kind == "worse":
        # Where no stretch is under way, "ease off the stretch" is not said.
        openers = ("Let the leg rest.",) if question in NO_STRETCH else OPENERS
        assert speech.startswith(openers), where
        assert "ten minutes" in speech and speech.endswith("hard, swollen or hot?"), where
    if kind == "can't":
        assert speech.startswith("That's fine"), where
    if kind == "what":
        assert reply["intent"] == "AMAZON.RepeatIntent", where
        # The question or the last instruction again, never a whole hold.
        assert "Starting now" not in speech, where
        assert speech == asked["speech"] or speech.endswith(asked["reprompt"]), where
    if kind == "wait":
        assert "take your time" in speech or speech.startswith("Paused before"), where
        paused = Saved(talk)
        for ends_pause in PAUSE_ENDS:
            paused.restore(talk)
            resumed = turn(talk, ends_pause)
            again = (*where, ends_pause, resumed["speech"])
            assert resumed["intent"] != FALLBACK and not resumed["end_session"], again
            assert "take your time" not in resumed["speech"], again
            assert not resumed["speech"].startswith("Paused before"), again
            if question.startswith("has it eased"):
                assert "Starting now" not in resumed["speech"], again


def walk(locale: str, night: bool, every_phrasing: bool) -> tuple[int, list[str]]:
    """How many answers were tried, and what was wrong with any (all of them, not only
    the first, so one run shows the whole picture)."""
    answered, wrong = 0, []
    for question in QUESTIONS:
        talk, saved = reach(locale, night, question)
        awaited = talk.state.get("awaiting", "")
        for kind, phrasings in CLASSES.items():
            for words in phrasings if every_phrasing else phrasings[:1]:
                saved.restore(talk)
                try:
                    check(question, kind, words, talk, awaited)
                except AssertionError as error:
                    wrong.append(str(error).splitlines()[0])
                answered += 1
    return answered, wrong


@pytest.mark.parametrize("night", [False, True], ids=["day", "night"])
@pytest.mark.parametrize("locale", LOCALES)
def test_every_question_has_an_answer_for_every_kind_of_reply(locale: str, night: bool) -> None:
    every = locale == "en-US" and not night
    answered, wrong = walk(locale, night, every)
    assert not wrong, "\n".join(wrong)
    assert answered >= len(QUESTIONS) * len(CLASSES)


def test_the_walk_reaches_every_question_the_state_can_name() -> None:
    """Every `Awaiting` value and every flow is a walked state, so a question added to
    the state cannot be left out. (An emergency's own answers, where every later turn is
    the call, are tests/test_emergency_state.py's; the seizure question is walked.)"""
    reached: set[tuple[str, str]] = set()
    for question in QUESTIONS:
        talk, _ = reach("en-US", False, question)
        reached.add((talk.state.get("flow", ""), talk.state.get("awaiting", "")))
    awaited = {awaiting for _, awaiting in reached}
    assert set(Awaiting) <= awaited, set(Awaiting) - awaited
    # Position is asked by first aid and by the routine alike; "nothing" in first aid
    # is a step's "say next when you're ready".
    assert {
        (Flow.FIRST_AID, Awaiting.POSITION),
        (Flow.ROUTINE, Awaiting.POSITION),
        (Flow.FIRST_AID, Awaiting.NOTHING),
    } <= reached
    flows = {flow for flow, _ in reached}
    assert set(Flow) <= flows, set(Flow) - flows


def question_sentence(template: str) -> re.Pattern[str]:
    """A content line's last question, as a pattern with its placeholders open."""
    asked = [s for s in re.split(r"(?<=[.?!])\s+", template) if s.endswith("?")][-1]
    parts = [re.escape(part) for part in re.split(r"\{[a-z_]+\}", asked)]
    return re.compile(".+?".join(parts))


# Lines with a question mark that are not a question of their own: "is that a yes, or a
# no?" re-asks whatever was asked (the walk's "okay" answers hear it everywhere).
NOT_QUESTIONS = {"lines.yes_or_no"}


def test_every_question_the_content_asks_is_walked() -> None:
    """Each line that asks something (by day, or its night form) ends a walked state's
    reply or reprompt, so a question added to the content cannot be left unwalked."""
    heard = []
    for night in (False, True):
        for question in QUESTIONS:
            talk, _ = reach("en-US", night, question)
            last = talk.replies[-1]
            heard.append(last["speech"] + " " + (last["reprompt"] or ""))
    said = "\n".join(heard)
    missing = [
        where
        for where, line in content_for("en-US").all_lines()
        if "?" in line.say
        and where not in NOT_QUESTIONS
        and not question_sentence(re.sub("[\ue000\ue001]", "", line.say)).search(said)
    ]
    assert not missing, missing


# ------------------------------------------------------------------ "say ..." hints
# A hint is what follows "say" up to the end of its sentence, split at "or" and commas,
# without what it is for ("next when you're ready", "skip to move on").
_HINT = re.compile(r"\b[Ss]ay,? ([^.?!]+)")
_PURPOSE = re.compile(r"(^| )(when|if|to|at|for (a|an|the|another)) .*$")
# Where each line with a hint is spoken: the turns that lead to it.
SPOKEN_AFTER: dict[str, list[str | tuple[str, timedelta]]] = {
    "ask_location_reprompt": ["open cramp coach"],
    "ask_thigh_part_reprompt": ["my thigh is cramping"],
    "ask_knee_part_reprompt": ["it's behind my knee"],
    "default_to_calf": ["open cramp coach", "I don't know"],
    "next_prompt": ["my calf is cramping", "ready", "no"],
    "step_reprompt": ["my calf is cramping", "ready", "no"],
    "position_prompt": ["my calf is cramping"],
    "position_prompt.night": ["my calf is cramping", "the light is on"],
    "anything_else": ["how do I prevent cramps", "no"],
    "position_reprompt": ["my calf is cramping"],
    "eased_reprompt": ["my calf is cramping", "ready"],
    "worse_check_reprompt": ["my calf is cramping", "ready", "it's worse"],
    "help_in_steps": ["my calf is cramping", "ready", "no", "help"],
    "help_in_routine": ["start my bedtime stretches", "no", "help"],
    "voice_unclear": ["open cramp coach", "@VoiceStyleIntent"],
    "fallback_menu": ["how do I prevent cramps", "no", "banana pancakes"],
    "paused": ["my calf is cramping", "ready", "hang on"],
    "diary_consent": ["log a cramp in my left calf"],
    "diary_consent_reprompt": ["log a cramp in my left calf"],
    "delete_reprompt": ["delete my data"],
    "preference_unclear": ["open cramp coach", "@SetPreferenceIntent"],
    "hold_again_offer": ["count thirty seconds"],
    "hold_again_reprompt": ["count thirty seconds"],
    "routine_intro": ["start my bedtime stretches"],
    "warm_up_reprompt": ["start my bedtime stretches"],
    "routine_position": ["start my bedtime stretches", "no"],
    "routine_paused": ["start my bedtime stretches", "no", "pause"],
    "routine_resume_reprompt": [
        "start my bedtime stretches",
        "no",
        "next",
        "stop",
        NEW_SESSION,
        "open cramp coach",
    ],
    "emergency_reprompt": ["I can't breathe"],
    "cant_routine_seated": [
        "start my bedtime stretches",
        "I can't stand",
        "no",
        "I can't do it",
        "I can't do it",
    ],
    "red_flag_extra.EVERY_NIGHT": ["I get cramps every night"],
    "caution_question": ["my calf is warm and puffy and red"],
    "reminder_which_time": ["remind me to stretch"],
    "reminder_offer_reprompt": [
        "start my bedtime stretches",
        "no",
        "next",
        "next",
        "next",
        "next",
    ],
}
# Not hints ("people say seizure or fit"), or spoken only after weeks of diary entries
# (tests/test_diary.py answers those questions).
HINTS_EXEMPT = {"seizure_question", "diary_frequent", "diary_routine_reprompt"}
# Questions whose every answer closes the session: the routine is over, it is bedtime.
LAST_QUESTIONS = {"reminder_offer_reprompt"}


def hints(text: str) -> list[str]:
    found = []
    for match in _HINT.finditer(text):
        for part in re.split(r",? or |, ", match.group(1)):
            hint = _PURPOSE.sub("", part.strip()).strip()
            if hint:
                found.append(hint)
    return found


def hinted_lines(locale: str) -> dict[str, list[str]]:
    content = content_for(locale)
    lines = {}
    for where, line in content.all_lines():
        key = where.removeprefix("lines.")
        found = hints(content.fill(line.say, **PLACEHOLDERS))
        if found:
            lines[key] = sorted(set(found))
    return lines


def test_hints_are_found() -> None:
    assert hints("Say next when you're ready, skip to move on, or pause.") == [
        "next",
        "skip",
        "pause",
    ]
    assert hints("Front or back of your thigh? Say front, or back.") == ["front", "back"]
    assert hints("Just say, start my bedtime stretches.") == ["start my bedtime stretches"]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_line_with_a_hint_says_where_it_is_spoken(locale: str) -> None:
    lines = set(hinted_lines(locale)) - HINTS_EXEMPT
    assert lines <= set(SPOKEN_AFTER), lines - set(SPOKEN_AFTER)


HINT_CASES = [
    (locale, key, hint)
    for locale in LOCALES
    for key, found in hinted_lines(locale).items()
    if key not in HINTS_EXEMPT
    for hint in found
]


@pytest.mark.parametrize(
    ("locale", "key", "hint"), HINT_CASES, ids=["-".join(case) for case in HINT_CASES]
)
def test_every_say_hint_works_where_it_is_spoken(locale: str, key: str, hint: str) -> None:
    talk = reach_by(locale, SPOKEN_AFTER[key], night=key.endswith(".night"))
    content = content_for(locale)
    spoken = talk.replies[-1]["speech"] + " " + (talk.replies[-1]["reprompt"] or "")
    lines = dict(content.all_lines())
    line = lines.get(f"lines.{key}") or lines[key]
    expected = content.fill(line.say, **PLACEHOLDERS).split(".")[0]
    assert re.sub("[\ue000\ue001]", "", expected) in spoken, (key, spoken)
    reply = turn(talk, hint)
    where = (locale, key, hint, reply["speech"])
    assert reply["intent"] != FALLBACK, where
    assert SORRY not in reply["speech"], where
    assert reply["end_session"] is (hint == "stop" or key in LAST_QUESTIONS), where


def reach_by(locale: str, steps: list[str | tuple[str, timedelta]], night: bool) -> Conversation:
    talk = Conversation(locale=locale, settings=DIARY_ON, start=NIGHT if night else START)
    for step in steps:
        words, after = step if isinstance(step, tuple) else (step, None)
        turn(talk, words, after)
    return talk


# ------------------------------------------------------------------ the words themselves
MAX_WORDS = 15


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", text) if s]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_content_sentence_is_at_most_fifteen_words(locale: str) -> None:
    content = content_for(locale)
    long = [
        (where, sentence)
        for where, line in content.all_lines()
        for text in (line.say, line.night)
        if text
        for sentence in sentences(content.fill(text, **PLACEHOLDERS))
        if len(sentence.split()) > MAX_WORDS
    ]
    assert not long, long


# ------------------------------------------------------------------ particular answers
Scenario = Callable[[Conversation], None]


def test_worse_stops_the_stretch_and_checks_the_warning_signs(talk: Conversation) -> None:
    talk.say("my calf is cramping")
    talk.say("ready")
    reply = talk.say("it hurts more")
    assert reply["speech"] == (
        "Ease off the stretch now. Let the leg rest. "
        "If the cramp lasts over ten minutes, get medical advice today. "
        "Is the leg very hard, swollen or hot?"
    )
    urgent = talk.say("yes")
    assert urgent["speech"].startswith("Then please get medical advice today.")
    assert "prevent" not in urgent["speech"]


def test_worse_but_not_hard_or_hot_rests_and_rubs_never_the_next_stretch(
    talk: Conversation,
) -> None:
    talk.say("my calf is cramping")
    talk.say("ready")
    talk.say("it's getting worse")
    reply = talk.say("no")
    assert reply["speech"] == (
        "Okay. Rest the leg. Rub it gently instead of stretching. Has it eased?"
    )
    assert "Straighten your leg" not in reply["speech"]
    for _ in range(4):
        reply = talk.say("no")
        assert "Straighten your leg" not in reply["speech"], reply["speech"]
    late = talk.say("no", after=timedelta(minutes=10))
    assert "medical advice today" in late["speech"] and "stretch" not in late["speech"]


def test_worse_in_the_routine_stops_it_for_tonight(talk: Conversation) -> None:
    talk.say("start my bedtime stretches")
    talk.say("no")
    talk.say("next")
    talk.say("that hurts")
    reply = talk.say("no")
    assert reply["end_session"] is True and "No more stretching tonight" in reply["speech"]


def test_cant_do_the_stretch_offers_another_way_then_waits(talk: Conversation) -> None:
    talk.say("my calf is cramping")
    reply = talk.say("I don't have a towel")
    assert reply["speech"].startswith("That's fine. Use your hand, or a belt around your foot.")
    assert reply["speech"].endswith("Say ready when you're in position.")
    assert "Starting now" in talk.say("ready")["speech"]


def test_cant_stand_during_first_aid_skips_the_standing_step(talk: Conversation) -> None:
    talk.say("my calf is cramping")
    talk.say("skip")
    talk.say("next")
    talk.say("next")
    reply = talk.say("I can't stand")
    assert reply["speech"] == "That's fine, we'll skip that. Has it eased?"
    assert talk.state["flow"] == "first_aid"


@pytest.mark.parametrize(
    ("words", "muscle"),
    [
        ("it is in my thigh", None),
        ("upper leg", None),
        ("my shin", "SHIN"),
        ("behind my knee", None),
        ("back of thigh", "BACK_THIGH"),
        ("front of thigh", "FRONT_THIGH"),
        ("it's the back of my thigh", "BACK_THIGH"),
        ("it is in my calf", "CALF"),
    ],
)
def test_places_are_heard_never_silently_the_calf(words: str, muscle: str | None) -> None:
    talk = Conversation()
    talk.say("open cramp coach")
    reply = talk.say(words)
    assert "I'll guide you for the calf" not in reply["speech"]
    if muscle is None:
        assert talk.state["awaiting"] == "part", reply["speech"]
    else:
        assert talk.state["muscle"] == muscle


@pytest.mark.parametrize(
    ("place", "answer", "muscle"),
    [
        ("my thigh is cramping", "front", "FRONT_THIGH"),
        ("my thigh is cramping", "the back", "BACK_THIGH"),
        ("my thigh is cramping", "back", "BACK_THIGH"),
        ("it's behind my knee", "calf", "CALF"),
        ("it's behind my knee", "my thigh", "BACK_THIGH"),
    ],
)
def test_which_part_is_answered(place: str, answer: str, muscle: str) -> None:
    talk = Conversation()
    talk.say(place)
    talk.say(answer)
    assert talk.state["muscle"] == muscle


def test_words_not_caught_at_where_is_it_say_so_before_the_calf(talk: Conversation) -> None:
    talk.say("open cramp coach")
    reply = talk.say("banana pancakes")
    assert reply["speech"].startswith("Sorry, I didn't catch that. I'll guide you for the calf")


def test_the_routine_place_after_stop_is_the_next_stretch(talk: Conversation) -> None:
    talk.say("start my bedtime stretches")
    talk.say("no")
    talk.say("next")
    talk.say("stop")
    talk.new_session()
    reply = talk.say("open cramp coach")
    assert reply["speech"].endswith("Shall we carry on with the right calf stretch?")


def test_a_stretch_stopped_part_way_is_offered_again(talk: Conversation) -> None:
    talk.say("start my bedtime stretches")
    talk.say("no")
    talk.say("next")
    talk.say("stop", after=timedelta(seconds=5))
    talk.new_session()
    reply = talk.say("open cramp coach")
    assert reply["speech"].endswith("Shall we carry on with the left calf stretch?")


def test_cant_stand_mid_routine_sits_at_the_same_place(talk: Conversation) -> None:
    talk.say("start my bedtime stretches")
    talk.say("no")
    talk.say("next")
    talk.say("next")
    reply = talk.say("I can't stand", after=timedelta(seconds=5))
    assert reply["speech"].startswith("Okay, sitting down instead. Now the right leg straight")
    assert "towel" in reply["speech"]
    assert talk.say("ready")["speech"].startswith("Hold it gently. Starting now.")


def test_okay_at_a_yes_or_no_question_asks_again(talk: Conversation) -> None:
    talk.say("my calf is cramping")
    talk.say("ready")
    reply = talk.say("ok")
    assert reply["speech"] == "Is that a yes, or a no? Has the cramp eased? Say yes or no."
    assert talk.state["awaiting"] == "eased"


def test_endings_close_with_a_short_goodbye(talk: Conversation) -> None:
    talk.say("my calf is cramping")
    talk.say("ready")
    talk.say("yes")
    for words in ("thanks", "goodnight", "I'm going back to sleep", "maybe later"):
        reply = Conversation().say(words)
        assert reply["end_session"] is True and reply["speech"] == "Okay. Rest well."
    assert talk.say("thank you")["speech"] == "Okay. Rest well."


def test_no_tip_offer_after_same_day_advice(talk: Conversation) -> None:
    reply = talk.say("my calf is red and swollen")
    assert "prevent" not in reply["speech"]
    # A possible clot leaves a caution: its question offers nothing but stopping.
    assert reply["speech"].endswith("Anything else? Or say stop.")


@pytest.mark.parametrize(
    ("turns", "stretch"),
    [
        (["my calf is cramping"], True),
        (["my calf is cramping", "ready"], True),
        (["my calf is cramping", "ready", "no"], False),
        (["my shin is cramping"], False),
        (["start my bedtime stretches", "no"], True),
        (["count thirty seconds"], True),
        (["open cramp coach"], False),
    ],
)
def test_ease_off_the_stretch_only_where_there_is_one(turns: list[str], stretch: bool) -> None:
    talk = Conversation()
    for words in turns:
        talk.say(words)
    reply = talk.say("it's getting worse")
    assert reply["speech"].startswith("Ease off the stretch now.") is stretch, reply["speech"]
    assert reply["speech"].endswith("Is the leg very hard, swollen or hot?")


def test_what_can_be_asked_is_offered_once_a_session(talk: Conversation) -> None:
    talk.say("how do I prevent cramps")
    assert talk.say("no")["speech"] == (
        "Anything else? You can ask how to prevent cramps, or say stop."
    )
    talk.say("what causes cramps")
    again = talk.say("no")
    assert again["speech"] == "Is there anything else?" and not again["end_session"]
    assert talk.say("no")["end_session"] is True


def test_what_after_words_not_caught_is_the_question_without_sorry(talk: Conversation) -> None:
    talk.say("my calf is cramping")
    talk.say("ready")
    assert talk.say("banana pancakes")["speech"].startswith(SORRY)
    assert talk.say("what?")["speech"] == "Has the cramp eased? Say yes or no."


def test_cant_do_the_stretch_twice_skips_it_and_at_night_nothing_stands() -> None:
    talk = Conversation(start=NIGHT)
    talk.say("the front of my thigh is cramping")
    talk.say("the light is on")
    other_way = talk.say("I can't reach my ankle")
    assert other_way["speech"].startswith("That's fine. Stay lying down.")
    assert "steady" not in other_way["speech"]
    skipped = talk.say("I can't do it")
    assert skipped["speech"].startswith("That's fine, we'll skip that. Now rub")
