"""First aid for a cramp happening now: one short step per turn, clinical.md section 1.

The flow: where is it (asked once, then the calf by default) → the muscle's steps,
adapted to the situation → a counted hold on each stretch → "has it eased?" → after-care,
or another round, and past ten minutes the advice to get help today (section 3).
"""

from __future__ import annotations

from ask_sdk_model import Response

from skill import intents
from skill.content import Step
from skill.handlers import info
from skill.handlers.common import goodbye, opening
from skill.handlers.holds import (
    AGAIN_INTENT,
    HOLD_INTENT,
    OTHER_SIDE_INTENT,
    clamp_hold,
    counted_hold,
    requested_seconds,
)
from skill.handlers.route import (
    FALLBACK,
    NEXT,
    NO,
    PREVIOUS,
    START_OVER,
    YES,
    Route,
    awaiting,
    in_flow,
)
from skill.screen import EASED_BUTTONS, step_screen
from skill.speech import Speech
from skill.state import Awaiting, Flow
from skill.turn import Turn

CRAMP_NOW = intents.CRAMP_NOW
EASED = intents.CRAMP_EASED
STILL = intents.STILL_CRAMPING
DEFAULT_MUSCLE = "CALF"
NIGHT = "NIGHT"
# clinical.md §1: a gentle counted 20-30 s hold, then ask whether it is better.
FIRST_AID_HOLD_RANGE = (20, 30)
# clinical.md §3: a cramp lasting over 10 minutes despite stretching needs advice today.
LONG_CRAMP_SECONDS = 10 * 60


def steps(turn: Turn) -> list[Step]:
    """The muscle's steps for the situation; at night the night steps too, whatever the
    situation named (clinical.md §6)."""
    state = turn.state
    muscle = state.muscle or DEFAULT_MUSCLE
    return turn.content.first_aid_steps(muscle, state.situation, night=turn.is_night)


def cramp_now(turn: Turn) -> Response:
    """A cramp is happening: start the steps, or ask where it is (once)."""
    state = turn.state
    muscle = turn.slot("muscle").id
    state.side = turn.slot("side").id or state.side
    state.situation = turn.slot("situation").id or state.situation
    if muscle is not None and turn.content.has_first_aid(muscle):
        return start(turn, muscle, Speech())
    if state.awaiting == Awaiting.LOCATION:
        return location_unclear(turn)
    question = "ask_location_in_leg" if muscle == "LEG" else "ask_location"
    return ask_where(turn, opening(turn), question)


def ask_where(turn: Turn, speech: Speech, question: str = "ask_location") -> Response:
    """Ask where the cramp is; the next unclear answer gets the calf (asked only once)."""
    state = turn.state
    state.begin(Flow.FIRST_AID)
    state.awaiting = Awaiting.LOCATION
    speech.say(turn.line(question))
    return turn.ask(speech, Speech(turn.line("ask_location_reprompt")))


def location_unclear(turn: Turn) -> Response:
    """clinical.md §1 and N3: the calf is the most common place, so guide for it and say so."""
    return start(turn, DEFAULT_MUSCLE, Speech(turn.line("default_to_calf")))


def start(turn: Turn, muscle: str, preface: Speech) -> Response:
    state = turn.state
    state.begin(Flow.FIRST_AID)
    state.muscle = muscle
    # clinical.md §6: at night, light on and hold something steady before standing.
    if state.situation is None and turn.is_night:
        state.situation = NIGHT
    if state.cramp_started is None:
        state.cramp_started = turn.now
    speech = opening(turn).extend(preface)
    speech.say(turn.line("first_aid_intro", muscle=turn.content.muscle_name(muscle)))
    if muscle == "FRONT_THIGH":
        speech.say(turn.line("thigh_hint"))
    return say_step(turn, speech)


def say_step(turn: Turn, speech: Speech | None = None) -> Response:
    """The current step and its question: a hold offer, "next", or "has it eased?"."""
    state = turn.state
    all_steps = steps(turn)
    state.step = min(state.step, len(all_steps) - 1)
    step = all_steps[state.step]
    speech = (speech or Speech()).say(turn.content.fill(step.say))
    if step.hold:
        turn.show(step_screen(turn.content, step, EASED_BUTTONS))
        return ask_if_eased(turn, speech.extend(counted_hold(turn, first_aid_seconds(turn))))
    if state.step == len(all_steps) - 1:
        turn.show(step_screen(turn.content, step, EASED_BUTTONS))
        return ask_if_eased(turn, speech)
    turn.show(step_screen(turn.content, step))
    state.awaiting = Awaiting.NOTHING
    return turn.ask(speech.say(turn.line("next_prompt")), Speech(turn.line("step_reprompt")))


def ask_if_eased(turn: Turn, speech: Speech) -> Response:
    turn.state.awaiting = Awaiting.EASED
    speech.say(turn.line("eased_question"))
    return turn.ask(speech, Speech(turn.line("eased_reprompt")))


