"""Local language understanding, built from the same interaction model Alexa uses.

On a laptop there is no Alexa to turn words into intents, so hassil (Home Assistant's
template matcher) reads the generated interaction model JSON: its samples become hassil
sentences and its slot types become hassil lists, with entity-resolution ids as list
outputs. Alexa's built-in slot types get small local stand-ins that produce values in
Alexa's own formats ("30", "PT30S", "2026-11-21"), so handlers cannot tell the two apart.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from hassil import Intents, recognize_all
from hassil.recognize import RecognizeResult
from unicode_rbnf import RbnfEngine

from skill import intents
from skill.content import content_for
from skill.model_files import DEFAULT_LOCALE, LOCALES, model_path

FALLBACK_INTENT = intents.FALLBACK
LAUNCH = "LaunchRequest"
RED_FLAG_INTENT = intents.RED_FLAG
# Warning signs are looked for anywhere in the words, not only in whole-sentence samples:
# a frightened person rarely says it the way a template expects. Safety wins over all,
# and of several signs the most severe goes first ("symptom"), the next in "also".
SYMPTOM_TYPE = "SYMPTOM"
SIGN_SLOTS = ("symptom", "also")
ALSO_SPOTTED = ("muscle", "MUSCLE")
# Words that negate a warning sign said within the next few words: "I'm not short of
# breath". "no" negates only right before the sign ("no chest pain"), because "no, I
# can't breathe" must still be heard as a red flag.
NEGATIONS = frozenset(
    {"not", "isn't", "aren't", "wasn't", "weren't", "never", "without"}
    | {"don't", "doesn't", "didn't", "haven't", "hasn't"}
)
NEGATION_WINDOW = 3
NEGATIONS_JUST_BEFORE = frozenset({"no"})

# What Alexa puts in an AMAZON.NUMBER slot when the words there are not a number.
UNREADABLE_NUMBER = "?"

_SLOT_REF = re.compile(r"\{(\w+)\}")
# Alexa samples write abbreviations with periods ("g. p.", "e. r."); typed words lose the
# periods in `normalize`, and people type them spaced or joined ("g p", "gp").
_ABBREVIATION = re.compile(r"\b(?:[a-z]\. )*[a-z]\.(?=\s|$)")
_INVOCATION = "cramp coach"
# "Ask/tell cramp coach to ...", and "open cramp coach and ..." (which the reminder says).
_ONE_SHOT = re.compile(
    rf"^(?:alexa\s+)?(?:(?:ask|tell)\s+{_INVOCATION}\s+(?:to\s+|that\s+|about\s+|for\s+)?"
    rf"|(?:open|start|launch)\s+{_INVOCATION}\s+and\s+)"
)
_LAUNCH = re.compile(rf"^(?:alexa\s+)?(?:open|start|launch|begin)\s+{_INVOCATION}$")
_PUNCTUATION = re.compile(r"[^\w\s']")
_CAN_NOT = re.compile(r"\bcan not\b")

DURATION_UNITS = {"second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "month": "M"}
DATE_WORDS = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this evening": 0,
    "yesterday": -1,
    "last night": -1,
    "the day before yesterday": -2,
}


@dataclass(frozen=True)
class SlotFill:
    """One filled slot as Alexa would send it: what was said, and its resolution."""

    value: str
    id: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class Recognition:
    """The request a sentence stands for: an intent name (or LaunchRequest) and its slots."""

    intent: str
    slots: dict[str, SlotFill] = field(default_factory=dict)
    slot_types: dict[str, str] = field(default_factory=dict)


def normalize(text: str) -> str:
    """Lower case, no punctuation but apostrophes, single spaces; "can not" written as
    the one word the model knows ("I can not breathe" must still be heard)."""
    text = _PUNCTUATION.sub(" ", text.lower().replace("\u2019", "'").replace("-", " "))
    return _CAN_NOT.sub("cannot", " ".join(text.split()))


# "my calf's cramping": Alexa's samples may not put "'s" straight after a slot, so the
# model says "is" or "has"; a sentence that is not understood as typed is read both ways.
_CONTRACTED_S = re.compile(r"\b(\w+)'s\b")


def _uncontracted(words: str) -> list[str]:
    if not _CONTRACTED_S.search(words):
        return []
    return [_CONTRACTED_S.sub(r"\1 is", words), _CONTRACTED_S.sub(r"\1 has", words)]


def _list_name(slot_type: str) -> str:
    return slot_type.replace(".", "_")


@cache
def _number_words() -> dict[int, str]:
    engine = RbnfEngine.for_language("en")
    return {n: engine.format_number(n).text.replace("-", " ") for n in range(1, 1001)}


def spoken_number(text: str) -> str:
    """An AMAZON.NUMBER value as Alexa sends it: digits, or "?" for words it can't read."""
    words = normalize(text)
    if words.isdigit():
        return str(int(words))
    words = re.sub(r"^an? ", "one ", words.replace(" and ", " "))
    numbers = {spoken.replace(" and ", " "): n for n, spoken in _number_words().items()}
    return str(numbers[words]) if words in numbers else UNREADABLE_NUMBER


