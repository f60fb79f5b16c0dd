"""The bedtime routine (clinical.md §4): calf and hamstring stretches, each leg, counted.

One block (a stretch on one leg: three 10-second holds with relax periods) per reply.
Alexa cannot tell the skill how far a reply had played when the user interrupted, so
the block is the unit of place: "pause" and "resume" restart the current block, and the
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
    LONGER_GET_READY_MS,
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
from skill.screen import step_screen, titled
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
    turn.state.step = 0
    return ask_ready(turn, speech)


def blocks(turn: Turn) -> tuple[Step, ...]:
    return turn.content.routine.blocks(turn.state.seated)


def say_block(turn: Turn, index: int, speech: Speech | None = None) -> Response:
    """One stretch on one leg: the instruction, then counted holds with relax between.

    Afterwards `state.step` is the next block, and `playing_until` says when this one
    should finish, so a "pause" that arrives earlier is known to have interrupted it.
    """
    state = turn.state
    routine = turn.content.routine
    index = min(max(index, 0), len(blocks(turn)) - 1)
    turn.show(step_screen(turn.content, blocks(turn)[index]))
    speech = (speech or Speech()).say(blocks(turn)[index].say)
    for rep in range(routine.reps):
        # The first hold of a block waits longer: getting to the wall, or sitting down.
        if rep:
            lead = lead_in(turn, "routine_again", GET_READY_MS)
        else:
            lead = lead_in(turn, "hold_cue", LONGER_GET_READY_MS)
        if rep:
            # The relax period runs from "and release" to "starting now", lead-in included.
            relax = Speech(turn.line("routine_relax"))
            speech.extend(relax).pause(
                routine.relax_seconds * 1000 - (relax.seconds + lead.seconds) * 1000
            )
        speech.extend(counted_hold(turn, routine.hold_seconds, lead))
    # Once played through, the place is the next block; `stop` and `pause` move it back
    # to this one when they interrupt it.
    keep_place(turn, index + 1)
    state.step = index + 1
    if state.step == len(blocks(turn)):
        forget_place(turn)
        return reminders.offer_after_routine(turn, speech)
    response = ask_ready(turn, speech)
    state.playing_until = turn.now + speech.seconds
    return response


def ask_ready(turn: Turn, speech: Speech) -> Response:
    """Wait for the user before the next block ("next", "yes", "skip")."""
    turn.state.awaiting = Awaiting.NOTHING
    turn.state.playing_until = None
    speech.say(turn.line("routine_ready", name=blocks(turn)[turn.state.step].name))
    return turn.ask(speech, Speech(turn.line("routine_ready_reprompt")))


def interrupted(turn: Turn) -> bool:
    """Did this request arrive while the last block was still playing?"""
    until = turn.state.playing_until
    return until is not None and turn.now < until


def last_block(turn: Turn) -> int:
    """The block most recently started."""
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
    return say_block(turn, turn.state.step, opening(turn))


def pause(turn: Turn) -> Response:
    """Keep the place: the interrupted block, or else the one the user was asked about."""
    state = turn.state
    if interrupted(turn):
        state.step = last_block(turn)
    state.awaiting = Awaiting.NOTHING
    state.playing_until = None
    keep_place(turn, state.step)
    paused = Speech(turn.line("routine_paused", name=blocks(turn)[state.step].name))
    return turn.ask(paused, paused)


def next_block(turn: Turn) -> Response:
    """ "Next", "skip", "yes" or "resume": the block at the place kept (after a pause, the
    paused one; after an interruption, the one after it, so it is skipped)."""
    return say_block(turn, turn.state.step)


def skip_block(turn: Turn) -> Response:
    """ "Skip": pass over the block just offered (or the one playing), and offer the next."""
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
    return ask_ready(turn, Speech())


def previous_block(turn: Turn) -> Response:
    back = 2 if interrupted(turn) else 1
    return say_block(turn, turn.state.step - back)


def again(turn: Turn) -> Response:
    """The block most recently started, once more."""
    return say_block(turn, last_block(turn))


def other_side(turn: Turn) -> Response:
    """The same stretch as the last block, on the other leg."""
    return say_block(turn, turn.content.routine.other_side(last_block(turn)))


def start_over(turn: Turn) -> Response:
    return say_block(turn, 0)


def sit_down(turn: Turn) -> Response:
    """Switch to the seated blocks, keeping the place."""
    state = turn.state
    state.seated = True
    if state.awaiting == Awaiting.WARM_UP_OFFER:
        return turn.ask(
            Speech(turn.line("routine_seated"), turn.line("warm_up_offer")),
            Speech(turn.line("warm_up_reprompt")),
        )
    if interrupted(turn):
        state.step = last_block(turn)
    return ask_ready(turn, Speech(turn.line("routine_seated")))


def skip_warm_up(turn: Turn) -> Response:
    return ask_ready(turn, Speech())


def decline_resume(turn: Turn) -> Response:
    """Not now: forget the old place and help with whatever they came for."""
    forget_place(turn)
    return first_aid.ask_where(turn, Speech())


ROUTES = [
    Route(warm_up, [YES], when=awaiting(Awaiting.WARM_UP_OFFER)),
    Route(skip_warm_up, [NO, NEXT], when=awaiting(Awaiting.WARM_UP_OFFER)),
    Route(resume_saved, [YES, NEXT, RESUME], when=awaiting(Awaiting.RESUME_OFFER)),
    Route(decline_resume, [NO], when=awaiting(Awaiting.RESUME_OFFER)),
    Route(sit_down, [SEATED_INTENT], when=in_flow(Flow.ROUTINE)),
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
