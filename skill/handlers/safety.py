"""Warning signs first: GUIDE.md section 3, from any point in any conversation.

These routes are registered before every other, so a red-flag statement in the middle
of a hold, a routine or a tip always gets the safety answer. An emergency answer starts
with the action (call the number now), never with a first-aid step.
"""

from __future__ import annotations

from ask_sdk_model import Response

from skill.handlers.common import back_to_question
from skill.handlers.route import Route
from skill.speech import Speech
from skill.state import Awaiting, Flow
from skill.turn import Turn

EMERGENCY = "EMERGENCY"
URGENT_TODAY = "URGENT_TODAY"
SEE_DOCTOR = "SEE_DOCTOR"


def red_flag(turn: Turn) -> Response:
    symptom = turn.slot("symptom").id
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
    speech = Speech(turn.line("emergency_action"), turn.line("emergency_reason"))
    if extra:
        speech.say(turn.content.fill(extra))
    return turn.ask(speech, Speech(turn.line("emergency_reprompt")))


def medicine_question(turn: Turn) -> Response:
    """GUIDE.md §2 and §6: never a drug name or dose; always the doctor or pharmacist."""
    return back_to_question(turn, Speech(turn.line("medicine")))


ROUTES = [
    Route(red_flag, ["RedFlagIntent"]),
    Route(medicine_question, ["MedicineQuestionIntent"]),
]
