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
# A feature with more non-zero weights than this is stored as a full row (see Recogniser).
DENSE_FROM = 6


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

    The file holds a row for each feature: its name, its idf and its non-zero weights
    (intent number, weight, intent number, weight, ...); tf is sublinear
    (1 + log count) and each sentence's vector has unit length, as scikit-learn's
    TfidfVectorizer(sublinear_tf=True) computes it.

    Reading a sentence touches only the features it has: words, word pairs and character
    n-grams are looked up in one table each (no feature names are built per call), and
    each feature's weights are stored already multiplied by its idf, so a sentence's
    score is a sum of a few sparse rows scaled once by the vector's length at the end.
    """

    def __init__(self, data: dict) -> None:
        self.model_sha256: str = data["model_sha256"]
        self.intents: list[str] = data["intents"]
        self.threshold: float = data["threshold"]
        self._intercept: list[float] = data["intercept"]
        # A row per feature: [name, idf, [intent number, weight, intent number, ...]].
        rows: list[list] = data["rows"]
        self._idf: list[float] = [row[1] for row in rows]
        self._weights: list[list[int | float]] = [row[2] for row in rows]
        self._idf_squared = [idf * idf for idf in self._idf]
        # Row number of each feature, by kind: "w calf" -> words["calf"], and so on.
        tables: dict[str, dict[str, int]] = {"w": {}, "b": {}, "c": {}}
        for number, (name, _, _) in enumerate(rows):
            tables[name[0]][name[2:] if name[0] != "c" else name[1:]] = number
        self._words, self._pairs, self._chars = tables["w"], tables["b"], tables["c"]
        # A row's weights times its idf, made the first time a sentence has the feature
        # (most never come up, and a fresh start should not wait for them): a full row of
        # one weight per intent where most are set (common features: summed column by
        # column in C), else (intent, weight) pairs added one by one.
        self._dense: list[tuple[float, ...] | None] = [None] * len(rows)
        self._sparse: list[tuple[tuple[int, float], ...] | None] = [None] * len(rows)
        # The rows of the model's own words (the word and its character n-grams), worked
        # out once: most words said are among them.
        self._word_rows = {word: self._rows_of(word) for word in self._words}

    @classmethod
    def load(cls, path: Path) -> Recogniser:
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def _rows_of(self, word: str) -> list[int]:
        """The rows of a word's own features: the word, and its character n-grams."""
        get = self._chars.get
        padded = f" {word} "
        found = [self._words.get(word)]
        for size in CHAR_SIZES:
            found += [get(padded[i : i + size]) for i in range(len(padded) - size + 1)]
        return [row for row in found if row is not None]

    def _active(self, text: str) -> list[int]:
        """The row of each known feature of a sentence, once per occurrence (the same
        features, in the same multiplicity, as `features` gives scikit-learn)."""
        words = text.split()
        get = self._pairs.get
        found = [
            row for left, right in pairwise(words) if (row := get(f"{left} {right}")) is not None
        ]
        known = self._word_rows
        for word in words:
            rows = known.get(word)
            found += self._rows_of(word) if rows is None else rows
        return found

    def _prepare(self, rows: list[int]) -> None:
        """Make the weights of the rows not yet made (see __init__)."""
        sparse = self._sparse
        for row in rows:
            if sparse[row] is None:
                idf = self._idf[row]
                weights = self._weights[row]
                pairs = tuple(
                    zip(
                        [int(n) for n in weights[::2]],
                        [idf * w for w in weights[1::2]],
                        strict=True,
                    )
                )
                if len(pairs) > DENSE_FROM:
                    dense = [0.0] * len(self.intents)
                    for number, weight in pairs:
                        dense[number] = weight
                    self._dense[row] = tuple(dense)
                    sparse[row] = ()
                else:
                    sparse[row] = pairs

    def scores(self, text: str) -> list[float]:
        """One decision score per intent, in `intents` order."""
        active = self._active(text)
        if not active:
            return list(self._intercept)
        self._prepare(active)
        idf_squared = self._idf_squared
        if len(set(active)) == len(active):
            # Every feature once, so tf is 1: the usual case, and the cheapest.
            length_squared = sum(idf_squared[row] for row in active)
            tfs = [(row, 1.0) for row in active]
        else:
            counts: dict[int, int] = {}
            for row in active:
                counts[row] = counts.get(row, 0) + 1
            tfs = [(row, 1.0 + math.log(count)) for row, count in counts.items()]
            length_squared = sum(tf * tf * idf_squared[row] for row, tf in tfs)
        dense = [
            values if tf == 1.0 else tuple(tf * value for value in values)
            for row, tf in tfs
            if (values := self._dense[row]) is not None
        ]
        sums = (
            [sum(column) for column in zip(*dense, strict=True)]
            if dense
            else [0.0] * len(self.intents)
        )
        sparse = self._sparse
        for row, tf in tfs:
            for number, weight in sparse[row] or ():
                sums[number] += tf * weight
        scale = 1.0 / math.sqrt(length_squared)
        return [
            intercept + total * scale
            for intercept, total in zip(self._intercept, sums, strict=True)
        ]

    def knows_a_word(self, text: str) -> bool:
        """Is any word of the sentence one of the samples' words? Without one, a guess
        rests on character n-grams alone: right for a typo of a known word, noise for
        words the samples never had (see nlu.FRAGMENTS_MARGIN)."""
        return any(word in self._words for word in text.split())

    def guess(self, text: str) -> Guess:
        return self.guess_without(text)

    def guess_without(self, text: str, *excluded: str) -> Guess:
        """The best intent that is not one of `excluded`."""
        scores = self.scores(text)
        allowed = [n for n, intent in enumerate(self.intents) if intent not in excluded]
        best = max(allowed, key=scores.__getitem__)
        return Guess(self.intents[best], scores[best])
