"""POST /alexa answered in front of Flask (`AlexaRoute`) gives what the Flask route gives.

A body declared `application/json` with a length takes the short route; one declared as
another JSON type (`application/x+json`, which Flask also reads as JSON) goes through
Flask's route. Each side gets a fresh app, so neither sees the other's users.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from harness.fuzz import DAYTIME
from skill.web.server import MAX_BODY_BYTES, ServerConfig, create_app
from tests.test_envelopes import REQUESTS

SHORT = "application/json"
THROUGH_FLASK = "application/x+json"
BODIES = {
    "not JSON": b"{nope",
    "NaN": b'{"request": {"type": "LaunchRequest"}, "x": NaN}',
    "a list": b"[1, 2]",
    "no request": b'{"version": "1.0"}',
    "too deep": b'{"request": {"type": "LaunchRequest"}, "x": ' + b"[" * 40 + b"]" * 40 + b"}",
}


def app_counting_flask_calls() -> tuple[Flask, list[int]]:
    """A fresh app, and a list that grows each time Flask's own /alexa view runs."""
    app = create_app(ServerConfig(settings=DAYTIME))
    calls: list[int] = []
    view = app.view_functions["alexa"]

    def counted() -> Any:
        calls.append(1)
        return view()

    app.view_functions["alexa"] = counted
    return app, calls


def both_ways(body: bytes) -> tuple[tuple[int, object], tuple[int, object]]:
    answers = []
    for content_type, flask_calls in ((SHORT, 0), (THROUGH_FLASK, 1)):
        app, calls = app_counting_flask_calls()
        reply = app.test_client().post("/alexa", data=body, content_type=content_type)
        assert len(calls) == flask_calls, content_type
        assert reply.mimetype == "application/json"
        answers.append((reply.status_code, reply.get_json()))
    return answers[0], answers[1]


@pytest.mark.parametrize("path", REQUESTS[:12], ids=[p.name for p in REQUESTS[:12]])
def test_a_real_envelope_gets_the_same_reply_either_way(path) -> None:
    short, through_flask = both_ways(path.read_bytes())
    assert short == through_flask
    assert short[0] == 200


@pytest.mark.parametrize("case", BODIES)
def test_a_bad_body_gets_the_same_400_either_way(case: str) -> None:
    short, through_flask = both_ways(BODIES[case])
    assert short == through_flask
    assert short[0] == 400 and isinstance(short[1], dict) and short[1]["error"]


def test_what_the_short_route_does_not_take_still_gets_flasks_answers() -> None:
    app, calls = app_counting_flask_calls()
    client = app.test_client()
    assert client.get("/alexa").status_code == 405
    assert client.post("/alexa", data="{}", content_type="text/plain").status_code == 415
    assert client.get("/healthz").get_json() == {"status": "ok"}
    # Longer than any envelope: Flask refuses it as it reads it.
    body = b'{"x": "' + b"a" * MAX_BODY_BYTES + b'"}'
    reply = client.post("/alexa", data=body, content_type=SHORT)
    assert reply.status_code == 413 and reply.is_json
    assert calls == [1]
