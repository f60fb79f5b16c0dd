"""The local server: audio assets and the health check (the rest arrives with issue 6)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from skill.local.server import AUDIO_DIR, create_app


@pytest.fixture
def client() -> FlaskClient:
    return create_app().test_client()


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
    "path", ["/audio/hold-99.mp3", "/audio/render.py", "/audio/..%2fpyproject.toml.mp3", "/nope"]
)
def test_anything_else_is_a_json_404(client: FlaskClient, path: str) -> None:
    reply = client.get(path)
    assert reply.status_code == 404
    assert reply.is_json and "error" in reply.get_json()
