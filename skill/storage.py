"""Where users are remembered: a SQLite file (local, no set-up: `skill.sqlite_store`),
DynamoDB (any scale, `skill.dynamo`), or memory (tests, and a Lambda with no table).

Each store has two parts: ask-sdk-core's persistence adapter for the profile (loaded
once per request, saved once, only when changed) and the diary (`skill.diary`), whose
entries are written one atomic insert at a time. Each kind of store is imported only
where it is used, so a Lambda cold start loads neither sqlite3 nor boto3 it does not need.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

from skill.diary import DiaryStore, MemoryDiary
from skill.persistence import MemoryPersistenceAdapter

# How long a store call may wait (a locked file, a slow network) before it gives up and
# the user is helped without it. A request makes at most three calls (load, save, diary),
# and Alexa waits about eight seconds for the whole reply.
STORE_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class Storage:
    """The two halves every store provides."""

    attributes: AbstractPersistenceAdapter
    diary: DiaryStore


def memory_storage() -> Storage:
    return Storage(MemoryPersistenceAdapter(), MemoryDiary())


def storage_from_env(environ: Mapping[str, str], local: bool) -> Storage:
    """DynamoDB when CRAMP_DYNAMODB_TABLE is set; else a SQLite file under CRAMP_DATA_DIR
    for local use (default ~/.local/share/cramp-coach), or memory (Lambda's disk is not
    kept between containers)."""
    table = environ.get("CRAMP_DYNAMODB_TABLE")
    if table:
        from skill.dynamo import dynamo_storage  # boto3 only where it is used

        create = environ.get("CRAMP_DYNAMODB_CREATE", "0") == "1"
        diary_table = environ.get("CRAMP_DYNAMODB_DIARY_TABLE") or None
        return dynamo_storage(table, create_table=create, diary_table=diary_table)
    if not local:
        return memory_storage()
    from skill.sqlite_store import sqlite_storage

    default = Path.home() / ".local" / "share" / "cramp-coach"
    return sqlite_storage(Path(environ.get("CRAMP_DATA_DIR") or default))
