"""The bedtime routine (clinical.md §4): calf and hamstring stretches, each leg, counted.

A block is a stretch on one leg. It is described and waits for "ready"; then one reply
counts its three 10-second holds with relax periods and describes the next block. Alexa
cannot tell the skill how far a reply had played when the user interrupted, so the
block is the unit of place: "pause" and "resume" restart the current block, and the
place is also kept in the profile so "resume" works in a later session. The place kept
is the next block to do: a finished block is never offered again, an interrupted one is.
"""

from __future__ import annotations

from ask_sdk_model import Response

from skill import intents
from skill.content import Step
from skill.handlers import first_aid, reminders
from skill.handlers.common import opening
from skill.handlers.holds import (
    AGAIN_INTENT,
    GET_READY_MS,
    OTHER_SIDE_INTENT,
    counted_hold,
    lead_in,
)
from skill.handlers.route import (
    NEXT,
    NO,
    PAUSE,
    PREVIOUS,
    RESUME,
    SKIP,
    START_OVER,
    YES,
    Route,
    awaiting,
    in_flow,
)
from skill.screen import POSITION_BUTTONS, step_screen, titled
from skill.speech import Speech
from skill.state import Awaiting, Flow
from skill.turn import Turn

ROUTINE_INTENT = intents.BEDTIME_ROUTINE
SEATED_INTENT = intents.SEATED_ROUTINE
# A paused routine is offered again for this long; after that it is a new evening.
RESUME_WINDOW_SECONDS = 60 * 60


def start(turn: Turn) -> Response:
    """Introduce the routine and offer the optional warm-up."""
    state = turn.state
    state.begin(Flow.ROUTINE)
    state.seated = turn.intent == SEATED_INTENT
    state.awaiting = Awaiting.WARM_UP_OFFER
    speech = opening(turn).say(turn.line("routine_intro"))
    if state.seated:
        speech.say(turn.line("routine_seated"))
    speech.say(turn.line("warm_up_offer"))
    return turn.ask(speech, Speech(turn.line("warm_up_reprompt")))


def warm_up(turn: Turn) -> Response:
    """A timed warm-up (clinical.md §4: a few minutes of easy walking or cycling)."""
    seconds = turn.content.routine.warm_up_seconds
    turn.show(titled(turn.content, "warm_up"))
    speech = Speech(turn.line("warm_up_start"))
    speech.pause(seconds * 500).say(turn.line("warm_up_halfway")).pause(seconds * 500)
    speech.say(turn.line("warm_up_done"))
    return describe(turn, 0, speech)


def blocks(turn: Turn) -> tuple[Step, ...]:
    return turn.content.routine.blocks(turn.state.seated)


def describe(turn: Turn, index: int, speech: Speech | None = None) -> Response:
    """One stretch on one leg, described; the count waits for "ready".

    Getting to the wall, or down onto the floor with a towel, takes as long as it takes
    (longer at night), and a count that starts before the person is in position is no
    help: as a workout skill waits for "ready", so does this. The reprompt is the
    instruction itself, so "what?" after a count says the stretch again, never a hold.
    """
    state = turn.state
    index = min(max(index, 0), len(blocks(turn)) - 1)
    block = blocks(turn)[index]
    state.step = index
    state.awaiting = Awaiting.POSITION
    state.playing_until = None
    turn.show(step_screen(turn.content, block, POSITION_BUTTONS))
    instruction = turn.content.fill(block.say)
    speech = (speech or Speech()).say(instruction).say(turn.line("routine_position"))
    return turn.ask(speech, Speech(instruction, turn.line("position_reprompt")))


