"""Answers any question can get: "it's worse", "I can't do that", "okay", and goodbyes.

A person in pain answers the question in front of them in their own words, and none of
these may be met with the fallback or taken for a yes. Getting worse stops the stretch
and checks GUIDE.md §3 (ten minutes; a very hard, swollen or hot leg) before anything
else; "I can't" gets another way to do the same step, or skips it; thanks and goodnight
close the session.
"""

from __future__ import annotations

from ask_sdk_model import Response

from skill.handlers import first_aid, routine, safety
from skill.handlers.common import back_to_question, goodbye, pending_question
from skill.handlers.route import (
    CANT_DO,
    ENDING,
    NEXT,
    NO,
    OKAY,
    WORSE,
    YES,
    Route,
    awaiting,
    in_flow,
)
from skill.screen import YES_NO_BUTTONS, Screen
from skill.speech import Speech
from skill.state import CLOT, Awaiting, Flow
from skill.turn import Turn

SEATED_INTENT = routine.SEATED_INTENT
# Flows in which "it's worse" is about a stretch: every step of theirs is one.
STRETCHING = frozenset({Flow.ROUTINE, Flow.HOLD})
# First aid's questions before any step: where is it, which part of it.
NOT_YET_STRETCHING = frozenset({Awaiting.LOCATION, Awaiting.PART})


def worse(turn: Turn) -> Response:
    """Stop at once, then the §3 check: never on to the next stretch. "Ease off the
    stretch" only where there is one (first aid's stretch, a hold, the routine or its
    end), not at a rub, a light or a question before any step."""
    state = turn.state
    stretching = state.flow in STRETCHING or state.awaiting == Awaiting.REMINDER_OFFER
    if state.flow == Flow.FIRST_AID and state.awaiting not in NOT_YET_STRETCHING:
        stretching = first_aid.steps(turn)[state.step].hold
    if state.flow == Flow.ROUTINE:
        routine.keep_place(
            turn, routine.last_block(turn) if routine.interrupted(turn) else state.step
        )
    state.playing_until = None
    state.awaiting = Awaiting.WORSE_CHECK
    question = turn.line("worse_check")
    turn.show(
        Screen(
            title=turn.content.screen_line("app_title"), text=question, buttons=list(YES_NO_BUTTONS)
        )
    )
    speech = Speech(turn.line("worse_ease_off")) if stretching else Speech()
    speech.say(turn.line("worse_rest_leg")).say(turn.line("worse_ten_minutes")).say(question)
    return turn.ask(speech, Speech(turn.line("worse_check_reprompt")))


def worse_and_urgent(turn: Turn) -> Response:
    """A very hard, swollen or hot leg after it got worse: advice today (clinical.md §3),
    and, as for a red, swollen calf, no comfort step again this session (§3a)."""
    state = turn.state
    state.begin(Flow.NONE)
    safety.leave_caution(state, CLOT)
    state.cramp_started = None
    routine.forget_place(turn)
    speech = Speech(turn.line("worse_urgent"))
    state.awaiting = Awaiting.ANYTHING_ELSE
    question = turn.line("anything_else_short")
    return turn.ask(speech.say(question), Speech(question))


def worse_but_soft(turn: Turn) -> Response:
    """Not hard, swollen or hot: rest and rub, no stretching; the routine stops for tonight."""
    state = turn.state
    if state.flow == Flow.FIRST_AID and state.muscle and turn.content.has_first_aid(state.muscle):
        all_steps = first_aid.steps(turn)
        rub = next((i for i, step in enumerate(all_steps) if step.kind == "rub"), state.step)
        state.step = rub
        if first_aid.WORSE_MARK not in state.told:
            state.told.append(first_aid.WORSE_MARK)
        return first_aid.ask_if_eased(
            turn, Speech(turn.line_once("worse_rest", "worse_rest_again"))
        )
    if state.flow == Flow.ROUTINE:
        routine.forget_place(turn)
    state.begin(Flow.NONE)
    return goodbye(turn, Speech(turn.line("worse_rest_routine")))


def cant_do(turn: Turn) -> Response:
    """Another way to do the same step, or skip it; never the fallback."""
    state = turn.state
    if state.flow == Flow.ROUTINE:
        return routine.cant_do(turn)
    if state.flow != Flow.FIRST_AID or not turn.content.has_first_aid(state.muscle):
        return back_to_question(turn, Speech(turn.line("cant_other")))
    step = first_aid.steps(turn)[state.step]
    other_way = f"cant_stretch_{state.muscle}"
    # Another way once; asked again, the step is skipped rather than the same words said.
    mark = f"{other_way}:{state.step}"
    if step.hold and turn.content.has_line(other_way) and mark not in state.told:
        state.told.append(mark)
        return first_aid.ask_position(turn, Speech(turn.line(other_way)))
    speech = Speech(turn.line("cant_step"))
    if state.step >= len(first_aid.steps(turn)) - 1:
        return first_aid.ask_if_eased(turn, speech)
    state.step += 1
    return first_aid.say_step(turn, speech)


def yes_or_no(turn: Turn) -> Response:
    """ "Okay" to a yes/no question is neither: ask again rather than guess. So is
    "done" where only yes or no answers (a diary, a deletion, the §3 check)."""
    question = pending_question(turn)
    return turn.ask(Speech(turn.line("yes_or_no")).extend(question), question)


def ending(turn: Turn) -> Response:
    """Thanks, goodnight, back to sleep, maybe later: a short goodbye, session closed.
    A routine's place stays kept, so it can be resumed within the hour."""
    return goodbye(turn)


def not_safety(turn: Turn) -> bool:
    """After a warning sign, and at "one muscle or the whole body?", these words are
    not answers: the safety routes reply (GUIDE.md §3a)."""
    return turn.state.flow != Flow.SAFETY and turn.state.awaiting != Awaiting.SEIZURE_SCOPE


ROUTES = [
    Route(worse_and_urgent, [YES], when=awaiting(Awaiting.WORSE_CHECK)),
    Route(worse_but_soft, [NO], when=awaiting(Awaiting.WORSE_CHECK)),
    Route(worse, [WORSE], when=not_safety),
    Route(yes_or_no, [OKAY], when=not_safety),
    Route(
        yes_or_no,
        [NEXT],
        when=awaiting(
            Awaiting.DIARY_CONSENT,
            Awaiting.DELETE_CONFIRM,
            Awaiting.ROUTINE_OFFER,
            Awaiting.WORSE_CHECK,
            Awaiting.REMINDER_OFFER,
        ),
    ),
    Route(cant_do, [CANT_DO], when=not_safety),
    Route(cant_do, [SEATED_INTENT], when=in_flow(Flow.FIRST_AID)),
    Route(ending, [ENDING], when=not_safety),
]
