"""The hold benchmark's measurement, on one short hold per style (`make bench` runs all)."""

from __future__ import annotations

import shutil

import pytest

from bench.holds import ESPEAK, STYLES, TARGET_ERROR, measure

pytestmark = pytest.mark.skipif(
    shutil.which(ESPEAK) is None,
    reason="espeak-ng is not installed (.ci/run installs it: apt-get install espeak-ng)",
)


@pytest.mark.parametrize("style", STYLES)
def test_a_measured_hold_is_within_target_of_its_plan(style: str) -> None:
    result = measure(10, style)
    assert result.measured_ms > 9_000
    assert abs(result.error) <= TARGET_ERROR
