"""A nightly stretch reminder in Alexa's Reminders API, or in memory on a laptop.

Stretching every night is what helps (docs/clinical.md §4, P2, P3), and a reminder that Alexa
speaks at bedtime, with the skill closed, is what makes it every night. The calls run
inside a reply someone is waiting for, so they use night.py's bounded API client: a
slow or failing API costs at most its timeout and becomes one `ReminderError`, which
the conversation turns into one plain sentence.

A reminder holds no health data: its words are about stretching, never about cramps.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.services import ApiConfiguration, ServiceClientFactory, ServiceException

from skill.night import ALEXA_API_HOSTS, LOOKUP_TIMEOUT_SECONDS, BoundedApiClient
from skill.persistence import user_id

if TYPE_CHECKING:
    from ask_sdk_core.handler_input import HandlerInput
    from ask_sdk_model.interfaces.system import SystemState
    from ask_sdk_model.services.reminder_management import ReminderManagementServiceClient

log = logging.getLogger(__name__)
SCOPE = "alexa::alerts:reminders:skill:readwrite"
# Writes take longer than the settings lookup; still well inside Alexa's 8 s.
REMINDER_TIMEOUT_SECONDS = max(LOOKUP_TIMEOUT_SECONDS, 2.0)
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class Failure(StrEnum):
    """What went wrong, as far as the person needs to know."""

    UNAVAILABLE = "unavailable"  # down, slow, or an answer that makes no sense
    REFUSED = "refused"  # 401/403: the permission is missing or was withdrawn
    BUSY = "busy"  # 429
    TOO_MANY = "too_many"  # the user's reminder limit


class ReminderError(Exception):
    def __init__(self, failure: Failure, detail: str = "") -> None:
        super().__init__(f"{failure}: {detail}")
        self.failure = failure


@dataclass(frozen=True)
class Reminder:
    """A daily reminder at a local clock time ("22:15") in a device's time zone."""

    at: str
    zone: str
    text: str
    locale: str

    def __post_init__(self) -> None:
        if not _CLOCK.match(self.at):
            raise ValueError(f"not a clock time: {self.at!r}")

    @property
    def clock(self) -> time:
        return time.fromisoformat(self.at)

    def first_time(self, today: date, now: time) -> datetime:
        """The next moment it goes off: later today, or else tomorrow (local, no zone)."""
        start = datetime.combine(today, self.clock)
        return start if self.clock > now else start + timedelta(days=1)


