"""Users in one SQLite file: the local server's store (`cramp-coach serve`), with no set-up.

WAL mode, a connection per thread, and every write one immediate transaction, so the
threaded server's requests never lose an entry and never wait on a Python lock.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model import RequestEnvelope

from skill.diary import MAX_AGE_SECONDS, MAX_ENTRIES, Entry
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
"""


class SqliteDatabase:
    """One SQLite file in WAL mode, with a connection per thread (sqlite3 connections must
    not be shared across threads), so the threaded server's requests never block on a
    Python lock; SQLite's own locking, with a busy timeout, serialises the writes."""

    def __init__(self, path: Path, timeout: float = STORE_TIMEOUT_SECONDS) -> None:
        self.path = path
        self.timeout = timeout
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self.connect() as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(_SCHEMA)

    def connect(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            connection.execute("PRAGMA synchronous = NORMAL")
            self._local.connection = connection
        return connection

    def write(self, statements: list[tuple[str, tuple]]) -> None:
        """Run statements in one immediate transaction: all of them happen, or none."""
        connection = self.connect()
        connection.execute("BEGIN IMMEDIATE")
        try:
            for sql, parameters in statements:
                connection.execute(sql, parameters)
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

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
    """Diary entries as rows: an insert and the trimming of old ones in one transaction."""

    def __init__(self, database: SqliteDatabase) -> None:
        self.database = database

    def add(self, user_id: str, entry: Entry, now: float) -> None:
        self.database.write(
            [
                (
                    "INSERT INTO diary (user_id, at, entry) VALUES (?, ?, ?)",
                    (user_id, entry.at, json.dumps(entry.to_dict())),
                ),
                (
                    "DELETE FROM diary WHERE user_id = ? AND (at < ? OR id NOT IN "
                    "(SELECT id FROM diary WHERE user_id = ? ORDER BY at DESC LIMIT ?))",
                    (user_id, now - MAX_AGE_SECONDS, user_id, MAX_ENTRIES),
                ),
            ]
        )

    def entries(self, user_id: str) -> list[Entry]:
        rows = self.database.read(
            "SELECT entry FROM diary WHERE user_id = ? ORDER BY at", (user_id,)
        )
        return [e for e in (Entry.from_dict(json.loads(row[0])) for row in rows) if e]

    def delete(self, user_id: str) -> None:
        self.database.write([("DELETE FROM diary WHERE user_id = ?", (user_id,))])


def sqlite_storage(directory: Path, timeout: float = STORE_TIMEOUT_SECONDS) -> Storage:
    database = SqliteDatabase(directory / DATABASE_NAME, timeout)
    return Storage(SqlitePersistenceAdapter(database), SqliteDiary(database))
