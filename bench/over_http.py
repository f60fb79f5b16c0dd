"""HTTP: the local server under its WSGI server (waitress), against the bare Flask route.

Cramp Coach runs exactly as `cramp-coach serve` runs it: users in SQLite (a profile read
on every request, a diary write on one in six, synced to disk), the diary on. The
baseline is `bench.baseline`'s bare app under waitress at its default settings, keeping
nothing, read the SDK's stock way; the same bare app given Cramp Coach's planned
deserializer is measured too, so a faster SDK path is not mistaken for a faster skill.

All three run at once on loopback and take turns, round after round, each round in a
different order (ours, bare, planned; then planned, bare, ours; ...), after a warm-up.
On a shared machine one window can be slow for whoever is in it, so each round compares
the servers it ran back to back, and the figures are the medians over rounds with their
spread (lowest and highest round). No request may fail, and every diary entry the skill
said it noted must be in the SQLite file afterwards.

Besides throughput and latency, each server's own CPU time per request (from /proc) is
reported: on a small machine the clients share the CPUs, and CPU per request says what
the server itself spends more steadily than requests per second do.
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import statistics
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ask_sdk_model import RequestEnvelope, Session, User

from bench.load import LoadResult, Script, run_load, serving
from bench.mix import RETURNING_USER, USER, mix_envelopes
from bench.stats import Latency
from skill.sqlite_store import DATABASE_NAME, sqlite_storage

OURS = ["-m", "skill.dev.cli", "serve"]
BARE = ["-m", "bench.baseline"]
BARE_PLANNED = ["-m", "bench.baseline", "--planned"]
SERVERS = ("ours", "bare", "bare_planned")
# The local server as `make run` starts it, minus anything that could leave the machine.
OURS_ENV = {"CRAMP_VERIFY": "0", "CRAMP_LOOKUP_TIME_ZONES": "0", "CRAMP_DIARY": "1"}
WARM_UP_SECONDS = 2.0
# What the skill says once a diary entry is stored.
NOTED = b"Noted:"
DIARY = "diary"
# Against the bare route at its default settings: at least as many requests a second,
# and no worse a p99 (medians over rounds).
TARGET_THROUGHPUT_RATIO = 1.0
TARGET_P99_RATIO = 1.0


def cpu_seconds(pid: int) -> float:
    """User and system CPU a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Tally:
    """Diary entries the server said it noted, across every client and round."""

    noted: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Cycle:
    """The mix in turn, each client starting at a different request; counts the diary
    entries the server said were noted."""

    bodies: itertools.cycle
    tally: Tally
    sent: str = ""

    def next_body(self) -> bytes:
        self.sent, body = next(self.bodies)
        return body

    def hear(self, reply: bytes) -> None:
        if self.sent == DIARY and NOTED in reply:
            with self.tally.lock:
                self.tally.noted += 1


def scripts(bodies: list[tuple[str, bytes]], clients: int, tally: Tally) -> list[Script]:
    return [
        Cycle(
            itertools.cycle(bodies[index % len(bodies) :] + bodies[: index % len(bodies)]),
            tally,
        )
        for index in range(clients)
    ]


def seed_returning_user(data_dir: Path) -> None:
    """The mix's user has agreed to a diary, so "log a cramp" writes to SQLite."""
    envelope = RequestEnvelope(session=Session(user=User(user_id=USER)))
    sqlite_storage(data_dir).attributes.save_attributes(envelope, RETURNING_USER)


def diary_inserts(data_dir: Path) -> int:
    """Every diary row ever inserted (AUTOINCREMENT's counter, kept in the insert's own
    transaction), so entries trimmed at the cap still count as stored."""
    with sqlite3.connect(data_dir / DATABASE_NAME) as database:
        row = database.execute("SELECT seq FROM sqlite_sequence WHERE name = 'diary'").fetchone()
    return row[0] if row else 0


def round_order(index: int) -> tuple[str, ...]:
    """Each round a different order, so no server is always first after another."""
    rotated = SERVERS[index % len(SERVERS) :] + SERVERS[: index % len(SERVERS)]
    return rotated if index % 2 == 0 else rotated[::-1]


