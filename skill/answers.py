"""Words whose meaning depends on the question just asked.

"Ready", "the light is on" and "done" all say the step is done: the same turn as "next";
"hang on" is "pause". After "take your time" at a yes/no question, "ready" or "go on"
is no answer to the question but the end of the pause: "resume", which asks it again.
Without a pause, "resume" at any question is "go on": Alexa hears "continue", "carry
on" and "keep going" as AMAZON.ResumeIntent, and asking the question again would loop.
With no question open (a new session) it stays "resume": the routine's saved place.
"Okay" answers a yes/no question with neither, so there the question is asked again;
anywhere else it means go on. "Skip" passes over a stretch (first aid, the routine);
anywhere else it is "next". Deciding this once, here, keeps every handler's table free
of synonyms and makes a tap, a typed word and a spoken one mean the same.
"""

from __future__ import annotations

from skill import intents
from skill.state import YES_NO_QUESTIONS, Awaiting, Flow, SessionState

NEXT = intents.NEXT
PAUSE = intents.PAUSE
RESUME = intents.RESUME
READY = intents.READY
WAIT = intents.WAIT
OKAY = intents.OKAY
SKIP = intents.SKIP


def meaning(intent: str, state: SessionState) -> str:
    """The intent a handler should see for `intent`, said in `state`."""
    if intent in (READY, NEXT):
        return RESUME if state.awaiting in YES_NO_QUESTIONS and paused(state) else NEXT
    if intent == RESUME and state.awaiting != Awaiting.NOTHING and not paused(state):
        return NEXT
    if intent == WAIT:
        return PAUSE
    if intent == OKAY:
        return OKAY if state.awaiting in YES_NO_QUESTIONS else NEXT
    if intent == SKIP:
        skippable = state.flow == Flow.ROUTINE or state.awaiting == Awaiting.POSITION
        return SKIP if skippable else NEXT
    return intent


# The pause lines, as a reply's recipe names them: the general one
# (skill.handlers.navigation.pause) and the routine's (skill.handlers.routine.pause).
PAUSED = (["line", "lines.paused"], ["line", "lines.routine_paused"])


def paused(state: SessionState) -> bool:
    """Was the last reply a pause ("take your time"), and nothing else?"""
    said = state.last_said
    return said is not None and len(said) == 1 and said[0][:2] in PAUSED
