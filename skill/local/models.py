"""Generate the Alexa interaction models from the compact source in interaction_models/source.

Alexa samples cannot express choices or optional words, so a real model repeats itself
hundreds of times. We write templates once (hassil's `(a|b)` and `[x]` syntax) and expand
them here; the generated JSON is committed, checked by a test, and read back by the local
language understanding, which keeps one source of truth for both.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

# The source checkout: the local tools read and write files beside the package.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
MODELS_DIR = PROJECT_ROOT / "interaction_models"
SOURCE = MODELS_DIR / "source" / "en.toml"
LOCALES = ("en-US",)


@dataclass
class _Cursor:
    """Position in a template while it is being parsed."""

    text: str
    pos: int = 0

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""


def expand(template: str) -> list[str]:
    """Every sentence a template stands for, in order, without duplicates."""
    cursor = _Cursor(template)
    options = _alternatives(cursor, closing="")
    if cursor.pos != len(template):
        raise ValueError(f"unbalanced template: {template!r}")
    return list(dict.fromkeys(" ".join(option.split()) for option in options))


def _alternatives(cursor: _Cursor, closing: str) -> list[str]:
    options = _sequence(cursor, closing)
    while cursor.peek() == "|":
        cursor.pos += 1
        options += _sequence(cursor, closing)
    return options


def _sequence(cursor: _Cursor, closing: str) -> list[str]:
    results = [""]
    while (char := cursor.peek()) and char not in "|" + closing:
        if char in "([":
            cursor.pos += 1
            end = ")" if char == "(" else "]"
            inner = _alternatives(cursor, end)
            if cursor.peek() != end:
                raise ValueError(f"unbalanced template: {cursor.text!r}")
            cursor.pos += 1
            if char == "[":
                inner = ["", *inner]
        elif char in ")]":
            raise ValueError(f"unbalanced template: {cursor.text!r}")
        else:
            start = cursor.pos
            while cursor.peek() and cursor.peek() not in "()[]|":
                cursor.pos += 1
            inner = [cursor.text[start : cursor.pos]]
        results = [left + right for left in results for right in inner]
    return results


def load_source(path: Path = SOURCE) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def build_model(source: dict) -> dict:
    """The interaction model JSON (SMAPI format) for one locale."""
    intents = []
    for name, spec in source["intents"].items():
        intent: dict = {"name": name}
        slots = spec.get("slots", {})
        if slots:
            intent["slots"] = [{"name": slot, "type": kind} for slot, kind in slots.items()]
        samples = [sample for template in spec["samples"] for sample in expand(template)]
        intent["samples"] = list(dict.fromkeys(samples))
        intents.append(intent)
    types = [
        {
            "name": type_name,
            "values": [
                {"id": value_id, "name": {"value": words[0], "synonyms": words[1:]}}
                for value_id, words in values.items()
            ],
        }
        for type_name, values in source["types"].items()
    ]
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": source["invocation"],
                "intents": intents,
                "types": types,
            }
        }
    }


def model_path(locale: str) -> Path:
    return MODELS_DIR / f"{locale}.json"


def render() -> str:
    """The exact text of a model file, so a test can compare bytes.

    Every English locale shares one source until per-locale overlays exist.
    """
    return json.dumps(build_model(load_source()), indent=2, ensure_ascii=False) + "\n"


def write_all() -> list[Path]:
    written = []
    text = render()
    for locale in LOCALES:
        path = model_path(locale)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
