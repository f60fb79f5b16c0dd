"""Conversation state, explicit and serialisable.

Alexa keeps nothing between turns except the session attributes we send back, so the
whole conversation lives in one small dataclass that round-trips through JSON. Only
plain strings and numbers go in: the ASK samples' habit of caching speech objects breaks
after the JSON round trip.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, fields
from enum import StrEnum

log = logging.getLogger(__name__)

SESSION_KEY = "state"


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
    HOLD = "hold"
    EASED = "eased"
    RETRY = "retry"
    PREVENTION_OFFER = "prevention_offer"
    MORE = "more"
    HOLD_AGAIN = "hold_again"
    ANYTHING_ELSE = "anything_else"


@dataclass
class SessionState:
    """Everything the skill needs to remember within one session."""

    flow: Flow = Flow.NONE
    awaiting: Awaiting = Awaiting.NOTHING
    step: int = 0
    muscle: str | None = None
    side: str | None = None
    situation: str | None = None
    # When first aid began, from the request timestamp (epoch seconds): the 10-minute rule.
    cramp_started: float | None = None
    asked_location: bool = False
    topic: str | None = None
    more_index: int = 0
    hold_seconds: int | None = None
    disclaimer_given: bool = False
    last_ssml: str | None = None
    last_reprompt_ssml: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: object) -> SessionState:
        """Rebuild from session attributes; anything malformed starts a fresh state."""
        if not isinstance(data, dict):
            return cls()
        known = {f.name for f in fields(cls)}
        try:
            state = cls(**{key: value for key, value in data.items() if key in known})
            state.flow = Flow(state.flow)
            state.awaiting = Awaiting(state.awaiting)
            state.step = max(0, int(state.step))
            state.more_index = max(0, int(state.more_index))
        except (TypeError, ValueError):
            log.warning("discarding malformed session state: %r", data)
            return cls()
        return state

    def begin(self, flow: Flow) -> None:
        """Enter a flow at its start, keeping what matters across flows (timer, disclaimer)."""
        self.flow = flow
        self.step = 0
        self.awaiting = Awaiting.NOTHING
        self.topic = None
        self.more_index = 0
