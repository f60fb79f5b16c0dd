"""What every Alexa user expects to work anywhere: help, stop, repeat, go home, fallback."""

from __future__ import annotations

from ask_sdk_model import Response

from skill import intents
from skill.handlers import first_aid, routine
from skill.handlers.common import back_to_question, goodbye, opening
from skill.handlers.route import (
    FALLBACK,
    NEXT,
    NO,
    PAUSE,
    PREVIOUS,
    RESUME,
    START_OVER,
    YES,
    Route,
    awaiting,
)
from skill.profile import VoiceStyle
from skill.screen import Screen
from skill.speech import Speech
from skill.state import Awaiting, Flow, SessionState
from skill.turn import Turn


def launch(turn: Turn) -> Response:
    """Straight to help: the notice once, then where is the cramp. Not a menu.

    Soon after a paused bedtime routine, the question is whether to carry on instead.
    """
    speech = Speech(turn.line("greeting")).extend(opening(turn))
    if routine.has_recent_place(turn):
        return routine.offer_resume(turn, speech)
    return launch_with(turn, speech)


HELP_IN_FLOW = {Flow.FIRST_AID: "help_in_steps", Flow.ROUTINE: "help_in_routine"}


def help_(turn: Turn) -> Response:
    """What can be said here, then back to the pending question; else what the skill does."""
    in_flow = HELP_IN_FLOW.get(turn.state.flow)
    if in_flow and turn.state.last_question:
        return back_to_question(turn, Speech(turn.line(in_flow)))
    return launch_with(turn, Speech(turn.line("help_general")))


def launch_with(turn: Turn, speech: Speech | None = None) -> Response:
    """Say something, then ask where the cramp is."""
    return first_aid.ask_where(turn, speech or Speech())


def stop(turn: Turn) -> Response:
    """Stop always stops, at once, from anywhere. A routine stopped mid-stretch keeps
    that stretch as its place, so reopening offers it again, not the one after."""
    if turn.state.flow == Flow.ROUTINE and routine.interrupted(turn):
        routine.keep_place(turn, routine.last_block(turn))
    turn.state = SessionState()
    return turn.tell(Speech(turn.line("stopping")))


def fallback(turn: Turn) -> Response:
    """ "I didn't catch that", then the open question again; with none open, two or
    three things to say (never the whole menu)."""
    state = turn.state
    sorry = Speech(turn.line("fallback"))
    if state.flow in (Flow.NONE, Flow.INFO) and state.awaiting in OPEN_ENDED:
        state.begin(Flow.NONE)
        menu = turn.line("fallback_menu")
        return turn.ask(sorry.say(menu), Speech(menu))
    return back_to_question(turn, sorry)


# The fallback's "sorry", as a reply's recipe names it.
NOT_CAUGHT = ["line", "lines.fallback"]
# No question, or one that any request answers: the fallback offers a few requests.
OPEN_ENDED = frozenset({Awaiting.NOTHING, Awaiting.ANYTHING_ELSE})


def home(turn: Turn) -> Response:
    turn.state = SessionState(disclaimer_given=turn.state.disclaimer_given)
    return launch_with(turn)


def repeat(turn: Turn) -> Response:
    """The last reply again, rebuilt from the state; after a counted hold (which is not
    said again: "what?" must not start 30 seconds of counting) or words not caught (no
    "sorry" for a "what?") the question alone."""
    question = turn.said_again(turn.state.last_question)
    last = turn.state.last_said
    not_caught = last is not None and len(last) > 0 and last[0][:2] == NOT_CAUGHT
    said = (None if not_caught else turn.said_again(last)) or question
    if said is None:
        return launch(turn)
    return turn.replay(said, question)


def pause(turn: Turn) -> Response:
    """Wait without losing the question: "resume" asks it again, and "ready" or any
    answer to it carries on (the routine keeps its own place)."""
    paused = Speech(turn.line("paused"))
    turn.keeps_question = True  # "resume" then asks the question pending before
    if turn.state.last_screen:
        # The question's screen stays, its buttons meaning what their words mean now.
        turn.show(Screen.from_dict(turn.state.last_screen))
    return turn.ask(paused, paused)


def resume(turn: Turn) -> Response:
    """The open question again: never a whole hold, never "Okay, I'll wait" again. With
    nothing open and nothing to resume ("carry on" as a new session's first words), it is
    "next" with nothing under way."""
    if not turn.state.last_question:
        return nothing_pending(turn)
    return back_to_question(turn, Speech())


def set_voice(turn: Turn) -> Response:
    """ "Speak up", "quieter", "whisper", "normal": kept for this user, said in the new voice."""
    style = turn.slot("voice").id
    if style not in VoiceStyle.ALL:
        return back_to_question(turn, Speech(turn.line("voice_unclear")))
    turn.profile.voice = style
    return back_to_question(turn, Speech(turn.line(f"voice_{style.lower()}")))


def nothing_pending(turn: Turn) -> Response:
    """Yes, next and similar with no step or question to apply them to."""
    return launch_with(turn)


ROUTES = [
    Route(stop, [intents.STOP, intents.CANCEL]),
    Route(repeat, [intents.REPEAT]),
    Route(help_, [intents.HELP]),
    Route(home, [intents.NAVIGATE_HOME]),
    Route(set_voice, [intents.VOICE_STYLE]),
]
# After every conversation area has had its chance at the same words.
LAST_ROUTES = [
    Route(launch_with, [YES], when=awaiting(Awaiting.ANYTHING_ELSE)),
    Route(goodbye, [NO], when=awaiting(Awaiting.ANYTHING_ELSE)),
    # "Done" at the last question means finished; it never starts over.
    Route(goodbye, [NEXT], when=awaiting(Awaiting.ANYTHING_ELSE, Awaiting.PREVENTION_OFFER)),
    Route(goodbye, [NO]),
    Route(pause, [PAUSE]),
    Route(resume, [RESUME]),
    Route(nothing_pending, [YES, NEXT, PREVIOUS, START_OVER]),
    Route(fallback, [FALLBACK]),
]
# Intents from another skill's model, or none at all, get the fallback answer.
UNKNOWN_INTENT = Route(fallback, requests=["IntentRequest"])