def _duration_values() -> list[dict]:
    """Spoken durations → ISO-8601, as AMAZON.DURATION resolves them."""
    words = _number_words()
    values = []
    for unit, letter in DURATION_UNITS.items():
        prefix = "P" if unit in ("day", "week", "month") else "PT"
        for n in range(1, 121):
            plural = unit if n == 1 else unit + "s"
            for spoken in (str(n), words[n]):
                values.append({"in": f"{spoken} {plural}", "out": f"{prefix}{n}{letter}"})
        for article in ("a", "one"):
            values.append({"in": f"{article} {unit}", "out": f"{prefix}1{letter}"})
    values.append({"in": "half a minute", "out": "PT30S"})
    return values


# AMAZON.TIME: "ten", "nine thirty", "half past nine", "10 pm" → "22:00"-style values.
# As on Alexa, a time said without "p m" or "at night" comes as the morning hour.
_MINUTE_WORDS = {0: ["", "o'clock", "00"], 5: ["oh five", "o five"]}
_TIME_SUFFIXES = {
    "": False,
    "am": False,
    "a m": False,
    "in the morning": False,
    "pm": True,
    "p m": True,
    "tonight": True,
    "at night": True,
    "in the evening": True,
}


def _time_values() -> list[dict]:
    words = _number_words()
    values = [{"in": "midnight", "out": "00:00"}]
    for hour in range(1, 13):
        for said_hour in (str(hour), words[hour]):
            for minute in range(0, 60, 5):
                minute_words = _MINUTE_WORDS.get(minute) or [words[minute], f"{minute:02d}"]
                for minute_said in minute_words:
                    for suffix, evening in _TIME_SUFFIXES.items():
                        clock = hour % 12 + (12 if evening else 0) if suffix else hour
                        said = " ".join(p for p in (said_hour, minute_said, suffix) if p)
                        values.append({"in": said, "out": f"{clock:02d}:{minute:02d}"})
            for before, offset in (("half past", 30), ("quarter past", 15), ("quarter to", -15)):
                moment = (hour * 60 + offset) % (12 * 60) or 12 * 60
                out = f"{moment // 60:02d}:{moment % 60:02d}"
                values.append({"in": f"{before} {said_hour}", "out": out})
    return values


def _builtin_lists() -> dict[str, dict]:
    return {
        "AMAZON_NUMBER": {"range": {"from": 0, "to": 1000}},
        "AMAZON_TIME": {"values": _time_values()},
        "AMAZON_DURATION": {"values": _duration_values()},
        "AMAZON_DATE": {
            "values": [{"in": words, "out": offset} for words, offset in DATE_WORDS.items()]
            + [
                {"in": f"{spoken} days ago", "out": -n}
                for n in range(2, 31)
                for spoken in (str(n), _number_words()[n])
            ]
        },
    }


