"""The nightly stretch reminder in conversation (skill.reminders does the API calls).

Offered once the bedtime routine is done; "remind me to stretch at ten", "change my
reminder to nine thirty", "when is my reminder?" and "stop reminding me" work at any
time, one-shot too. Without the user's permission the skill asks for it by voice
(Connections.SendRequest AskFor) and finishes in the Connections.Response; the time to
set travels in the request's token, so nothing depends on the session surviving.

Every failure of the API is one plain sentence, then the conversation carries on.
"""

from __future__ import annotations

import logging
import re
from datetime import time

from ask_sdk_model import Response
from ask_sdk_model.interfaces.connections import SendRequestDirective
from ask_sdk_model.ui import AskForPermissionsConsentCard

from skill import intents
from skill.handlers.common import anything_else, back_to_question
from skill.handlers.route import NEXT, NO, YES, Route, awaiting
from skill.reminders import (
    SCOPE,
    Failure,
    Reminder,
    ReminderError,
    clock_text,
    quarter_hour,
)
from skill.speech import Speech
from skill.state import Awaiting, Flow
from skill.turn import Turn

log = logging.getLogger(__name__)
SET_INTENT = intents.SET_REMINDER
WHEN_INTENT = intents.REMINDER_TIME
STOP_INTENT = intents.STOP_REMINDER
CONNECTIONS_RESPONSE = "Connections.Response"
ASK_FOR = "AskFor"
# "<prefix> 22:15 bedtime": the time to set once allowed, and whether it was the offer
# after the routine (which ends the session with "sleep well").
TOKEN_PREFIX = "cramp-coach-reminder"
_TOKEN = re.compile(rf"^{TOKEN_PREFIX} (\d\d:\d\d)( bedtime)?$")
_SAID_TIME = re.compile(r"^(\d\d):(\d\d)")
# A time said without "p m" ("at ten", "nine thirty") comes from Alexa as the morning;
# for a bedtime reminder these hours mean the evening.
EVENING_IF_UNSAID = range(5, 12)
FAILURE_LINES = {
    Failure.UNAVAILABLE: "reminder_unavailable",
    Failure.REFUSED: "reminder_refused",
    Failure.BUSY: "reminder_busy",
    Failure.TOO_MANY: "reminder_too_many",
}


def offer_after_routine(turn: Turn, speech: Speech) -> Response:
    """The routine is done: offer a reminder at this time every night, unless one is set
    already or there is no user to keep it for."""
    if turn.profile.reminder_id or not turn.user_id:
        return turn.tell(speech.say(turn.line("routine_done")))
    # The routine is over: "next" or "again" now must not replay its last stretch.
    turn.state.begin(Flow.NONE)
    turn.state.awaiting = Awaiting.REMINDER_OFFER
    speech.say(turn.line("routine_finished")).say(turn.line("reminder_offer"))
    return turn.ask(speech, Speech(turn.line("reminder_offer_reprompt")))


def accept_offer(turn: Turn) -> Response:
    """Every night at this time: the device's local clock, to the nearest quarter hour."""
    return set_reminder(turn, clock_text(quarter_hour(turn.local_now)), bedtime=True)


def decline_offer(turn: Turn) -> Response:
    return finish(turn, Speech(turn.line("reminder_declined")), bedtime=True)


def set_said_time(turn: Turn) -> Response:
    """ "Remind me to stretch at ten", "change my reminder to nine thirty"."""
    at = said_time(turn.slot("time").value)
    if at is None:
        speech = Speech(turn.line("reminder_which_time"))
        turn.state.awaiting = Awaiting.REMINDER_TIME
        return turn.ask(speech, Speech(turn.line("reminder_which_time")))
    return set_reminder(turn, at, bedtime=False)


def said_time(value: str | None) -> str | None:
    """An AMAZON.TIME value ("21:30", "10:00") as the evening time it means; None for
    no time or a vague one ("EV", "NI")."""
    match = _SAID_TIME.match(value or "")
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        return None
    if hour in EVENING_IF_UNSAID:
        hour += 12
    return clock_text(time(hour, minute))


def set_reminder(turn: Turn, at: str, bedtime: bool) -> Response:
    """Set (or move) the reminder, asking for the permission first if it is missing."""
    if not turn.reminders.permitted():
        return ask_permission(turn, at, bedtime)
    return save(turn, at, bedtime)


def save(turn: Turn, at: str, bedtime: bool) -> Response:
    """Move the reminder if this user has one; create it if not (or if it has gone)."""
    profile = turn.profile
    service = turn.reminders
    now = turn.local_now
    reminder = Reminder(
        at=at, zone=zone_name(turn), text=turn.line("reminder_text"), locale=locale(turn)
    )
    try:
        if profile.reminder_id and service.update(profile.reminder_id, reminder, now):
            key = "reminder_changed"
        else:
            profile.reminder_id = service.create(reminder, now)
            key = "reminder_set"
    except ReminderError as error:
        return failed(turn, error, bedtime)
    profile.reminder_at = at
    return finish(turn, Speech(turn.line(key, time=spoken_time(turn, at))), bedtime)


