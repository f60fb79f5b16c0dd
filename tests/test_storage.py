"""Where users are remembered: SQLite under concurrent writers, and DynamoDB for real,
against a DynamoDB-compatible server (moto's) that the test starts on loopback."""

from __future__ import annotations

import math
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
    # Each add was older than the rest: each was kept (it was said to be noted), and the
    # oldest of the others went in its place.
    assert len(entries) == MAX_ENTRIES and Entry(at=NOW - MAX_ENTRIES - 4) in entries
    assert min(e.at for e in entries) > NOW - 500 * 24 * 3600


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


# ------------------------------------------------------------------ DynamoDB capacity
class CapacityMeter:
    """Read and write capacity units of every DynamoDB call, from the calls and the
    sizes of the items they carry (DynamoDB's rules: a consistent read is 1 RCU per 4 KB
    read, at least 1; a write 1 WCU per KB written, at least 1, a failed condition too)."""

    def __init__(self, resource: object) -> None:
        self.calls: list[tuple[str, float, float]] = []
        events = resource.meta.client.meta.events  # type: ignore[attr-defined]
        events.register("provide-client-params.dynamodb.*", self._params)
        events.register("after-call.dynamodb.*", self._answered)

    def _params(self, params: dict, context: dict, **_: object) -> None:
        context["metered_params"] = params

    def _answered(self, parsed: dict, model: object, context: dict, **_: object) -> None:
        operation = model.name  # type: ignore[attr-defined]
        params = context.get("metered_params", {})
        rcu = wcu = 0.0
        if operation == "GetItem":
            rcu = read_units(item_size(parsed.get("Item") or {}), params.get("ConsistentRead"))
        elif operation == "Query":
            size = sum(item_size(item) for item in parsed.get("Items", []))
            rcu = read_units(size, params.get("ConsistentRead"))
        elif operation == "PutItem":
            wcu = max(1, math.ceil(item_size(params["Item"]) / 1024))
        elif operation in ("UpdateItem", "DeleteItem"):
            wcu = 1
        elif operation == "BatchWriteItem":
            wcu = sum(len(requests) for requests in params["RequestItems"].values())
        self.calls.append((operation, rcu, wcu))

    def reset(self) -> None:
        self.calls.clear()

    @property
    def rcu(self) -> float:
        return sum(rcu for _, rcu, _ in self.calls)

    @property
    def wcu(self) -> float:
        return sum(wcu for _, _, wcu in self.calls)


def read_units(size: int, consistent: object) -> float:
    units = max(1, math.ceil(size / 4096))
    return units if consistent else units / 2


def item_size(value: object) -> int:
    """DynamoDB's item size, near enough: names and values in bytes, numbers about one
    byte per two digits, containers a few bytes each."""
    if isinstance(value, dict):
        return 3 + sum(len(str(key).encode()) + item_size(item) for key, item in value.items())
    if isinstance(value, list | tuple | set):
        return 3 + sum(1 + item_size(item) for item in value)
    if isinstance(value, str):
        return len(value.encode())
    if isinstance(value, bytes):
        return len(value)
    if isinstance(value, bool) or value is None:
        return 1
    return len(str(value)) // 2 + 1


def full_diary(dynamodb: object, table: str, user: str) -> Storage:
    """A user at the cap: MAX_ENTRIES entries (written in batches) and the counter."""
    from skill.dynamo import COUNTER_KEY, dynamo_storage, to_dynamo

    storage = dynamo_storage(table, create_table=True, resource=dynamodb)
    diary_table = storage.diary.table  # type: ignore[attr-defined]
    with diary_table.batch_writer() as batch:
        for n in range(MAX_ENTRIES):
            entry = Entry(at=NOW - 3600 - n, muscle="CALF", side="LEFT", night=True)
            key = f"{entry.at:017.3f}#{n:08x}"
            batch.put_item(Item={"user": user, "entry": key, **to_dynamo(entry.to_dict())})
    diary_table.put_item(Item={"user": user, "entry": COUNTER_KEY, "entries": MAX_ENTRIES})
    return storage


