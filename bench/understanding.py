"""Local understanding: how fast it turns words into intents, and how often it is right.

For each locale with a labelled set (tests/utterances/<locale>.txt): the time to build
the understanding from the interaction model (paid once per process), utterances per
second over the whole set, and accuracy over every line, including those marked as not
understood yet. There is no baseline here: the figures stand on their own.
"""

from __future__ import annotations

import time

from harness.labelled import labelled, labelled_locales
from skill.dev.nlu import LocalUnderstanding, for_locale


def measure(rounds: int) -> dict:
    results = {}
    for locale in labelled_locales():
        rows = labelled(locale)
        started = time.perf_counter()
        understanding = for_locale(locale)
        built = time.perf_counter() - started
        heard = [row for row in rows if row.heard_by(understanding)]
        results[locale] = {
            "utterances": len(rows),
            "build_ms": round(built * 1000),
            "per_second": round(rate(understanding, [row.text for row in rows], rounds)),
            "accuracy": round(len(heard) / len(rows), 3),
            "not_understood": [row.text for row in rows if row not in heard],
        }
    return results


def rate(understanding: LocalUnderstanding, texts: list[str], rounds: int) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            understanding.understand(text)
    return rounds * len(texts) / (time.perf_counter() - started)
