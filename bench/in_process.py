"""In-process speed: one request envelope through the skill, against the bare skill.

Each request of the mix is answered by Cramp Coach, by the baseline (the bare skill on
the SDK's stock path) and by the bare skill given Cramp Coach's planned deserializer, in
turn, the order rotated every round, so all see the same machine state (caches,
frequency, other load). This is the Lambda configuration with no table: users in memory, and the
diary on so that "log a cramp" writes an entry.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bench.baseline import bare_skill, stock_invoke
from bench.mix import RETURNING_USER, SETTINGS, USER, mix_envelopes
from bench.stats import Latency, comparison
from skill.builder import build_skill
from skill.diary import MemoryDiary
from skill.invoke import invoke
from skill.persistence import MemoryPersistenceAdapter

TARGET_P50_RATIO = 1.0
WARM_UP_ROUNDS = 50

Handler = Callable[[dict], dict]


def handlers() -> dict[str, Handler]:
    """Cramp Coach, the bare skill (stock path) and the bare skill given the planned
    deserializer, each as `envelope -> response`."""
    ours = build_skill(MemoryPersistenceAdapter({USER: RETURNING_USER}), SETTINGS, MemoryDiary())
    bare = bare_skill()
    return {
        "ours": lambda envelope: invoke(ours, envelope),
        "bare": lambda envelope: stock_invoke(bare, envelope),
        "bare_planned": lambda envelope: invoke(bare, envelope),
    }


def timed(handler: Handler, envelope: dict) -> float:
    start = time.perf_counter()
    handler(envelope)
    return time.perf_counter() - start


def measure(rounds: int, screen: str | None = None) -> dict:
    """Per request and for the whole mix: p50 and p99 of each, the ratios to the stock
    baseline, and the mix's ratio to the bare skill on the planned path."""
    runners = handlers()
    order = list(runners)
    envelopes = mix_envelopes(screen)
    samples: dict[str, dict[str, list[float]]] = {
        name: {who: [] for who in runners} for name in envelopes
    }
    for index in range(WARM_UP_ROUNDS + rounds):
        turn = order[index % 3 :] + order[: index % 3]
        for name, envelope in envelopes.items():
            for who in turn:
                elapsed = timed(runners[who], envelope)
                if index >= WARM_UP_ROUNDS:
                    samples[name][who].append(elapsed)
    per_request = {
        name: comparison(Latency.of(times["ours"]), Latency.of(times["bare"]))
        for name, times in samples.items()
    }

    def whole(who: str) -> Latency:
        return Latency.of([t for times in samples.values() for t in times[who]])

    planned = comparison(whole("ours"), whole("bare_planned"))
    return {
        "mix": comparison(whole("ours"), whole("bare")),
        "bare_planned": {**planned["bare"], "p50_ratio": planned["p50_ratio"]},
        "requests": per_request,
        "target_p50_ratio": TARGET_P50_RATIO,
    }