def ask_permission(turn: Turn, at: str, bedtime: bool) -> Response:
    """Alexa's own voice permission request; its answer comes as a Connections.Response."""
    turn.state.awaiting = Awaiting.NOTHING
    token = f"{TOKEN_PREFIX} {at}" + (" bedtime" if bedtime else "")
    directive = SendRequestDirective(
        name=ASK_FOR,
        payload={
            "@type": "AskForPermissionsConsentRequest",
            "@version": "2",
            "permissionScopes": [{"permissionScope": SCOPE, "consentLevel": "ACCOUNT"}],
        },
        token=token,
    )
    return turn.handler_input.response_builder.add_directive(directive).response


def permission_answer(turn: Turn) -> Response:
    """Allowed: set the reminder now. Denied or not answered: say so. Voice permission
    not available here (a status other than 200): the Alexa app's card instead."""
    request = turn.handler_input.request_envelope.request
    match = _TOKEN.match(getattr(request, "token", None) or "")
    at, bedtime = (match[1], bool(match[2])) if match else (None, False)
    code = str(getattr(getattr(request, "status", None), "code", "") or "")
    payload = getattr(request, "payload", None) or {}
    answer = payload.get("status") if isinstance(payload, dict) else None
    if code != "200":
        log.info("voice permission unavailable (%s); sending the card", code)
        return with_card(turn, finish(turn, Speech(turn.line("reminder_card")), bedtime))
    if answer == "ACCEPTED" and at is not None:
        return save(turn, at, bedtime)
    if answer == "DENIED":
        return finish(turn, Speech(turn.line("reminder_denied")), bedtime)
    return finish(turn, Speech(turn.line("reminder_not_answered")), bedtime)


def is_permission_answer(turn: Turn) -> bool:
    return getattr(turn.handler_input.request_envelope.request, "name", None) == ASK_FOR


def when_is_it(turn: Turn) -> Response:
    """From the profile; if Alexa says it is gone (deleted in the app), it is forgotten.
    If Alexa can't be asked, the time the skill set is still the answer."""
    profile = turn.profile
    if profile.reminder_id and profile.reminder_at:
        try:
            still_there = turn.reminders.exists(profile.reminder_id)
        except ReminderError:
            still_there = True
        if still_there:
            said = turn.line("reminder_is", time=spoken_time(turn, profile.reminder_at))
            return anything_else(turn, Speech(said))
        forget(turn)
    return anything_else(turn, Speech(turn.line("reminder_none")))


def stop_reminding(turn: Turn) -> Response:
    profile = turn.profile
    if not profile.reminder_id:
        return anything_else(turn, Speech(turn.line("reminder_none")))
    try:
        turn.reminders.delete(profile.reminder_id)
    except ReminderError as error:
        return failed(turn, error, bedtime=False)
    forget(turn)
    return anything_else(turn, Speech(turn.line("reminder_stopped")))


def forget(turn: Turn) -> None:
    turn.profile.reminder_id = None
    turn.profile.reminder_at = None


def failed(turn: Turn, error: ReminderError, bedtime: bool) -> Response:
    """One plain sentence; a refusal also puts the permission card in the Alexa app."""
    response = finish(turn, Speech(turn.line(FAILURE_LINES[error.failure])), bedtime)
    return with_card(turn, response) if error.failure == Failure.REFUSED else response


def finish(turn: Turn, speech: Speech, bedtime: bool) -> Response:
    """At bedtime, after the routine: goodnight. Otherwise: anything else?"""
    if bedtime:
        turn.state.awaiting = Awaiting.NOTHING
        return turn.tell(speech.say(turn.line("sleep_well")))
    return anything_else(turn, speech)


def with_card(turn: Turn, response: Response) -> Response:
    response.card = AskForPermissionsConsentCard(permissions=[SCOPE])
    return response


def spoken_time(turn: Turn, at: str) -> str:
    return time.fromisoformat(at).strftime(turn.content.days["time"])


def zone_name(turn: Turn) -> str:
    """The device's own zone (from the settings API), as the Reminders API names zones."""
    return getattr(turn.local_now.tzinfo, "key", None) or turn.settings.time_zone


def locale(turn: Turn) -> str:
    return getattr(turn.handler_input.request_envelope.request, "locale", None) or "en-US"


def not_in_emergency(turn: Turn) -> bool:
    """Nothing here answers a session in a safety flow; safety's own routes decide."""
    return turn.state.flow != Flow.SAFETY


def _answer_offer(turn: Turn) -> bool:
    return awaiting(Awaiting.REMINDER_OFFER)(turn) and not_in_emergency(turn)


def no_time(turn: Turn) -> Response:
    """ "No" to "what time each night?": no reminder, and nothing else lost."""
    return finish(turn, Speech(turn.line("reminder_declined")), bedtime=False)


def time_again(turn: Turn) -> Response:
    """ "Yes", "okay" or "done" to "what time each night?" names no time: ask again."""
    return back_to_question(turn, Speech())


ROUTES = [
    Route(accept_offer, [YES], when=_answer_offer),
    Route(decline_offer, [NO], when=_answer_offer),
    Route(no_time, [NO], when=awaiting(Awaiting.REMINDER_TIME)),
    Route(time_again, [YES, NEXT], when=awaiting(Awaiting.REMINDER_TIME)),
    Route(permission_answer, requests=[CONNECTIONS_RESPONSE], when=is_permission_answer),
    Route(set_said_time, [SET_INTENT], when=not_in_emergency),
    Route(when_is_it, [WHEN_INTENT], when=not_in_emergency),
    Route(stop_reminding, [STOP_INTENT], when=not_in_emergency),
]