def one_run(result: LoadResult, cpu: float) -> dict:
    latency = Latency.of(result.latencies)
    return {
        "per_second": round(result.per_second, 1),
        "p50_ms": round(latency.p50, 3),
        "p99_ms": round(latency.p99, 3),
        "cpu_ms": round(cpu / result.requests * 1000, 3),
        "n": result.requests,
    }


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 2)


def summary(rounds: list[dict], key: str, versus: str) -> dict:
    """Ours against `versus` on one figure: each round's ratio (the two ran back to back),
    their median and spread, and each side's median."""
    ratios = [each["ours"][key] / each[versus][key] for each in rounds]
    return {
        "ours": _median([each["ours"][key] for each in rounds]),
        versus: _median([each[versus][key] for each in rounds]),
        "ratio": _median(ratios),
        "ratio_lowest": round(min(ratios), 2),
        "ratio_highest": round(max(ratios), 2),
    }


def measure(
    clients: int, seconds: float, rounds: int, ours_env: dict[str, str] | None = None
) -> dict:
    mix = mix_envelopes()
    bodies = [(name, json.dumps(envelope).encode()) for name, envelope in mix.items()]
    tally = Tally()
    measured: list[dict] = []
    failures: dict[str, list[str]] = {name: [] for name in SERVERS}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        seed_returning_user(folder)
        env = {**OURS_ENV, "CRAMP_DATA_DIR": scratch, **(ours_env or {})}
        with (
            serving(OURS, folder / "ours.log", env) as ours,
            serving(BARE, folder / "bare.log", {}) as bare,
            serving(BARE_PLANNED, folder / "planned.log", {}) as bare_planned,
        ):
            servers = {"ours": ours, "bare": bare, "bare_planned": bare_planned}
            for name, server in servers.items():
                warm = run_load(server.port, scripts(bodies, clients, tally), WARM_UP_SECONDS)
                failures[name] += warm.failures
            for index in range(rounds):
                this_round = {}
                for name in round_order(index):
                    pid = servers[name].process.pid
                    before = cpu_seconds(pid)
                    result = run_load(servers[name].port, scripts(bodies, clients, tally), seconds)
                    this_round[name] = one_run(result, cpu_seconds(pid) - before)
                    failures[name] += result.failures
                measured.append(this_round)
        stored = diary_inserts(folder)
    per_round = [
        {name: {k: v for k, v in each[name].items() if k != "n"} for name in SERVERS}
        for each in measured
    ]
    requests = {name: sum(each[name]["n"] for each in measured) for name in SERVERS}
    throughput = summary(measured, "per_second", "bare")
    planned = summary(measured, "per_second", "bare_planned")
    p50 = summary(measured, "p50_ms", "bare")
    p99 = summary(measured, "p99_ms", "bare")
    cpu = summary(measured, "cpu_ms", "bare")
    return {
        "clients": clients,
        "rounds": rounds,
        "seconds_per_round": seconds,
        "throughput": {
            **throughput,
            "bare_planned": planned["bare_planned"],
            "ratio_to_planned": planned["ratio"],
        },
        "latency": {
            "ours": {"p50_ms": p50["ours"], "p99_ms": p99["ours"], "n": requests["ours"]},
            "bare": {"p50_ms": p50["bare"], "p99_ms": p99["bare"], "n": requests["bare"]},
            "p50_ratio": p50["ratio"],
            "p99_ratio": p99["ratio"],
            "p99_ratio_lowest": p99["ratio_lowest"],
            "p99_ratio_highest": p99["ratio_highest"],
            "bare_planned": {
                "p50_ms": _median([each["bare_planned"]["p50_ms"] for each in measured]),
                "p99_ms": _median([each["bare_planned"]["p99_ms"] for each in measured]),
            },
        },
        "server_cpu_ms_per_request": {
            "ours": cpu["ours"],
            "bare": cpu["bare"],
            "bare_planned": _median([each["bare_planned"]["cpu_ms"] for each in measured]),
            "ratio": cpu["ratio"],
        },
        "per_round": per_round,
        "requests": requests,
        "failed": {name: len(failures[name]) for name in SERVERS},
        "first_failures": [line for name in SERVERS for line in failures[name]][:5],
        "diary": {"noted": tally.noted, "stored": stored, "lost": max(0, tally.noted - stored)},
    }
