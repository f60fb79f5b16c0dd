"""The bedtime routine (GUIDE.md §4): calf and hamstring stretches, 10 s holds, 3 per leg."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.handlers.holds import spoken_count
from skill.handlers.route import NEXT, PREVIOUS, START_OVER, YES, Route, in_flow
from skill.speech import Speech
from skill.state import Awaiting, Flow
from skill.turn import Turn


def start(turn: Turn) -> Response:
    turn.state.begin(Flow.ROUTINE)
    return say_step(turn, Speech(turn.line("routine_intro")))


def say_step(turn: Turn, speech: Speech | None = None) -> Response:
    """One stretch: the instruction, then each counted hold and relax period."""
    state = turn.state
    step = turn.content.routine[state.step]
    speech = (speech or Speech()).say(turn.content.fill(step.say))
    for _ in range(step.reps):
        speech.pause(1500).say(turn.line("routine_hold")).extend(spoken_count(step.hold_seconds))
        speech.say(turn.line("routine_relax")).pause(step.relax_seconds * 1000)
    if state.step == len(turn.content.routine) - 1:
        return turn.tell(speech.say(turn.line("routine_done")))
    state.awaiting = Awaiting.NOTHING
    return turn.ask(speech.say(turn.line("next_prompt")), Speech(turn.line("step_reprompt")))


def next_step(turn: Turn) -> Response:
    turn.state.step = min(turn.state.step + 1, len(turn.content.routine) - 1)
    return say_step(turn)


def previous_step(turn: Turn) -> Response:
    turn.state.step = max(turn.state.step - 1, 0)
    return say_step(turn)


def start_over(turn: Turn) -> Response:
    turn.state.step = 0
    return say_step(turn)


ROUTES = [
    Route(next_step, [NEXT, YES], when=in_flow(Flow.ROUTINE)),
    Route(previous_step, [PREVIOUS], when=in_flow(Flow.ROUTINE)),
    Route(start_over, [START_OVER], when=in_flow(Flow.ROUTINE)),
    Route(start, ["BedtimeRoutineIntent"]),
]
