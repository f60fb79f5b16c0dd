"""The statistical recogniser's inference, in pure Python: no scikit-learn or numpy at run time.

`cramp-coach models` trains a linear classifier over TF-IDF word and character n-grams
from each locale's generated interaction model (skill/build/train.py, scikit-learn, dev
extras only) and writes its weights to skill/dev/recognisers/<locale>.json. Reading a
sentence is then a dictionary lookup per feature and a dot product per intent, so the
local understanding generalises like Alexa's statistical model without a heavy
dependency. A test proves this arithmetic agrees with scikit-learn on every sample.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

RECOGNISERS_DIR = Path(__file__).resolve().parent / "recognisers"
# Character n-grams are taken within each word padded by a space (scikit-learn's
# "char_wb"), so "calfs" still shares most features with "calf" and "calves".
CHAR_SIZES = (3, 4)


def features(text: str) -> list[str]:
    """The features of a normalised sentence: words, word pairs and characters within words.

    The same function is the analyser scikit-learn trains with, so training and inference
    cannot disagree about what a feature is.
    """
    words = text.split()
    found = [f"w {word}" for word in words]
    found += [f"b {left} {right}" for left, right in pairwise(words)]
    for word in words:
        padded = f" {word} "
        for size in CHAR_SIZES:
            found += [f"c{padded[i : i + size]}" for i in range(len(padded) - size + 1)]
    return found


def recogniser_path(locale: str) -> Path:
    return RECOGNISERS_DIR / f"{locale}.json"


@dataclass(frozen=True)
class Guess:
    """The recogniser's best intent for a sentence and its score (higher is surer)."""

    intent: str
    score: float


class Recogniser:
    """A trained linear classifier over TF-IDF features, read from its JSON file.

    The file holds, for each feature, its idf and its non-zero weights (intent number,
    weight, intent number, weight, ...); tf is sublinear
    (1 + log count) and each sentence's vector has unit length, as scikit-learn's
    TfidfVectorizer(sublinear_tf=True) computes it.
    """

    def __init__(self, data: dict) -> None:
        self.model_sha256: str = data["model_sha256"]
        self.intents: list[str] = data["intents"]
        self.threshold: float = data["threshold"]
        self._intercept: list[float] = data["intercept"]
        self._features: dict[str, tuple[float, list[tuple[int, float]]]] = {
            name: (idf, list(zip(weights[::2], weights[1::2], strict=True)))
            for name, idf, weights in zip(
                data["features"], data["idf"], data["weights"], strict=True
            )
        }

    @classmethod
    def load(cls, path: Path) -> Recogniser:
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def scores(self, text: str) -> list[float]:
        """One decision score per intent, in `intents` order."""
        known = self._features
        counts: dict[str, int] = {}
        for feature in features(text):
            if feature in known:
                counts[feature] = counts.get(feature, 0) + 1
        values = [
            ((1.0 + math.log(count)) * known[feature][0], known[feature][1])
            for feature, count in counts.items()
        ]
        norm = math.sqrt(sum(value * value for value, _ in values))
        scores = list(self._intercept)
        if not norm:
            return scores
        for value, weights in values:
            scale = value / norm
            for number, weight in weights:
                scores[number] += scale * weight
        return scores

    def guess(self, text: str) -> Guess:
        return self.guess_without(text)

    def guess_without(self, text: str, *excluded: str) -> Guess:
        """The best intent that is not one of `excluded`."""
        scores = self.scores(text)
        allowed = [n for n, intent in enumerate(self.intents) if intent not in excluded]
        best = max(allowed, key=scores.__getitem__)
        return Guess(self.intents[best], scores[best])
