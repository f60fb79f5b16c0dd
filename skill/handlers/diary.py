"""The cramp diary (skill.diary) in conversation: log a cramp, hear a summary, delete.

It stores health data, so it is off unless the deployment enables it, and it asks for
consent once before the first entry. "Delete my data" works whether or not the diary
is on: it removes everything kept about the user, after a confirmation.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, time, timedelta

from ask_sdk_model import Response

from skill import intents
from skill.diary import Entry, frequent, summarise, too_old
from skill.handlers import routine
from skill.handlers.common import anything_else, back_to_question
from skill.handlers.route import NO, YES, Route, awaiting
from skill.speech import Speech
from skill.state import Awaiting
from skill.turn import Turn

log = logging.getLogger(__name__)
LOG_INTENT = intents.LOG_CRAMP
HISTORY_INTENT = intents.CRAMP_HISTORY
DELETE_INTENT = intents.DELETE_DATA
NIGHT = "NIGHT"
DEFAULT_PERIOD_DAYS = 7
MAX_PERIOD_DAYS = 365
# A cramp "last night", logged by day, is put at this local time of the evening before.
LAST_NIGHT_AT = time(23, 30)
_PERIOD = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


def diary_on(turn: Turn) -> bool:
    """Enabled for this deployment, and a user to keep it for."""
    return turn.settings.diary and bool(turn.user_id)


def diary_off(turn: Turn) -> Response:
    return back_to_question(turn, Speech(turn.line("diary_off")))


def log_cramp(turn: Turn) -> Response:
    entry = entry_from_request(turn)
    if not turn.profile.diary_consent:
        turn.state.pending_entry = entry.to_dict()
        turn.state.awaiting = Awaiting.DIARY_CONSENT
        return turn.ask(
            Speech(turn.line("diary_consent")), Speech(turn.line("diary_consent_reprompt"))
        )
    return save(turn, entry)


def consent_given(turn: Turn) -> Response:
    if not diary_on(turn):  # a consent question from a forged or stale state
        turn.state.pending_entry = None
        return anything_else(turn, Speech(turn.line("diary_off")))
    turn.profile.diary_consent = True
    entry = Entry.from_dict(turn.state.pending_entry or {})
    turn.state.pending_entry = None
    return save(turn, entry) if entry else anything_else(turn)


def consent_refused(turn: Turn) -> Response:
    turn.state.pending_entry = None
    return anything_else(turn, Speech(turn.line("diary_declined")))


def save(turn: Turn, entry: Entry) -> Response:
    """One atomic write; if the store fails, say so plainly and keep going. A date
    before the diary's retention is not stored, and the skill says so."""
    if too_old(entry, turn.now):
        return anything_else(turn, Speech(turn.line("diary_too_old")))
    try:
        turn.diary.add(turn.user_id or "", entry, turn.now)
    except Exception:
        log.exception("could not write a diary entry")
        return anything_else(turn, Speech(turn.line("diary_failed")))
    place = turn.content.place(entry.muscle, entry.side)
    noted = turn.line("diary_logged", place=place, day=day_words(turn, entry))
    return anything_else(turn, Speech(noted))


def entry_from_request(turn: Turn) -> Entry:
    """When, where, and at night: a date said ("yesterday"), or "at night" said by day
    (last night), or else now."""
    at_night = turn.slot("situation").id == NIGHT
    said = said_date(turn.slot("when").value)
    today = turn.local_now.date()
    zone = turn.local_now.tzinfo
    if said is not None and said < today:
        moment = datetime.combine(said, LAST_NIGHT_AT if at_night else time(12), zone)
        night: bool | None = True if at_night else None
    elif at_night and not turn.is_night:
        moment = datetime.combine(today - timedelta(days=1), LAST_NIGHT_AT, zone)
        night = True
    else:
        moment, night = turn.local_now, at_night or turn.is_night
    return Entry(
        at=moment.timestamp(),
        muscle=turn.slot("muscle").id,
        side=turn.slot("side").id,
        night=night,
    )


