"""First aid for a cramp happening now: one short step per turn, clinical.md section 1.

The flow: where is it (asked once, then the calf by default; an unclear "thigh" or
"behind my knee" asks which part) → the muscle's steps, adapted to the situation → on
each stretch, time to get into position until "ready", then a counted hold → "has it
eased?" → after-care, or another round, and past ten minutes the advice to get help
today (section 3).
"""

from __future__ import annotations

from ask_sdk_model import Response

from skill import intents
from skill.content import Step
from skill.handlers import info
from skill.handlers.common import back_to_question, goodbye, opening
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
    SKIP,
    START_OVER,
    YES,
    Route,
    awaiting,
    in_flow,
)
from skill.screen import (
    EASED_BUTTONS,
    KNEE_PART_BUTTONS,
    LOCATION_BUTTONS,
    POSITION_BUTTONS,
    THIGH_PART_BUTTONS,
    Screen,
    step_screen,
)
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
# Marks, in `state.told`, that stretching made it worse: no stretch is offered again.
WORSE_MARK = "worse"
# Places too vague to guide: the question that narrows each down, and its buttons.
PARTS = {
    "THIGH": ("ask_thigh_part", THIGH_PART_BUTTONS),
    "BEHIND_KNEE": ("ask_knee_part", KNEE_PART_BUTTONS),
}


def steps(turn: Turn) -> list[Step]:
    """The muscle's steps for the situation; at night the night steps too, whatever the
    situation named (clinical.md §6)."""
    state = turn.state
    muscle = state.muscle or DEFAULT_MUSCLE
    found = turn.content.first_aid_steps(muscle, state.situation, night=turn.is_night)
    # The state's step indexes these (SessionState.validate bounds it for any time of
    # day; by day there are fewer steps than at night).
    state.step = min(state.step, len(found) - 1)
    return found


def cramp_now(turn: Turn) -> Response:
    """A cramp is happening: start the steps, or ask where it is (once)."""
    state = turn.state
    muscle = turn.slot("muscle").id
    state.side = turn.slot("side").id or state.side
    state.situation = turn.slot("situation").id or state.situation
    if state.awaiting == Awaiting.PART:
        muscle = narrowed(state.muscle, muscle)
    if muscle is not None and turn.content.has_first_aid(muscle):
        return start(turn, muscle, Speech())
    if muscle in PARTS:
        return ask_part(turn, muscle, opening(turn))
    if state.awaiting == Awaiting.LOCATION:
        return location_unclear(turn)
    question = "ask_location_in_leg" if muscle == "LEG" else "ask_location"
    return ask_where(turn, opening(turn), question)


def narrowed(asked: str | None, said: str | None) -> str | None:
    """An answer to "which part?": behind the knee, "thigh" can only be its back."""
    if asked == "BEHIND_KNEE" and said in ("THIGH", "BEHIND_KNEE"):
        return "BACK_THIGH"
    return said


def ask_where(turn: Turn, speech: Speech, question: str = "ask_location") -> Response:
    """Ask where the cramp is; the next unclear answer gets the calf (asked only once)."""
    state = turn.state
    state.begin(Flow.FIRST_AID)
    state.awaiting = Awaiting.LOCATION
    speech.say(turn.line(question))
    turn.show(choices(turn, question, LOCATION_BUTTONS))
    return turn.ask(speech, Speech(turn.line("ask_location_reprompt")))


def ask_part(turn: Turn, place: str, speech: Speech) -> Response:
    """ "My thigh": front or back? Guessing would give the wrong stretch."""
    state = turn.state
    state.begin(Flow.FIRST_AID)
    state.awaiting = Awaiting.PART
    state.muscle = place
    question, buttons = PARTS[place]
    turn.show(choices(turn, question, buttons))
    speech.say(turn.line(question))
    return turn.ask(speech, Speech(turn.line(f"{question}_reprompt")))


def choices(turn: Turn, question: str, buttons: tuple[str, ...]) -> Screen:
    """A question with a few answers: a button for each, meaning what its word means."""
    return Screen(
        title=turn.content.screen_line("app_title"),
        text=turn.line(question),
        buttons=list(buttons),
    )


def part_by_word(turn: Turn) -> Response:
    """ "Back" (heard as "go back") answers "front or back of your thigh?"."""
    return start(turn, "BACK_THIGH", Speech())


def part_unclear(turn: Turn) -> Response:
    """Heard, but no answer to "which part?" ("yes"): the question again. Words not
    understood at all are said to be."""
    sorry = turn.intent == FALLBACK
    return back_to_question(turn, Speech(turn.line("fallback")) if sorry else Speech())


def location_unclear(turn: Turn) -> Response:
    """clinical.md §1 and N3: the calf is the most common place, so guide for it and say so."""
    return start(turn, DEFAULT_MUSCLE, Speech(turn.line("default_to_calf")))


def location_not_caught(turn: Turn) -> Response:
    """Words that were not understood at all: say so, then guide for the calf."""
    return start(turn, DEFAULT_MUSCLE, Speech(turn.line("fallback"), turn.line("default_to_calf")))


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
    return say_step(turn, speech)


