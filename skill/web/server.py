"""The local server (Flask app factory): Alexa's endpoint, the test console and its API,
the skill's audio, and a health check. The routes are the voice contract's.

`POST /alexa` is what Alexa calls: an envelope in, the skill's response envelope out,
through ask-sdk-core's own serializer and `Skill.invoke`. With verification on, a
request must prove it came from Alexa (`skill.web.verify`). Whatever a client sends,
the answer is the skill's reply or a 4xx with a short JSON reason: never a traceback.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.skill import CustomSkill
from flask import Flask, Response, jsonify, request, send_from_directory
from werkzeug.exceptions import HTTPException

from skill.audio import planned_ms
from skill.build.models import PROJECT_ROOT
from skill.builder import build_skill
from skill.config import Settings
from skill.dev.envelopes import SCREENS
from skill.dev.runner import LocalSession, say, tap
from skill.diary import DiaryStore, MemoryDiary
from skill.intake import MAX_JSON_DEPTH, NotAnEnvelope, check_envelope, depth_exceeds
from skill.invoke import invoke
from skill.persistence import MemoryPersistenceAdapter
from skill.screen import document
from skill.storage import storage_from_env
from skill.web.verify import VerificationError, Verifier

log = logging.getLogger(__name__)
AUDIO_DIR = PROJECT_ROOT / "audio"
CONSOLE_DIR = Path(__file__).resolve().parents[1] / "dev" / "console"
# Alexa's requests are a few kilobytes; anything near this is not one.
MAX_BODY_BYTES = 128 * 1024
MAX_TEXT_CHARS = 500
LOCALE = re.compile(r"^[a-z]{2}-[A-Z]{2}$")
# How `cramp-coach serve` runs this app under waitress. waitress reads each request's
# headers and body itself and hands a thread only a whole request, so idle and slow
# connections cost a socket, not a thread; its defaults (100 connections, closed after
# 120 s idle) let 100 of either stop it answering. Here: room for far more connections
# (poll, not select, so file descriptors past 1024 are fine), idle ones closed after
# 20 s, headers kept small. A public server still belongs behind a reverse proxy that
# bounds connections per client (README: hosting it yourself).
SERVE_OPTIONS: dict[str, object] = {
    "threads": 8,
    "connection_limit": 1000,
    "channel_timeout": 20,
    "cleanup_interval": 5,
    "asyncore_use_poll": True,
    "max_request_header_size": 16 * 1024,
    "max_request_body_size": MAX_BODY_BYTES,
    "ident": None,
}


class BadRequest(Exception):
    """What the client sent is not something this route takes; the message says why."""


@dataclass
class ServerConfig:
    """What the app serves with: settings, a store, and (in production) a verifier."""

    settings: Settings = field(default_factory=Settings)
    persistence: AbstractPersistenceAdapter = field(default_factory=MemoryPersistenceAdapter)
    diary: DiaryStore = field(default_factory=MemoryDiary)
    verifier: Verifier | None = None
    audio_dir: Path = AUDIO_DIR
    max_body_bytes: int = MAX_BODY_BYTES


def create_app(config: ServerConfig | None = None) -> Flask:
    config = config or ServerConfig()
    app = Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    alexa_skill = build_skill(config.persistence, config.settings, config.diary)
    console_skills = ConsoleSkills(config)

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify(status="ok")

    @app.post("/alexa")
    def alexa() -> Response | tuple[Response, int]:
        body = request.get_data(cache=False)
        envelope = json_object(body)
        try:
            check_envelope(envelope)
        except NotAnEnvelope as exception:
            raise BadRequest(str(exception)) from exception
        if config.verifier is not None:
            config.verifier.verify(request.headers, body, envelope)
        return jsonify(run_skill(alexa_skill, envelope))

    @app.post("/api/say")
    def api_say() -> Response:
        turn = ConsoleTurn.parse(json_object(request.get_data(cache=False)))
        skill = console_skills.for_base(request.host_url.rstrip("/") + "/audio")
        return jsonify(turn.run(skill))

    @app.get("/api/apl")
    def apl_document() -> Response:
        """The APL document, so the console can draw the same pictures the device does."""
        return jsonify(document())

    @app.get("/")
    def console() -> Response:
        return send_from_directory(CONSOLE_DIR, "index.html", max_age=0)

    @app.get("/console/<name>")
    def console_file(name: str) -> Response | tuple[Response, int]:
        if name not in ("console.js", "console.css"):
            return error(404, f"no such file: {name}")
        return send_from_directory(CONSOLE_DIR, name, max_age=0)

    @app.get("/audio/<name>.mp3")
    def audio(name: str) -> Response | tuple[Response, int]:
        if name not in planned_ms():
            return error(404, f"no such sound: {name}")
        return send_from_directory(
            config.audio_dir, f"{name}.mp3", mimetype="audio/mpeg", max_age=86400
        )

    @app.before_request
    def require_json() -> tuple[Response, int] | None:
        if request.url_rule is not None and request.method == "POST" and not request.is_json:
            return error(415, "send the body as application/json")
        return None

    @app.errorhandler(BadRequest)
    def bad_request(exception: BadRequest) -> tuple[Response, int]:
        log.info("400 %s %s: %s", request.method, request.path, exception)
        return error(400, str(exception))

    @app.errorhandler(VerificationError)
    def not_from_alexa(exception: VerificationError) -> tuple[Response, int]:
        log.warning("refused a request to %s: %s", request.path, exception)
        return error(400, f"request verification failed: {exception}")

    @app.errorhandler(HTTPException)
    def http_error(exception: HTTPException) -> tuple[Response, int]:
        """Every error as short JSON: no HTML pages, no tracebacks."""
        log.info("%s %s %s", exception.code, request.method, request.path)
        return error(exception.code or 500, exception.description or exception.name)

    @app.errorhandler(Exception)
    def unexpected(exception: Exception) -> tuple[Response, int]:
        log.exception("unexpected error on %s", request.path, exc_info=exception)
        return error(500, "internal error")

    return app


class ConfigError(Exception):
    """The server cannot start as configured; the message says what to set."""


def config_from_env(verify: bool | None = None, environ: dict | None = None) -> ServerConfig:
    """Settings and storage from CRAMP_* variables (a SQLite file unless a DynamoDB table
    is named). Verification is on with CRAMP_VERIFY=1 (or `verify`), and then needs the
    skill id, since checking it is part of verifying."""
    environ = dict(os.environ if environ is None else environ)
    settings = Settings.from_env(environ, local=True)
    if verify is None:
        verify = environ.get("CRAMP_VERIFY", "0") == "1"
    if verify and not settings.skill_id:
        raise ConfigError("request verification needs CRAMP_SKILL_ID (your skill's id)")
    storage = storage_from_env(environ, local=True)
    return ServerConfig(
        settings=settings,
        persistence=storage.attributes,
        diary=storage.diary,
        verifier=Verifier(settings.skill_id) if verify and settings.skill_id else None,
    )


def app_from_env() -> Flask:
    """For any WSGI server: `gunicorn 'skill.web.server:app_from_env()'`."""
    return create_app(config_from_env())


def error(status: int, reason: str) -> tuple[Response, int]:
    return jsonify(error=reason), status


def json_object(body: bytes) -> dict:
    """The body as a JSON object, or BadRequest saying what is wrong with it: not JSON,
    NaN or Infinity (not JSON either, and echoed back they make the reply invalid), or
    nested deeper than any envelope, refused before the skill runs."""
    try:
        data = json.loads(body, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exception:
        raise BadRequest("the body is not valid JSON") from exception
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object")
    if depth_exceeds(data, MAX_JSON_DEPTH):
        raise BadRequest(f"the body nests deeper than {MAX_JSON_DEPTH} levels")
    return data


def _refuse_constant(name: str) -> object:
    """NaN, Infinity and -Infinity: Python's json reads them, but JSON has no such values."""
    raise ValueError(f"{name} is not a JSON value")


