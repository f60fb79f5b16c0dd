"""Conversation state, explicit and serialisable.

Alexa keeps nothing between turns except the session attributes we send back, so the
whole conversation lives in one small dataclass that round-trips through JSON. Only
plain strings and numbers go in: the ASK samples' habit of caching speech objects breaks
after the JSON round trip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import cast

from skill.diary import Entry
from skill.profile import MAX_HOLD_SECONDS, MIN_HOLD_SECONDS
from skill.record import Record, flag, moment, one_of, optional_one_of, text, whole
from skill.screen import Screen
from skill.speech import MAX_RECIPE_PARTS

SESSION_KEY = "state"
# What a milder warning sign can rule out for the rest of a session (clinical.md §3a): the
# names skill/content gives its cautions (a possible clot, an injury, a pregnancy warning).
CLOT = "CLOT"
CAUTIONS = frozenset({CLOT, "INJURY", "PREGNANCY"})
# First aid starts at the calf when no muscle was named.
DEFAULT_MUSCLE = "CALF"
# No flow has anywhere near this many steps or items; validate() clamps to the real count.
MAX_INDEX = 100
# Bounds on what a client may send back: an id, a content key, and a list of them.
MAX_ID_CHARS = 40
MAX_KEY_CHARS = 80
MAX_LIST_ITEMS = 50
NIGHT = "NIGHT"


class Flow(StrEnum):
    """Which conversation the user is in."""

    NONE = ""
    FIRST_AID = "first_aid"
    ROUTINE = "routine"
    INFO = "info"
    HOLD = "hold"
    SAFETY = "safety"


class Awaiting(StrEnum):
    """The question the skill asked last, so "yes", "no" and "next" mean the right thing."""

    NOTHING = ""
    LOCATION = "location"
    EASED = "eased"
    RETRY = "retry"
    PREVENTION_OFFER = "prevention_offer"
    MORE = "more"
    HOLD_AGAIN = "hold_again"
    ANYTHING_ELSE = "anything_else"
    WARM_UP_OFFER = "warm_up_offer"
    RESUME_OFFER = "resume_offer"
    SEIZURE_SCOPE = "seizure_scope"
    DIARY_CONSENT = "diary_consent"
    DELETE_CONFIRM = "delete_confirm"
    ROUTINE_OFFER = "routine_offer"
    REMINDER_OFFER = "reminder_offer"
    # First aid: the stretch was described; the count starts when the user says "ready".
    POSITION = "position"
    # An unclear place ("thigh", "behind my knee"): which part of it?
    PART = "part"
    # It got worse: is the leg very hard, swollen or hot (GUIDE.md §3)?
    WORSE_CHECK = "worse_check"
    # "Remind me to stretch" without a time: what time each night?
    REMINDER_TIME = "reminder_time"


# Questions that "yes" and "no" answer: at these, "okay" is asked again, not guessed.
YES_NO_QUESTIONS = frozenset(
    {
        Awaiting.EASED,
        Awaiting.RETRY,
        Awaiting.PREVENTION_OFFER,
        Awaiting.MORE,
        Awaiting.HOLD_AGAIN,
        Awaiting.ANYTHING_ELSE,
        Awaiting.WARM_UP_OFFER,
        Awaiting.RESUME_OFFER,
        Awaiting.DIARY_CONSENT,
        Awaiting.DELETE_CONFIRM,
        Awaiting.ROUTINE_OFFER,
        Awaiting.WORSE_CHECK,
        Awaiting.REMINDER_OFFER,
    }
)


# Questions the routine asks before it starts; their answers read the step as a block.
ROUTINE_QUESTIONS = frozenset({Awaiting.WARM_UP_OFFER, Awaiting.RESUME_OFFER})


@dataclass
class SessionState(Record):
    """Everything the skill needs to remember within one session."""

    flow: Flow = Flow.NONE
    awaiting: Awaiting = Awaiting.NOTHING
    step: int = 0
    muscle: str | None = None
    side: str | None = None
    situation: str | None = None
    # When first aid began, from the request timestamp (epoch seconds): the 10-minute rule.
    cramp_started: float | None = None
    topic: str | None = None
    more_index: int = 0
    hold_seconds: int | None = None
    # The bedtime routine: its variant, and until when (epoch seconds) the block just
    # sent should still be playing, to tell an interruption from an answer.
    seated: bool = False
    playing_until: float | None = None
    disclaimer_given: bool = False
    # The last reply and its question as recipes (skill.speech.Speech.recipe: content
    # paths, values, pauses), so "repeat" and detours rebuild them; never markup.
    last_said: list | None = None
    last_question: list | None = None
    # The last screen shown (skill.screen.Screen as a dict), so "repeat" shows it again.
    last_screen: dict | None = None
    # A diary entry (skill.diary.Entry as a dict) waiting for the user's consent.
    pending_entry: dict | None = None
    # clinical.md §3a. After an emergency answer: its sign (a SYMPTOM id) and when (epoch
    # seconds). While set, skill.handlers.safety answers every request with the call.
    emergency: str | None = None
    emergency_at: float | None = None
    # The CAUTIONS in force: no comfort steps, holds, routine or tips while any is.
    cautions: list[str] = field(default_factory=list)
    # Content keys of advice already given this session, said shorter the second time.
    told: list[str] = field(default_factory=list)

    def check(self, name: str, value: object) -> object:
        """Each field as it comes back from the client: a known name, a number in range,
        a recipe of the right shape; anything else is refused (the field's default)."""
        known = known_ids()
        match name:
            case "flow":
                return Flow(cast(str, value))  # a ValueError for anything else
            case "awaiting":
                return Awaiting(cast(str, value))
            case "step" | "more_index":
                return whole(value, 0, MAX_INDEX)
            case "muscle":  # a muscle the content names (a part, such as THIGH, too)
                return optional_one_of(value, known.muscles)
            case "side":
                return optional_one_of(value, known.sides)
            case "situation":
                return optional_one_of(value, known.situations)
            case "topic":
                return optional_one_of(value, tuple(known.topics))
            case "hold_seconds":
                return None if value is None else whole(value, MIN_HOLD_SECONDS, MAX_HOLD_SECONDS)
            case "cramp_started" | "playing_until":
                return moment(value)
            case "seated" | "disclaimer_given":
                return flag(value)
            case "last_said" | "last_question":
                return None if value is None else recipe(value)
            case "last_screen":
                return None if value is None else Screen.from_dict(value).to_dict()
            case "pending_entry":
                return None if value is None else pending_entry(value, known)
            case "emergency":  # a SYMPTOM id; while set, the session answers with the call
                return None if value is None else text(value, MAX_ID_CHARS)
            case "emergency_at":
                return moment(value)
            case "cautions":
                return known_items(value, CAUTIONS)
            case "told":
                return [text(key, MAX_KEY_CHARS) for key in short_list(value)]
        return value

    def validate(self) -> None:
        """The step indexes the routine's blocks in the routine, and first aid's steps (for
        the muscle and situation) anywhere else, since first aid's answers ("try again",
        "has it eased?") can come from any flow; while one of the routine's own questions
        is open, it indexes both. Deeper items stay within the topic's."""
        known = known_ids()
        # A place without first aid of its own (the thigh, behind the knee) is kept only
        # while the skill asks which part of it; first aid needs a muscle it has steps for.
        if self.muscle not in known.first_aid_steps and self.awaiting != Awaiting.PART:
            self.muscle = None
        steps = known.first_aid_steps.get(
            self.muscle or DEFAULT_MUSCLE, known.first_aid_steps[DEFAULT_MUSCLE]
        )
        # At night the night steps come whatever the situation (content.first_aid_steps).
        extra = known.situation_steps.get(self.situation or "", 0)
        limit = steps + extra + known.situation_steps.get(NIGHT, 0)
        if self.flow == Flow.ROUTINE:
            limit = known.routine_blocks
        elif self.awaiting in ROUTINE_QUESTIONS:
            limit = min(limit, known.routine_blocks)
        self.step = min(self.step, limit - 1)
        if self.topic is not None:
            self.more_index = min(self.more_index, known.topics[self.topic])

    def begin(self, flow: Flow) -> None:
        """Enter a flow at its start, keeping what matters across flows (timer, disclaimer)."""
        self.flow = flow
        self.step = 0
        self.awaiting = Awaiting.NOTHING
        self.topic = None
        self.more_index = 0
        self.playing_until = None


@dataclass(frozen=True)
class KnownIds:
    """What the content names (the default locale's, which every locale shares): the
    values a state may hold, and how many steps each flow has."""

    muscles: frozenset[str]
    sides: frozenset[str]
    situations: frozenset[str]
    # Topic name -> how many deeper items it has.
    topics: dict[str, int]
    first_aid_steps: dict[str, int]
    # Situation -> how many steps it adds to first aid (before and after).
    situation_steps: dict[str, int]
    routine_blocks: int


@cache
def known_ids() -> KnownIds:
    from skill.content import DEFAULT_LOCALE, content_for

    content = content_for(DEFAULT_LOCALE)
    situations = content.situations()
    return KnownIds(
        muscles=frozenset(content.muscles()),
        sides=frozenset(content.sides()),
        situations=frozenset(situations),
        topics={name: len(content.topic(name).more) for name in content.topics()},
        first_aid_steps={
            muscle: len(content.first_aid_steps(muscle, None))
            for muscle in content.muscles()
            if content.has_first_aid(muscle)
        },
        situation_steps=situations,
        routine_blocks=min(len(content.routine.standing), len(content.routine.seated)),
    )


def short_list(value: object) -> list:
    if not isinstance(value, list) or len(value) > MAX_LIST_ITEMS:
        raise ValueError("not a short list")
    return value


def known_items(value: object, allowed: frozenset[str]) -> list[str]:
    """The list's known names, in order; anything else is dropped."""
    return [item for item in short_list(value) if isinstance(item, str) and item in allowed]


def recipe(value: object) -> list:
    """A reply's recipe, by shape only: a short list of [kind, ...] lists of plain values.
    Whether its paths and values fit the content is found when it is said again."""
    if not isinstance(value, list) or len(value) > MAX_RECIPE_PARTS:
        raise ValueError("not a short list of parts")
    for part in value:
        if not isinstance(part, list) or not part or not isinstance(part[0], str):
            raise ValueError("a part that is not a list")
    return value


def pending_entry(value: object, known: KnownIds) -> dict:
    entry = Entry.from_dict(value) if isinstance(value, dict) else None
    if entry is None:
        raise ValueError("not a diary entry")
    moment(entry.at)
    if entry.muscle is not None:
        one_of(entry.muscle, known.muscles)
    if entry.side is not None:
        one_of(entry.side, known.sides)
    return entry.to_dict()
