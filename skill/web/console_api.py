"""The test console's API (`/api/*`): console users held on the server.

A console user is a user id this server minted, namespaced (`console.`) so that it can
never equal an Alexa user id, and the conversation's session (its id and attributes),
all kept here. The page holds only an opaque, unguessable token for it (in its local
storage, so a reload is the same user). Nothing else the page sends is taken as identity
or state: a `session` or `user_id` in a body is refused, and a token this server did not
hand out is a 404. So no caller can read or write another user's diary, or forge a
conversation's state, through the console.

The console's skill carries the configured skill id in its envelopes (a skill with one
refuses every other id) and plays its sounds from this server.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import BadRequest, NotFound

from skill.builder import build_skill
from skill.dev.conversations import Recorder
from skill.dev.envelopes import SCREENS, envelope_for, user_event_for
from skill.dev.runner import Device, LocalSession, say, tap
from skill.reminders import LocalReminders

if TYPE_CHECKING:
    from skill.web.server import ServerConfig

# Alexa's user ids start "amzn1.ask.account."; a console user's never can.
CONSOLE_USER_PREFIX = "console."
MAX_TEXT_CHARS = 500
MAX_TOKEN_CHARS = 100
# Users held at once; the least recently used is dropped first (its stored data stays).
MAX_USERS = 1000
LOCALE = re.compile(r"^[a-z]{2}-[A-Z]{2}$")
# "Save as test" writes a user's turns from their first; past this, no more are kept.
MAX_RECORDED_TURNS = 100
TURN_FIELDS = frozenset({"user", "text", "tap", "locale", "screen", "now", "new_session"})


@dataclass
class ConsoleUser:
    """One console user: who they are to the skill, where their conversation is, and
    their turns from the first (what "Save as test" writes)."""

    user_id: str
    session: LocalSession
    recorder: Recorder = field(default_factory=Recorder)
    lock: threading.Lock = field(default_factory=threading.Lock)


class ConsoleUsers:
    """Console users by token, bounded (least recently used dropped first)."""

    def __init__(self, limit: int = MAX_USERS) -> None:
        self.limit = limit
        self._users: OrderedDict[str, ConsoleUser] = OrderedDict()
        self._lock = threading.Lock()

    def create(self) -> tuple[str, ConsoleUser]:
        token = secrets.token_urlsafe(32)
        user_id = f"{CONSOLE_USER_PREFIX}{uuid.uuid4()}"
        user = ConsoleUser(user_id, LocalSession(user_id=user_id))
        with self._lock:
            self._users[token] = user
            while len(self._users) > self.limit:
                self._users.popitem(last=False)
        return token, user

    def get(self, token: object) -> ConsoleUser:
        """The user behind a token, or NotFound (the page then starts a new user)."""
        if not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN_CHARS:
            raise BadRequest("user must be the token this server gave you")
        with self._lock:
            user = self._users.get(token)
            if user is not None:
                self._users.move_to_end(token)
        if user is None:
            raise NotFound("no such console user here (the server may have restarted)")
        return user

    def drop(self, token: str) -> None:
        with self._lock:
            self._users.pop(token, None)


class ConsoleSkills:
    """The console's skill plays its sounds from this server, at whatever address the
    browser used; Alexa's skill uses the configured HTTPS folder. One skill per address."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self._skills: dict[str, CustomSkill] = {}
        self._lock = threading.Lock()

    def for_base(self, own_audio_url: str) -> CustomSkill:
        settings = self.config.settings
        base = settings.audio_base_url or own_audio_url
        with self._lock:
            if base not in self._skills:
                if len(self._skills) > 8:  # a bounded cache: hosts come from the client
                    self._skills.clear()
                tuned = replace(settings, audio_base_url=base)
                self._skills[base] = build_skill(
                    self.config.persistence, tuned, self.config.diary, self.config.reminders
                )
            return self._skills[base]


