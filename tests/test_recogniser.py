"""The trained recogniser: its pure-Python inference is scikit-learn's arithmetic, it was
trained from the committed model, and the indexed exact matcher is hassil unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hassil import Intents, recognize_all

from bench.understanding import EVAL_DIR, SECOND_DIR, eval_sentences
from skill.build import models, train
from skill.dev import nlu
from skill.dev.recogniser import Recogniser, recogniser_path


def _model_text(locale: str) -> str:
    return models.model_path(locale).read_text(encoding="utf-8")


@pytest.mark.parametrize("locale", ["en-US", "en-IN"])
def test_inference_agrees_with_scikit_learn_on_every_sample(locale: str) -> None:
    """Every training sentence of the model gets the same scores from the exported file
    read in pure Python as from the fitted scikit-learn objects (weights as exported)."""
    pytest.importorskip("sklearn")
    model = json.loads(_model_text(locale))
    vectoriser, classifier = train.fit(model)
    recogniser = Recogniser(train.export(vectoriser, classifier, "0" * 64))
    texts, _ = train.training_set(model)
    expected = classifier.decision_function(vectoriser.transform(texts))
    assert list(classifier.classes_) == recogniser.intents
    for text, row in zip(texts, expected, strict=True):
        ours = recogniser.scores(text)
        assert max(abs(a - b) for a, b in zip(ours, row, strict=True)) < 1e-9, text
        assert recogniser.guess(text).intent == classifier.classes_[row.argmax()], text


@pytest.mark.parametrize("locale", models.LOCALES)
def test_each_recogniser_was_trained_from_its_committed_model(locale: str) -> None:
    assert train.stale({locale: _model_text(locale)}) == [], "run `make models`"
    assert Recogniser.load(recogniser_path(locale)).model_sha256 == train.model_sha256(
        _model_text(locale)
    )


def test_a_changed_model_makes_its_recogniser_stale() -> None:
    changed = _model_text("en-GB").replace('"stop"', '"stop it now"', 1)
    assert train.stale({"en-GB": changed}) == [recogniser_path("en-GB")]


# Short phrases written blind into source/speech/ that an evaluation set's author also
# wrote ("cancel that", "aye", "pause it"): counted in each set's README and kept, since
# people say them. The model's older templates share more.
KNOWN_COINCIDENCES = {EVAL_DIR: 26, SECOND_DIR: 43}


@pytest.mark.parametrize("directory", list(KNOWN_COINCIDENCES), ids=lambda path: path.name)
def test_no_more_evaluation_sentences_are_written_into_the_samples(directory: Path) -> None:
    """The samples written from real speech (source/speech/), as samples or slot values,
    hold no evaluation sentence beyond the known coincidences: none is ever copied in."""
    held_out = eval_sentences((directory,))
    written: set[str] = set()
    for path in sorted(models.SPEECH_DIR.glob("*.toml")):
        source = models.read_toml(path)
        written |= {
            sentence
            for spec in source.get("intents", {}).values()
            for template in spec["samples"]
            for sentence in models.expand(template)
        }
        written |= {
            word
            for values in source.get("types", {}).values()
            for templates in values.values()
            for template in templates
            for word in models.expand(template)
        }
    found = {nlu.normalize(sentence) for sentence in written} & held_out
    assert len(found) <= KNOWN_COINCIDENCES[directory], sorted(found)


def test_the_indexed_exact_matcher_reads_what_hassil_alone_reads() -> None:
    """The index only spares hassil templates that cannot match: on model sentences (slots
    filled) and on sentences that match nothing, every reading and its order are hassil's."""
    understanding = nlu.exact_only("en-GB")
    model = json.loads(_model_text("en-GB"))
    texts, _ = train.training_set(model)
    texts = texts[::25] + sorted(eval_sentences())[::4]

    def readings(results: object) -> list[tuple]:
        return [
            (r.intent.name, sorted((k, str(e.value), e.text) for k, e in r.entities.items()))
            for r in results  # type: ignore[attr-defined]
        ]

    for indexed in (understanding._intents, understanding._loose):
        # hassil alone: every template and every list, parsed up front by hassil itself.
        alone = Intents.from_dict(
            {
                "language": "en",
                "intents": {
                    name: {"data": [{"sentences": templates}]}
                    for name, templates in indexed.templates.items()
                },
                "lists": indexed.lists.raw(),
            }
        )
        for text in texts:
            words = nlu.normalize(text)
            assert readings(indexed.recognize_all(words)) == readings(
                recognize_all(words, alone)
            ), text
