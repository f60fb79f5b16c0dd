"""Faults injected where Cramp Coach meets the outside world: the user store, the diary,
Alexa's settings API, the certificate host and the disk.

In every case the person still hears help (first aid never depends on storage), or for a
request that cannot be verified Alexa gets a clean refusal; the fault is logged; and
nothing is left half-written. `make bench` runs this file and lists each test's first
docstring line, with its outcome, in the README's reliability table.
"""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model import RequestEnvelope

from skill.config import Settings
from skill.dev import cli
from skill.diary import Entry
from skill.sqlite_store import DATABASE_NAME, SqliteDatabase, sqlite_storage
from skill.storage import STORE_TIMEOUT_SECONDS
from skill.web.server import ServerConfig, create_app
from skill.web.verify import Verifier, fetch_over_https
from tests.conftest import START, Conversation
from tests.fakes import FakeAlexaApi, silent_server
from tests.test_night import ask_at, zone_skill

# Alexa gives up on an endpoint after about eight seconds; a reply must come before.
ALEXA_WAITS_SECONDS = 8
# Calls to the stores in one request: the profile's load and save, and one diary call.
STORE_CALLS_PER_REQUEST = 3
DIARY_ON = Settings(diary=True)
FIRST_AID = "Straighten your leg"
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"


class Down(OSError):
    """What a store that has gone away raises."""


class FailingStore(AbstractPersistenceAdapter):
    def get_attributes(self, request_envelope: RequestEnvelope) -> dict:
        raise Down("store unreachable")

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict) -> None:
        raise Down("store unreachable")

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        raise Down("store unreachable")


class FailingDiary:
    def add(self, *args: object) -> None:
        raise Down("disk full")

    def entries(self, *args: object) -> list[Entry]:
        raise Down("disk full")

    def delete(self, *args: object) -> None:
        raise Down("disk full")


def reply_within_alexas_wait(talk: Conversation, words: str) -> dict:
    """The reply, which must come while Alexa is still waiting for it."""
    began = time.monotonic()
    reply = talk.say(words)
    assert time.monotonic() - began < ALEXA_WAITS_SECONDS, f"{words!r} took too long"
    return reply


# ------------------------------------------------------------------ the user store
def test_a_store_that_fails_every_call(caplog: pytest.LogCaptureFixture) -> None:
    """User store failing on every call: first aid and counted holds as usual, deleting
    says it could not; logged."""
    talk = Conversation(store=FailingStore(), settings=DIARY_ON, diary=FailingDiary())
    reply = talk.say("my calf is cramping")
    assert FIRST_AID in reply["speech"]
    assert "And release" in talk.say("ready")["speech"]
    assert "rub the calf" in talk.say("next")["speech"]
    talk.say("delete my data")
    assert "couldn't delete your data" in talk.say("yes")["speech"]
    assert "could not load the user's profile" in caplog.text


def test_a_failing_diary_is_said_plainly(caplog: pytest.LogCaptureFixture) -> None:
    """Diary failing: "that wasn't noted" and "couldn't reach your diary", first aid as
    usual; logged."""
    talk = Conversation(settings=DIARY_ON, diary=FailingDiary())
    talk.say("log a cramp in my calf")
    assert "couldn't reach your diary" in talk.say("yes")["speech"]
    assert "couldn't reach your diary" in talk.say("how many cramps did I have")["speech"]
    assert FIRST_AID in talk.say("my calf is cramping")["speech"]
    assert "could not write a diary entry" in caplog.text