def test_dynamodb_at_the_cap_evicts_the_oldest_other_entry(dynamodb: object) -> None:
    storage = full_diary(dynamodb, "cramp-coach-cap", "amzn1.ask.account.full")
    late_news = Entry(at=NOW - 30 * 24 * 3600, muscle="FOOT")
    storage.diary.add("amzn1.ask.account.full", late_news, NOW)
    entries = storage.diary.entries("amzn1.ask.account.full")
    assert len(entries) == MAX_ENTRIES and late_news in entries
    assert min(e.at for e in entries if e != late_news) == NOW - 3600 - (MAX_ENTRIES - 2)


def test_dynamodb_requests_cost_one_rcu_and_a_log_at_the_cap_two_rcu_three_wcu(
    dynamodb: object,
) -> None:
    user = "amzn1.ask.account.metered"
    storage = full_diary(dynamodb, "cramp-coach-metered", user)
    meter = CapacityMeter(dynamodb)
    settings = Settings(diary=True)
    talk = Conversation(store=storage.attributes, settings=settings, diary=storage.diary)
    talk.session.user_id = user
    talk.say("log a cramp in my left calf")
    talk.say("yes")  # consent: the profile is saved once
    for text in ("my calf is cramping", "next", "count thirty seconds"):
        meter.reset()
        talk.say(text)
        assert meter.rcu <= 1, (text, meter.calls)
    meter.reset()
    assert "Noted" in talk.say("log a cramp in my right foot")["speech"]
    assert meter.rcu <= 2 and meter.wcu <= 3, meter.calls
    assert len(storage.diary.entries(user)) == MAX_ENTRIES


def test_dynamodb_an_entry_past_retention_makes_room_for_a_new_one(dynamodb: object) -> None:
    from skill.diary import MAX_AGE_SECONDS
    from skill.dynamo import COUNTER_KEY, dynamo_storage

    storage = dynamo_storage("cramp-coach-retention", create_table=True, resource=dynamodb)
    user = "amzn1.ask.account.retention"
    storage.diary.add(user, Entry(at=NOW - 3600), NOW)
    later = NOW + MAX_AGE_SECONDS  # a year on: the first entry is past the retention period
    storage.diary.add(user, Entry(at=later), later)
    assert storage.diary.entries(user) == [Entry(at=later)]
    table = storage.diary.table  # type: ignore[attr-defined]
    counter = table.get_item(Key={"user": user, "entry": COUNTER_KEY})["Item"]
    assert int(counter["entries"]) == 1
    storage.diary.delete(user)
    assert "Item" not in table.get_item(Key={"user": user, "entry": COUNTER_KEY})


def test_dynamodb_two_adds_racing_for_one_eviction_keep_both_and_the_cap(
    dynamodb: object,
) -> None:
    """Another add at the cap evicts the very entry this add chose, between this add's
    query and its delete: this one finds it gone and evicts the next oldest instead."""
    from skill.dynamo import COUNTER_KEY, DynamoDiary, to_dynamo

    user = "amzn1.ask.account.race"
    storage = full_diary(dynamodb, "cramp-coach-race", user)
    table = storage.diary.table  # type: ignore[attr-defined]
    rival = Entry(at=NOW - 60, muscle="FOOT")

    class Raced(DynamoDiary):
        raced = False

        def _oldest(self, user_id: str, count: int) -> list[tuple[str, Entry]]:
            found = super()._oldest(user_id, count)
            if not self.raced:  # the rival add: its own entry in, the same oldest out
                self.raced = True
                item = {"user": user_id, "entry": f"{rival.at:017.3f}#rival000"}
                table.put_item(Item={**item, **to_dynamo(rival.to_dict())})
                table.delete_item(Key={"user": user_id, "entry": found[0][0]})
            return found

    mine = Entry(at=NOW - 30, muscle="CALF", side="RIGHT")
    Raced(table).add(user, mine, NOW)
    entries = storage.diary.entries(user)
    assert len(entries) == MAX_ENTRIES and mine in entries and rival in entries
    counter = table.get_item(Key={"user": user, "entry": COUNTER_KEY})["Item"]
    assert int(counter["entries"]) == MAX_ENTRIES
