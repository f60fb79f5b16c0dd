"""The local server's Flask app (app factory): the skill's audio and a health check.

Alexa fetches the hold tracks over HTTPS from wherever CRAMP_AUDIO_BASE_URL points; on
a laptop this app serves the same files from the checkout's audio/ folder, so a counted
hold can be tried for real. Only the skill's own asset names are served.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, Response, jsonify, send_from_directory
from werkzeug.exceptions import HTTPException

from skill.audio import planned_ms
from skill.local.models import PROJECT_ROOT

AUDIO_DIR = PROJECT_ROOT / "audio"


def create_app(audio_dir: Path = AUDIO_DIR) -> Flask:
    app = Flask(__name__)

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify(status="ok")

    @app.get("/audio/<name>.mp3")
    def audio(name: str) -> Response:
        if name not in planned_ms():
            return error(404, f"no such sound: {name}")
        return send_from_directory(audio_dir, f"{name}.mp3", mimetype="audio/mpeg", max_age=86400)

    @app.errorhandler(HTTPException)
    def http_error(exception: HTTPException) -> tuple[Response, int]:
        """Every error as short JSON: no HTML pages, no tracebacks."""
        return error(exception.code or 500, exception.description or exception.name)

    return app


def error(status: int, reason: str) -> tuple[Response, int]:
    return jsonify(error=reason), status
