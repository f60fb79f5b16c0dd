"""In-process speed: one request envelope through the skill, against the bare skill.

Each request of the mix is answered by Cramp Coach and by the baseline alternately,
the order swapped every round, so both see the same machine state (caches, frequency,
other load). This is the Lambda configuration with no table: users in memory, and the
diary on so that "log a cramp" writes an entry.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bench.baseline import bare_skill
from bench.mix import RETURNING_USER, SETTINGS, USER, mix_envelopes
from bench.stats import Latency, comparison
from skill.builder import build_skill
from skill.diary import MemoryDiary
from skill.invoke import invoke
from skill.persistence import MemoryPersistenceAdapter

TARGET_P50_RATIO = 1.5
WARM_UP_ROUNDS = 50

Handler = Callable[[dict], dict]


def handlers() -> tuple[Handler, Handler]:
    """Cramp Coach and the bare skill, each as `envelope -> response`."""
    ours = build_skill(MemoryPersistenceAdapter({USER: RETURNING_USER}), SETTINGS, MemoryDiary())
    bare = bare_skill()
    return (lambda envelope: invoke(ours, envelope)), (lambda envelope: invoke(bare, envelope))


def timed(handler: Handler, envelope: dict) -> float:
    start = time.perf_counter()
    handler(envelope)
    return time.perf_counter() - start


def measure(rounds: int, screen: str | None = None) -> dict:
    """Per request and for the whole mix: p50 and p99 of both skills, and the ratios."""
    ours, bare = handlers()
    envelopes = mix_envelopes(screen)
    samples: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in envelopes}
    for index in range(WARM_UP_ROUNDS + rounds):
        for name, envelope in envelopes.items():
            pair = (ours, bare) if index % 2 else (bare, ours)
            first, second = (timed(handler, envelope) for handler in pair)
            mine, theirs = (second, first) if pair[0] is bare else (first, second)
            if index >= WARM_UP_ROUNDS:
                samples[name][0].append(mine)
                samples[name][1].append(theirs)
    per_request = {
        name: comparison(Latency.of(mine), Latency.of(theirs))
        for name, (mine, theirs) in samples.items()
    }
    everything = comparison(
        Latency.of([t for mine, _ in samples.values() for t in mine]),
        Latency.of([t for _, theirs in samples.values() for t in theirs]),
    )
    return {"mix": everything, "requests": per_request, "target_p50_ratio": TARGET_P50_RATIO}
