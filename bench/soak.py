"""Soak: the local server under concurrent conversations for a bounded time, with users in
SQLite and diary entries written all along. Zero errors, zero entries lost, steady memory.

Each client holds whole conversations the way a person would (open, a cramp, next, a
counted hold, log a cramp, agreeing to a diary when asked, hear the summary, then a
warning sign), carrying the session from turn to turn, and moves to a new user every
CONVERSATIONS_PER_USER conversations. Clients work in pairs on the same users, so one
user's diary is written to from two connections at once. Every "Noted" the server says
is counted per user; afterwards the SQLite file must hold exactly those entries.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.load import Server, run_load, serving
from skill.dev.envelopes import envelope_for, request_for
from skill.dev.nlu import Recognition, for_locale
from skill.sqlite_store import DATABASE_NAME

LOCALE = "en-US"
CONVERSATION = (
    "",
    "my calf is cramping",
    "next",
    "count thirty seconds",
    "log a cramp in my left calf",
    "how many cramps have I had in the last two weeks",
    # Last: after an emergency, every turn of the session is the call (clinical.md §3a).
    "my face is drooping",
)
CONSENT_QUESTION = "Shall I keep one?"
NOTED = "Noted:"
APOLOGY = "something went wrong"
CONVERSATIONS_PER_USER = 20
SERVER = ["-m", "skill.dev.cli", "serve"]
SERVER_ENV = {"CRAMP_VERIFY": "0", "CRAMP_LOOKUP_TIME_ZONES": "0", "CRAMP_DIARY": "1"}
# Memory is "steady" if, after the first quarter of the run (caches filled, every thread
# connected), it grows by no more than this.
MEMORY_SLACK_KIB = 8 * 1024
SAMPLE_EVERY_SECONDS = 0.5


@dataclass
class Tally:
    """What the clients heard, across all of them."""

    noted: Counter = field(default_factory=Counter)
    apologies: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def heard(self, user: str, speech: str) -> None:
        with self.lock:
            if NOTED in speech:
                self.noted[user] += 1
            if APOLOGY in speech:
                self.apologies += 1


class Person:
    """One client's conversations: the script `bench.load.Client` follows."""

    def __init__(self, pair: int, readings: dict[str, Recognition], tally: Tally) -> None:
        self.pair, self.readings, self.tally = pair, readings, tally
        self.conversations = 0
        self.turn = 0
        self.session_id: str | None = None
        self.attributes: dict = {}
        self.answer_yes = False

    @property
    def user(self) -> str:
        return f"amzn1.ask.account.soak-{self.pair}-{self.conversations // CONVERSATIONS_PER_USER}"

    def next_body(self) -> bytes:
        if self.answer_yes:
            text, self.answer_yes = "yes", False
        else:
            text = CONVERSATION[self.turn]
            self.turn += 1
            if self.turn == len(CONVERSATION):
                self.turn = 0
        request = request_for(self.readings[text], LOCALE, datetime.now(UTC))
        envelope = envelope_for(request, self.user, self.session_id, self.attributes)
        self.session_id = envelope["session"]["sessionId"]
        return json.dumps(envelope).encode()

    def hear(self, body: bytes) -> None:
        reply = json.loads(body)
        response = reply.get("response") or {}
        speech = (response.get("outputSpeech") or {}).get("ssml", "")
        self.tally.heard(self.user, speech)
        self.answer_yes = CONSENT_QUESTION in speech
        if response.get("shouldEndSession") is False:
            self.attributes = reply.get("sessionAttributes") or {}
        else:
            self.session_id, self.attributes = None, {}
        if self.turn == 0 and not self.answer_yes:  # a conversation has ended
            self.conversations += 1
            self.session_id, self.attributes = None, {}


def stored_entries(data_dir: Path) -> Counter:
    with sqlite3.connect(data_dir / DATABASE_NAME) as database:
        rows = database.execute("SELECT user_id, count(*) FROM diary GROUP BY user_id")
        return Counter(dict(rows.fetchall()))


