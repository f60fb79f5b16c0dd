"""Reliability at a scale the test suite cannot afford: fuzzing with many more examples
(hypothesis, and a hundred thousand envelopes from a fast seeded bender, bench/fuzz.py),
and the fault-injection tests (tests/test_faults.py) tabulated from their own run.

The checks are the tests' own (`harness.fuzz`, and tests/test_faults.py run as a file):
this module only runs them longer and counts what happened, so the README's table is what
was proven.
"""

from __future__ import annotations

import json
import multiprocessing
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings

from bench import fuzz as bender
from harness.fuzz import (
    BASES,
    CLIENT,
    RESPONSES,
    check_console,
    check_envelope,
    check_reply,
    console_bodies,
    envelopes,
)

TESTS = Path(__file__).resolve().parents[1] / "tests"
FAULTS = TESTS / "test_faults.py"
# Issue 19's attacks on the server, each reproduced as a test.
ATTACKS = [
    TESTS / name for name in ("test_hardening.py", "test_cert_fetching.py", "test_connections.py")
]


def fuzz(envelope_examples: int, console_examples: int) -> dict:
    """Every example must pass the tests' checks (a failure raises); returns the count of
    each HTTP status seen."""
    seen: Counter = Counter()

    def many(examples: int) -> settings:
        return settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )

    @many(envelope_examples)
    @given(envelopes())
    def alexa(envelope: dict) -> None:
        seen[f"alexa {check_envelope(CLIENT, envelope)}"] += 1

    @many(console_examples)
    @given(console_bodies)
    def console(body: dict) -> None:
        seen[f"console {check_console(CLIENT, body)}"] += 1

    alexa()
    console()
    return {
        "alexa": {"tried": envelope_examples, **_statuses(seen, "alexa")},
        "console": {"tried": console_examples, **_statuses(seen, "console")},
    }


def fuzz_at_scale(examples: int, shards: int = 4) -> dict:
    """`examples` bent envelopes through the app's /alexa route, in-process: each reply
    held to the tests' checks, every error the skill's code logs counted. The work is
    split into `shards` forked processes, each with its own seed, so a shared machine
    gives the run its share of time; the counts are added up."""
    started = time.perf_counter()
    sizes = [examples // shards + (index < examples % shards) for index in range(shards)]
    with multiprocessing.get_context("fork").Pool(shards) as pool:
        tallies = pool.starmap(_fuzz_shard, enumerate(sizes))
    total: dict = {"tried": 0, "answered": 0, "refused_4xx": 0, "skill_errors": 0}
    total |= {"outside_limits": 0, "schema_checked": 0, "first_problems": []}
    for tally in tallies:
        for key, value in tally.items():
            if key in total:
                total[key] += value
    return {**total, "shards": shards, "seconds": round(time.perf_counter() - started, 1)}


def _fuzz_shard(index: int, examples: int) -> dict:
    validate = ShapeChecked()
    seed = 19 + index
    tally = bender.fuzz(
        CLIENT,
        BASES,
        examples,
        lambda client, envelope: check_reply(client, envelope, validate),
        seed,
    )
    return {**asdict(tally), "schema_checked": validate.checked}


class ShapeChecked:
    """The response schema, checked once per shape of reply (its keys, the types of its
    values, and every "type" field): a schema sees nothing else, and checking each of
    a hundred thousand replies whole would be most of the run's time. A failure is an
    AssertionError, like the tests' other checks."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.checked = 0

    def __call__(self, body: dict) -> None:
        key = json.dumps(_shape(body), sort_keys=True)
        if key in self.seen:
            return
        try:
            RESPONSES.validate(body)
        except jsonschema.ValidationError as error:
            raise AssertionError(f"not a valid response: {error.message}") from error
        self.seen.add(key)
        self.checked += 1


def _shape(value: object) -> object:
    if isinstance(value, dict):
        return {
            key: (item if key == "type" and isinstance(item, str) else _shape(item))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return sorted({json.dumps(_shape(item), sort_keys=True) for item in value})
    return type(value).__name__


def _statuses(seen: Counter, route: str) -> dict:
    return {
        "answered": seen[f"{route} 200"],
        "refused_4xx": sum(n for key, n in seen.items() if key.startswith(f"{route} 4")),
    }


class FaultOutcomes:
    """A pytest plugin: each fault test's first docstring paragraph and whether it passed
    (parametrized cases are one row, passing only if every case did)."""

    def __init__(self) -> None:
        self.described: dict[str, str] = {}
        self.passed: dict[str, bool] = {}

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            doc = (getattr(item, "obj", None).__doc__ or item.name).split("\n\n")[0]
            self.described[_function(item.nodeid)] = " ".join(doc.split())

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        name = _function(report.nodeid)
        if report.when == "call" or report.failed:
            self.passed[name] = self.passed.get(name, True) and report.passed


def _function(nodeid: str) -> str:
    return nodeid.split("::")[-1].split("[")[0]


def faults() -> list[dict]:
    return [{"fault": description, "survived": held} for description, held in _run_tests([FAULTS])]


def attacks() -> list[dict]:
    return [{"attack": description, "held": held} for description, held in _run_tests(ATTACKS)]


def _run_tests(paths: list[Path]) -> list[tuple[str, bool]]:
    """Each test's first docstring paragraph, and whether it passed."""
    outcomes = FaultOutcomes()
    # No warnings summary: hypothesis, imported here before pytest starts, warns about it.
    arguments = [*map(str, paths), "-q", "-p", "no:cacheprovider", "-p", "no:warnings"]
    pytest.main(arguments, [outcomes])
    return [
        (description, outcomes.passed.get(name, False))
        for name, description in outcomes.described.items()
    ]
