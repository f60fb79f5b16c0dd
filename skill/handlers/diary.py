"""The cramp diary's intents. The diary stores health data, so it is off unless enabled,
and until a store for it exists it is off everywhere: the user is told so plainly.
"""

from __future__ import annotations

from ask_sdk_model import Response

from skill.handlers.common import back_to_question
from skill.handlers.route import Route
from skill.speech import Speech
from skill.turn import Turn


def diary_off(turn: Turn) -> Response:
    return back_to_question(turn, Speech(turn.line("diary_off")))


ROUTES = [Route(diary_off, ["LogCrampIntent", "CrampHistoryIntent", "DeleteDataIntent"])]