def readings_of_the_conversation() -> dict[str, Recognition]:
    """What each turn of the script means, read once, so clients spend no time on it."""
    understanding = for_locale(LOCALE)
    return {text: understanding.understand(text) for text in (*CONVERSATION, "yes")}


@dataclass
class Outcome:
    """After a run: the server's logged errors, and the diary against what was said."""

    server_errors: list[str]
    users: set[str]
    lost: int
    extra: int

    @classmethod
    def of(cls, folder: Path, log: Path, tally: Tally) -> Outcome:
        stored = stored_entries(folder)
        lines = log.read_text().splitlines()
        errors = [line for line in lines if " ERROR " in line or "Traceback" in line]
        users = set(tally.noted) | set(stored)
        return cls(
            errors,
            users,
            lost=sum(max(0, tally.noted[user] - stored[user]) for user in users),
            extra=sum(max(0, stored[user] - tally.noted[user]) for user in users),
        )


def sample_memory(server: Server, stop: threading.Event, samples: list[int]) -> None:
    while not stop.wait(SAMPLE_EVERY_SECONDS):
        samples.append(server.rss_kib())


def crash_soak(seconds: float, clients: int, kills: int) -> dict:
    """The soak's conversations while the server is killed with SIGKILL `kills` times,
    evenly through the run, and started again on the same data each time. Every entry
    the server acknowledged ("Noted") must be in the SQLite file afterwards; entries
    stored whose reply died with the server are counted, not lost. Requests sent while
    it was down fail, and are counted as such."""
    readings = readings_of_the_conversation()
    tally = Tally()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        log = folder / "server.log"
        with serving(SERVER, log, {**SERVER_ENV, "CRAMP_DATA_DIR": scratch}) as server:
            stop = threading.Event()

            def killer() -> None:
                for _ in range(kills):
                    if stop.wait(seconds / (kills + 1)):
                        return
                    server.kill_and_restart()

            thread = threading.Thread(target=killer)
            thread.start()
            people = [Person(index // 2, readings, tally) for index in range(clients)]
            result = run_load(server.port, people, seconds)
            stop.set()
            thread.join()
        outcome = Outcome.of(folder, log, tally)
    return {
        "seconds": round(result.seconds, 1),
        "clients": clients,
        "kills": kills,
        "requests": result.requests,
        "failed_while_down": len(result.failures),
        "apologies": tally.apologies,
        "server_errors": len(outcome.server_errors),
        "first_server_errors": outcome.server_errors[:3],
        "acknowledged": sum(tally.noted.values()),
        "entries_lost": outcome.lost,
        "stored_unacknowledged": outcome.extra,
    }


def soak(seconds: float, clients: int) -> dict:
    """Run the soak; every figure the README's reliability table shows."""
    readings = readings_of_the_conversation()
    tally = Tally()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        log = folder / "server.log"
        with serving(SERVER, log, {**SERVER_ENV, "CRAMP_DATA_DIR": scratch}) as server:
            samples = [server.rss_kib()]
            stop = threading.Event()
            sampler = threading.Thread(target=sample_memory, args=(server, stop, samples))
            sampler.start()
            people = [Person(index // 2, readings, tally) for index in range(clients)]
            result = run_load(server.port, people, seconds)
            stop.set()
            sampler.join()
        outcome = Outcome.of(folder, log, tally)
    settled = samples[len(samples) // 4]
    return {
        "seconds": round(result.seconds, 1),
        "clients": clients,
        "requests": result.requests,
        "per_second": round(result.per_second),
        "p50_ms": round(statistics.median(result.latencies) * 1000, 1),
        "failed": len(result.failures),
        "first_failures": result.failures[:3],
        "apologies": tally.apologies,
        "server_errors": len(outcome.server_errors),
        "first_server_errors": outcome.server_errors[:3],
        "users": len(outcome.users),
        "diary_writes": sum(tally.noted.values()),
        "entries_lost": outcome.lost,
        "entries_extra": outcome.extra,
        "memory_kib": {"start": samples[0], "settled": settled, "end": samples[-1]},
        "memory_steady": samples[-1] - settled <= MEMORY_SLACK_KIB,
    }
