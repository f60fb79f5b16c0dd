"""Warning signs first: clinical.md section 3, from any point in any conversation.

A warning sign changes the rest of the session, not one reply (§3a), so it is state:

- After an emergency answer the session keeps the sign (`SessionState.emergency`), and
  EMERGENCY_ROUTES, registered before every other route, answer whatever comes next
  (any intent, a tap, unknown words, stop) with the call and at most one action for that
  sign. This is the one place that decides it: no handler can lead back to stretching.
  Only a different emergency sign gets an answer of its own.
- A milder sign that rules out comfort steps (a possible clot, an injury, a pregnancy
  warning) leaves a caution (`SessionState.cautions`), and CAUTION_ROUTES answer every
  request for a step, a hold, the routine or a tip with that caution instead.

An emergency answer starts with the action (call the number now), never a first-aid step.
"""

from __future__ import annotations

from ask_sdk_model import Response

from skill import intents
from skill.handlers import first_aid
from skill.handlers.common import anything_else, back_to_question, opening
from skill.handlers.holds import AGAIN_INTENT, HOLD_INTENT, OTHER_SIDE_INTENT
from skill.handlers.route import (
    FALLBACK,
    NEXT,
    NO,
    PREVIOUS,
    RESUME,
    START_OVER,
    YES,
    Route,
    awaiting,
)
from skill.handlers.routine import ROUTINE_INTENT, SEATED_INTENT, forget_place
from skill.screen import titled
from skill.speech import Speech
from skill.state import Awaiting, Flow, SessionState
from skill.turn import Turn

EMERGENCY = "EMERGENCY"
URGENT_TODAY = "URGENT_TODAY"
SEE_DOCTOR = "SEE_DOCTOR"
LEVEL_LINES = {URGENT_TODAY: "urgent_today", SEE_DOCTOR: "see_doctor"}
SEIZURE_INTENT = intents.SEIZURE
SEIZURE_SCOPE_INTENT = intents.SEIZURE_SCOPE
WHOLE_BODY = "WHOLE_BODY"
WHOLE_BODY_SHAKING = "WHOLE_BODY_SHAKING"
# RedFlagIntent can carry two signs said together: "symptom" and "also".
SYMPTOM_SLOTS = ("symptom", "also")
# §3b: the call first, then at most two short sentences for the sign.
FIRST_ACTIONS = 2
# Opening the skill this soon after an emergency answer starts with the call (§3a: "that
# night"); it is also how long a paused routine would have been offered again.
RECENT_EMERGENCY_SECONDS = 60 * 60
STOP_INTENTS = (intents.STOP, intents.CANCEL)
# Requests that would lead to a comfort step, a counted hold, the routine or a tip; and
# help and unknown words, whose usual answers offer them.
COMFORT_INTENTS = (
    intents.HELP,
    intents.NAVIGATE_HOME,
    FALLBACK,
    first_aid.CRAMP_NOW,
    first_aid.EASED,
    first_aid.STILL,
    HOLD_INTENT,
    AGAIN_INTENT,
    OTHER_SIDE_INTENT,
    ROUTINE_INTENT,
    SEATED_INTENT,
    intents.PREVENTION,
    intents.TELL_ME_MORE,
    YES,
    NEXT,
    PREVIOUS,
    START_OVER,
    RESUME,
    # The answers to any question (skill.answers) that would lead on to a step or a tip.
    intents.OKAY,
    intents.READY,
    intents.SKIP,
    intents.CANT_DO,
    intents.WORSE,
)
# Questions whose yes or no is not about a cramp: a caution leaves them to their handlers.
NOT_ABOUT_A_CRAMP = (
    Awaiting.DIARY_CONSENT,
    Awaiting.DELETE_CONFIRM,
    Awaiting.SEIZURE_SCOPE,
    Awaiting.REMINDER_OFFER,
)


# ---------------------------------------------------------------- the first answer
def red_flag(turn: Turn) -> Response:
    """Answer at the level of the most severe sign heard ("my calf is red and swollen and
    I can't breathe" is an emergency, not a swollen calf)."""
    content = turn.content
    symptom = content.most_severe(turn.slot(slot).id for slot in SYMPTOM_SLOTS)
    # A warning sign Alexa heard but could not place is treated as urgent, not ignored.
    level = content.red_flag_level(symptom) or URGENT_TODAY
    if level == EMERGENCY and symptom:
        return emergency(turn, symptom)
    caution = content.caution_for(symptom)
    if caution:
        return cautioned(turn, caution, level)
    speech = Speech(turn.line(LEVEL_LINES.get(level, "urgent_today")))
    extra = content.red_flag_extra(symptom)
    # Under a caution no tip is offered, not even one that goes with a milder sign.
    if extra and not turn.state.cautions:
        speech.say(content.fill(extra.say))
    return back_to_question(turn, speech)


