"""Where users are remembered: SQLite under concurrent writers, and DynamoDB for real,
against a DynamoDB-compatible server (moto's) that the test starts on loopback."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from ask_sdk_model import RequestEnvelope, Session, User

from skill.builder import build_skill
from skill.config import Settings
from skill.diary import MAX_ENTRIES, Entry
from skill.sqlite_store import sqlite_storage
from skill.storage import Storage
from tests.conftest import START, Conversation

WRITERS = 8
ENTRIES_EACH = 25
# moto's DynamoDB answers slowly: fewer entries each, still all eight writers at once.
DYNAMODB_ENTRIES_EACH = 6
NOW = START.timestamp()


def envelope_for(user: str) -> RequestEnvelope:
    return RequestEnvelope(session=Session(user=User(user_id=user)))


def log_concurrently(storage: Storage, user: str, each: int) -> None:
    """WRITERS threads, each logging `each` cramps as fast as it can."""

    def writer(index: int) -> None:
        for n in range(each):
            storage.diary.add(user, Entry(at=NOW - index * 1000 - n, muscle="CALF"), NOW)

    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(writer, range(WRITERS)))


def check_storage(storage: Storage, each: int = ENTRIES_EACH) -> None:
    """The profile round trip, a lossless diary under concurrency, and deletion."""
    envelope = envelope_for("amzn1.ask.account.storage")
    assert storage.attributes.get_attributes(envelope) == {}
    profile = {"profile": {"hold_seconds": 20, "routine_saved_at": NOW + 0.5}}
    storage.attributes.save_attributes(envelope, profile)
    stored = storage.attributes.get_attributes(envelope)
    assert int(stored["profile"]["hold_seconds"]) == 20
    assert float(stored["profile"]["routine_saved_at"]) == NOW + 0.5

    log_concurrently(storage, "amzn1.ask.account.storage", each)
    entries = storage.diary.entries("amzn1.ask.account.storage")
    assert len(entries) == WRITERS * each, "a concurrent write was lost"
    assert storage.diary.entries("amzn1.ask.account.someone-else") == []

    storage.diary.delete("amzn1.ask.account.storage")
    storage.attributes.delete_attributes(envelope)
    assert storage.diary.entries("amzn1.ask.account.storage") == []
    assert storage.attributes.get_attributes(envelope) == {}


# ------------------------------------------------------------------ SQLite
def test_sqlite_keeps_everything_under_concurrent_writers(tmp_path: Path) -> None:
    check_storage(sqlite_storage(tmp_path))


def test_sqlite_uses_wal_and_survives_a_reopen(tmp_path: Path) -> None:
    first = sqlite_storage(tmp_path)
    first.diary.add("u", Entry(at=NOW, muscle="FOOT"), NOW)
    again = sqlite_storage(tmp_path)
    assert again.diary.entries("u") == [Entry(at=NOW, muscle="FOOT")]
    database = again.diary.database  # type: ignore[attr-defined]
    assert database.read("PRAGMA journal_mode", ())[0][0] == "wal"


def test_sqlite_caps_entries_by_number_and_age(tmp_path: Path) -> None:
    storage = sqlite_storage(tmp_path)
    storage.diary.add("u", Entry(at=NOW - 500 * 24 * 3600), NOW)
    for n in range(MAX_ENTRIES + 5):
        storage.diary.add("u", Entry(at=NOW - n), NOW)
    entries = storage.diary.entries("u")
    assert len(entries) == MAX_ENTRIES and min(e.at for e in entries) > NOW - MAX_ENTRIES


def test_local_storage_is_sqlite_under_the_data_dir(tmp_path: Path) -> None:
    storage = Settings.from_env({"CRAMP_DATA_DIR": str(tmp_path)}, local=True).storage()
    storage.diary.add("u", Entry(at=NOW), NOW)
    assert (tmp_path / "cramp-coach.sqlite3").exists()
    assert type(Settings.from_env({}).storage().diary).__name__ == "MemoryDiary"


def test_the_server_logs_cramps_concurrently_without_losing_one(tmp_path: Path) -> None:
    """Threads through the whole skill, one user, all logging at once."""
    storage = sqlite_storage(tmp_path)
    settings = Settings(diary=True)
    talk = Conversation(store=storage.attributes, settings=settings, diary=storage.diary)
    talk.say("log a cramp in my calf")
    talk.say("yes")
    user = talk.session.user_id

    def log_one(_: int) -> None:
        other = Conversation(store=storage.attributes, settings=settings)
        other.skill = talk.skill
        other.session.user_id = user
        assert "Noted" in other.say("log a cramp in my foot")["speech"]

    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(log_one, range(WRITERS * 2)))
    assert len(storage.diary.entries(user)) == 1 + WRITERS * 2


# ------------------------------------------------------------------ DynamoDB (moto server)
@pytest.fixture(scope="module")
def dynamodb() -> Iterator[object]:
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield boto3.resource(
        "dynamodb",
        endpoint_url=f"http://{host}:{port}",
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    server.stop()


def test_dynamodb_keeps_everything_under_concurrent_writers(dynamodb: object) -> None:
    from skill.dynamo import dynamo_storage

    storage = dynamo_storage("cramp-coach-test", create_table=True, resource=dynamodb)
    check_storage(storage, each=DYNAMODB_ENTRIES_EACH)


def test_a_conversation_remembers_its_user_in_dynamodb(dynamodb: object) -> None:
    from skill.dynamo import dynamo_storage

    storage = dynamo_storage("cramp-coach-conversation", create_table=True, resource=dynamodb)
    settings = Settings(diary=True)
    talk = Conversation(store=storage.attributes, settings=settings, diary=storage.diary)
    talk.say("make my holds twenty seconds")
    talk.say("log a cramp in my left calf")
    assert "Noted: a cramp in your left calf" in talk.say("yes")["speech"]
    # A new skill instance (a new Lambda container) and a new session: still known.
    talk.skill = build_skill(storage.attributes, settings, storage.diary)
    talk.new_session()
    assert "20" in talk.say("count for me")["speech"].split("And release")[0]
    assert "One cramp in the last 7 days" in talk.say("how many cramps did I have")["speech"]
    talk.say("delete my data")
    talk.say("yes")
    assert storage.diary.entries(talk.session.user_id) == []


def test_threads_share_nothing_but_the_store(tmp_path: Path) -> None:
    storage = sqlite_storage(tmp_path)
    seen: list[int] = []

    def connection_id() -> None:
        seen.append(id(storage.diary.database.connect()))  # type: ignore[attr-defined]

    threads = [threading.Thread(target=connection_id) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 3
