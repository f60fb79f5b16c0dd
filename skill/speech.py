"""A small SSML builder, so no handler ever concatenates raw markup.

Alexa's SDK wraps text in <speak> but does not escape it: one stray "&" makes the whole
response invalid and the user hears nothing. Everything spoken goes through `Speech`,
which escapes text, caps breaks at Alexa's 10-second limit, and can estimate how long
a reply takes to say (used to keep replies short enough to hear at night).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

MAX_BREAK_MS = 10_000
# About 150 words a minute: Alexa's default rate, measured roughly on en-US voices.
WORDS_PER_SECOND = 2.5

_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r'<break time="(\d+)ms"/>')
# Kinds of part: words that a gentler voice may slow down; silence, which goes with
# anything; and parts whose timing is fixed (counted numbers, sounds, stored replies).
TEXT, PAUSE, FIXED = "text", "pause", "fixed"


@dataclass(frozen=True)
class Voice:
    """How a whole reply is spoken: rate (percent) for words, volume, whispering."""

    rate: int = 100
    volume: str | None = None
    whisper: bool = False


class Speech:
    """An utterance under construction: text, pauses and sounds, rendered as SSML."""

    def __init__(self, *texts: str) -> None:
        self._parts: list[tuple[str, str]] = []
        # How long this takes to play, planned as it is built (see `seconds`).
        self._ms = 0.0
        for text in texts:
            self.say(text)

    @classmethod
    def from_ssml(cls, ssml: str) -> Speech:
        """Rebuild a reply this module rendered earlier (kept as a string in the session)."""
        speech = cls()
        inner = ssml.removeprefix("<speak>").removesuffix("</speak>").strip()
        if inner:
            speech._parts.append((inner, FIXED))
            speech._ms = estimated_seconds(ssml) * 1000
        return speech

    def say(self, text: str, ms: float | None = None) -> Speech:
        """Add plain text; it is escaped here, so content may contain & < > freely.

        `ms` is how long it takes to say, when known better than by counting words.
        """
        if text:
            self._parts.append((escape(text), TEXT if ms is None else FIXED))
            self._ms += len(text.split()) / WORDS_PER_SECOND * 1000 if ms is None else ms
        return self

    def pause(self, milliseconds: int) -> Speech:
        """Add silence; longer than 10 s is split into several breaks, as Alexa requires."""
        remaining = max(0, int(milliseconds))
        while remaining > 0:
            chunk = min(remaining, MAX_BREAK_MS)
            self._parts.append((f'<break time="{chunk}ms"/>', PAUSE))
            self._ms += chunk
            remaining -= chunk
        return self

    def audio(self, url: str, ms: int) -> Speech:
        """Add a sound of known length; Alexa allows five per reply (SSML_RULES.md)."""
        self._parts.append((f"<audio src={quoteattr(url)}/>", FIXED))
        self._ms += ms
        return self

    def extend(self, speech: Speech) -> Speech:
        self._parts.extend(speech._parts)
        self._ms += speech._ms
        return self

    @property
    def seconds(self) -> float:
        """Planned playing time: words at a normal rate, breaks, sounds, timed numbers."""
        return self._ms / 1000

    def __bool__(self) -> bool:
        return bool(self._parts)

    @property
    def inner(self) -> str:
        """The markup without the <speak> wrapper."""
        return " ".join(markup for markup, _ in self._parts)

    @property
    def ssml(self) -> str:
        return f"<speak>{self.inner}</speak>"

    def voiced(self, voice: Voice | None) -> str:
        """The SSML in a voice. Only words change rate: counted numbers and sounds keep
        their timing, so a hold still lasts what it says."""
        if voice is None or voice == Voice():
            return self.ssml
        groups: list[tuple[bool, list[str]]] = []
        for markup, kind in self._parts:
            words = kind == TEXT
            if groups and (kind == PAUSE or groups[-1][0] == words):
                groups[-1][1].append(markup)
            else:
                groups.append((words, [markup]))
        inner = " ".join(_prosody(" ".join(parts), voice, words) for words, parts in groups)
        if voice.whisper:
            inner = f'<amazon:effect name="whispered">{inner}</amazon:effect>'
        return f"<speak>{inner}</speak>"


def _prosody(markup: str, voice: Voice, words: bool) -> str:
    attributes = []
    if words and voice.rate != 100:
        attributes.append(f'rate="{voice.rate}%"')
    if voice.volume:
        attributes.append(f'volume="{voice.volume}"')
    if not attributes:
        return markup
    return f"<prosody {' '.join(attributes)}>{markup}</prosody>"


def plain_text(ssml: str) -> str:
    """What a listener hears, as text: tags dropped, entities decoded, spaces folded."""
    return " ".join(html.unescape(_TAG.sub(" ", ssml)).split())


def estimated_seconds(ssml: str) -> float:
    """A rough length of the spoken reply: words at a normal rate, plus every break."""
    words = len(plain_text(ssml).split())
    pauses = sum(int(ms) for ms in _BREAK.findall(ssml)) / 1000
    return words / WORDS_PER_SECOND + pauses