def next_step(turn: Turn) -> Response:
    state = turn.state
    if state.step >= len(steps(turn)) - 1:
        return ask_if_eased(turn, Speech())
    state.step += 1
    return say_step(turn)


def previous_step(turn: Turn) -> Response:
    state = turn.state
    if state.step == 0:
        return say_step(turn, Speech(turn.line("first_step")))
    state.step -= 1
    return say_step(turn)


def start_over(turn: Turn) -> Response:
    turn.state.step = 0
    return say_step(turn)


def first_aid_seconds(turn: Turn) -> int:
    """The user's hold length, kept within clinical.md §1's 20-30 s for a cramp."""
    low, high = FIRST_AID_HOLD_RANGE
    return min(high, max(low, turn.profile.hold_seconds))


def hold(turn: Turn) -> Response:
    """ "Count for me" during first aid: count the stretch (as long as asked), then ask."""
    seconds, correction = clamp_hold(turn, requested_seconds(turn), first_aid_seconds(turn))
    stretch = steps(turn)[hold_step(turn)]
    turn.show(step_screen(turn.content, stretch, EASED_BUTTONS))
    speech = correction.say(turn.content.fill(stretch.say))
    return ask_if_eased(turn, speech.extend(counted_hold(turn, seconds)))


def hold_step(turn: Turn) -> int:
    """The current step if it is a stretch, else the muscle's stretch."""
    all_steps = steps(turn)
    if all_steps[turn.state.step].hold:
        return turn.state.step
    return next((i for i, step in enumerate(all_steps) if step.hold), 0)


def other_leg(turn: Turn) -> Response:
    """The cramp has moved to the other leg: the same steps from the stretch."""
    state = turn.state
    state.side = {"LEFT": "RIGHT", "RIGHT": "LEFT"}.get(state.side or "", state.side)
    state.step = hold_step(turn)
    return say_step(turn, Speech(turn.line("hold_other_leg")))


def eased(turn: Turn) -> Response:
    """After-care (clinical.md §1, §6), then an offer of prevention tips."""
    state = turn.state
    state.begin(Flow.NONE)
    state.cramp_started = None
    state.awaiting = Awaiting.PREVENTION_OFFER
    speech = Speech(turn.line("after_care"), turn.line("after_care_doctor"))
    offer = turn.line("prevention_offer")
    return turn.ask(speech.say(offer), Speech(offer))


def not_eased(turn: Turn) -> Response:
    """Keep going: the next step if there is one, else another round; past 10 minutes, help."""
    state = turn.state
    if state.flow != Flow.FIRST_AID:
        return cramp_now(turn)
    if state.cramp_started is not None and turn.now - state.cramp_started >= LONG_CRAMP_SECONDS:
        state.awaiting = Awaiting.RETRY
        offer = turn.line("retry_offer")
        return turn.ask(Speech(turn.line("over_ten_minutes"), offer), Speech(offer))
    if state.step < len(steps(turn)) - 1:
        state.step += 1
        return say_step(turn)
    return retry(turn)


def retry(turn: Turn) -> Response:
    """Back to the stretch, skipping situation preambles such as turning on a light."""
    turn.state.step = hold_step(turn)
    return say_step(turn, Speech(turn.line("try_again")))


def prevention_offer_accepted(turn: Turn) -> Response:
    return info.answer_topic(turn, "prevention")


ROUTES = [
    # Answers to the question the skill just asked.
    Route(
        location_unclear,
        [YES, NO, FALLBACK, NEXT, STILL],
        when=awaiting(Awaiting.LOCATION),
    ),
    Route(eased, [YES], when=awaiting(Awaiting.EASED)),
    Route(not_eased, [NO], when=awaiting(Awaiting.EASED)),
    Route(retry, [YES, HOLD_INTENT], when=awaiting(Awaiting.RETRY)),
    Route(goodbye, [NO], when=awaiting(Awaiting.RETRY)),
    Route(prevention_offer_accepted, [YES], when=awaiting(Awaiting.PREVENTION_OFFER)),
    Route(goodbye, [NO], when=awaiting(Awaiting.PREVENTION_OFFER)),
    # Moving through the steps.
    Route(next_step, [NEXT, YES], when=in_flow(Flow.FIRST_AID)),
    # "No" during the steps means "not better yet", never "goodbye".
    Route(not_eased, [NO], when=in_flow(Flow.FIRST_AID)),
    Route(previous_step, [PREVIOUS], when=in_flow(Flow.FIRST_AID)),
    Route(start_over, [START_OVER], when=in_flow(Flow.FIRST_AID)),
    Route(hold, [HOLD_INTENT], when=in_flow(Flow.FIRST_AID)),
    Route(retry, [AGAIN_INTENT], when=in_flow(Flow.FIRST_AID)),
    Route(other_leg, [OTHER_SIDE_INTENT], when=in_flow(Flow.FIRST_AID)),
    # Statements that mean something anywhere.
    Route(cramp_now, [CRAMP_NOW]),
    Route(eased, [EASED]),
    Route(not_eased, [STILL]),
]
