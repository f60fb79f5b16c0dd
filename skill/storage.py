"""Where users are remembered: a SQLite file (local, no set-up: `skill.sqlite_store`),
DynamoDB (any scale, `skill.dynamo`), or memory (tests, and a Lambda with no table).

Each store has two parts: ask-sdk-core's persistence adapter for the profile (loaded
once per request, saved once, only when changed) and the diary (`skill.diary`), whose
entries are written one atomic insert at a time. This module is what every store shares;
which one a deployment uses is decided by its settings (`Settings.storage`), which import
each kind only where it is used, so a Lambda cold start loads neither sqlite3 nor boto3
it does not need.
"""

from __future__ import annotations

from dataclasses import dataclass

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
