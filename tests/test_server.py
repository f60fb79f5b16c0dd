"""The local server: Alexa's endpoint, the console's API, audio, and clean 4xx answers."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from flask.testing import FlaskClient

from harness.fuzz import DAYTIME
from harness.replies import DATA
from skill.build import models
from skill.config import Settings
from skill.web.server import (
    AUDIO_DIR,
    MAX_BODY_BYTES,
    ConfigError,
    ServerConfig,
    app_from_env,
    config_from_env,
    create_app,
)
from tests.test_envelopes import FRAGMENTS, REQUESTS, check_reply, minimal_envelope

# The console runs on the real clock: never night here, so replies do not depend on it.


@pytest.fixture
def client() -> FlaskClient:
    return create_app(ServerConfig(settings=DAYTIME)).test_client()


def post_json(client: FlaskClient, path: str, data: object) -> tuple[int, dict]:
    reply = client.post(path, data=json.dumps(data), content_type="application/json")
    assert reply.is_json, reply.data[:200]
    return reply.status_code, reply.get_json()


def test_health(client: FlaskClient) -> None:
    reply = client.get("/healthz")
    assert reply.status_code == 200 and reply.get_json() == {"status": "ok"}


@pytest.mark.parametrize("name", ["hold-30", "tick", "chime"])
def test_audio_assets_are_served_as_mp3(client: FlaskClient, name: str) -> None:
    reply = client.get(f"/audio/{name}.mp3")
    assert reply.status_code == 200
    assert reply.mimetype == "audio/mpeg"
    assert reply.data == (AUDIO_DIR / f"{name}.mp3").read_bytes()


@pytest.mark.parametrize(
    "path",
    [
        "/audio/hold-99.mp3",
        "/audio/render.py",
        "/audio/..%2fpyproject.toml.mp3",
        "/nope",
        "/console/../server.py",
        "/console/index.html",
    ],
)
def test_anything_else_is_a_json_404(client: FlaskClient, path: str) -> None:
    reply = client.get(path)
    assert reply.status_code == 404
    assert reply.is_json and "error" in reply.get_json()


# ------------------------------------------------------------------ POST /alexa
@pytest.mark.parametrize("path", REQUESTS, ids=[p.name for p in REQUESTS])
def test_every_real_envelope_through_the_endpoint(client: FlaskClient, path) -> None:
    envelope = json.loads(path.read_text(encoding="utf-8"))
    status, reply = post_json(client, "/alexa", envelope)
    assert status == 200
    check_reply(envelope["request"]["type"], reply)


@pytest.mark.parametrize("path", FRAGMENTS, ids=[p.name for p in FRAGMENTS])
def test_request_fragments_in_a_minimal_envelope(client: FlaskClient, path) -> None:
    request = json.loads(path.read_text(encoding="utf-8"))
    status, reply = post_json(client, "/alexa", minimal_envelope(request))
    assert status == 200
    check_reply(request["type"], reply)


BAD_BODIES = {
    "malformed JSON": (b'{"version": "1.0", ', "application/json"),
    "a list": (b"[1, 2]", "application/json"),
    "a string": (b'"hello"', "application/json"),
    "no request": (b'{"version": "1.0"}', "application/json"),
    "request without type": (b'{"request": {"locale": "en-US"}}', "application/json"),
    "unknown request type": (b'{"request": {"type": "Nonsense"}}', "application/json"),
    "wrong types": (b'{"request": {"type": "IntentRequest", "intent": 7}}', "application/json"),
    "deep nesting": (b"[" * 100_000 + b"]" * 100_000, "application/json"),
    "not UTF-8": (b'{"request": "\xff\xfe"}', "application/json"),
}


@pytest.mark.parametrize("case", sorted(BAD_BODIES))
def test_bad_bodies_get_a_400_with_a_reason(client: FlaskClient, case: str) -> None:
    body, content_type = BAD_BODIES[case]
    reply = client.post("/alexa", data=body, content_type=content_type)
    assert reply.status_code in (400, 413), (case, reply.status_code)
    assert reply.is_json and reply.get_json()["error"]
    assert "Traceback" not in reply.get_data(as_text=True)


def test_wrong_content_type_is_415(client: FlaskClient) -> None:
    reply = client.post("/alexa", data="{}", content_type="text/plain")
    assert reply.status_code == 415 and "application/json" in reply.get_json()["error"]


def test_an_oversized_body_is_413_and_never_reaches_the_skill(client: FlaskClient) -> None:
    body = json.dumps({"request": {"type": "LaunchRequest"}, "pad": "x" * MAX_BODY_BYTES})
    reply = client.post("/alexa", data=body, content_type="application/json")
    assert reply.status_code == 413 and reply.is_json


def test_get_on_the_endpoint_is_a_json_405(client: FlaskClient) -> None:
    reply = client.get("/alexa")
    assert reply.status_code == 405 and reply.is_json


def test_a_request_for_another_skill_is_400() -> None:
    client = create_app(
        ServerConfig(settings=Settings(skill_id="amzn1.ask.skill.ours"))
    ).test_client()
    envelope = json.loads((DATA / "requests/LaunchRequest__jovo.json").read_text())
    status, reply = post_json(client, "/alexa", envelope)
    assert status == 400 and "cannot take this request" in reply["error"]


# ------------------------------------------------------------------ POST /api/say
def test_api_say_holds_a_conversation(client: FlaskClient) -> None:
    status, first = post_json(client, "/api/say", {"text": ""})
    assert status == 200 and first["intent"] == "LaunchRequest"
    status, second = post_json(
        client, "/api/say", {"text": "my calf is cramping", "user": first["user"]}
    )
    assert status == 200
    assert second["slots"]["muscle"] == {"value": "calf", "id": "CALF"}
    assert second["end_session"] is False and second["directives"] == []
    assert set(second) >= {"intent", "speech", "ssml", "reprompt", "end_session", "user"}
    assert second["user"] == first["user"]


def test_api_say_with_a_screen_shows_it_and_taps_work(client: FlaskClient) -> None:
    _, reply = post_json(client, "/api/say", {"text": "my foot is cramping", "screen": "phone"})
    assert reply["screen"]["layout"] == "portrait"
    _, tapped = post_json(
        client, "/api/say", {"tap": "skip", "user": reply["user"], "screen": "phone"}
    )
    assert tapped["intent"] == "Alexa.Presentation.APL.UserEvent"
    assert "rub the arch" in tapped["speech"]


def test_api_say_plays_tones_from_this_server(client: FlaskClient) -> None:
    _, reply = post_json(client, "/api/say", {"text": "count with beeps"})
    assert 'src="http://localhost/audio/tick.mp3"' in reply["ssml"]


@pytest.mark.parametrize(
    "body",
    [
        {"text": 5},
        {"text": "x" * 501},
        {"text": "hi", "locale": "../../etc/passwd"},
        {"text": "hi", "screen": "hologram"},
        {"text": "hi", "screen": []},
        {"text": "hi", "session": "abc"},
        {"text": "hi", "session": {"user_id": 7}},
        {"text": "hi", "session": {"user_id": "u", "attributes": []}},
        {"tap": ["next"]},
    ],
)
def test_api_say_refuses_what_it_cannot_take(client: FlaskClient, body: dict) -> None:
    status, reply = post_json(client, "/api/say", body)
    assert status == 400 and reply["error"]


def test_an_unsupported_locale_gets_en_us_words_but_no_guessed_number(
    client: FlaskClient,
) -> None:
    _, reply = post_json(client, "/api/say", {"text": "I can't breathe", "locale": "fr-FR"})
    assert reply["speech"].startswith("Call your local emergency number now")


def test_the_console_offers_every_locale(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    picker = page.split('id="locale"', 1)[1].split("</select>", 1)[0]
    assert set(re.findall(r'<option value="([^"]+)"', picker)) == set(models.LOCALES)


@pytest.mark.parametrize(("locale", "number"), [("en-GB", "999"), ("en-AU", "triple zero")])
def test_api_say_takes_the_locale(client: FlaskClient, locale: str, number: str) -> None:
    status, reply = post_json(client, "/api/say", {"text": "I can't breathe", "locale": locale})
    assert status == 200 and reply["speech"].startswith(f"Call {number} now.")


def test_the_console_page_is_served_and_self_contained(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert 'name="viewport"' in page and "/console/console.js" in page
    script = client.get("/console/console.js").get_data(as_text=True)
    for text in (page, script, client.get("/console/console.css").get_data(as_text=True)):
        assert "http://" not in text.replace("http://www.w3.org/2000/svg", "")
        assert "https://" not in text
    assert client.get("/api/apl").get_json()["type"] == "APL"


# ------------------------------------------------------------------ starting it
def test_verification_needs_the_skill_id(tmp_path) -> None:
    data = {"CRAMP_DATA_DIR": str(tmp_path)}
    with pytest.raises(ConfigError, match="CRAMP_SKILL_ID"):
        config_from_env(environ={**data, "CRAMP_VERIFY": "1"})
    config = config_from_env(environ={**data, "CRAMP_VERIFY": "1", "CRAMP_SKILL_ID": "amzn1.x"})
    assert config.verifier is not None and config.verifier.skill_id == "amzn1.x"
    assert config_from_env(environ=data, host="127.0.0.1").verifier is None


@pytest.mark.parametrize(
    ("environ", "host", "verified"),
    [
        ({}, "127.0.0.1", False),
        ({}, "0.0.0.0", True),
        ({}, None, True),  # any WSGI server: app_from_env()
        ({"CRAMP_VERIFY": "0"}, "0.0.0.0", False),
        ({"CRAMP_VERIFY": "0"}, None, False),
        ({"CRAMP_VERIFY": "1"}, "127.0.0.1", True),
    ],
)
def test_serve_and_any_wsgi_server_decide_verification_alike(
    tmp_path, monkeypatch: pytest.MonkeyPatch, environ: dict, host: str | None, verified: bool
) -> None:
    """`cramp-coach serve --host H` and `app_from_env()` read the same settings the same
    way: verification is on unless CRAMP_VERIFY=0 or the server listens on loopback only."""
    data = {"CRAMP_DATA_DIR": str(tmp_path), "CRAMP_SKILL_ID": "amzn1.x", **environ}
    assert (config_from_env(environ=data, host=host).verifier is not None) == verified
    if host is None:
        for name in ("CRAMP_VERIFY", "CRAMP_DYNAMODB_TABLE"):
            monkeypatch.delenv(name, raising=False)
        for name, value in data.items():
            monkeypatch.setenv(name, value)
        envelope = json.loads((DATA / "requests/LaunchRequest__jovo.json").read_text())
        reply = app_from_env().test_client().post("/alexa", json=envelope)
        assert ("verification failed" in reply.get_json().get("error", "")) == verified


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_runs_under_waitress_and_says_whether_it_verifies(tmp_path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "skill.dev.cli", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "CRAMP_DATA_DIR": str(tmp_path)},
    )
    try:
        assert server.stdout is not None
        banner = [server.stdout.readline(), server.stdout.readline()]
        assert "Request verification: OFF" in banner[1]
        deadline = time.monotonic() + 10
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert json.load(r) == {"status": "ok"}
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert (tmp_path / "cramp-coach.sqlite3").exists(), "users are kept in SQLite"


def test_serve_refuses_to_verify_without_a_skill_id() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "skill.dev.cli", "serve", "--verify"],
        capture_output=True,
        text=True,
        timeout=30,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 2 and "CRAMP_SKILL_ID" in result.stderr
