"""Replies shared by several conversation areas: the opening notice and the open question."""

from __future__ import annotations

from ask_sdk_model import Response

from skill.speech import Speech
from skill.state import Awaiting
from skill.turn import Turn


def opening(turn: Turn) -> Speech:
    """The disclaimer, once per user (once per session when nothing can be stored)."""
    profile = turn.profile
    if profile.disclaimer_heard or turn.state.disclaimer_given:
        return Speech()
    profile.disclaimer_heard = True
    turn.state.disclaimer_given = True
    return Speech(turn.line("disclaimer"))


def pending_question(turn: Turn) -> Speech:
    """The question the user was last asked, so a detour (help, a tip) can return to it."""
    # With nothing asked: plain, since after a warning or same-day advice no tip is
    # offered (clinical.md §3a).
    return turn.said_again(turn.state.last_question) or Speech(turn.line("anything_else_short"))


def anything_else(turn: Turn, speech: Speech | None = None) -> Response:
    """Finish a topic with an open question; "no" then ends the session. What can be
    asked is said once a session; after that the question alone."""
    turn.state.awaiting = Awaiting.ANYTHING_ELSE
    question = turn.line_once("anything_else", "anything_else_short")
    return turn.ask((speech or Speech()).say(question), Speech(question))


def back_to_question(turn: Turn, speech: Speech) -> Response:
    """Say something, then ask again whatever was pending, without changing the state."""
    question = pending_question(turn)
    if not turn.state.last_question:
        turn.state.awaiting = Awaiting.ANYTHING_ELSE
    return turn.ask(speech.extend(question), question)


def goodbye(turn: Turn, speech: Speech | None = None) -> Response:
    return turn.tell((speech or Speech()).say(turn.line("goodbye")))
