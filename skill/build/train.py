"""Train each locale's statistical recogniser from its generated interaction model only.

Alexa trains a statistical model from a skill's samples; the laptop's hassil matcher only
matches them whole. This trains the same kind of thing at build time (`cramp-coach
models`): a linear classifier over TF-IDF word and character n-grams, scikit-learn from
the dev extras, whose weights are written to skill/dev/recognisers/<locale>.json and read
at run time by skill/dev/recogniser.py in pure Python.

The training sentences are the model's samples with each slot filled by a few of its own
values (deterministically, so a rebuild gives the same file). Warning signs are not a
class: they are found by their slot values anywhere in the words before any intent is
guessed, and a guessed "warning" without a named sign would help nobody. The file records
the SHA-256 of the model (and settings) it was trained from; a test fails when they drift
apart.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from skill.dev.recogniser import CHAR_SIZES, RECOGNISERS_DIR, features, recogniser_path

# Not classes of the recogniser: found by spotting, before it (see the module docstring).
NOT_GUESSED = frozenset({"RedFlagIntent"})
# Stand-in values for Alexa's built-in slot types, as people say them.
BUILTIN_VALUES = {
    "AMAZON.NUMBER": ["thirty", "twenty", "45", "sixty", "ten", "fifteen", "90", "forty five"],
    "AMAZON.DURATION": [
        "thirty seconds",
        "a minute",
        "two minutes",
        "a week",
        "the last month",
        "ten days",
        "forty five seconds",
        "a fortnight",
    ],
    "AMAZON.DATE": ["last night", "yesterday", "today", "this morning", "on monday", "tonight"],
    "AMAZON.TIME": ["ten", "nine thirty", "ten pm", "half past nine", "ten fifteen", "eleven"],
}
FILLS = 3
# Below this decision score the sentence is out of the skill's domain (the fallback).
# Chosen on the labelled sets in tests/utterances and the pipeline tests' own sentences
# (tests/test_nlu.py), never on the evaluation sets.
THRESHOLD = -0.45
DECIMALS = 4
# Weights smaller than this are dropped (in the classifier too, before it is compared
# with the exported file): most are noise, and a sparse file reads and runs faster.
PRUNE = 0.05
_SLOT = re.compile(r"\{(\w+)\}")
# The file's layout (a row a line): part of what a file records it was made with, so a
# file in an older layout is stale.
FORMAT = "rows"


C = 0.5


def model_sha256(model_text: str) -> str:
    """What a recogniser was trained from: the model's text and the training settings
    (a change to either makes the file stale)."""
    settings = (
        f"C={C} fills={FILLS} prune={PRUNE} threshold={THRESHOLD} chars={CHAR_SIZES}"
        f" format={FORMAT}"
    )
    return hashlib.sha256(f"{model_text}\n{settings}".encode()).hexdigest()


def training_set(model: dict) -> tuple[list[str], list[str]]:
    """(sentences, intents): every sample of every guessed intent, slots filled."""
    from skill.dev.nlu import normalize

    language_model = model["interactionModel"]["languageModel"]
    values = dict(BUILTIN_VALUES)
    for slot_type in language_model.get("types", []):
        values[slot_type["name"]] = [
            word
            for value in slot_type["values"]
            for word in [value["name"]["value"], *value["name"].get("synonyms", [])]
        ]
    texts: list[str] = []
    labels: list[str] = []
    for intent in language_model["intents"]:
        if intent["name"] in NOT_GUESSED:
            continue
        types = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        for number, sample in enumerate(intent.get("samples", [])):
            fills = FILLS if _SLOT.search(sample) else 1
            for fill in range(fills):

                def value(
                    match: re.Match[str],
                    seed: int = number * FILLS + fill,
                    types: dict[str, str] = types,
                ) -> str:
                    words = values[types[match.group(1)]]
                    return words[(seed * 7919 + match.start() * 31) % len(words)]

                texts.append(normalize(_SLOT.sub(value, sample)))
                labels.append(intent["name"])
    return texts, labels


def fit(model: dict):
    """The fitted vectoriser and classifier, weights already rounded as exported."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    texts, labels = training_set(model)
    vectoriser = TfidfVectorizer(analyzer=features, sublinear_tf=True, min_df=2, dtype=np.float64)
    matrix = vectoriser.fit_transform(texts)
    classifier = LinearSVC(C=C, class_weight="balanced", random_state=0, max_iter=5000)
    classifier.fit(matrix, labels)
    coef = np.round(classifier.coef_, DECIMALS)
    coef[np.abs(coef) < PRUNE] = 0.0
    classifier.coef_ = coef
    classifier.intercept_ = np.round(classifier.intercept_, DECIMALS)
    vectoriser.idf_ = np.round(vectoriser.idf_, DECIMALS)
    return vectoriser, classifier


def export(vectoriser, classifier, sha256: str) -> dict:
    """The JSON the pure-Python inference reads: a row per feature, [name, idf, its
    non-zero weights as [intent number, weight, intent number, weight, ...]]."""
    names = vectoriser.get_feature_names_out()
    return {
        "model_sha256": sha256,
        "intents": [str(name) for name in classifier.classes_],
        "threshold": THRESHOLD,
        "intercept": [float(value) for value in classifier.intercept_],
        "rows": [
            [str(name), float(idf), _sparse(column)]
            for name, idf, column in zip(names, vectoriser.idf_, classifier.coef_.T, strict=True)
        ],
    }


def _sparse(column) -> list[float]:
    """A feature's non-zero weights as [intent number, weight, ...]."""
    return [value for n in column.nonzero()[0] for value in (int(n), float(column[n]))]


def render(model_text: str) -> str:
    """The file's text: JSON with a feature a line (features in name order), so a
    retrained file's diff shows which features and weights changed."""
    vectoriser, classifier = fit(json.loads(model_text))
    data = export(vectoriser, classifier, model_sha256(model_text))
    rows = data.pop("rows")
    head = json.dumps(data, separators=(",", ":"))[:-1]
    lines = ",\n".join(json.dumps(row, separators=(",", ":")) for row in rows)
    return f'{head},"rows":[\n{lines}\n]}}\n'


def stale(models: dict[str, str]) -> list[Path]:
    """Recognisers missing, or trained from another model than the one given (locale ->
    model text). Needs no scikit-learn: the file records what it was trained from."""
    paths = []
    for locale, text in models.items():
        path = recogniser_path(locale)
        if not path.exists() or _recorded_sha256(path) != model_sha256(text):
            paths.append(path)
    return paths


def _recorded_sha256(path: Path) -> str | None:
    match = re.search(r'"model_sha256":"([0-9a-f]{64})"', path.read_text(encoding="utf-8"))
    return match.group(1) if match else None


def write(models: dict[str, str]) -> list[Path]:
    """Train and write every locale's recogniser that is stale."""
    RECOGNISERS_DIR.mkdir(exist_ok=True)
    written = []
    for path in stale(models):
        locale = path.stem
        path.write_text(render(models[locale]), encoding="utf-8")
        written.append(path)
    return written
