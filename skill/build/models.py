"""Generate the Alexa interaction models, the skill manifest and each locale's merged content.

Alexa samples cannot express choices or optional words, so a real model repeats itself
hundreds of times. We write templates once (hassil's `(a|b)` and `[x]` syntax) and expand
them into interaction_models/ (a wheel carries a copy); the generated JSON is committed,
checked by a test, and read back by the local language understanding, which keeps one
source of truth for both. The sources live only in a checkout: run this from one.

Every English locale is the shared samples (`en.toml`) plus a few overlays of local ways
of saying things (`locales.toml` names them, `overlays/` holds them). Overlays only add.
Samples written from real speech live apart in `speech/` (`en.toml` for every locale, and
`<overlay>.toml` beside each overlay of the same name) and are added the same way, so the
hand-written templates and the widened samples can change without touching each other.

Each locale's statistical recogniser is trained from its generated model here too
(skill/build/train.py); it records which model it was trained from, so `stale()` notices.
What the local understanding works out from a model before its first sentence (its
templates and their index, skill/dev/nlu.py `prepare`) is written beside it as well.

What the skill says is written the same way, as shared English with a file of each
locale's differences (skill/content/); here each locale's is merged into the one JSON
file the skill reads, so no TOML is parsed on a cold start.
"""

from __future__ import annotations

import copy
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from skill.build import source_checkout
from skill.content import CONTENT_DIR, MERGED_DIR
from skill.dev.nlu import prepared_path, render_prepared
from skill.model_files import DEFAULT_LOCALE, MANIFEST, model_path

# The sources are in the checkout; what is generated from them is package data.
PROJECT_ROOT = source_checkout("cramp-coach models")
SOURCE_DIR = PROJECT_ROOT / "interaction_models" / "source"
SOURCE = SOURCE_DIR / "en.toml"
# "{muscle}'s": a possessive or contraction straight after a slot may not import.
SLOT_THEN_APOSTROPHE = re.compile(r"\}'")
SPEECH_DIR = SOURCE_DIR / "speech"