class LocalUnderstanding:
    """Turns typed or transcribed sentences into Alexa-style intents and slots.

    `severity` ranks warning signs (0 is the most severe); without it, signs keep the
    order they were said in.
    """

    def __init__(self, model: dict, severity: Callable[[str], int] | None = None) -> None:
        self._severity = severity or (lambda symptom: 0)
        language_model = model["interactionModel"]["languageModel"]
        self.model: dict = language_model
        self._slot_types = {
            intent["name"]: {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
            for intent in language_model["intents"]
        }
        self._canonical: dict[str, dict[str, str]] = {}
        lists = _builtin_lists()
        for slot_type in language_model.get("types", []):
            values = []
            names = {}
            for value in slot_type["values"]:
                words = [value["name"]["value"], *value["name"].get("synonyms", [])]
                names[value["id"]] = value["name"]["value"]
                values += [{"in": normalize(word), "out": value["id"]} for word in words]
            lists[_list_name(slot_type["name"])] = {"values": values}
            self._canonical[slot_type["name"]] = names
        intents = {
            name: {"data": [{"sentences": self._sentences(name, samples)}]}
            for name, samples in (
                (intent["name"], intent.get("samples", [])) for intent in language_model["intents"]
            )
            if samples
        }
        self._intents = Intents.from_dict({"language": "en", "intents": intents, "lists": lists})
        # A second, looser reading where any words can fill a number slot, as on Alexa:
        # "hold for banana" is still a hold request, with "?" for the number.
        loose = {
            name: sentences
            for name, sentences in intents.items()
            if "AMAZON.NUMBER" in self._slot_types[name].values()
        }
        loose_lists = {**lists, "AMAZON_NUMBER": {"wildcard": True}}
        self._loose = Intents.from_dict({"language": "en", "intents": loose, "lists": loose_lists})
        self._spotters = {
            slot_type: _phrase_pattern(lists[_list_name(slot_type)]["values"])
            for slot_type in (SYMPTOM_TYPE, ALSO_SPOTTED[1])
            if _list_name(slot_type) in lists
        }

    def _sentences(self, intent: str, samples: list[str]) -> list[str]:
        types = self._slot_types[intent]

        def typed(match: re.Match[str]) -> str:
            slot = match.group(1)
            return "{" + _list_name(types[slot]) + ":" + slot + "}"

        return [_ABBREVIATION.sub(_typed_forms, _SLOT_REF.sub(typed, s)) for s in samples]

    def understand(self, text: str, today: date | None = None) -> Recognition:
        """The best reading of a sentence; LaunchRequest for nothing, fallback for nonsense."""
        words = normalize(text)
        if not words or _LAUNCH.match(words):
            return Recognition(LAUNCH)
        words = _ONE_SHOT.sub("", words)
        spotted = self._spot_red_flags(words)
        if spotted is not None:
            return spotted
        best = self._read(words, self._intents) or self._read(words, self._loose)
        if best is None:
            return Recognition(FALLBACK_INTENT)
        name = best.intent.name
        types = self._slot_types.get(name, {})
        slots = {
            slot: self._fill(types[slot], entity.value, entity.text, today or date.today())
            for slot, entity in best.entities.items()
            if slot in types
        }
        return Recognition(name, slots, types)

    def _read(self, words: str, intents: Intents) -> RecognizeResult | None:
        for reading in (words, *_uncontracted(words)):
            best = self._best(list(recognize_all(reading, intents)))
            if best is not None:
                return best
        return None

    def intents_matching(self, text: str) -> set[str]:
        """Every intent whose samples match the words exactly (model conflict checks)."""
        words = normalize(text)
        return {result.intent.name for result in recognize_all(words, self._intents)}

    @staticmethod
    def _best(results: list[RecognizeResult]) -> RecognizeResult | None:
        """The reading that matched the most literal words (warning signs were looked for
        before any reading, so none is needed here)."""
        if not results:
            return None
        return max(results, key=lambda result: result.text_chunks_matched)

    def _spot_red_flags(self, words: str) -> Recognition | None:
        """Warning-sign phrases anywhere in the words, unless just negated: the most
        severe in "symptom", the next (a different sign) in "also"."""
        found = _spot_all(self._spotters.get(SYMPTOM_TYPE), words)
        if not found:
            return None
        distinct: dict[str, str] = {}
        for symptom, phrase in found:
            distinct.setdefault(symptom, phrase)
        ranked = sorted(distinct.items(), key=lambda sign: self._severity(sign[0]))
        today = date.today()
        slots = {
            slot: self._fill(SYMPTOM_TYPE, symptom, phrase, today)
            for slot, (symptom, phrase) in zip(SIGN_SLOTS, ranked, strict=False)
        }
        muscle_slot, muscle_type = ALSO_SPOTTED
        muscles = _spot_all(self._spotters.get(muscle_type), words)
        if muscles:
            slots[muscle_slot] = self._fill(muscle_type, muscles[0][0], muscles[0][1], today)
        return Recognition(RED_FLAG_INTENT, slots, self._slot_types[RED_FLAG_INTENT])

    def _fill(self, slot_type: str, value: object, text: str, today: date) -> SlotFill:
        spoken = text.strip()
        if slot_type == "AMAZON.NUMBER":
            # The strict reading's range list gives a number; the loose one, the words.
            if isinstance(value, int | float):
                return SlotFill(str(int(value)))
            return SlotFill(spoken_number(str(value)))
        if slot_type == "AMAZON.DATE":
            return SlotFill((today + timedelta(days=int(str(value)))).isoformat())
        if slot_type in ("AMAZON.DURATION", "AMAZON.TIME"):
            return SlotFill(str(value))
        names = self._canonical.get(slot_type, {})
        return SlotFill(spoken, id=str(value), name=names.get(str(value)))


def _typed_forms(abbreviation: re.Match[str]) -> str:
    """ "g. p." as a hassil choice of the ways it is typed: "(g p|gp)"."""
    letters = abbreviation.group(0).replace(".", "").split()
    return f"({' '.join(letters)}|{''.join(letters)})"


def _phrase_pattern(values: list[dict]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex for every phrase of a list (longest first), and each phrase's id."""
    ids = {value["in"]: value["out"] for value in values}
    phrases = sorted(ids, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(p) for p in phrases) + r")\b")
    return pattern, ids


def _spot_all(
    spotter: tuple[re.Pattern[str], dict[str, str]] | None, words: str
) -> list[tuple[str, str]]:
    """Every phrase found that is not negated just before it, in order: (id, phrase)."""
    if spotter is None:
        return []
    pattern, ids = spotter
    found = []
    for match in pattern.finditer(words):
        before = words[: match.start()].split()
        negated = NEGATIONS.intersection(before[-NEGATION_WINDOW:]) or (
            before and before[-1] in NEGATIONS_JUST_BEFORE
        )
        if not negated:
            found.append((ids[match.group(1)], match.group(1)))
    return found


def for_locale(locale: str) -> LocalUnderstanding:
    """The understanding for a locale the skill has a model for, else en-US's. Only known
    locales reach the cache, so a client sending made-up locales cannot grow it."""
    return _understanding(locale if locale in LOCALES else DEFAULT_LOCALE)


@cache
def _understanding(locale: str) -> LocalUnderstanding:
    """Built on first use (building takes a moment), then kept; warning signs are ranked
    by the locale's own content, the same levels the skill answers with."""
    model = json.loads(model_path(locale).read_text(encoding="utf-8"))
    return LocalUnderstanding(model, severity=content_for(locale).severity)