def run_skill(skill: CustomSkill, envelope: dict) -> dict:
    """Invoke; an envelope the SDK cannot read, or for another skill, is the client's fault."""
    try:
        return invoke(skill, envelope)
    except AskSdkException as exception:
        # Skill id mismatch, or no handler at all for an unknown request type.
        raise BadRequest(f"the skill cannot take this request: {exception}") from exception
    except (TypeError, ValueError, AttributeError, KeyError) as exception:
        raise BadRequest("not an Alexa request envelope the SDK can read") from exception


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
                self._skills[base] = build_skill(self.config.persistence, tuned, self.config.diary)
            return self._skills[base]


@dataclass
class ConsoleTurn:
    """One `POST /api/say`: text (or a tap on the shown screen), locale, session, screen."""

    text: str
    locale: str
    session: LocalSession
    screen: str | None
    tap: str | None

    @staticmethod
    def parse(data: dict) -> ConsoleTurn:
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
        return ConsoleTurn(text, locale, session_from(data.get("session")), screen, button)

    def run(self, skill: CustomSkill) -> dict:
        if self.tap is not None:
            reply = tap(skill, self.session, self.tap, self.locale, screen=self.screen or "hub")
        else:
            reply = say(skill, self.session, self.text, self.locale, screen=self.screen)
        return {**reply, "session": self.session.to_dict()}


def session_from(data: object) -> LocalSession:
    """The session this server handed out earlier, or a new one; anything else is refused
    rather than silently replaced, so a client never loses its place unknowingly."""
    if data is None:
        return LocalSession()
    if not isinstance(data, dict) or not isinstance(data.get("user_id"), str):
        raise BadRequest("session must be one this server sent, or null")
    session = LocalSession.from_dict(data)
    if session.user_id != data["user_id"]:
        raise BadRequest("session must be one this server sent, or null")
    return session