def count_block(turn: Turn) -> Response:
    """In position: the block's counted holds with relax between, then the next stretch
    described (or, after the last, the reminder offer).

    Afterwards `state.step` is the next block, and `playing_until` says when the holds
    should finish, so a "pause" or "stop" that arrives earlier is known to have cut this
    block short (and it is the place kept), while one during the next description is not.
    """
    state = turn.state
    routine = turn.content.routine
    index = min(state.step, len(blocks(turn)) - 1)
    # The screen counts down this block's holds; its hint is the next stretch.
    screen = step_screen(turn.content, blocks(turn)[index], POSITION_BUTTONS)
    turn.show(screen)
    speech = Speech()
    for rep in range(routine.reps):
        # The first hold starts at once: the person said they are in position.
        lead = Speech(turn.line("hold_start"))
        if rep:
            lead = lead_in(turn, "routine_again", GET_READY_MS)
            # The relax period runs from "and release" to "starting now", lead-in included.
            relax = Speech(turn.line("routine_relax"))
            speech.extend(relax).pause(
                routine.relax_seconds * 1000 - (relax.seconds + lead.seconds) * 1000
            )
        speech.extend(counted_hold(turn, routine.hold_seconds, lead))
    # Once played through, the place is the next block; `stop` and `pause` move it back
    # to this one when they interrupt it.
    keep_place(turn, index + 1)
    if index + 1 == len(blocks(turn)):
        forget_place(turn)
        return reminders.offer_after_routine(turn, speech)
    playing_until = turn.now + speech.seconds
    response = describe(turn, index + 1, speech)
    turn.show(screen)
    state.playing_until = playing_until
    return response


def ready(turn: Turn) -> Response:
    """ "Ready", "yes", "go", "okay" or a tap on Ready: count the stretch described. Said
    while the last holds still played, the next stretch has not been heard: describe it."""
    if interrupted(turn):
        return describe(turn, turn.state.step)
    return count_block(turn)


def interrupted(turn: Turn) -> bool:
    """Did this request arrive while the last block was still playing?"""
    until = turn.state.playing_until
    return until is not None and turn.now < until


def last_block(turn: Turn) -> int:
    """The block most recently counted (or being counted)."""
    return max(turn.state.step - 1, 0)


def keep_place(turn: Turn, index: int) -> None:
    """Remember the block to start from after a pause, a stop or a lost session."""
    profile = turn.profile
    profile.routine_block = index
    profile.routine_seated = turn.state.seated
    profile.routine_saved_at = turn.now


def forget_place(turn: Turn) -> None:
    turn.profile.routine_block = None
    turn.profile.routine_saved_at = None


def has_recent_place(turn: Turn) -> bool:
    profile = turn.profile
    if profile.routine_block is None or profile.routine_saved_at is None:
        return False
    return 0 <= turn.now - profile.routine_saved_at <= RESUME_WINDOW_SECONDS


def restore_place(turn: Turn) -> None:
    state = turn.state
    state.begin(Flow.ROUTINE)
    state.seated = turn.profile.routine_seated
    state.step = min(turn.profile.routine_block or 0, len(blocks(turn)) - 1)


def offer_resume(turn: Turn, speech: Speech) -> Response:
    """On opening the skill soon after a pause: offer to carry on."""
    restore_place(turn)
    turn.state.awaiting = Awaiting.RESUME_OFFER
    name = blocks(turn)[turn.state.step].name
    speech.say(turn.line("routine_resume_offer", name=name))
    return turn.ask(speech, Speech(turn.line("routine_resume_reprompt")))


def resume_saved(turn: Turn) -> Response:
    """ "Resume" in a new session, or yes to the offer: carry on where it stopped."""
    restore_place(turn)
    return describe(turn, turn.state.step, opening(turn))


def pause(turn: Turn) -> Response:
    """Keep the place: the interrupted block, or else the one described. "Ready" then
    counts it, as it would have before the pause; "resume" describes it again."""
    state = turn.state
    if interrupted(turn):
        state.step = last_block(turn)
    state.awaiting = Awaiting.POSITION
    state.playing_until = None
    keep_place(turn, state.step)
    turn.show(step_screen(turn.content, blocks(turn)[state.step], POSITION_BUTTONS))
    paused = Speech(turn.line("routine_paused", name=blocks(turn)[state.step].name))
    return turn.ask(paused, paused)


def next_block(turn: Turn) -> Response:
    """ "Resume", or "next" with no stretch waiting: the block at the place kept (after a
    pause, the paused one; after an interruption, the one after it), described."""
    return describe(turn, turn.state.step)


def skip_block(turn: Turn) -> Response:
    """ "Skip": pass over the stretch described (or the one playing): the next, described."""
    state = turn.state
    if state.awaiting == Awaiting.WARM_UP_OFFER:
        return skip_warm_up(turn)
    if not interrupted(turn):
        state.step += 1
    if state.step >= len(blocks(turn)):
        forget_place(turn)
        state.begin(Flow.NONE)
        return turn.tell(Speech(turn.line("routine_done")))
    keep_place(turn, state.step)
    return describe(turn, state.step)


