"""Reliability at a scale the test suite cannot afford: fuzzing with many more examples,
and the fault-injection tests (tests/test_faults.py) tabulated from their own run.

The checks are the tests' own (`harness.fuzz`, and tests/test_faults.py run as a file):
this module only runs them longer and counts what happened, so the README's table is what
was proven.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from harness.fuzz import CLIENT, check_console, check_envelope, console_bodies, envelopes

FAULTS = Path(__file__).resolve().parents[1] / "tests" / "test_faults.py"


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
    outcomes = FaultOutcomes()
    # No warnings summary: hypothesis, imported here before pytest starts, warns about it.
    pytest.main([str(FAULTS), "-q", "-p", "no:cacheprovider", "-p", "no:warnings"], [outcomes])
    return [
        {"fault": description, "survived": outcomes.passed.get(name, False)}
        for name, description in outcomes.described.items()
    ]
