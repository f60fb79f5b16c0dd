"""Users in one SQLite file: the local server's store (`cramp-coach serve`), with no set-up.

WAL mode and a connection per thread, so reads never wait for a writer. Writes from this
process take turns on a Python lock before SQLite's own: a thread waiting on the lock is
woken the moment the writer before it commits, where SQLite's busy handler sleeps in
steps of up to 100 ms (the cause of a 131 ms p99 under the server's threads) and can give
up with `database is locked`. SQLite's busy timeout still covers other processes.

A diary entry is on disk before the skill says it is noted: in WAL mode with
synchronous=NORMAL a commit reaches the disk only at the next checkpoint, and a power
cut could take it. Rather than synchronous=FULL (an fsync inside the commit, while every
other writer waits), a durable transaction commits and then, outside the writer lock,
fsyncs the WAL file, which holds the commit: concurrent diary writes share the disk's
time instead of queueing for it. Profile writes are not synced (losing the last
settings change to a power cut is harmless). `make bench` measures what syncing costs.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model import RequestEnvelope

from skill.diary import MAX_AGE_SECONDS, MAX_ENTRIES, Entry, too_old
from skill.persistence import user_id
from skill.storage import STORE_TIMEOUT_SECONDS, Storage

DATABASE_NAME = "cramp-coach.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS attributes (user_id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS diary (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    at REAL NOT NULL,
    entry TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS diary_by_user ON diary (user_id, at);
CREATE TABLE IF NOT EXISTS diary_counts (user_id TEXT PRIMARY KEY, entries INTEGER NOT NULL);
INSERT OR IGNORE INTO diary_counts SELECT user_id, count(*) FROM diary GROUP BY user_id;
"""


class SqliteDatabase:
    """One SQLite file in WAL mode, a connection per thread (sqlite3 connections must not
    be shared across threads), and one writer at a time per process."""

    def __init__(self, path: Path, timeout: float = STORE_TIMEOUT_SECONDS) -> None:
        self.path = path
        self.wal_path = path.with_name(path.name + "-wal")
        self.timeout = timeout
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._writer = threading.Lock()
        connection = self.connect()
        connection.execute("PRAGMA journal_mode=WAL")
        connection.executescript(_SCHEMA)

    def connect(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            connection.execute("PRAGMA synchronous = NORMAL")
            self._local.connection = connection
        return connection

    @contextmanager
    def transaction(self, durable: bool = False) -> Iterator[sqlite3.Connection]:
        """One immediate transaction: all of it happens, or none. `durable`: on disk
        before this returns, so it survives a power loss."""
        connection = self.connect()
        if not self._writer.acquire(timeout=self.timeout):
            raise sqlite3.OperationalError("the database is busy")
        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
        finally:
            self._writer.release()
        if durable:
            self.sync()

    def sync(self) -> None:
        """Every commit so far on disk: the WAL file (where commits are until a
        checkpoint) fsynced. Without a WAL file, every commit has been checkpointed
        into the database file, which a checkpoint syncs."""
        try:
            descriptor = os.open(self.wal_path, os.O_RDONLY)
        except FileNotFoundError:
            return
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def write(self, statements: list[tuple[str, tuple]]) -> None:
        """Run statements in one immediate transaction."""
        with self.transaction() as connection:
            for sql, parameters in statements:
                connection.execute(sql, parameters)

    def read(self, sql: str, parameters: tuple) -> list[tuple]:
        return self.connect().execute(sql, parameters).fetchall()


class SqlitePersistenceAdapter(AbstractPersistenceAdapter):
    """ask-sdk-core's persistence interface on SQLite: a JSON document per user id."""

    def __init__(self, database: SqliteDatabase) -> None:
        self.database = database

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict:
        rows = self.database.read(
            "SELECT data FROM attributes WHERE user_id = ?", (user_id(request_envelope) or "",)
        )
        return json.loads(rows[0][0]) if rows else {}

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict) -> None:
        key = user_id(request_envelope)
        if key:
            self.database.write(
                [
                    (
                        "INSERT INTO attributes (user_id, data) VALUES (?, ?) "
                        "ON CONFLICT (user_id) DO UPDATE SET data = excluded.data",
                        (key, json.dumps(attributes)),
                    )
                ]
            )

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        self.database.write(
            [("DELETE FROM attributes WHERE user_id = ?", (user_id(request_envelope) or "",))]
        )


class SqliteDiary:
    """Diary entries as rows, and each user's number of entries beside them (kept in
    the same transactions), so an add never counts or scans the user's diary. An add is
    one durable transaction: the insert, and trimming only when there is something to
    trim: entries past the retention period (the oldest one, found through the
    (user_id, at) index, says whether there are any), or the oldest others over the cap."""

    def __init__(self, database: SqliteDatabase) -> None:
        self.database = database

    def add(self, user_id: str, entry: Entry, now: float) -> None:
        if not too_old(entry, now):
            with self.database.transaction(durable=True) as connection:
                self.add_in(connection, user_id, entry, now)

    @staticmethod
    def add_in(connection: sqlite3.Connection, user_id: str, entry: Entry, now: float) -> None:
        """The add's statements, inside the caller's transaction."""
        new = connection.execute(
            "INSERT INTO diary (user_id, at, entry) VALUES (?, ?, ?)",
            (user_id, entry.at, json.dumps(entry.to_dict())),
        ).lastrowid
        (count,) = connection.execute(
            "INSERT INTO diary_counts (user_id, entries) VALUES (?, 1) ON CONFLICT "
            "(user_id) DO UPDATE SET entries = entries + 1 RETURNING entries",
            (user_id,),
        ).fetchone()
        kept = count
        (oldest,) = connection.execute(
            "SELECT min(at) FROM diary WHERE user_id = ?", (user_id,)
        ).fetchone()
        if oldest < now - MAX_AGE_SECONDS:
            kept -= connection.execute(
                "DELETE FROM diary WHERE user_id = ? AND at < ?",
                (user_id, now - MAX_AGE_SECONDS),
            ).rowcount
        if kept > MAX_ENTRIES:
            # The oldest of the others: the entry just said to be noted stays.
            kept -= connection.execute(
                "DELETE FROM diary WHERE id IN (SELECT id FROM diary WHERE user_id = ? "
                "AND id != ? ORDER BY at LIMIT ?)",
                (user_id, new, kept - MAX_ENTRIES),
            ).rowcount
        if kept != count:
            connection.execute(
                "UPDATE diary_counts SET entries = ? WHERE user_id = ?", (kept, user_id)
            )

    def entries(self, user_id: str) -> list[Entry]:
        rows = self.database.read(
            "SELECT entry FROM diary WHERE user_id = ? ORDER BY at", (user_id,)
        )
        return [e for e in (Entry.from_dict(json.loads(row[0])) for row in rows) if e]

    def delete(self, user_id: str) -> None:
        with self.database.transaction(durable=True) as connection:
            connection.execute("DELETE FROM diary WHERE user_id = ?", (user_id,))
            connection.execute("DELETE FROM diary_counts WHERE user_id = ?", (user_id,))


def sqlite_storage(directory: Path, timeout: float = STORE_TIMEOUT_SECONDS) -> Storage:
    database = SqliteDatabase(directory / DATABASE_NAME, timeout)
    return Storage(SqlitePersistenceAdapter(database), SqliteDiary(database))
