"""Conversation state, explicit and serialisable.

Alexa keeps nothing between turns except the session attributes we send back, so the
whole conversation lives in one small dataclass that round-trips through JSON. Only
plain strings and numbers go in: the ASK samples' habit of caching speech objects breaks
after the JSON round trip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from skill.record import Record

SESSION_KEY = "state"
# What a milder warning sign can rule out for the rest of a session (clinical.md §3a): the
# names skill/content gives its cautions (a possible clot, an injury, a pregnancy warning).
CAUTIONS = frozenset({"CLOT", "INJURY", "PREGNANCY"})


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
    last_ssml: str | None = None
    last_reprompt_ssml: str | None = None
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

    def validate(self) -> None:
        self.flow = Flow(self.flow)
        self.awaiting = Awaiting(self.awaiting)
        self.step = max(0, int(self.step))
        self.more_index = max(0, int(self.more_index))
        self.seated = bool(self.seated)
        if self.playing_until is not None:
            self.playing_until = float(self.playing_until)
        if self.cramp_started is not None:
            self.cramp_started = float(self.cramp_started)
        if self.emergency is not None:
            self.emergency = str(self.emergency)
            self.emergency_at = float(self.emergency_at or 0)
        if not isinstance(self.cautions, list):
            raise TypeError("cautions must be a list")
        self.cautions = [caution for caution in self.cautions if caution in CAUTIONS]
        if not isinstance(self.told, list) or not all(isinstance(k, str) for k in self.told):
            raise TypeError("told must be a list of content keys")
        for name in ("last_screen", "pending_entry"):
            if not isinstance(getattr(self, name), dict | None):
                raise TypeError(f"{name} must be an object")

    def begin(self, flow: Flow) -> None:
        """Enter a flow at its start, keeping what matters across flows (timer, disclaimer)."""
        self.flow = flow
        self.step = 0
        self.awaiting = Awaiting.NOTHING
        self.topic = None
        self.more_index = 0
        self.playing_until = None
