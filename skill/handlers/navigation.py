"""What every Alexa user expects to work anywhere: help, stop, repeat, go home, fallback."""

from __future__ import annotations

from ask_sdk_model import Response

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
    """Stop always stops, at once, from anywhere."""
    turn.state = SessionState()
    return turn.tell(Speech(turn.line("stopping")))


def fallback(turn: Turn) -> Response:
    """One sentence of what the skill can do, then back to the open question."""
    return back_to_question(turn, Speech(turn.line("fallback")))


def home(turn: Turn) -> Response:
    turn.state = SessionState(disclaimer_given=turn.state.disclaimer_given)
    return launch_with(turn)


def repeat(turn: Turn) -> Response:
    """The last reply again, rebuilt from the state; after a counted hold (which is not
    said again: "what?" must not start 30 seconds of counting) the question alone."""
    question = turn.said_again(turn.state.last_question)
    said = turn.said_again(turn.state.last_said) or question
    if said is None:
        return launch(turn)
    return turn.replay(said, question)


def pause(turn: Turn) -> Response:
    """Keep the place; the next "resume" picks up the current step (the routine has its own)."""
    paused = Speech(turn.line("paused"))
    turn.keeps_question = True  # "resume" then asks the question pending before
    return turn.ask(paused, Speech(turn.line("paused")))


def resume(turn: Turn) -> Response:
    """A first-aid instruction again; once it has been done (the question "has it
    eased?" is pending), the question alone: never the counted hold again."""
    state = turn.state
    if state.flow == Flow.FIRST_AID and state.muscle and state.awaiting != Awaiting.EASED:
        return first_aid.say_step(turn)
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
    Route(stop, ["AMAZON.StopIntent", "AMAZON.CancelIntent"]),
    Route(repeat, ["AMAZON.RepeatIntent"]),
    Route(help_, ["AMAZON.HelpIntent"]),
    Route(home, ["AMAZON.NavigateHomeIntent"]),
    Route(set_voice, ["VoiceStyleIntent"]),
]
# After every conversation area has had its chance at the same words.
LAST_ROUTES = [
    Route(launch_with, [YES], when=awaiting(Awaiting.ANYTHING_ELSE)),
    Route(goodbye, [NO], when=awaiting(Awaiting.ANYTHING_ELSE)),
    Route(goodbye, [NO]),
    Route(pause, [PAUSE]),
    Route(resume, [RESUME]),
    Route(nothing_pending, [YES, NEXT, PREVIOUS, START_OVER]),
    Route(fallback, [FALLBACK]),
]
# Intents from another skill's model, or none at all, get the fallback answer.
UNKNOWN_INTENT = Route(fallback, requests=["IntentRequest"])