def test_a_locked_sqlite_file(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """SQLite file locked by another writer: help within Alexa's wait, the write given up
    and logged, nothing half-written once the lock is gone."""
    assert STORE_TIMEOUT_SECONDS * STORE_CALLS_PER_REQUEST < ALEXA_WAITS_SECONDS - 1
    storage = sqlite_storage(tmp_path, timeout=0.3)
    talk = Conversation(store=storage.attributes, settings=DIARY_ON, diary=storage.diary)
    talk.say("log a cramp in my calf")
    talk.say("yes")
    user = talk.session.user_id
    blocker = sqlite3.connect(tmp_path / DATABASE_NAME, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # holds the write lock, as a stuck process would
    try:
        heard = reply_within_alexas_wait(talk, "make my holds twenty seconds")["speech"]
        assert "20 seconds" in heard
        assert FIRST_AID in reply_within_alexas_wait(talk, "my calf is cramping")["speech"]
        assert "wasn't noted" in reply_within_alexas_wait(talk, "log a cramp in my foot")["speech"]
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert [entry.muscle for entry in storage.diary.entries(user)] == ["CALF"]
    assert "could not save the user's profile" in caplog.text
    assert "could not write a diary entry" in caplog.text


def test_a_write_that_fails_half_way(tmp_path: Path) -> None:
    """A SQLite write failing half-way through: the whole transaction is rolled back."""
    database = SqliteDatabase(tmp_path / DATABASE_NAME)
    insert = ("INSERT INTO diary (user_id, at, entry) VALUES (?, ?, ?)", ("u", 1.0, "{}"))
    with pytest.raises(sqlite3.OperationalError):
        database.write([insert, ("INSERT INTO no_such_table VALUES (1)", ())])
    assert database.read("SELECT count(*) FROM diary", ()) == [(0,)]


def dynamodb_at(endpoint: str) -> object:
    from skill.dynamo import bounded_resource

    return bounded_resource(
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def test_an_unreachable_dynamodb(caplog: pytest.LogCaptureFixture) -> None:
    """DynamoDB refusing connections: first aid as usual; logged."""
    from skill.dynamo import dynamo_storage

    storage = dynamo_storage("missing", resource=dynamodb_at("http://127.0.0.1:9"))
    talk = Conversation(store=storage.attributes, diary=storage.diary)
    assert FIRST_AID in reply_within_alexas_wait(talk, "my calf is cramping")["speech"]
    assert "could not load the user's profile" in caplog.text


def test_a_dynamodb_that_never_answers(caplog: pytest.LogCaptureFixture) -> None:
    """DynamoDB accepting connections and never answering: it is given up on within the
    store's time budget, and first aid comes while Alexa still waits; logged."""
    from skill.dynamo import dynamo_storage

    with silent_server() as address:
        storage = dynamo_storage("hung", resource=dynamodb_at(f"http://{address}"))
        talk = Conversation(store=storage.attributes, diary=storage.diary)
        assert FIRST_AID in reply_within_alexas_wait(talk, "my calf is cramping")["speech"]
    assert "could not load the user's profile" in caplog.text


# ------------------------------------------------------------------ Alexa's settings API
@pytest.mark.parametrize("mode", ["error", "slow"])
def test_a_failing_or_slow_settings_api(
    api: FakeAlexaApi, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Settings API failing or too slow: the configured time zone is used at once, and the
    failure is remembered for a while rather than retried every turn; logged."""
    api.mode = mode
    skill = zone_skill(default="Asia/Tokyo")  # 15:00 UTC is midnight in Tokyo
    began = time.monotonic()
    ssml = ask_at(skill, api, START)
    assert time.monotonic() - began < 2.5, "the lookup must give up well before the server"
    assert 'rate="90%"' in ssml and "turn on a light" in ssml
    ask_at(skill, api, START)
    assert api.calls == 1
    assert "time zone lookup failed" in caplog.text


# ------------------------------------------------------------------ the certificate host
def test_a_certificate_host_that_never_answers(caplog: pytest.LogCaptureFixture) -> None:
    """Certificate host accepting connections and never answering: the request is refused
    with a 400 after the fetch timeout, nothing is cached, the next request tries again;
    logged."""
    fetched: list[str] = []
    with silent_server() as address:

        def fetch(url: str) -> bytes:
            fetched.append(url)
            return fetch_over_https(f"https://{address}/cert.pem", timeout=0.3)

        skill_id = "amzn1.ask.skill.faults"
        config = ServerConfig(verifier=Verifier(skill_id, fetch=fetch))
        client = create_app(config).test_client()
        headers = {"SignatureCertChainUrl": CERT_URL, "Signature-256": "c2lnbmF0dXJl"}
        # Right in every check made before the fetch: the time, and this skill's id.
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        envelope = {
            "request": {"type": "X", "timestamp": stamp},
            "context": {"System": {"application": {"applicationId": skill_id}}},
        }
        for _ in range(2):
            reply = client.post("/alexa", json=envelope, headers=headers)
            assert reply.status_code == 400
            assert "could not fetch" in reply.get_json()["error"]
    assert fetched == [CERT_URL, CERT_URL]
    assert "could not fetch" in caplog.text


# ------------------------------------------------------------------ the disk
def test_a_state_file_that_cannot_be_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cramp-coach say --state` failing to write: the old file stays whole, and no
    temporary file is left behind."""
    state = tmp_path / "night.json"
    assert cli.main(["say", "--state", str(state), "my calf is cramping"]) == 0
    before = state.read_text()

    def refuse(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        cli.main(["say", "--state", str(state), "next"])
    assert state.read_text() == before
    assert [path.name for path in tmp_path.iterdir()] == ["night.json"]
