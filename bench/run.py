"""`make bench`: every benchmark in one run, results to bench/results.json and the README.

Speed against the bare SDK (in-process, cold start, HTTP), the local understanding, hold
timing against espeak-ng, and reliability (fuzzing at scale, a two-minute soak, the
fault-injection tests). Exits 1 if a target is missed. `--quick` runs everything small
and only prints the tables: for trying a change, not for the record.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import (
    cold_start,
    durability,
    holds,
    in_process,
    over_http,
    reliability,
    soak,
    understanding,
)
from bench.report import RENDERERS, update_readme

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results.json"
README = BENCH.parent / "README.md"
# (full, quick) sizes for each measurement.
SIZES: dict[str, tuple[Any, Any]] = {
    "in_process_rounds": (2000, 30),
    "cold_start_runs": (30, 2),
    "http": ({"clients": 8, "seconds": 4, "rounds": 7}, {"clients": 4, "seconds": 1, "rounds": 2}),
    "understanding_rounds": (5, 1),
    "durability_writes": (300, 20),
    "fuzz": ((2000, 1000), (50, 30)),
    # (envelopes, forked shards): shards take a shared machine's share of time.
    "fuzz_at_scale": ((100_000, 10), (300, 2)),
    "soak": ({"seconds": 120, "clients": 16}, {"seconds": 3, "clients": 4}),
    "crash_soak": (
        {"seconds": 40, "clients": 8, "kills": 4},
        {"seconds": 6, "clients": 4, "kills": 1},
    ),
}


def measure(quick: bool) -> dict:
    size = {name: pair[quick] for name, pair in SIZES.items()}
    return {
        "machine": {
            "when": datetime.now(UTC).strftime("%Y-%m-%d"),
            "python": platform.python_version(),
            "system": f"{platform.system()} {platform.machine()}",
            "cpus": os.cpu_count(),
        },
        "in_process": {
            "speaker": in_process.measure(size["in_process_rounds"]),
            "screen": in_process.measure(size["in_process_rounds"], screen="hub"),
        },
        "cold_start": cold_start.measure(size["cold_start_runs"]),
        "http": over_http.measure(**size["http"]),
        "durability": durability.measure(size["durability_writes"]),
        "understanding": understanding.measure(size["understanding_rounds"]),
        "holds": [
            {**asdict(row), "error": round(row.error, 4)}
            for style in holds.STYLES
            for row in (holds.measure(seconds, style) for seconds in holds.LENGTHS)
        ],
        "reliability": measure_reliability(size),
    }


def measure_reliability(size: dict) -> dict:
    return {
        "fuzz": reliability.fuzz(*size["fuzz"]),
        "fuzz_at_scale": reliability.fuzz_at_scale(*size["fuzz_at_scale"]),
        "soak": soak.soak(**size["soak"]),
        "crash_soak": soak.crash_soak(**size["crash_soak"]),
        "faults": reliability.faults(),
        "attacks": reliability.attacks(),
    }


def missed_targets(results: dict) -> list[str]:
    """Every target the results miss, in words."""
    missed = []
    for device, mix in results["in_process"].items():
        if mix["mix"]["p50_ratio"] > mix["target_p50_ratio"]:
            missed.append(f"in-process p50 ratio ({device}) {mix['mix']['p50_ratio']}")
    cold = results["cold_start"]
    if cold["shipped_bytecode"]["import_and_first_reply"]["p50_ratio"] > cold["target_ratio"]:
        missed.append("cold start ratio (same bytecode)")
    if cold["shipped_vs_stock"]["p50_ratio"] > cold["target_ratio_stock"]:
        missed.append("cold start ratio (bare skill without bytecode)")
    if cold["stderr_lines_at_cold_start"]["shipped_bytecode"]["lambda_function"]:
        missed.append("a cold start printed warnings")
    if any(abs(row["error"]) > holds.TARGET_ERROR for row in results["holds"]):
        missed.append("hold timing")
    http = results["http"]
    if any(http["failed"].values()):
        missed.append("HTTP requests failed")
    if http["throughput"]["ratio"] < over_http.TARGET_THROUGHPUT_RATIO:
        missed.append(f"HTTP throughput ratio {http['throughput']['ratio']}")
    if http["latency"]["p99_ratio"] > over_http.TARGET_P99_RATIO:
        missed.append(f"HTTP p99 ratio {http['latency']['p99_ratio']}")
    if http["diary"]["lost"]:
        missed.append("HTTP: acknowledged diary entries lost")
    run = results["reliability"]["soak"]
    if run["failed"] or run["apologies"] or run["server_errors"]:
        missed.append("soak errors")
    if run["entries_lost"] or run["entries_extra"] or not run["memory_steady"]:
        missed.append("soak data or memory")
    scale = results["reliability"]["fuzz_at_scale"]
    if scale["skill_errors"] or scale["outside_limits"]:
        missed.append("fuzzing at scale found errors")
    crash = results["reliability"]["crash_soak"]
    if crash["entries_lost"] or crash["apologies"] or crash["server_errors"]:
        missed.append("acknowledged entries lost, or errors, across kill -9")
    if not all(fault["survived"] for fault in results["reliability"]["faults"]):
        missed.append("a fault was not survived")
    if not all(attack["held"] for attack in results["reliability"]["attacks"]):
        missed.append("an attack was not held off")
    return missed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("--quick", action="store_true", help="small sizes; print, not record")
    parser.add_argument(
        "--http-only",
        action="store_true",
        help="measure only HTTP against the bare route, keeping the others as recorded",
    )
    parser.add_argument(
        "--reliability-only",
        action="store_true",
        help="measure only the reliability section, keeping the others as recorded",
    )
    args = parser.parse_args(argv)
    if args.http_only:
        results = json.loads(RESULTS.read_text(encoding="utf-8"))
        results["http"] = over_http.measure(**SIZES["http"][args.quick])
    elif args.reliability_only:
        size = {name: pair[args.quick] for name, pair in SIZES.items()}
        results = json.loads(RESULTS.read_text(encoding="utf-8"))
        results["reliability"] = measure_reliability(size)
    elif shutil.which(holds.ESPEAK) is None:
        print("the benchmarks need espeak-ng: apt-get install espeak-ng", file=sys.stderr)
        return 2
    else:
        results = measure(args.quick)
    if args.quick:
        for render in RENDERERS.values():
            print(render(results))
    else:
        RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        README.write_text(update_readme(README.read_text(encoding="utf-8"), results))
        print(f"wrote {RESULTS} and the tables in {README}")
    # The understanding's targets are shown (met or missed) in its own README table.
    missed = missed_targets(results) + understanding.missed_targets(results["understanding"])
    for target in missed:
        print(f"missed: {target}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
