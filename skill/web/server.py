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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.skill import CustomSkill
from flask import Flask, Response, jsonify, request, send_from_directory
from werkzeug.datastructures import EnvironHeaders, Headers
from werkzeug.exceptions import HTTPException

from skill.audio import SOUNDS_DIR, planned_ms
from skill.builder import build_skill
from skill.config import Settings
from skill.diary import DiaryStore, MemoryDiary
from skill.intake import MAX_JSON_DEPTH, NotAnEnvelope, check_envelope, depth_exceeds
from skill.invoke import invoke
from skill.persistence import MemoryPersistenceAdapter
from skill.reminders import LocalReminders
from skill.screen import document
from skill.web import console_api
from skill.web.verify import VerificationError, Verifier

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger(__name__)
AUDIO_DIR = SOUNDS_DIR
CONSOLE_DIR = Path(__file__).resolve().parents[1] / "dev" / "console"
# Alexa's requests are a few kilobytes; anything near this is not one.
MAX_BODY_BYTES = 128 * 1024
# How `cramp-coach serve` runs this app under waitress. waitress reads each request's
# headers and body itself and hands a thread only a whole request, so idle and slow
# connections cost a socket, not a thread; its defaults (100 connections, closed after
# 120 s idle) let 100 of either stop it answering. Here: room for far more connections
# (poll, not select, so file descriptors past 1024 are fine), idle ones closed after
# 20 s, headers kept small. A public server still belongs behind a reverse proxy that
# bounds connections per client (README: hosting it yourself). Two threads: Python runs
# one at a time, and a thread back from a wait (a SQLite read, a diary sync) takes the
# GIL back in no order, behind every other busy thread; requests waiting for a thread
# are served in order. Under the benchmark's eight clients, four threads had a p99 of
# 33-52 ms against two's 26-41 ms, with the same throughput (bench/NOTES.md). While one
# thread waits on a slow store or a time-zone lookup (at most 2 s and 0.5 s), the other
# keeps answering (tests/test_stalls.py); two such waits at once hold up the rest until
# one ends.
SERVE_OPTIONS: dict[str, object] = {
    "threads": 2,
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
    # The console's reminders stay on this machine; /alexa uses Alexa's Reminders API.
    reminders: LocalReminders = field(default_factory=LocalReminders)
    verifier: Verifier | None = None
    audio_dir: Path = AUDIO_DIR
    max_body_bytes: int = MAX_BODY_BYTES


def create_app(config: ServerConfig | None = None) -> Flask:
    config = config or ServerConfig()
    app = Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    alexa_skill = build_skill(config.persistence, config.settings, config.diary)

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify(status="ok")

    @app.post("/alexa")
    def alexa() -> Response | tuple[Response, int]:
        body = request.get_data(cache=False)
        return jsonify(alexa_reply(alexa_skill, config.verifier, request.headers, body))

    console_api.register(app, config, lambda: json_object(request.get_data(cache=False)))

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

    app.wsgi_app = AlexaRoute(  # type: ignore[method-assign]
        app.wsgi_app, alexa_skill, config.verifier, config.max_body_bytes
    )
    return app


def alexa_reply(
    skill: CustomSkill, verifier: Verifier | None, headers: Headers, body: bytes
) -> dict:
    """What POST /alexa answers `body` with; BadRequest or VerificationError if it is not
    an envelope for this skill (the caller makes those a 400)."""
    envelope = json_object(body)
    try:
        check_envelope(envelope)
    except NotAnEnvelope as exception:
        raise BadRequest(str(exception)) from exception
    if verifier is not None:
        verifier.verify(dict(headers), body, envelope)
    return run_skill(skill, envelope)


class AlexaRoute:
    """POST /alexa without Flask's per-request machinery, in front of the Flask app.

    Alexa's endpoint is the route under load, and Flask's request context, routing, hooks
    and response object cost about half as much CPU as the skill's whole turn
    (bench/NOTES.md). This answers the ordinary request itself: a POST to /alexa with a
    body declared as application/json and a Content-Length within the limit. Anything
    else (another path or method, another content type, no or too large a length) goes
    to the Flask app untouched, which answers it as before (405, 413, 415). Both run
    `alexa_reply`, and errors are the same short JSON, so a request gets the same answer
    either way.
    """

    def __init__(
        self,
        flask_app: WSGIApplication,
        skill: CustomSkill,
        verifier: Verifier | None,
        max_body_bytes: int,
    ) -> None:
        self.flask_app = flask_app
        self.skill = skill
        self.verifier = verifier
        self.max_body_bytes = max_body_bytes

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        length = self._length(environ)
        if length is None:
            return self.flask_app(environ, start_response)
        body = environ["wsgi.input"].read(length)
        status = 200
        try:
            reply = alexa_reply(self.skill, self.verifier, EnvironHeaders(environ), body)
        except BadRequest as exception:
            log.info("400 POST /alexa: %s", exception)
            status, reply = 400, {"error": str(exception)}
        except VerificationError as exception:
            log.warning("refused a request to /alexa: %s", exception)
            status, reply = 400, {"error": f"request verification failed: {exception}"}
        except Exception as exception:
            log.exception("unexpected error on /alexa", exc_info=exception)
            status, reply = 500, {"error": "internal error"}
        data = json.dumps(reply, separators=(",", ":")).encode()
        start_response(
            _STATUS[status],
            [("Content-Type", "application/json"), ("Content-Length", str(len(data)))],
        )
        return [data]

    def _length(self, environ: WSGIEnvironment) -> int | None:
        """The body's length if this request is one to answer here, else None."""
        if environ.get("PATH_INFO") != "/alexa" or environ.get("REQUEST_METHOD") != "POST":
            return None
        mimetype = environ.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
        if mimetype != "application/json":
            return None
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return None
        return length if 0 <= length <= self.max_body_bytes else None


_STATUS = {200: "200 OK", 400: "400 BAD REQUEST", 500: "500 INTERNAL SERVER ERROR"}


class ConfigError(Exception):
    """The server cannot start as configured; the message says what to set."""


def config_from_env(
    verify: bool | None = None, environ: Mapping[str, str] | None = None, host: str | None = None
) -> ServerConfig:
    """Settings and storage from CRAMP_* variables (a SQLite file unless a DynamoDB table
    is named). Verification is `verify` if given, else as the settings decide for a server
    on `host` (`Settings.verify_requests`), and then needs the skill id, since checking it
    is part of verifying."""
    settings = Settings.from_env(os.environ if environ is None else environ, local=True)
    if verify is None:
        verify = settings.verify_requests(host)
    if verify and not settings.skill_id:
        raise ConfigError("request verification needs CRAMP_SKILL_ID (your skill's id)")
    storage = settings.storage()
    return ServerConfig(
        settings=settings,
        persistence=storage.attributes,
        diary=storage.diary,
        verifier=Verifier(settings.skill_id) if verify and settings.skill_id else None,
    )


def app_from_env() -> Flask:
    """For any WSGI server: `gunicorn 'skill.web.server:app_from_env()'`. Where it listens
    is the WSGI server's business, so it counts as public: verification is on unless
    CRAMP_VERIFY=0, as it is for `cramp-coach serve` on a public address."""
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