def emergency(turn: Turn, sign: str) -> Response:
    """The call, then at most two actions for the sign (§3b); the session is now one."""
    state = turn.state
    state.begin(Flow.SAFETY)
    state.awaiting = Awaiting.NOTHING
    state.emergency, state.emergency_at = sign, turn.now
    turn.profile.emergency_at = turn.now
    # §3a: the routine is not offered for resuming after an emergency.
    forget_place(turn)
    turn.show(titled(turn.content, "emergency", icon="phone", emergency=True))
    speech = Speech(turn.line("emergency_action"))
    for action in turn.content.emergency_actions(sign)[:FIRST_ACTIONS]:
        speech.say(turn.content.fill(action.say))
    return turn.ask(speech, Speech(turn.line("emergency_reprompt")))


# ---------------------------------------------------------------- every later turn
def in_emergency(turn: Turn) -> bool:
    return turn.state.emergency is not None


def heard_emergency(turn: Turn) -> str | None:
    """The emergency sign this request names, if it names one."""
    content = turn.content
    if turn.intent == intents.RED_FLAG:
        symptom = content.most_severe(turn.slot(slot).id for slot in SYMPTOM_SLOTS)
        return symptom if content.red_flag_level(symptom) == EMERGENCY else None
    if turn.intent == SEIZURE_INTENT and not content.has_first_aid(turn.slot("muscle").id):
        return WHOLE_BODY_SHAKING
    return None


def new_emergency(turn: Turn) -> bool:
    """A different emergency sign said during one: it gets its own answer."""
    sign = heard_emergency(turn)
    return in_emergency(turn) and sign is not None and sign != turn.state.emergency


def answer_new_emergency(turn: Turn) -> Response:
    return emergency(turn, heard_emergency(turn) or WHOLE_BODY_SHAKING)


def still_emergency(turn: Turn) -> Response:
    """Whatever is said or tapped: the call in one sentence, then the sign's first action;
    the prompt is the call again (§3a)."""
    turn.state.awaiting = Awaiting.NOTHING
    turn.show(titled(turn.content, "emergency", icon="phone", emergency=True))
    call = turn.line("emergency_again")
    speech = Speech(call)
    actions = turn.content.emergency_actions(turn.state.emergency)
    if actions:
        speech.say(turn.content.fill(actions[0].say))
    return turn.ask(speech, Speech(call))


def end_with_call(turn: Turn) -> Response:
    """ "Stop" or "no" in an emergency: the session ends on the call, never "rest well"."""
    return turn.tell(Speech(turn.line("emergency_again")))


def recent_emergency(turn: Turn) -> bool:
    """Opened again soon after an emergency answer (kept in the profile, §3a)."""
    at = turn.profile.emergency_at
    return at is not None and 0 <= turn.now - at <= RECENT_EMERGENCY_SECONDS


def launch_after_emergency(turn: Turn) -> Response:
    """The call first; no routine offered for resuming (its place was forgotten)."""
    speech = Speech(turn.line("greeting"), turn.line("emergency_reminder"))
    return first_aid.ask_where(turn, speech.extend(opening(turn)))


# ---------------------------------------------------------------- cautions
def leave_caution(state: SessionState, caution: str) -> None:
    """Rule out comfort steps, holds, the routine and tips for the rest of the session."""
    if caution not in state.cautions:
        state.cautions.append(caution)


def cautioned(turn: Turn, caution: str, level: str) -> Response:
    """A sign that rules out comfort steps (§3a): leave the steps, say what to do instead."""
    state = turn.state
    state.begin(Flow.NONE)
    leave_caution(state, caution)
    spec = turn.content.caution(caution)
    speech = Speech()
    if spec.with_level:
        speech.say(turn.line(LEVEL_LINES.get(level, "urgent_today")))
    speech.say(turn.content.fill(spec.answer.say))
    return caution_question(turn, speech)


def caution_question(turn: Turn, speech: Speech) -> Response:
    """The open question without a tip in it ("you can ask how to prevent cramps")."""
    turn.state.awaiting = Awaiting.ANYTHING_ELSE
    question = turn.line("caution_question")
    return turn.ask(speech.say(question), Speech(question))


def cautions_again(turn: Turn) -> Speech:
    # Words not caught are said to be so first (issue 18), then the caution, as always.
    speech = Speech(turn.line("fallback")) if turn.intent == FALLBACK else Speech()
    for caution in turn.state.cautions:
        speech.say(turn.content.fill(turn.content.caution(caution).again.say))
    return speech


