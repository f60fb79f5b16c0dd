"""Labelled utterances: what people say, and what the local understanding should hear.

One file per locale in tests/utterances/, read by the tests (each line must be
understood as labelled, or, marked "?", must not be yet) and by the benchmark (accuracy
over all of them, and speed). Format, one utterance per line:

    intent | slot=ID slot=ID | the words
    ?intent | ... | words not understood yet
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from skill.dev.nlu import LocalUnderstanding

UTTERANCES_DIR = Path(__file__).resolve().parents[1] / "tests" / "utterances"
NOT_YET = "?"


@dataclass(frozen=True)
class Labelled:
    """One utterance and what it means: the intent and the slots that must be filled."""

    text: str
    intent: str
    slots: dict[str, str] = field(default_factory=dict)
    understood_yet: bool = True

    def heard_by(self, understanding: LocalUnderstanding) -> bool:
        """Does the understanding hear this intent, with (at least) these slots?"""
        result = understanding.understand(self.text)
        found = {name: fill.id or fill.value for name, fill in result.slots.items()}
        return result.intent == self.intent and self.slots.items() <= found.items()


def parse_line(line: str) -> Labelled:
    intent, slots, text = (part.strip() for part in line.split("|", 2))
    pairs = dict(pair.split("=", 1) for pair in slots.split())
    if intent.startswith(NOT_YET):
        return Labelled(text, intent[1:].strip(), pairs, understood_yet=False)
    return Labelled(text, intent, pairs)


def labelled(locale: str, directory: Path = UTTERANCES_DIR) -> list[Labelled]:
    lines = (directory / f"{locale}.txt").read_text(encoding="utf-8").splitlines()
    return [parse_line(line) for line in lines if line.strip() and not line.startswith("#")]


def labelled_locales(directory: Path = UTTERANCES_DIR) -> list[str]:
    return sorted(path.stem for path in directory.glob("*.txt"))
