"""Small statistics for benchmarks: percentiles and a Cramp Coach / baseline comparison."""

from __future__ import annotations

import math
from dataclasses import dataclass


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (fraction 0.5 is the median, 0.99 the p99)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Latency:
    """Median and p99 of a set of timings, in milliseconds."""

    p50: float
    p99: float
    samples: int

    @staticmethod
    def of(seconds: list[float]) -> Latency:
        return Latency(
            p50=percentile(seconds, 0.5) * 1000,
            p99=percentile(seconds, 0.99) * 1000,
            samples=len(seconds),
        )

    def to_dict(self) -> dict:
        return {"p50_ms": round(self.p50, 3), "p99_ms": round(self.p99, 3), "n": self.samples}


def comparison(ours: Latency, bare: Latency) -> dict:
    """Both sides and their ratios, as results.json records them."""
    return {
        "ours": ours.to_dict(),
        "bare": bare.to_dict(),
        "p50_ratio": round(ours.p50 / bare.p50, 2),
        "p99_ratio": round(ours.p99 / bare.p99, 2),
    }
