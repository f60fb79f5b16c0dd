"""The soak (bench/soak.py): the local server under concurrent conversations, users in
SQLite, diary entries written all along. A short one runs with every `make test`, so the
harness keeps working; `make soak` runs the long one (CRAMP_SOAK_SECONDS, default 120),
which also holds memory to steady."""

from __future__ import annotations

import os

import pytest

from bench.soak import crash_soak, soak


def assert_nothing_went_wrong(result: dict) -> None:
    assert result["failed"] == 0, result["first_failures"]
    assert result["server_errors"] == 0, result["first_server_errors"]
    assert result["apologies"] == 0
    assert result["diary_writes"] > 0 and result["users"] > 1
    assert result["entries_lost"] == 0 and result["entries_extra"] == 0


def test_a_short_soak_loses_nothing() -> None:
    assert_nothing_went_wrong(soak(seconds=4, clients=8))


def test_a_server_killed_mid_load_loses_no_acknowledged_entry() -> None:
    result = crash_soak(seconds=6, clients=4, kills=1)
    assert result["acknowledged"] > 0
    assert result["entries_lost"] == 0
    assert result["apologies"] == 0 and result["server_errors"] == 0, result


@pytest.mark.slow
def test_a_long_soak_loses_nothing_and_holds_its_memory() -> None:
    result = soak(seconds=float(os.environ.get("CRAMP_SOAK_SECONDS", "120")), clients=16)
    assert_nothing_went_wrong(result)
    assert result["memory_steady"], result["memory_kib"]
