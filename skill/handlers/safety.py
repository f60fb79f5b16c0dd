"""Warning signs first: clinical.md section 3, from any point in any conversation.

These routes are registered before every other, so a red-flag statement in the middle
of a hold, a routine or a tip always gets the safety answer. An emergency answer starts
with the action (call the number now), never with a first-aid step.
"""

from __future__ import annotations

from ask_sdk_model import Response

from skill import intents
from skill.handlers import first_aid
from skill.handlers.common import back_to_question, opening
from skill.handlers.route import Route, awaiting
from skill.screen import titled
from skill.speech import Speech
from skill.state import Awaiting, Flow
from skill.turn import Turn

EMERGENCY = "EMERGENCY"
URGENT_TODAY = "URGENT_TODAY"
SEIZURE_INTENT = intents.SEIZURE
SEIZURE_SCOPE_INTENT = intents.SEIZURE_SCOPE
WHOLE_BODY_SHAKING = "WHOLE_BODY_SHAKING"
# RedFlagIntent can carry two signs said together: "symptom" and "also".
SYMPTOM_SLOTS = ("symptom", "also")


def red_flag(turn: Turn) -> Response:
    """Answer at the level of the most severe sign heard ("my calf is red and swollen and
    I can't breathe" is an emergency, not a swollen calf)."""
    symptom = turn.content.most_severe(turn.slot(slot).id for slot in SYMPTOM_SLOTS)
    # A warning sign Alexa heard but could not place is treated as urgent, not ignored.
    level = turn.content.red_flag_level(symptom) or URGENT_TODAY
    extra = turn.content.red_flag_extra(symptom)
    if level == EMERGENCY:
        return emergency(turn, extra.say if extra else None)
    speech = Speech(turn.line("urgent_today" if level == URGENT_TODAY else "see_doctor"))
    if extra:
        speech.say(turn.content.fill(extra.say))
    return back_to_question(turn, speech)


def emergency(turn: Turn, extra: str | None) -> Response:
    """The action first; the session stays open only so "repeat" works."""
    state = turn.state
    state.begin(Flow.SAFETY)
    state.awaiting = Awaiting.NOTHING
    turn.show(titled(turn.content, "emergency", icon="phone", emergency=True))
    speech = Speech(turn.line("emergency_action"), turn.line("emergency_reason"))
    if extra:
        speech.say(turn.content.fill(extra))
    return turn.ask(speech, Speech(turn.line("emergency_reprompt")))


def seizure_words(turn: Turn) -> Response:
    """clinical.md §3: "seizure" may mean a cramp. A named muscle says so; else ask once."""
    if turn.content.has_first_aid(turn.slot("muscle").id):
        return first_aid.cramp_now(turn)
    state = turn.state
    state.begin(Flow.SAFETY)
    state.awaiting = Awaiting.SEIZURE_SCOPE
    speech = opening(turn).say(turn.line("seizure_question"))
    return turn.ask(speech, Speech(turn.line("seizure_reprompt")))


def seizure_scope(turn: Turn) -> Response:
    if turn.slot("scope").id == "WHOLE_BODY":
        extra = turn.content.red_flag_extra(WHOLE_BODY_SHAKING)
        return emergency(turn, extra.say if extra else None)
    return first_aid.ask_where(turn, Speech())


def seizure_unclear(turn: Turn) -> Response:
    """Anything else in answer: both ways out, the emergency one first."""
    speech = Speech(turn.line("seizure_unclear"))
    return turn.ask(speech, Speech(turn.line("seizure_reprompt")))


def medicine_question(turn: Turn) -> Response:
    """clinical.md §2 and §6: never a drug name or dose; always the doctor or pharmacist."""
    return back_to_question(turn, Speech(turn.line("medicine")))


ROUTES = [
    Route(red_flag, [intents.RED_FLAG]),
    Route(seizure_words, [SEIZURE_INTENT]),
    Route(seizure_scope, [SEIZURE_SCOPE_INTENT], when=awaiting(Awaiting.SEIZURE_SCOPE)),
    Route(medicine_question, [intents.MEDICINE_QUESTION]),
]
# After the routes for a muscle or a cramp ("my calf", "just a cramp"): any other answer
# to the seizure question gets both ways out.
UNCLEAR_ROUTES = [
    Route(seizure_unclear, when=awaiting(Awaiting.SEIZURE_SCOPE)),
]
