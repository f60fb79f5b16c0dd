"""What durability costs: a SQLite diary write at the cap, on disk before the skill says
"noted" (the WAL fsynced after the commit, as shipped), against the same write left to
the next checkpoint (synchronous=NORMAL, which a power loss can undo). Single-threaded,
on the machine's own disk, interleaved."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import cast

from bench.stats import Latency, comparison
from skill.diary import MAX_ENTRIES, Entry
from skill.sqlite_store import SqliteDiary, sqlite_storage

NOW = 1_800_000_000.0


def measure(writes: int) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        diary = cast(SqliteDiary, sqlite_storage(Path(scratch)).diary)
        database = diary.database
        for n in range(MAX_ENTRIES):
            diary.add("full", Entry(at=NOW - 3600 - n), NOW)
            diary.add("normal", Entry(at=NOW - 3600 - n), NOW)
        samples: dict[str, list[float]] = {"full": [], "normal": []}
        for n in range(writes):
            for user in ("full", "normal") if n % 2 else ("normal", "full"):
                started = time.perf_counter()
                if user == "full":
                    diary.add(user, Entry(at=NOW + n), NOW)
                else:  # the same statements, committed without the sync
                    with database.transaction(durable=False) as inside:
                        diary.add_in(inside, user, Entry(at=NOW + n), NOW)
                samples[user].append(time.perf_counter() - started)
    result = comparison(Latency.of(samples["full"]), Latency.of(samples["normal"]))
    return {"full": result["ours"], "normal": result["bare"], "p50_ratio": result["p50_ratio"]}