def said_date(value: str | None) -> date | None:
    """An AMAZON.DATE value naming one day (2026-11-21); weeks, months and the like: None."""
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def day_words(turn: Turn, entry: Entry) -> str:
    days = turn.content.days
    moment = datetime.fromtimestamp(entry.at, turn.local_now.tzinfo)
    ago = (turn.local_now.date() - moment.date()).days
    if ago == 0:
        return days["tonight"] if entry.night and turn.is_night else days["today"]
    if ago == 1:
        return days["last_night"] if entry.night else days["yesterday"]
    return moment.strftime(days["date"])


def history(turn: Turn) -> Response:
    """ "3 cramps in the last 7 days, mostly your left calf, mostly at night." """
    days = period_days(turn.slot("period").value)
    try:
        entries = turn.diary.entries(turn.user_id or "")
    except Exception:
        log.exception("could not read the diary")
        return anything_else(turn, Speech(turn.line("diary_failed")))
    summary = summarise(entries, turn.now, days * 24 * 3600)
    if summary.count == 0:
        return anything_else(turn, Speech(turn.line("diary_none", days=days)))
    parts = [
        turn.line(
            "diary_one" if summary.count == 1 else "diary_many", count=summary.count, days=days
        )
    ]
    if summary.muscle and summary.count > 1:
        place = turn.content.place(summary.muscle, summary.side)
        parts.append(turn.line("diary_mostly_place", place=place))
    if summary.mostly_at_night and summary.count > 1:
        parts.append(turn.line("diary_mostly_night"))
    speech = Speech(", ".join(parts) + ".")
    if frequent(entries, turn.now):
        turn.state.awaiting = Awaiting.ROUTINE_OFFER
        speech.say(turn.line("diary_frequent"))
        return turn.ask(speech, Speech(turn.line("diary_routine_reprompt")))
    return anything_else(turn, speech)


def period_days(duration: str | None) -> int:
    """Days in an AMAZON.DURATION such as P7D, P2W or P1M; a week when none was said."""
    match = _PERIOD.match(duration or "")
    if not match or not any(match.groups()):
        return DEFAULT_PERIOD_DAYS
    years, months, weeks, days = (int(group or 0) for group in match.groups())
    total = years * 365 + months * 30 + weeks * 7 + days
    return min(MAX_PERIOD_DAYS, max(1, total))


def delete_data(turn: Turn) -> Response:
    turn.state.awaiting = Awaiting.DELETE_CONFIRM
    return turn.ask(Speech(turn.line("delete_confirm")), Speech(turn.line("delete_reprompt")))


def delete_confirmed(turn: Turn) -> Response:
    try:
        turn.forget_user()
    except Exception:
        log.exception("could not delete a user's data")
        return anything_else(turn, Speech(turn.line("delete_failed")))
    return anything_else(turn, Speech(turn.line("deleted")))


def delete_refused(turn: Turn) -> Response:
    return anything_else(turn, Speech(turn.line("delete_declined")))


# Answers to the diary's own questions: registered early, as they answer only them.
ANSWER_ROUTES = [
    Route(consent_given, [YES], when=awaiting(Awaiting.DIARY_CONSENT)),
    Route(consent_refused, [NO], when=awaiting(Awaiting.DIARY_CONSENT)),
    Route(delete_confirmed, [YES], when=awaiting(Awaiting.DELETE_CONFIRM)),
    Route(delete_refused, [NO], when=awaiting(Awaiting.DELETE_CONFIRM)),
    Route(routine.start, [YES], when=awaiting(Awaiting.ROUTINE_OFFER)),
    Route(anything_else, [NO], when=awaiting(Awaiting.ROUTINE_OFFER)),
]
ROUTES = [
    Route(diary_off, [LOG_INTENT, HISTORY_INTENT], when=lambda turn: not diary_on(turn)),
    Route(log_cramp, [LOG_INTENT]),
    Route(history, [HISTORY_INTENT]),
    Route(delete_data, [DELETE_INTENT]),
]