def previous_block(turn: Turn) -> Response:
    back = 2 if interrupted(turn) else 1
    return describe(turn, turn.state.step - back)


def again(turn: Turn) -> Response:
    """The block most recently counted, once more."""
    return describe(turn, last_block(turn))


def other_side(turn: Turn) -> Response:
    """The same stretch as the last block, on the other leg."""
    return describe(turn, turn.content.routine.other_side(last_block(turn)))


def start_over(turn: Turn) -> Response:
    return describe(turn, 0)


def sit_down(turn: Turn, speech: Speech | None = None) -> Response:
    """Switch to the seated blocks, keeping the place."""
    state = turn.state
    state.seated = True
    speech = speech or Speech(turn.line("routine_seated"))
    if state.awaiting == Awaiting.WARM_UP_OFFER:
        return turn.ask(
            speech.say(turn.line("warm_up_offer")), Speech(turn.line("warm_up_reprompt"))
        )
    if interrupted(turn):
        state.step = last_block(turn)
    if turn.profile.routine_block is not None:
        keep_place(turn, state.step)  # a place kept is resumed seated too
    return describe(turn, state.step, speech)


def cant_do(turn: Turn) -> Response:
    """ "I can't do that": the seated version of a standing stretch; seated, another way
    to do it (a belt or the hand for the towel; toes pulled for the hamstring); asked again,
    skip it or stop. Never the fallback, never the next stretch unasked."""
    state = turn.state
    if state.awaiting == Awaiting.WARM_UP_OFFER:
        return describe(turn, 0, Speech(turn.line("cant_other")))
    if not state.seated:
        return sit_down(turn, Speech(turn.line("cant_routine")))
    if interrupted(turn):
        state.step = last_block(turn)
    index = min(state.step, len(blocks(turn)) - 1)
    block = blocks(turn)[index]
    mark = f"cant:{block.kind}"
    other_way = f"cant_routine_{block.kind.split('_')[0]}"
    state.awaiting = Awaiting.POSITION
    state.playing_until = None
    if mark in state.told or not turn.content.has_line(other_way):
        question = Speech(turn.line("cant_routine_seated"))
        return turn.ask(question, question)
    state.told.append(mark)
    turn.show(step_screen(turn.content, block, POSITION_BUTTONS))
    instead = Speech(turn.line(other_way))
    speech = Speech(turn.line(other_way), turn.line("routine_position"))
    return turn.ask(speech, instead.say(turn.line("position_reprompt")))


def skip_warm_up(turn: Turn) -> Response:
    return describe(turn, 0)


def decline_resume(turn: Turn) -> Response:
    """Not now: forget the old place and help with whatever they came for."""
    forget_place(turn)
    return first_aid.ask_where(turn, Speech())


def at_position(turn: Turn) -> bool:
    """A stretch of the routine was described and waits for "ready"."""
    return turn.state.flow == Flow.ROUTINE and turn.state.awaiting == Awaiting.POSITION


ROUTES = [
    Route(warm_up, [YES], when=awaiting(Awaiting.WARM_UP_OFFER)),
    Route(skip_warm_up, [NO, NEXT], when=awaiting(Awaiting.WARM_UP_OFFER)),
    Route(resume_saved, [YES, NEXT, RESUME], when=awaiting(Awaiting.RESUME_OFFER)),
    Route(decline_resume, [NO], when=awaiting(Awaiting.RESUME_OFFER)),
    Route(sit_down, [SEATED_INTENT], when=in_flow(Flow.ROUTINE)),
    Route(ready, [NEXT, YES], when=at_position),
    Route(pause, [PAUSE, NO], when=in_flow(Flow.ROUTINE)),
    Route(skip_block, [SKIP], when=in_flow(Flow.ROUTINE)),
    Route(next_block, [NEXT, YES, RESUME], when=in_flow(Flow.ROUTINE)),
    Route(previous_block, [PREVIOUS], when=in_flow(Flow.ROUTINE)),
    Route(start_over, [START_OVER], when=in_flow(Flow.ROUTINE)),
    Route(again, [AGAIN_INTENT], when=in_flow(Flow.ROUTINE)),
    Route(other_side, [OTHER_SIDE_INTENT], when=in_flow(Flow.ROUTINE)),
    Route(resume_saved, [RESUME], when=has_recent_place),
    Route(start, [ROUTINE_INTENT, SEATED_INTENT]),
]
