"""The README's conversations are what the skill really says.

Each transcript under a `<!-- conversation: <locale> -->` line is replayed through the
skill in that locale (a new user, by day), and every reply must read exactly as written,
a counted hold abbreviated the way the README writes it ("1 2 3 … 29 30").
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT, Conversation

README = ROOT / "README.md"
MARKER = re.compile(r"^<!-- conversation: (\S+) -->$")
TURN = re.compile(r"^> \*\*(You|Cramp Coach):\*\* ?(.*)$")
COUNT = re.compile(r"\b1 2 3 (?:\d+ )*?(\d+) (\d+)(?= And release)")


def abbreviated(speech: str) -> str:
    """A counted hold as the README writes it: its start, its end, and how long it is."""
    return COUNT.sub(
        lambda m: f"1 2 3 … {m[1]} {m[2]} *(one number a second, {m[2]} seconds in all)*",
        speech,
    )


def conversations(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(locale, [(who, words), ...]) for every marked transcript."""
    found: list[tuple[str, list[tuple[str, str]]]] = []
    lines = iter(text.splitlines())
    for line in lines:
        marker = MARKER.match(line)
        if not marker:
            continue
        turns = []
        for quoted in lines:
            if not quoted.strip():
                if turns:
                    break
                continue
            turn = TURN.match(quoted)
            if turn is None:
                break
            turns.append((turn[1], turn[2]))
        found.append((marker[1], turns))
    return found


TRANSCRIPTS = conversations(README.read_text(encoding="utf-8"))


def test_every_locale_has_a_conversation_in_the_readme() -> None:
    from skill.build.models import LOCALES

    assert {locale for locale, _ in TRANSCRIPTS} == set(LOCALES)


@pytest.mark.parametrize(("locale", "turns"), TRANSCRIPTS, ids=[t[0] for t in TRANSCRIPTS])
def test_a_readme_conversation_is_what_the_skill_says(
    locale: str, turns: list[tuple[str, str]]
) -> None:
    talk = Conversation(locale=locale)
    said = [words for who, words in turns if who == "You"]
    written = [words for who, words in turns if who == "Cramp Coach"]
    assert len(said) == len(written) > 0
    for words, expected in zip(said, written, strict=True):
        assert abbreviated(talk.say(words)["speech"]) == expected, words
