"""HTTP: the local server under its WSGI server (waitress), against the bare Flask route.

Cramp Coach runs exactly as `cramp-coach serve` runs it: users in SQLite (a profile read
on every request, a diary write on one in six), the diary on. The baseline is
`bench.baseline`'s bare app under waitress with the same eight threads, keeping nothing.
Both run at once on loopback; the clients load one, then the other, round after round,
so both see the same machine. No request may fail.

Besides throughput and latency, each server's own CPU time per request (from /proc) is
reported: on a small machine the clients share the CPUs, and CPU per request says what
the server itself spends more steadily than requests per second do.
"""

from __future__ import annotations

import itertools
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ask_sdk_model import RequestEnvelope, Session, User

from bench.load import LoadResult, Script, run_load, serving
from bench.mix import RETURNING_USER, USER, mix_envelopes
from bench.stats import Latency, comparison
from skill.sqlite_store import sqlite_storage

OURS = ["-m", "skill.dev.cli", "serve"]
BARE = ["-m", "bench.baseline"]
# The local server as `make run` starts it, minus anything that could leave the machine.
OURS_ENV = {"CRAMP_VERIFY": "0", "CRAMP_LOOKUP_TIME_ZONES": "0", "CRAMP_DIARY": "1"}
WARM_UP_SECONDS = 1.0
# Against the bare route at its default settings: at least as many requests a second,
# and no worse a p99.
TARGET_THROUGHPUT_RATIO = 1.0
TARGET_P99_RATIO = 1.0


def cpu_seconds(pid: int) -> float:
    """User and system CPU a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Cycle:
    """The mix in turn, each client starting at a different request."""

    bodies: itertools.cycle

    def next_body(self) -> bytes:
        return next(self.bodies)

    def hear(self, reply: bytes) -> None:
        """The mix does not depend on what was answered."""


def scripts(bodies: list[bytes], clients: int) -> list[Script]:
    return [
        Cycle(itertools.cycle(bodies[index % len(bodies) :] + bodies[: index % len(bodies)]))
        for index in range(clients)
    ]


def seed_returning_user(data_dir: Path) -> None:
    """The mix's user has agreed to a diary, so "log a cramp" writes to SQLite."""
    envelope = RequestEnvelope(session=Session(user=User(user_id=USER)))
    sqlite_storage(data_dir).attributes.save_attributes(envelope, RETURNING_USER)


def measure(clients: int, seconds: float, rounds: int) -> dict:
    bodies = [json.dumps(envelope).encode() for envelope in mix_envelopes().values()]
    totals = {"ours": LoadResult(), "bare": LoadResult()}
    cpu = {"ours": 0.0, "bare": 0.0}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        seed_returning_user(folder)
        env = {**OURS_ENV, "CRAMP_DATA_DIR": scratch}
        with (
            serving(OURS, folder / "ours.log", env) as ours,
            serving(BARE, folder / "bare.log", {}) as bare,
        ):
            servers = {"ours": ours, "bare": bare}
            for server in servers.values():
                run_load(server.port, scripts(bodies, clients), WARM_UP_SECONDS)
            for index in range(rounds):
                order = ("ours", "bare") if index % 2 else ("bare", "ours")
                for name in order:
                    before = cpu_seconds(servers[name].process.pid)
                    result = run_load(servers[name].port, scripts(bodies, clients), seconds)
                    cpu[name] += cpu_seconds(servers[name].process.pid) - before
                    totals[name].latencies += result.latencies
                    totals[name].failures += result.failures
                    totals[name].seconds += result.seconds
    ours_result, bare_result = totals["ours"], totals["bare"]
    return {
        "clients": clients,
        "seconds": round(ours_result.seconds + bare_result.seconds, 1),
        "latency": comparison(Latency.of(ours_result.latencies), Latency.of(bare_result.latencies)),
        "throughput": {
            "ours": round(ours_result.per_second),
            "bare": round(bare_result.per_second),
            "ratio": round(ours_result.per_second / bare_result.per_second, 2),
        },
        "server_cpu_ms_per_request": {
            "ours": round(cpu["ours"] / ours_result.requests * 1000, 2),
            "bare": round(cpu["bare"] / bare_result.requests * 1000, 2),
            "ratio": round(
                (cpu["ours"] / ours_result.requests) / (cpu["bare"] / bare_result.requests), 2
            ),
        },
        "requests": {"ours": ours_result.requests, "bare": bare_result.requests},
        "failed": {"ours": len(ours_result.failures), "bare": len(bare_result.failures)},
        "first_failures": (ours_result.failures + bare_result.failures)[:5],
    }