def under_caution(turn: Turn) -> bool:
    state = turn.state
    if not state.cautions or state.awaiting in NOT_ABOUT_A_CRAMP:
        return False
    # "Tell me more" after prevention (or nothing) would be a tip; on causes it is fine.
    return turn.intent != intents.TELL_ME_MORE or state.topic in (None, "prevention")


def instead_of_comfort(turn: Turn) -> Response:
    """A step, a hold, the routine or a tip asked for under a caution: the caution again."""
    turn.state.begin(Flow.NONE)
    return caution_question(turn, cautions_again(turn))


def caution_goodbye(turn: Turn) -> Response:
    return turn.tell(cautions_again(turn))


# ---------------------------------------------------------------- not the leg
def not_leg_place(turn: Turn) -> bool:
    return turn.content.not_leg(turn.slot("muscle").id) is not None


def not_leg(turn: Turn) -> Response:
    """Belly, chest, jaw, neck, hand or arm: never the calf default; the §3 check instead."""
    line = turn.content.not_leg(turn.slot("muscle").id)
    turn.state.begin(Flow.NONE)
    speech = Speech(turn.content.fill(line.say)) if line else Speech()
    if turn.state.cautions:
        return caution_question(turn, speech)
    return anything_else(turn, speech)


# ---------------------------------------------------------------- seizure, fit, convulsion
def seizure_words(turn: Turn) -> Response:
    """clinical.md §3: "seizure" may mean a cramp. A named muscle says so; else ask once,
    before anything else (the notice can wait for the answer)."""
    if turn.content.has_first_aid(turn.slot("muscle").id):
        return first_aid.cramp_now(turn)
    state = turn.state
    state.begin(Flow.SAFETY)
    state.awaiting = Awaiting.SEIZURE_SCOPE
    speech = Speech(turn.line("seizure_question"))
    return turn.ask(speech, Speech(turn.line("seizure_reprompt")))


def whole_body_or_asked(turn: Turn) -> bool:
    """The answer to the seizure question, or "the whole body" said at any moment: Alexa
    may hear "his whole body is shaking" as this intent when nothing asked it, and a fit
    is an emergency whatever was asked (clinical.md §3)."""
    return turn.state.awaiting == Awaiting.SEIZURE_SCOPE or turn.slot("scope").id == WHOLE_BODY


def seizure_scope(turn: Turn) -> Response:
    if turn.slot("scope").id == WHOLE_BODY:
        return emergency(turn, WHOLE_BODY_SHAKING)
    return first_aid.ask_where(turn, Speech())


def seizure_unclear(turn: Turn) -> Response:
    """Anything else in answer: both ways out, the emergency one first."""
    speech = Speech(turn.line("seizure_unclear"))
    return turn.ask(speech, Speech(turn.line("seizure_reprompt")))


def medicine_question(turn: Turn) -> Response:
    """clinical.md §2 and §6: never a drug name or dose; always the doctor or pharmacist."""
    return back_to_question(turn, Speech(turn.line("medicine")))


# First of all routes after the requests that are not turns: an emergency session answers
# everything with the call; opening the skill soon after one starts with the call.
EMERGENCY_ROUTES = [
    Route(answer_new_emergency, [intents.RED_FLAG, SEIZURE_INTENT], when=new_emergency),
    Route(end_with_call, [NO, intents.ENDING, *STOP_INTENTS], when=in_emergency),
    Route(still_emergency, when=in_emergency),
    Route(launch_after_emergency, requests=["LaunchRequest"], when=recent_emergency),
]
ROUTES = [
    Route(red_flag, [intents.RED_FLAG]),
    Route(seizure_words, [SEIZURE_INTENT]),
    Route(seizure_scope, [SEIZURE_SCOPE_INTENT], when=whole_body_or_asked),
    Route(medicine_question, [intents.MEDICINE_QUESTION]),
    Route(not_leg, [first_aid.CRAMP_NOW], when=not_leg_place),
]
# After the warning signs, before anything that could offer a step, a hold or a tip.
CAUTION_ROUTES = [
    Route(caution_goodbye, [NO], when=under_caution),
    Route(instead_of_comfort, COMFORT_INTENTS, when=under_caution),
]
# After the routes for a muscle or a cramp ("my calf", "just a cramp"): any other answer
# to the seizure question gets both ways out.
UNCLEAR_ROUTES = [
    Route(seizure_unclear, when=awaiting(Awaiting.SEIZURE_SCOPE)),
]
