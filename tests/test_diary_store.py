"""What the skill says about the diary matches what each store keeps (issue 19, items 9
and 10): a date before the retention period is said not to be noted, and is not kept; at
the cap the oldest other entry is evicted, never the one just said to be noted; a noted
entry is on disk before the skill says so (SQLite: the WAL fsynced); writers in one process never
lose an entry to `database is locked`."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from ask_sdk_model import RequestEnvelope, Session, User

from skill.config import Settings
from skill.diary import MAX_AGE_SECONDS, MAX_ENTRIES, DiaryStore, Entry, MemoryDiary
from skill.sqlite_store import sqlite_storage
from tests.conftest import START, Conversation

NOW = START.timestamp()
USER = "amzn1.ask.account.honest"


def envelope(user: str) -> RequestEnvelope:
    return RequestEnvelope(session=Session(user=User(user_id=user)))


def stores(tmp_path: Path) -> dict[str, DiaryStore]:
    return {"memory": MemoryDiary(), "sqlite": sqlite_storage(tmp_path).diary}


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_at_the_cap_the_oldest_other_entry_goes_never_the_new_one(
    kind: str, tmp_path: Path
) -> None:
    diary = stores(tmp_path)[kind]
    for n in range(MAX_ENTRIES):
        diary.add(USER, Entry(at=NOW - 3600 - n, muscle="CALF"), NOW)
    late_news = Entry(at=NOW - 10 * 24 * 3600, muscle="FOOT")  # older than all the others
    diary.add(USER, late_news, NOW)
    entries = diary.entries(USER)
    assert len(entries) == MAX_ENTRIES
    assert late_news in entries, "the entry just said to be noted was dropped"
    assert Entry(at=NOW - 3600 - (MAX_ENTRIES - 1), muscle="CALF") not in entries


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_entries_past_the_retention_period_are_dropped(kind: str, tmp_path: Path) -> None:
    diary = stores(tmp_path)[kind]
    diary.add(USER, Entry(at=NOW - MAX_AGE_SECONDS + 60), NOW)
    diary.add(USER, Entry(at=NOW - MAX_AGE_SECONDS - 60), NOW)
    later = NOW + 120
    diary.add(USER, Entry(at=later), later)
    assert diary.entries(USER) == [Entry(at=later)]


def test_a_date_before_the_retention_period_is_said_not_to_be_noted() -> None:
    talk = Conversation(settings=Settings(diary=True))
    talk.say("log a cramp in my calf")
    talk.say("yes")
    long_ago = (START - timedelta(seconds=MAX_AGE_SECONDS + 24 * 3600)).date().isoformat()
    reply = talk.say_intent("LogCrampIntent", {"muscle": "CALF", "when": long_ago})
    assert "Noted" not in reply["speech"]
    assert "didn't note it" in reply["speech"]
    assert len(talk.diary.entries(talk.session.user_id)) == 1


def test_a_date_within_the_retention_period_is_noted() -> None:
    talk = Conversation(settings=Settings(diary=True))
    talk.say("log a cramp in my calf")
    talk.say("yes")
    recent = (START - timedelta(days=300)).date().isoformat()
    reply = talk.say_intent("LogCrampIntent", {"muscle": "CALF", "when": recent})
    assert "Noted: a cramp in your calf" in reply["speech"]
    assert len(talk.diary.entries(talk.session.user_id)) == 2


def test_a_noted_entry_is_on_disk_before_the_skill_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In WAL mode with synchronous=NORMAL a commit reaches the disk only at the next
    checkpoint, so a power cut could take an entry the user was told was noted: the
    diary's commit is followed by an fsync of the WAL file before `add` returns."""
    storage = sqlite_storage(tmp_path)
    database = storage.diary.database  # type: ignore[attr-defined]
    events: list[str] = []
    database.connect().set_trace_callback(events.append)
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        events.append("fsync " + os.readlink(f"/proc/self/fd/{descriptor}"))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    storage.diary.add(USER, Entry(at=NOW), NOW)
    events.append("returned")
    inserted = next(i for i, e in enumerate(events) if e.startswith("INSERT INTO diary"))
    committed = events.index("COMMIT", inserted)
    synced = [i for i, e in enumerate(events) if e == f"fsync {database.wal_path}"]
    assert synced and committed < synced[-1] < events.index("returned")
    # Profiles stay fast: their writes are not synced.
    del events[:]
    storage.attributes.save_attributes(envelope(USER), {"profile": {"hold_seconds": 20}})
    assert not [e for e in events if e.startswith("fsync")]


def test_many_writers_in_one_process_never_hit_database_is_locked(tmp_path: Path) -> None:
    """SQLite's busy handler sleeps in steps (up to 100 ms) and can give up while others
    keep winning the lock; writers of one process queue on a lock instead and are woken
    as soon as it is free. A stress test: twice the server's threads, durable writes."""
    storage = sqlite_storage(tmp_path)
    writers, each = 16, 25

    def writer(index: int) -> None:
        for n in range(each):
            storage.diary.add(f"user-{index % 4}", Entry(at=NOW - index * 1000 - n), NOW)

    with ThreadPoolExecutor(writers) as pool:
        list(pool.map(writer, range(writers)))
    assert sum(len(storage.diary.entries(f"user-{u}")) for u in range(4)) == writers * each