def clock_text(moment: time) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def quarter_hour(moment: datetime) -> time:
    """The nearest quarter hour: 22:07 is 22:00, 22:08 is 22:15, 23:53 is 00:00."""
    minutes = moment.hour * 60 + moment.minute + (moment.second >= 30)
    rounded = (minutes + 7) // 15 * 15 % (24 * 60)
    return time(rounded // 60, rounded % 60)


class ReminderService(Protocol):
    """One user's reminders, as this skill may see and change them."""

    def permitted(self) -> bool: ...

    def create(self, reminder: Reminder, now: datetime) -> str: ...

    def update(self, reminder_id: str, reminder: Reminder, now: datetime) -> bool:
        """False when there is no such reminder (any more) to change."""
        ...

    def exists(self, reminder_id: str) -> bool: ...

    def delete(self, reminder_id: str) -> None: ...


class ReminderSource(Protocol):
    """Gives each request the service for its user."""

    def for_request(self, handler_input: HandlerInput) -> ReminderService: ...


def granted(handler_input: HandlerInput) -> bool:
    """Has the user allowed this skill's reminders? Alexa says so in the request: the
    scope's status, or (older requests) a consent token."""
    user = getattr(getattr(handler_input.request_envelope.context, "system", None), "user", None)
    permissions = getattr(user, "permissions", None)
    if permissions is None:
        return False
    scope = (getattr(permissions, "scopes", None) or {}).get(SCOPE)
    status = getattr(scope, "status", None)
    if status is not None:
        return getattr(status, "value", status) == "GRANTED"
    return bool(getattr(permissions, "consent_token", None))


class AlexaReminders:
    """The SDK's reminder client for one request, on the bounded API client."""

    def __init__(self, handler_input: HandlerInput, timeout: float, hosts: tuple[str, ...]) -> None:
        self.handler_input = handler_input
        self.hosts = hosts
        self.system: SystemState | None = getattr(
            handler_input.request_envelope.context, "system", None
        )
        self.timeout = timeout

    def permitted(self) -> bool:
        return granted(self.handler_input)

    def _client(self) -> ReminderManagementServiceClient:
        token = getattr(self.system, "api_access_token", None)
        endpoint = getattr(self.system, "api_endpoint", None)
        if not token or not endpoint:
            raise ReminderError(Failure.UNAVAILABLE, "no API endpoint or token in the request")
        factory = ServiceClientFactory(
            ApiConfiguration(
                serializer=DefaultSerializer(),
                api_client=BoundedApiClient(self.timeout, self.hosts),
                authorization_value=token,
                api_endpoint=endpoint,
            )
        )
        return factory.get_reminder_management_service()

    def create(self, reminder: Reminder, now: datetime) -> str:
        answer = self._call(
            "create",
            lambda c: c.create_reminder(request_body(reminder, now)),  # type: ignore[arg-type]
        )  # the SDK serialises a plain dict body the same as its ReminderRequest
        alert_token = getattr(answer, "alert_token", None)
        if not alert_token:
            raise ReminderError(Failure.UNAVAILABLE, f"no alert token in {answer!r}")
        return str(alert_token)

    def update(self, reminder_id: str, reminder: Reminder, now: datetime) -> bool:
        body = request_body(reminder, now)
        try:
            self._call(
                "update",
                lambda c: c.update_reminder(reminder_id, body),  # type: ignore[arg-type]
            )  # a plain dict body, as for create
        except _NotFound:
            return False
        return True

    def exists(self, reminder_id: str) -> bool:
        try:
            answer = self._call("get", lambda c: c.get_reminder(reminder_id))
        except _NotFound:
            return False
        status = getattr(getattr(answer, "status", None), "value", None)
        return status != "COMPLETED"

    def delete(self, reminder_id: str) -> None:
        # Gone already (deleted in the Alexa app) is what was asked for.
        with contextlib.suppress(_NotFound):
            self._call("delete", lambda c: c.delete_reminder(reminder_id))

    def _call(self, what: str, call: Callable[[ReminderManagementServiceClient], object]) -> object:
        """One API call; every failure becomes a ReminderError (or _NotFound for 404)."""
        try:
            return call(self._client())
        except ServiceException as error:
            status = error.status_code
            code = str(getattr(error.body, "code", None) or error.body or "")
            if "MAX_REMINDERS" in code.upper():
                failure = Failure.TOO_MANY
            elif status == 404:
                raise _NotFound from error
            elif status in (401, 403):
                failure = Failure.REFUSED
            elif status == 429:
                failure = Failure.BUSY
            else:
                failure = Failure.UNAVAILABLE
            log.warning("reminder %s failed: %s %s", what, status, code)
            raise ReminderError(failure, f"{what}: {status} {code}") from error


class _NotFound(Exception):
    """The reminder is not there (any more)."""


class AlexaReminderSource:
    """Production: every request talks to the Reminders API at its own apiEndpoint."""

    def __init__(
        self, timeout: float = REMINDER_TIMEOUT_SECONDS, hosts: tuple[str, ...] = ALEXA_API_HOSTS
    ) -> None:
        self.timeout = timeout
        # The API hosts the user's token may go to (the settings' `api_hosts`).
        self.hosts = hosts

    def for_request(self, handler_input: HandlerInput) -> ReminderService:
        return AlexaReminders(handler_input, self.timeout, self.hosts)


def request_body(reminder: Reminder, now: datetime) -> dict:
    """The Reminders API's body: a daily SCHEDULED_ABSOLUTE trigger in the device's zone,
    its first time the next one to come; scheduled times carry no offset, as the API
    wants, because `timeZoneId` says where they are."""
    first = reminder.first_time(now.date(), now.time())
    return {
        "requestTime": now.replace(tzinfo=None, microsecond=0).isoformat(),
        "trigger": {
            "type": "SCHEDULED_ABSOLUTE",
            "scheduledTime": first.isoformat(),
            "timeZoneId": reminder.zone,
            "recurrence": {
                "startDateTime": first.isoformat(),
                "recurrenceRules": [
                    f"FREQ=DAILY;BYHOUR={first.hour};BYMINUTE={first.minute};BYSECOND=0;INTERVAL=1;"
                ],
            },
        },
        "alertInfo": {
            "spokenInfo": {"content": [{"locale": reminder.locale, "text": reminder.text}]}
        },
        "pushNotification": {"status": "ENABLED"},
    }


class LocalReminders:
    """Reminders kept in memory, for local runs (CLI, console): permission granted, and
    each turn's change kept so the tools can show what Alexa would have set."""

    def __init__(self, reminders: dict[str, dict] | None = None) -> None:
        self._reminders: dict[str, dict] = dict(reminders or {})
        self._changes: dict[str, dict] = {}
        self._lock = threading.Lock()

    def for_request(self, handler_input: HandlerInput) -> ReminderService:
        return _LocalUser(self, user_id(handler_input.request_envelope) or "")

    def snapshot(self) -> dict[str, dict]:
        with self._lock:
            return {key: dict(value) for key, value in self._reminders.items()}

    def take_change(self, user: str) -> dict | None:
        """What this user's last turn set or stopped, once."""
        with self._lock:
            return self._changes.pop(user, None)

    def _put(self, user: str, reminder_id: str, reminder: Reminder | None) -> None:
        with self._lock:
            if reminder is None:
                gone = self._reminders.pop(reminder_id, None)
                if gone is not None:
                    self._changes[user] = {**_shown(gone), "id": reminder_id, "status": "stopped"}
                return
            stored = {"user": user, "at": reminder.at, "zone": reminder.zone}
            stored["text"] = reminder.text
            self._reminders[reminder_id] = stored
            self._changes[user] = {**_shown(stored), "id": reminder_id, "status": "set"}

    def _has(self, user: str, reminder_id: str) -> bool:
        with self._lock:
            return self._reminders.get(reminder_id, {}).get("user") == user


def _shown(stored: dict) -> dict:
    """A stored reminder as the tools show it: without the user it belongs to."""
    return {key: value for key, value in stored.items() if key != "user"}


@dataclass
class _LocalUser:
    store: LocalReminders
    user: str

    def permitted(self) -> bool:
        return True

    def create(self, reminder: Reminder, now: datetime) -> str:
        reminder_id = f"local-reminder-{uuid.uuid4()}"
        self.store._put(self.user, reminder_id, reminder)
        return reminder_id

    def update(self, reminder_id: str, reminder: Reminder, now: datetime) -> bool:
        if not self.exists(reminder_id):
            return False
        self.store._put(self.user, reminder_id, reminder)
        return True

    def exists(self, reminder_id: str) -> bool:
        return self.store._has(self.user, reminder_id)

    def delete(self, reminder_id: str) -> None:
        if self.exists(reminder_id):
            self.store._put(self.user, reminder_id, None)