@dataclass
class ConsoleTurn:
    """One `POST /api/say`: text (or a tap on the shown screen), locale, screen, clock."""

    text: str
    locale: str
    screen: str | None
    tap: str | None
    now: datetime | None
    new_session: bool

    @staticmethod
    def parse(data: dict) -> ConsoleTurn:
        unknown = sorted(set(data) - TURN_FIELDS)
        if unknown:
            # Above all `session` and `user_id`: identity and state live on this server.
            raise BadRequest(
                f"unknown field(s) {', '.join(unknown)}: the console's session is held on "
                "the server; send only " + ", ".join(sorted(TURN_FIELDS))
            )
        text = data.get("text", "")
        if not isinstance(text, str) or len(text) > MAX_TEXT_CHARS:
            raise BadRequest(f"text must be a string of at most {MAX_TEXT_CHARS} characters")
        locale = data.get("locale") or "en-US"
        if not isinstance(locale, str) or not LOCALE.match(locale):
            raise BadRequest("locale must look like en-US")
        screen = data.get("screen")
        if screen is not None and (not isinstance(screen, str) or screen not in SCREENS):
            raise BadRequest(f"screen must be one of {', '.join(SCREENS)}, or null")
        button = data.get("tap")
        if button is not None and (not isinstance(button, str) or len(button) > 40):
            raise BadRequest("tap must be a button id")
        new_session = data.get("new_session", False)
        if not isinstance(new_session, bool):
            raise BadRequest("new_session must be true or false")
        return ConsoleTurn(text, locale, screen, button, parse_now(data.get("now")), new_session)

    def run(
        self,
        skill: CustomSkill,
        user: ConsoleUser,
        device: Device,
        reminders: LocalReminders | None = None,
    ) -> dict:
        if self.new_session:
            user.session.session_id, user.session.attributes = None, {}
        if self.tap is not None:
            screen = self.screen or "hub"
            reply = tap(
                skill, user.session, self.tap, self.locale, self.now, screen, device, reminders
            )
        else:
            reply = say(
                skill,
                user.session,
                self.text,
                self.locale,
                self.now,
                self.screen,
                device,
                reminders,
            )
        if len(user.recorder.turns) < MAX_RECORDED_TURNS:
            recorder = user.recorder
            recorder.add(
                self.locale, self.screen, self.now, self.text, self.tap, reply, self.new_session
            )
        return reply


def parse_now(value: object) -> datetime | None:
    """The device's clock for this turn (ISO 8601 with a zone), or None for the server's."""
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise BadRequest("now must be an ISO 8601 time with a zone, like 2026-11-22T03:00:00Z")
    try:
        now = datetime.fromisoformat(value)
        if now.tzinfo is None:
            raise ValueError("no zone")
        now = now.astimezone(UTC)
    except (ValueError, OverflowError) as error:
        raise BadRequest("now must be an ISO 8601 time, like 2026-11-22T03:00:00Z") from error
    if not 2000 <= now.year <= 2100:
        raise BadRequest("now must be a time between the years 2000 and 2100")
    return now


def register(app: Flask, config: ServerConfig, body: Callable[[], dict]) -> None:
    """Add the console's routes to the app; `body` reads a request's JSON object (or
    answers 400), the same way every route of the server does."""
    users = ConsoleUsers()
    skills = ConsoleSkills(config)
    device = Device(application_id=config.settings.skill_id, inspect=True)

    def user_of(data: dict) -> tuple[str, ConsoleUser]:
        token = data.get("user")
        if token is None:
            return users.create()
        return token, users.get(token)

    @app.post("/api/say")
    def api_say() -> Response:
        data = body()
        turn = ConsoleTurn.parse(data)
        token, user = user_of(data)
        skill = skills.for_base(request.host_url.rstrip("/") + "/audio")
        with user.lock:
            reply = turn.run(skill, user, device, config.reminders)
        return jsonify({**reply, "user": token})

    @app.post("/api/recording")
    def api_recording() -> Response:
        """The conversation so far as a conversation test (YAML), for "Save as test"."""
        _, user = user_of(required_user(body()))
        with user.lock:
            return jsonify(yaml=user.recorder.yaml(), turns=len(user.recorder.turns))

    @app.post("/api/forget")
    def api_forget() -> Response:
        """Forget me: everything stored for the user is erased, and the token dropped."""
        data = required_user(body())
        token, user = user_of(data)
        with user.lock:
            config.persistence.delete_attributes(envelope_of(user.user_id))
            config.diary.delete(user.user_id)
            users.drop(token)
        return jsonify(forgotten=True)


def required_user(data: dict) -> dict:
    if set(data) != {"user"}:
        raise BadRequest('send exactly {"user": <your token>}')
    return data


def envelope_of(user_id: str) -> RequestEnvelope:
    """A request envelope naming the user: how the persistence adapters find a user."""
    envelope = envelope_for(user_event_for("forget", "en-US"), user_id, None, {})
    return DefaultSerializer().deserialize(json.dumps(envelope), RequestEnvelope)