def say_step(turn: Turn, speech: Speech | None = None) -> Response:
    """The current step and its question: "ready" for a stretch, "next", or "has it eased?".

    A stretch waits for the user: getting into position with a towel, in the dark, in
    pain, takes as long as it takes, and a count that starts too soon is no help.
    """
    state = turn.state
    all_steps = steps(turn)
    state.step = min(state.step, len(all_steps) - 1)
    step = all_steps[state.step]
    speech = (speech or Speech()).say(turn.content.fill(step.say))
    if step.hold:
        return ask_position(turn, speech)
    if state.step == len(all_steps) - 1:
        turn.show(step_screen(turn.content, step, EASED_BUTTONS))
        return ask_if_eased(turn, speech)
    turn.show(step_screen(turn.content, step))
    state.awaiting = Awaiting.NOTHING
    return turn.ask(speech.say(turn.line("next_prompt")), Speech(turn.line("step_reprompt")))


def ask_position(turn: Turn, speech: Speech) -> Response:
    state = turn.state
    state.awaiting = Awaiting.POSITION
    turn.show(step_screen(turn.content, steps(turn)[state.step], POSITION_BUTTONS))
    speech.say(turn.line("position_prompt"))
    return turn.ask(speech, Speech(turn.line("position_reprompt")))


def count_now(turn: Turn, seconds: int | None = None, speech: Speech | None = None) -> Response:
    """In position: the count at once (no cue, no wait), then "has it eased?"."""
    stretch = steps(turn)[hold_step(turn)]
    turn.state.step = hold_step(turn)
    turn.show(step_screen(turn.content, stretch, EASED_BUTTONS))
    lead = Speech(turn.line("hold_start"))
    hold = counted_hold(turn, seconds or first_aid_seconds(turn), lead)
    return ask_if_eased(turn, (speech or Speech()).extend(hold))


def not_yet(turn: Turn) -> Response:
    """ "No" to "say ready when you're in position": there is no hurry."""
    return back_to_question(turn, Speech())


def skip_stretch(turn: Turn) -> Response:
    """ "Skip" at a stretch: on to the next step without counting."""
    return next_step(turn)


def ask_if_eased(turn: Turn, speech: Speech) -> Response:
    turn.state.awaiting = Awaiting.EASED
    speech.say(turn.line("eased_question"))
    return turn.ask(speech, Speech(turn.line("eased_reprompt")))


def next_step(turn: Turn) -> Response:
    """On to the next step; after the last, "done" or "go on" is no answer to "has it
    eased?", so that is asked again for a yes or a no."""
    state = turn.state
    if state.step >= len(steps(turn)) - 1:
        if state.awaiting == Awaiting.EASED:
            return turn.ask(
                Speech(turn.line("yes_or_no"), turn.line("eased_reprompt")),
                Speech(turn.line("eased_reprompt")),
            )
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
    return within_first_aid(turn.profile.hold_seconds)


def within_first_aid(seconds: int) -> int:
    low, high = FIRST_AID_HOLD_RANGE
    return min(high, max(low, seconds))


def hold(turn: Turn) -> Response:
    """ "Count for me" during first aid: the stretch counted at once, kept to 20-30 s
    (GUIDE.md §1) whatever length was asked for, with a word when it differs."""
    seconds, correction = clamp_hold(turn, requested_seconds(turn), first_aid_seconds(turn))
    if within_first_aid(seconds) != seconds:
        seconds = within_first_aid(seconds)
        correction = Speech(turn.line("first_aid_hold_range", seconds=seconds))
    if turn.state.awaiting == Awaiting.POSITION:
        return count_now(turn, seconds, correction)
    stretch = steps(turn)[hold_step(turn)]
    turn.state.step = hold_step(turn)
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
    """Keep going: the next step if there is one, else another round; past 10 minutes, help.
    Once stretching made it worse, no round starts with a stretch again: rest and rub."""
    state = turn.state
    if state.flow != Flow.FIRST_AID:
        return cramp_now(turn)
    long_cramp = state.cramp_started is not None
    long_cramp = long_cramp and turn.now - (state.cramp_started or 0) >= LONG_CRAMP_SECONDS
    if WORSE_MARK in state.told and (long_cramp or state.step >= len(steps(turn)) - 1):
        if long_cramp:
            advice = turn.line_once("worse_over_ten_minutes", "over_ten_minutes_again")
        else:
            advice = turn.line_once("worse_rest", "worse_rest_again")
        return ask_if_eased(turn, Speech(advice))
    if long_cramp:
        state.awaiting = Awaiting.RETRY
        offer = turn.line("retry_offer")
        advice = turn.line_once("over_ten_minutes", "over_ten_minutes_again")
        return turn.ask(Speech(advice, offer), Speech(offer))
    if state.awaiting == Awaiting.POSITION:
        # Not counted yet: nothing to move on from, so the stretch still waits.
        return back_to_question(turn, Speech())
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
    Route(location_not_caught, [FALLBACK], when=awaiting(Awaiting.LOCATION)),
    Route(location_unclear, [YES, NO, NEXT, STILL], when=awaiting(Awaiting.LOCATION)),
    Route(part_by_word, [PREVIOUS], when=awaiting(Awaiting.PART)),
    Route(part_unclear, [YES, NO, NEXT, FALLBACK, STILL], when=awaiting(Awaiting.PART)),
    Route(count_now, [NEXT, YES], when=awaiting(Awaiting.POSITION)),
    Route(skip_stretch, [SKIP], when=awaiting(Awaiting.POSITION)),
    Route(not_yet, [NO], when=awaiting(Awaiting.POSITION)),
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