def read_toml(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


# Each locale and the overlays its model adds, in order (locales.toml).
OVERLAYS: dict[str, list[str]] = read_toml(SOURCE_DIR / "locales.toml")["locales"]
LOCALES = tuple(OVERLAYS)


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


def load_source(locale: str = DEFAULT_LOCALE) -> dict:
    """A locale's source: the shared samples with its overlays added."""
    source = read_toml(SOURCE)
    for path in _speech("en"):
        source = with_overlay(source, read_toml(path))
    for overlay in OVERLAYS[locale]:
        source = with_overlay(source, read_toml(SOURCE_DIR / "overlays" / f"{overlay}.toml"))
        for path in _speech(overlay):
            source = with_overlay(source, read_toml(path))
    return source


def _speech(name: str) -> list[Path]:
    """The real-speech samples file of the shared source or of an overlay, if it has one."""
    path = SPEECH_DIR / f"{name}.toml"
    return [path] if path.exists() else []


def with_overlay(source: dict, overlay: dict) -> dict:
    """`overlay`'s samples and synonyms added to `source`'s (new intents and values too);
    nothing is replaced or removed. Neither argument is changed."""
    intents = {name: dict(spec) for name, spec in source["intents"].items()}
    for name, spec in overlay.get("intents", {}).items():
        if name in intents:
            intents[name]["samples"] = [*intents[name]["samples"], *spec["samples"]]
        else:
            intents[name] = spec
    types = {name: dict(values) for name, values in source["types"].items()}
    for name, values in overlay.get("types", {}).items():
        known = types.setdefault(name, {})
        for value_id, words in values.items():
            known[value_id] = list(dict.fromkeys([*known.get(value_id, []), *words]))
    return {**source, "intents": intents, "types": types}


def build_model(source: dict) -> dict:
    """The interaction model JSON (SMAPI format) for one locale."""
    intents = []
    for name, spec in source["intents"].items():
        intent: dict = {"name": name}
        slots = spec.get("slots", {})
        if slots:
            intent["slots"] = [{"name": slot, "type": kind} for slot, kind in slots.items()]
        samples = [sample for template in spec["samples"] for sample in expand(template)]
        for sample in samples:
            if SLOT_THEN_APOSTROPHE.search(sample):
                raise ValueError(
                    f"{name}: {sample!r} puts an apostrophe straight after a slot, which "
                    "Alexa may refuse to import; say it with 'is' or 'has'"
                )
        intent["samples"] = list(dict.fromkeys(samples))
        intents.append(intent)
    types = [
        {
            "name": type_name,
            "values": [
                {"id": value_id, "name": _name(words)}
                for value_id, words in (
                    (value_id, _expanded(templates)) for value_id, templates in values.items()
                )
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


def _name(words: list[str]) -> dict:
    """A slot value's name: its first word, and synonyms only if it has any (an empty
    list is not what Alexa's own models carry)."""
    return {"value": words[0], "synonyms": words[1:]} if words[1:] else {"value": words[0]}


def _expanded(templates: list[str]) -> list[str]:
    """A slot value's words, templates expanded ("(can't|cannot) breathe"), the first
    word first (it is the value's name), none twice."""
    return list(dict.fromkeys(word for template in templates for word in expand(template)))


def build_manifest(source: dict) -> dict:
    """skill.json: the shared manifest, with a store listing per locale and the countries
    those locales are sold in."""
    manifest = copy.deepcopy(source["manifest"])
    shared = {key: value for key, value in source["publishing"].items() if key not in LOCALES}
    publishing = manifest["publishingInformation"]
    publishing["locales"] = {
        locale: {**shared, **source["publishing"].get(locale, {})} for locale in LOCALES
    }
    publishing["distributionCountries"] = sorted({locale.split("-")[1] for locale in LOCALES})
    return {"manifest": manifest}


def merged(base: dict, overlay: dict) -> dict:
    """`overlay` over `base`: tables merge key by key, anything else is replaced whole
    (a list of steps included). Neither argument is changed."""
    result = dict(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            result[key] = merged(base[key], value)
        else:
            result[key] = value
    return result


def merged_content(locale: str) -> dict:
    """A locale's content: the shared English with its own file merged over it."""
    return merged(read_toml(CONTENT_DIR / "en.toml"), read_toml(CONTENT_DIR / f"{locale}.toml"))


def _as_text(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# Alexa rejects a model of more than this many characters (MODEL_RULES in the notes:
# "Member must have length less than or equal to 1000000"); a skill package uploads the
# file as it is, so its own text is what counts.
MODEL_CHARACTERS_LIMIT = 1_000_000


def render(locale: str) -> str:
    """The exact text of a locale's model file, so a test can compare bytes. Indented by
    one space, not two: a sample a line either way, and a third less of the limit."""
    return json.dumps(build_model(load_source(locale)), indent=1, ensure_ascii=False) + "\n"


def render_manifest() -> str:
    return _as_text(build_manifest(read_toml(SOURCE_DIR / "manifest.toml")))


def generated() -> dict[Path, str]:
    """Every generated file and the text it should hold."""
    files = {model_path(locale): render(locale) for locale in LOCALES}
    for locale in LOCALES:
        files[prepared_path(locale)] = render_prepared(json.loads(files[model_path(locale)]))
    files[MANIFEST] = render_manifest()
    for locale in LOCALES:
        files[MERGED_DIR / f"{locale}.json"] = _as_text(merged_content(locale))
    return files


def stale() -> list[Path]:
    """Generated files that differ from what the sources give (or are missing), and
    recognisers trained from another model than the one the sources give."""
    from skill.build import train

    files = generated()
    return [
        path
        for path, text in files.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ] + train.stale({locale: files[model_path(locale)] for locale in LOCALES})


def write_all() -> list[Path]:
    """Every generated file, then every recogniser whose model changed (scikit-learn,
    from the dev extras, is needed only then)."""
    from skill.build import train

    files = generated()
    written = []
    for path, text in files.items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written + train.write({locale: files[model_path(locale)] for locale in LOCALES})
