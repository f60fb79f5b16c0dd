"""Local language understanding, built from the same interaction model Alexa uses.

On a laptop there is no Alexa to turn words into intents, so hassil (Home Assistant's
template matcher) reads the generated interaction model JSON: its samples become hassil
sentences and its slot types become hassil lists, with entity-resolution ids as list
outputs. Alexa's built-in slot types get small local stand-ins that produce values in
Alexa's own formats ("30", "PT30S", "2026-11-21"), so handlers cannot tell the two apart.

Templates match whole sentences only, and people rarely say a sentence the way a template
does; Alexa generalises from the samples with a statistical model. So does this: what
hassil matches is answered exactly as hassil reads it, and only then a recogniser trained
from the same model at build time (skill/dev/recogniser.py) guesses the intent, with a
threshold below which the words are out of the skill's domain, and slots filled by the
longest slot values found in the words. Warning signs come before both, clause by clause.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from hassil import Intents
from hassil.recognize import RecognizeResult
from unicode_rbnf import RbnfEngine

from skill import intents
from skill.content import content_for
from skill.dev.exact import IndexedIntents
from skill.dev.recogniser import Recogniser, recogniser_path
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
# Words that negate a warning sign said within the next few words of the same clause:
# "I'm not short of breath". "no" negates only right before the sign ("no chest pain"),
# because "no, I can't breathe" must still be heard as a red flag.
NEGATIONS = frozenset(
    {"not", "isn't", "aren't", "wasn't", "weren't", "never", "without", "nor"}
    | {"don't", "doesn't", "didn't", "haven't", "hasn't", "hadn't", "ain't"}
)
NEGATION_WINDOW = 4
NEGATIONS_JUST_BEFORE = frozenset({"no", "any"})
# A negation reaches no further than its own clause: "I don't know, I can't breathe" and
# "this isn't normal, my face is drooping" are emergencies. Spoken words carry no commas,
# so a clause also starts at a joining word or a new subject.
CLAUSE_BREAK = re.compile(r"[,.;:!?]+|\s[-\u2013\u2014]+\s")
CLAUSE_STARTS = frozenset(
    {"and", "but", "so", "because", "cause", "now", "then", "though", "although", "yet"}
    | {"i", "i'm", "i've", "he", "he's", "she", "she's", "they", "they're", "we", "we're"}
    | {"my", "his", "her", "their", "me", "it", "it's", "this", "that's", "there's", "also"}
    | {"know", "sure", "think"}
)
# A sign that is over is not a warning now: "I had chest pain years ago", "I passed out
# last year but I'm fine now". Said with a past time in its own clause, or said in the
# past with another clause saying it is over.
LONG_AGO = re.compile(
    r"\b(?:ago|last (?:year|month|summer|winter|spring)|years? back|in the past|used to"
    r"|previously|a while back|as a (?:child|kid)|when i was (?:young|younger|little|a kid)"
    r"|years? before|once had|had one before)\b"
)
SAID_IN_PAST = re.compile(r"\b(?:had|was|were|did|felt|got|went|earlier|yesterday|last)\b")
# Some signs are two things said together, in any words and any order: an injury and a
# calf gone hard, heat and confusion, a wound and a stiff jaw, pregnancy and a headache.
# Each row is a sign and the patterns that must all be in the sentence; the last is the
# sign itself and must not be negated. (Phrases for Alexa's slot are in the model; these
# let the local understanding hear the combinations no phrase list can enumerate.)
_INJURY = (
    r"\b(?:kicked|hit|knock(?:ed)?|whack|fell|fall|slipped|tackled?|injur(?:ed|y)|hurt"
    r"|crash(?:ed)?|puck|copped|accident|twisted)\b"
)
_HARD = (
    r"\b(?:rock hard|hard as (?:a )?(?:rock|stone)|(?:tight|hard) and (?:tight|hard)"
    r"|(?:really|very|so|super) hard|gone (?:tight and )?hard|is hard)\b"
)
_URINE = r"\b(?:pee|wee|urine|piss|wee's|pee's)\b"
SIGN_COMBINATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("HARD_AFTER_INJURY", (_INJURY, _HARD)),
    (
        "HARD_AFTER_INJURY",
        (r"\b(?:worse|more and more|increasing|more painful|by the minute)\b", _HARD),
    ),
    (
        "HEAT_CONFUSION",
        (
            r"\b(?:heat|heatwave|sun|hot (?:day|weather|sun))\b",
            r"\b(?:confused|confusion|disoriented|disorientated|muddled|not making (?:any )?sense"
            r"|(?:doesn't|does not|don't) know (?:where|who)"
            r"|talking (?:confused|nonsense|gibberish)"
            r"|delirious|acting (?:strange|weird|confused|disoriented))\b",
        ),
    ),
    (
        "LOCKED_JAW",
        (
            r"\b(?:cut|wound|nail|rusty|scratch|splinter|bitten|puncture|stepped on)\b",
            r"\b(?:jaw|jaw's|neck|neck's)\b.{0,20}\b(?:stiff|tight|locked|locking|clamping"
            r"|clenched|stuck|not opening|won't open)\b",
        ),
    ),
    (
        "PREGNANCY_WARNING",
        (
            r"\b(?:pregnant|expecting|pregnancy|(?:twenty|thirty|forty)(?: \w+)? weeks)\b",
            r"\b(?:headache|seeing (?:spots|stars|flashing lights)|flashing lights|spots in my eyes"
            r"|blurry|blurred|(?:face|hands|fingers)\b.{0,12}\b(?:swelled|swelling|swollen|puffed|puffy)"
            r"|leg (?:is )?(?:red and )?swollen)",
        ),
    ),
    (
        "COLD_PALE_LIMB",
        (
            r"\b(?:foot|feet|leg|legs|toes)\b",
            r"\b(?:white|pale|blue|grey|gray|purple|mottled)\b",
            r"\b(?:cold|icy|freezing|numb|(?:can't|cannot) feel)",
        ),
    ),
    (
        "COLD_PALE_LIMB",
        (
            r"\b(?:sudden|suddenly|all of a sudden)\b",
            r"\b(?:rest|resting|lying|sitting still|still)\b",
            r"\bnumb(?:ness)?\b",
        ),
    ),
    ("DARK_URINE", (_URINE, r"\b(?:dark|brown|cola|coke|coffee|tea)\b")),
    (
        "FLUID_LOSS",
        (r"\b(?:belly|stomach|tummy|abdomen)\b", r"\bchest\b", r"\bcramp(?:s|ing)?\b"),
    ),
    (
        "LONG_CRAMP",
        (
            r"\b(?:still|hasn't|has not|won't|will not|not going|straight|been|since)\b",
            r"\b(?:(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen"
            r"|nineteen|twenty|thirty|forty|fifty|sixty|1\d|[2-6]\d)(?: \w+)? minutes"
            r"|half an hour|an hour|quarter of an hour)\b",
        ),
    ),
    (
        "NEW_MEDICINE",
        (
            r"\b(?:started|since starting|after starting|put (?:me|him|her) on"
            r"|gave (?:me|him|her)|new|changed)\b",
            r"\b(?:statins?|tablets?|pills?|medicines?|medications?|prescriptions?|meds)\b",
            r"\bcramp(?:s|ing|ed)?\b",
        ),
    ),
    (
        "NUMB_OR_WASTING",
        (
            r"\b(?:calf|calves|leg|legs|thigh|muscle|muscles)\b",
            r"\b(?:thinner|skinny|skinnier|shrinking|wasting|getting thin|becoming thin"
            r"|smaller than)\b",
        ),
    ),
    (
        "NUMB_OR_WASTING",
        (r"\bcramp(?:s|ing)?\b", r"\b(?:numb|numbness|tingly|tingling|pins and needles)\b"),
    ),
)
# Words that look like a sign and are not one ("drowning in work"), and a song called
# "Breathless" asked for by name.
LOOK_ALIKES = re.compile(r"\bdrowning in (?:work|paperwork|debt|emails|homework)\b")
MUSIC_REQUEST = re.compile(r"^(?:alexa )?play\b")
# Asking about signs in general is not having one: "what are the signs of a clot".
HYPOTHETICAL = re.compile(
    r"\b(?:what if|in case|signs? of|symptoms? of|warning signs?|what (?:are|is) the"
    r"|if (?:i|you|he|she|they|my \w+) (?:ever|get|gets|got|have|has|start|starts)"
    r"|(?:can|could|does|do|would) (?:\w+ ){1,3}cause|is (?:\w+ ){1,3}a sign)\b"
)
IT_IS_OVER = re.compile(
    r"\b(?:gone now|went away|passed now|it passed|has passed|it stopped|stopped now"
    r"|fine now|okay now|ok now|all good now|better now|settled|cleared up|over now"
    r"|recovered|back to normal|went back to normal|all clear)\b"
)

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
_LAUNCH = re.compile(
    rf"^(?:(?:hey |ok )?alexa\s+)?(?:(?:please\s+)?(?:open|start|launch|begin|run|load|use"
    rf"|talk to|ask)\s+)?(?:the\s+)?{_INVOCATION}(?:\s+(?:skill|app|please|now))*$"
)
_PUNCTUATION = re.compile(r"[^\w\s']")
_CAN_NOT = re.compile(r"\bcan not\b")
_NOT_SLOT_VALUES = re.compile(r"\b(?:right (?:now|away|here|there|after)|all right|one more)\b")
_NUMBER_WORD = (
    r"(?:\d+|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
    r"|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty"
    r"|seventy|eighty|ninety|hundred|a hundred|and)"
)
_NUMBER_PHRASE = re.compile(rf"\b{_NUMBER_WORD}(?: {_NUMBER_WORD})*\b")

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
    """The request a sentence stands for: an intent name (or LaunchRequest) and its slots.
    `by` says which part of the understanding heard it (for the benchmark and tests)."""

    intent: str
    slots: dict[str, SlotFill] = field(default_factory=dict)
    slot_types: dict[str, str] = field(default_factory=dict)
    by: str = "exact"


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
    order they were said in. Without a `recogniser`, only exact matches are understood
    (the benchmark's "hassil alone").
    """

    def __init__(
        self,
        model: dict,
        severity: Callable[[str], int] | None = None,
        recogniser: Recogniser | None = None,
    ) -> None:
        self._severity = severity or (lambda symptom: 0)
        self.recogniser = recogniser
        self.recogniser_load_s = 0.0
        language_model = model["interactionModel"]["languageModel"]
        self.model: dict = language_model
        self._slot_types = {
            intent["name"]: {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
            for intent in language_model["intents"]
        }
        # Intents whose every sample carries a slot ("{voice}", "it's {scope}") mean
        # nothing without one: a guess of one with no slot value heard is a fallback.
        self._needs_slot = {
            intent["name"]
            for intent in language_model["intents"]
            if intent.get("samples") and all("{" in s for s in intent["samples"])
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
        self._intents = IndexedIntents(
            Intents.from_dict({"language": "en", "intents": intents, "lists": lists})
        )
        # A second, looser reading where any words can fill a number slot, as on Alexa:
        # "hold for banana" is still a hold request, with "?" for the number.
        loose = {
            name: sentences
            for name, sentences in intents.items()
            if "AMAZON.NUMBER" in self._slot_types[name].values()
        }
        # The lists are parsed once (the strict reading's), with the number list swapped.
        loose_intents = Intents.from_dict(
            {"language": "en", "intents": loose, "lists": {"AMAZON_NUMBER": {"wildcard": True}}}
        )
        loose_intents.slot_lists = {
            **self._intents.intents.slot_lists,
            **loose_intents.slot_lists,
        }
        self._loose = IndexedIntents(loose_intents)
        self._spotters = {
            slot_type: Phrases(lists[_list_name(slot_type)]["values"])
            for slot_type in (SYMPTOM_TYPE, ALSO_SPOTTED[1])
            if _list_name(slot_type) in lists
        }
        # Every slot type's phrases, for filling the slots of a guessed intent.
        self._lists = lists
        self._fillers: dict[str, Phrases] = dict(self._spotters)

    def _sentences(self, intent: str, samples: list[str]) -> list[str]:
        types = self._slot_types[intent]

        def typed(match: re.Match[str]) -> str:
            slot = match.group(1)
            return "{" + _list_name(types[slot]) + ":" + slot + "}"

        return [_ABBREVIATION.sub(_typed_forms, _SLOT_REF.sub(typed, s)) for s in samples]

    def understand(self, text: str, today: date | None = None) -> Recognition:
        """The best reading of a sentence; LaunchRequest for nothing, fallback for nonsense.

        Warning signs first (safety wins), then an exact match of the model's samples,
        then the recogniser's guess if it is sure enough."""
        words = normalize(text)
        if not words or _LAUNCH.match(words):
            return Recognition(LAUNCH)
        words = _ONE_SHOT.sub("", words)
        clauses = [normalize(clause) for clause in CLAUSE_BREAK.split(text)]
        spotted = self._spot_red_flags(words, [c for c in clauses if c])
        if spotted is not None:
            return spotted
        today = today or date.today()
        best = self._read(words, self._intents) or self._read(words, self._loose)
        if best is None:
            return self._guess(words, today)
        name = best.intent.name
        types = self._slot_types.get(name, {})
        slots = {
            slot: self._fill(types[slot], entity.value, entity.text, today)
            for slot, entity in best.entities.items()
            if slot in types
        }
        return Recognition(name, slots, types)

    def _read(self, words: str, intents: IndexedIntents) -> RecognizeResult | None:
        for reading in (words, *_uncontracted(words)):
            best = self._best(list(intents.recognize_all(reading)))
            if best is not None:
                return best
        return None

    def _guess(self, words: str, today: date) -> Recognition:
        """The recogniser's reading of words no sample matches: its intent if the score
        clears the threshold, with slots from the longest slot values in the words."""
        if self.recogniser is None:
            return Recognition(FALLBACK_INTENT)
        guess = self.recogniser.guess(words)
        if guess.intent == FALLBACK_INTENT or guess.score < self.recogniser.threshold:
            return Recognition(FALLBACK_INTENT, by="recogniser")
        types = self._slot_types.get(guess.intent, {})
        slots = self._slots_in(words, types, today)
        if guess.intent in self._needs_slot and not slots:
            return Recognition(FALLBACK_INTENT, by="recogniser")
        return Recognition(guess.intent, slots, types, by="recogniser")

    def _slots_in(self, words: str, types: dict[str, str], today: date) -> dict[str, SlotFill]:
        """Each slot filled by the longest of its values found in the words, no two slots
        sharing words (longer finds claim their words first). Set phrases that hold a slot
        value and mean something else ("right now") are not read for slots."""
        words = _NOT_SLOT_VALUES.sub(lambda match: " " * len(match.group(0)), words)
        found: list[tuple[int, int, str, SlotFill]] = []
        for slot, slot_type in types.items():
            for start, end, value in self._values_in(words, slot_type):
                found.append(
                    (start, end, slot, self._fill(slot_type, value, words[start:end], today))
                )
        found.sort(key=lambda item: (item[0] - item[1], item[0]))
        slots: dict[str, SlotFill] = {}
        taken: list[tuple[int, int]] = []
        for start, end, slot, fill in found:
            if slot in slots or any(start < e and s < end for s, e in taken):
                continue
            slots[slot] = fill
            taken.append((start, end))
        return slots

    def _values_in(self, words: str, slot_type: str) -> list[tuple[int, int, object]]:
        """(start, end, value) of every phrase of a slot type in the words."""
        if slot_type == "AMAZON.NUMBER":
            return [
                (match.start(), match.end(), int(number))
                for match in _NUMBER_PHRASE.finditer(words)
                if (number := spoken_number(match.group(0))) != UNREADABLE_NUMBER
            ]
        spotter = self._filler(slot_type)
        if spotter is None:
            return []
        return [(start, end, value) for start, end, _, value in spotter.find(words)]

    def _filler(self, slot_type: str) -> Phrases | None:
        """A slot type's phrases for filling slots, built the first time one is needed."""
        if slot_type not in self._fillers:
            values = self._lists.get(_list_name(slot_type), {}).get("values")
            if slot_type.startswith("AMAZON.") or values is None:
                return _builtin_spotter(slot_type)
            self._fillers[slot_type] = Phrases(values)
        return self._fillers[slot_type]

    def intents_matching(self, text: str) -> set[str]:
        """Every intent whose samples match the words exactly (model conflict checks)."""
        words = normalize(text)
        return {result.intent.name for result in self._intents.recognize_all(words)}

    @staticmethod
    def _best(results: list[RecognizeResult]) -> RecognizeResult | None:
        """The reading that matched the most literal words (warning signs were looked for
        before any reading, so none is needed here)."""
        if not results:
            return None
        return max(results, key=lambda result: result.text_chunks_matched)

    def _spot_red_flags(self, words: str, clauses: list[str]) -> Recognition | None:
        """Warning-sign phrases in any clause, unless negated in their own clause or over:
        the most severe in "symptom", the next (a different sign) in "also"."""
        if MUSIC_REQUEST.match(words):
            return None
        words = LOOK_ALIKES.sub(" ", words)
        clauses = [LOOK_ALIKES.sub(" ", clause) for clause in clauses]
        found = [
            sign
            for number, clause in enumerate(clauses)
            for sign in _spot_signs(self._spotters, clause, " ".join(clauses[number + 1 :]))
        ]
        if not HYPOTHETICAL.search(words):
            found += _combined_signs(words)
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
            number = spoken_number(str(value))
            if number == UNREADABLE_NUMBER:
                # Alexa reads the number out of "thirty secs" or "forty please" too.
                found = _NUMBER_PHRASE.search(normalize(str(value)))
                number = spoken_number(found.group(0)) if found else number
            return SlotFill(number)
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


class Phrases:
    """Every phrase of a slot list, found in words by whole words, longest first at each
    place (a dictionary of word sequences: thousands of phrases cost nothing to build)."""

    def __init__(self, values: list[dict]) -> None:
        self._ids: dict[tuple[str, ...], object] = {
            tuple(value["in"][start:end] for start, end in _tokens(value["in"])): value["out"]
            for value in values
            if value["in"]
        }
        self._first = {words[0] for words in self._ids}
        self._longest = max(map(len, self._ids), default=0)

    def find(self, words: str) -> list[tuple[int, int, str, object]]:
        """(start, end, phrase, id) of each phrase in the words, left to right."""
        spans = _tokens(words)
        tokens = [words[start:end] for start, end in spans]
        found = []
        at = 0
        while at < len(tokens):
            if tokens[at] in self._first:
                for size in range(min(self._longest, len(tokens) - at), 0, -1):
                    key = tuple(tokens[at : at + size])
                    if key in self._ids:
                        start, end = spans[at][0], spans[at + size - 1][1]
                        found.append((start, end, words[start:end], self._ids[key]))
                        at += size
                        break
                else:
                    at += 1
            else:
                at += 1
        return found


# Words, with a possessive or "is" ending ("calf's", "it's") as a word of its own, so
# "my calf's gone tight" holds the phrase "calf".
_WORD = re.compile(r"'s\b|[^\s']+(?:'(?!s\b)[^\s']+)*")


def _tokens(text: str) -> list[tuple[int, int]]:
    return [(match.start(), match.end()) for match in _WORD.finditer(text)]


@cache
def _builtin_spotter(slot_type: str) -> Phrases | None:
    """Durations and dates as phrases, resolved the way the exact reading resolves them."""
    lists = _builtin_lists()
    values = lists.get(_list_name(slot_type), {}).get("values")
    if values is None:
        return None
    if slot_type == "AMAZON.DURATION":
        extra = [
            {"in": f"{lead} {value['in']}", "out": value["out"]}
            for value in values
            for lead in ("the last", "the past")
        ] + [{"in": "a fortnight", "out": "P2W"}, {"in": "fortnight", "out": "P2W"}]
        # "in the past month", "over the last week": one of the unit, as Alexa reads it.
        extra += [
            {"in": f"{lead} {unit}", "out": f"P1{letter}"}
            for unit, letter in (("week", "W"), ("month", "M"), ("year", "Y"))
            for lead in ("the last", "the past")
        ]
        # Typed short forms: "30 secs", "2 mins".
        extra += [
            {"in": value["in"].replace(long, short), "out": value["out"]}
            for value in values
            for long, short in (("seconds", "secs"), ("second", "sec"), ("minutes", "mins"))
            if value["in"].endswith(long)
        ]
        values = values + extra
    return Phrases(values)


def _spot_all(spotter: Phrases | None, words: str) -> list[tuple[str, str]]:
    """Every phrase found that is not negated, in order: (id, phrase)."""
    return [(symptom, phrase) for symptom, phrase, _, _ in _spot_spans(spotter, words)]


def _negated(before: list[str]) -> bool:
    """Is a sign after these words negated? Only by a negation within a few words and with
    no new clause starting between it and the sign."""
    if before and before[-1] in NEGATIONS_JUST_BEFORE:
        return True
    for distance, word in enumerate(reversed(before[-NEGATION_WINDOW:])):
        if word in NEGATIONS:
            return True
        if distance < NEGATION_WINDOW and word in CLAUSE_STARTS:
            return False
    return False


def _spot_signs(spotters: dict[str, Phrases], clause: str, later: str) -> list[tuple[str, str]]:
    """The warning signs said as happening now in one clause: not negated, not long ago,
    not a question about signs in general, and not said in the past with the words after
    it saying it is over ("I had chest pain earlier but it's gone now")."""
    if LONG_AGO.search(clause) or HYPOTHETICAL.search(clause):
        return []
    found = []
    for symptom, phrase, start, end in _spot_spans(spotters.get(SYMPTOM_TYPE), clause):
        before = clause[:start].split()[-NEGATION_WINDOW:]
        said_in_past = SAID_IN_PAST.search(" ".join(before)) or SAID_IN_PAST.search(
            " ".join(clause[end:].split()[:3])
        )
        if said_in_past and IT_IS_OVER.search(f"{clause[end:]} {later}"):
            continue
        found.append((symptom, phrase))
    return found


_COMBINATIONS = [
    (symptom, [re.compile(pattern) for pattern in patterns])
    for symptom, patterns in SIGN_COMBINATIONS
]


def _combined_signs(words: str) -> list[tuple[str, str]]:
    """Signs made of two things said together (SIGN_COMBINATIONS), the last not negated."""
    found = []
    for symptom, patterns in _COMBINATIONS:
        matches = [pattern.search(words) for pattern in patterns]
        last = matches[-1]
        if all(matches) and last and not _negated(words[: last.start()].split()):
            found.append((symptom, last.group(0)))
    return found


def _spot_spans(spotter: Phrases | None, words: str) -> list[tuple[str, str, int, int]]:
    """Every phrase found that is not negated, with where it is: (id, phrase, start, end)."""
    if spotter is None:
        return []
    return [
        (str(value), phrase, start, end)
        for start, end, phrase, value in spotter.find(words)
        if not _negated(words[:start].split())
    ]


def for_locale(locale: str) -> LocalUnderstanding:
    """The understanding for a locale the skill has a model for, else en-US's. Only known
    locales reach the cache, so a client sending made-up locales cannot grow it."""
    return _understanding(locale if locale in LOCALES else DEFAULT_LOCALE)


@cache
def _understanding(locale: str) -> LocalUnderstanding:
    """Built on first use (building takes a moment), then kept."""
    return fresh(locale)


def fresh(locale: str) -> LocalUnderstanding:
    """A new understanding for a locale, with its trained recogniser; warning signs are
    ranked by the locale's own content, the same levels the skill answers with."""
    understanding = exact_only(locale)
    started = time.process_time()
    understanding.recogniser = Recogniser.load(recogniser_path(locale))
    understanding.recogniser_load_s = time.process_time() - started
    return understanding


def exact_only(locale: str) -> LocalUnderstanding:
    """A locale's understanding without the recogniser: hassil's exact matches alone."""
    model = json.loads(model_path(locale).read_text(encoding="utf-8"))
    return LocalUnderstanding(model, severity=content_for(locale).severity)
