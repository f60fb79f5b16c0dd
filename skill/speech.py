"""A small SSML builder, so no handler ever concatenates raw markup.

Alexa's SDK wraps text in <speak> but does not escape it: one stray "&" makes the whole
response invalid and the user hears nothing. Everything spoken goes through `Speech`,
which escapes text, caps breaks at Alexa's 10-second limit, and can estimate how long
a reply takes to say (used to keep replies short enough to hear at night).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

MAX_BREAK_MS = 10_000
# About 150 words a minute: Alexa's default rate, measured roughly on en-US voices.
WORDS_PER_SECOND = 2.5

_TAG = re.compile(r"<[^>]+>")
# A phone number to be read digit by digit: text-to-speech reads "999" as "nine hundred
# and ninety-nine" unless told otherwise. Content marks such a number with `digits()`
# (plain text, with two private-use characters around it) and `say` turns the mark into
# <say-as interpret-as="digits">, so transcripts and screens still show "999".
_DIGITS_OPEN, _DIGITS_CLOSE = "\ue000", "\ue001"
_MARKED_DIGITS = re.compile(f"{_DIGITS_OPEN}([0-9]+){_DIGITS_CLOSE}")
_BREAK = re.compile(r'<break time="(\d+)ms"/>')
# Kinds of part: words that a gentler voice may slow down; silence, which goes with
# anything; and parts whose timing is fixed (counted numbers, sounds).
TEXT, PAUSE, FIXED = "text", "pause", "fixed"
# A recipe's parts: a content line by its path and values, or a pause.
LINE, SILENCE = "line", "pause"
MAX_RECIPE_PARTS = 40
# Values filled into content lines are names and dates: words, no markup characters.
_WORDS = re.compile(r"[\w ,.'\u2019-]{0,60}")


class Said(str):
    """Text from the content, knowing where it came from: the content path of its
    template and the values filled in. A reply made of these can be said again from the
    path and values alone (see `Speech.recipe`); any other text cannot."""

    path: str
    values: dict[str, str | int]

    def __new__(cls, text: str, path: str, values: dict[str, str | int]) -> Said:
        said = super().__new__(cls, text)
        said.path, said.values = path, values
        return said

    def __getnewargs__(self) -> tuple[str, str, dict[str, str | int]]:  # type: ignore[override]  # str takes one argument, Said three
        # copy and pickle rebuild a str subclass through __new__ (a screen's text is one).
        return str(self), self.path, self.values


class Unrepeatable(ValueError):
    """A recipe that does not rebuild: a part of the wrong shape, an unknown content
    path, or values that do not fit its template."""


@dataclass(frozen=True)
class Voice:
    """How a whole reply is spoken: rate (percent) for words, volume, whispering."""

    rate: int = 100
    volume: str | None = None
    whisper: bool = False


@dataclass(frozen=True)
class _Part:
    markup: str
    kind: str
    # How long this part plays at the normal rate, planned as it is built.
    ms: float


@dataclass(frozen=True)
class CountedHold:
    """Where a counted hold starts in a reply (ms from its start) and how long it lasts.

    A screen runs its countdown from these, so it agrees with what is being said.
    """

    start_ms: float
    seconds: int


class Speech:
    """An utterance under construction: text, pauses and sounds, rendered as SSML."""

    def __init__(self, *texts: str) -> None:
        self._parts: list[_Part] = []
        # Counted holds: (index of the part the count starts at, its length in seconds).
        self._holds: list[tuple[int, int]] = []
        # How to say this again from content alone; None once a part cannot be (plain
        # text, a sound, a counted hold).
        self._recipe: list[list] | None = []
        for text in texts:
            self.say(text)

    @property
    def recipe(self) -> list[list] | None:
        """This utterance as content paths, values and pauses (plain JSON, for the
        session), or None if any part of it is not content: a count, a sound, text."""
        return [list(part) for part in self._recipe] if self._recipe is not None else None

    @classmethod
    def from_recipe(cls, recipe: object, line: Callable[[str, dict], Said]) -> Speech:
        """Say again what a recipe describes, looking each line up with `line(path,
        values)`. Only content and pauses are ever spoken: a recipe comes back from the
        client, so anything else in it raises Unrepeatable."""
        if not isinstance(recipe, list) or not recipe or len(recipe) > MAX_RECIPE_PARTS:
            raise Unrepeatable("not a list of parts")
        speech = cls()
        for part in recipe:
            match part:
                case [str() as kind, str() as path, dict() as values] if kind == LINE:
                    if not all(_plain_value(value) for value in values.values()):
                        raise Unrepeatable("a value that is not short text or a number")
                    try:
                        speech.say(line(path, values))
                    except (KeyError, IndexError, ValueError, TypeError) as error:
                        raise Unrepeatable(type(error).__name__) from error
                case [str() as kind, int() as ms] if kind == SILENCE and not isinstance(ms, bool):
                    speech.pause(min(ms, MAX_BREAK_MS))
                case _:
                    raise Unrepeatable("a part of unknown shape")
        return speech

    def say(self, text: str, ms: float | None = None) -> Speech:
        """Add plain text; it is escaped here, so content may contain & < > freely.

        `ms` is how long it takes to say, when known better than by counting words.
        """
        if text:
            if (
                isinstance(text, Said)
                and all(map(_plain_value, text.values.values()))
                and ms is None
                and self._recipe is not None
            ):
                self._recipe.append([LINE, text.path, dict(text.values)])
            else:
                self._recipe = None
            kind = TEXT if ms is None else FIXED
            length = len(text.split()) / WORDS_PER_SECOND * 1000 if ms is None else ms
            markup = _MARKED_DIGITS.sub(
                r'<say-as interpret-as="digits">\1</say-as>', html.escape(text, quote=False)
            )
            self._parts.append(_Part(markup, kind, length))
        return self

    def pause(self, milliseconds: float) -> Speech:
        """Add silence; longer than 10 s is split into several breaks, as Alexa requires."""
        remaining = max(0, int(milliseconds))
        while remaining > 0:
            chunk = min(remaining, MAX_BREAK_MS)
            self._parts.append(_Part(f'<break time="{chunk}ms"/>', PAUSE, chunk))
            if self._recipe is not None:
                self._recipe.append([SILENCE, chunk])
            remaining -= chunk
        return self

    def audio(self, url: str, ms: int) -> Speech:
        """Add a sound of known length; Alexa allows five per reply (SSML_RULES.md)."""
        self._parts.append(_Part(f'<audio src="{html.escape(url)}"/>', FIXED, ms))
        self._recipe = None
        return self

    def hold_starts(self, seconds: int) -> Speech:
        """Mark that a counted hold of `seconds` starts at this point of the reply."""
        self._holds.append((len(self._parts), seconds))
        self._recipe = None
        return self

    def extend(self, speech: Speech) -> Speech:
        offset = len(self._parts)
        self._parts.extend(speech._parts)
        if self._recipe is not None and speech._recipe is not None:
            self._recipe.extend(speech.recipe or [])
        else:
            self._recipe = None
        self._holds.extend((index + offset, seconds) for index, seconds in speech._holds)
        return self

    @property
    def seconds(self) -> float:
        """Planned playing time: words at a normal rate, breaks, sounds, timed numbers."""
        return sum(part.ms for part in self._parts) / 1000

    def counted_holds(self, voice: Voice | None = None) -> list[CountedHold]:
        """The holds in this reply and when each starts, in the voice it is spoken in
        (a slower voice stretches only the words before a count, never the count)."""
        rate = (voice or Voice()).rate / 100
        starts = [0.0]
        for part in self._parts:
            starts.append(starts[-1] + (part.ms / rate if part.kind == TEXT else part.ms))
        return [CountedHold(starts[index], seconds) for index, seconds in self._holds]

    def __bool__(self) -> bool:
        return bool(self._parts)

    @property
    def inner(self) -> str:
        """The markup without the <speak> wrapper."""
        return " ".join(part.markup for part in self._parts)

    @property
    def ssml(self) -> str:
        return f"<speak>{self.inner}</speak>"

    def voiced(self, voice: Voice | None) -> str:
        """The SSML in a voice. Only words change rate: counted numbers and sounds keep
        their timing, so a hold still lasts what it says."""
        if voice is None or voice == Voice():
            return self.ssml
        groups: list[tuple[bool, list[str]]] = []
        for part in self._parts:
            words = part.kind == TEXT
            if groups and (part.kind == PAUSE or groups[-1][0] == words):
                groups[-1][1].append(part.markup)
            else:
                groups.append((words, [part.markup]))
        inner = " ".join(_prosody(" ".join(parts), voice, words) for words, parts in groups)
        if voice.whisper:
            inner = f'<amazon:effect name="whispered">{inner}</amazon:effect>'
        return f"<speak>{inner}</speak>"


def _plain_value(value: object) -> bool:
    """A value a recipe may carry: a number, or a few words (a place, a day, a name)."""
    if isinstance(value, str):
        return bool(_WORDS.fullmatch(value))
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**6


def _prosody(markup: str, voice: Voice, words: bool) -> str:
    attributes = []
    if words and voice.rate != 100:
        attributes.append(f'rate="{voice.rate}%"')
    if voice.volume:
        attributes.append(f'volume="{voice.volume}"')
    if not attributes:
        return markup
    return f"<prosody {' '.join(attributes)}>{markup}</prosody>"


def digits(number: str) -> str:
    """A phone number, marked to be said digit by digit wherever `Speech.say` meets it."""
    if not number.isdigit():
        raise ValueError(f"not a number to read digit by digit: {number!r}")
    return f"{_DIGITS_OPEN}{number}{_DIGITS_CLOSE}"


_SPACE_BEFORE_PUNCTUATION = re.compile(r" (?=[.,;:!?])")


def plain_text(ssml: str) -> str:
    """What a listener hears, as text: tags dropped (an inline one, such as a number said
    digit by digit, leaves no gap before the punctuation after it), entities decoded,
    spaces folded."""
    text = " ".join(html.unescape(_TAG.sub(" ", ssml)).split())
    return _SPACE_BEFORE_PUNCTUATION.sub("", text)


def estimated_seconds(ssml: str) -> float:
    """A rough length of the spoken reply: words at a normal rate, plus every break."""
    words = len(plain_text(ssml).split())
    pauses = sum(int(ms) for ms in _BREAK.findall(ssml)) / 1000
    return words / WORDS_PER_SECOND + pauses
