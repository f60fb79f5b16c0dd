"""One instruction a sentence (issue 18): a person in pain, in the dark, does one thing at a
time, so no spoken sentence asks for two.

What counts, mechanically (and so what this test can and cannot see):
- A sentence is split into clauses at ",", ";", ":", " and " and " then ".
- A clause is an instruction when its first word, after a lead-in such as "gently",
  "then" or "instead", is an imperative verb the content uses (IMPERATIVES below) or
  "don't". "When you're ready, hold something steady" is one: "when" is no verb.
- A clause that starts with "or" is an alternative to the one before it ("Walk a few
  steps, or shake it."): one choice, one instruction.
- After "don't", a comma list of verbs is one prohibition ("Don't rub it, warm it, or
  walk on it."); a ";", "and" or "then" ends the list.
- After "say", the rest of the sentence is words to say ("Say next, go back, or stop."),
  not instructions.
- Verbless cues ("Hands on the wall, left leg back, heel down.") are not counted: the
  test sees verbs, not positions. Nor are verbs outside IMPERATIVES; the list is every
  verb the content starts an instruction with, and a test below fails when a sentence
  starts with a verb it does not know, so it grows with the content.
"""

from __future__ import annotations

import re

import pytest

from skill.build.models import LOCALES
from skill.content import content_for
from tests.test_content import PLACEHOLDERS

IMPERATIVES = frozenset(
    """
    ask avoid be bend book breathe bring call check cool count cushion draw drink ease feel
    find float follow get go hold keep lean let lie loop make move note pedal pull put
    raise relax release rest roll rub say see shake shout sit skip sleep stand start stay
    stop straighten stretch take tell throw try turn use wait wake walk warm wear
    """.split()
)
# Words that may come before an instruction's verb without being one.
LEAD_INS = frozenset({"gently", "slowly", "now", "then", "first", "just", "please"})
LEAD_INS |= {"also", "instead", "so", "and"}
NOT_VERBS = frozenset(
    """
    a about after alexa alexa's an anything at back bedtime but calf calves can cramp
    cramps diabetes drinking each for front gentle going good hamstring hands has heat
    heel hi hot i i'll i'm i've ice if in including is it it's knee last late left let's
    like long low maternity matters meanwhile most mostly my nerves never no normal not
    noted okay one open other otherwise paused people quieter raised red remind repeat
    seated settings shall sitting slow softer some something sorry spoil starting
    stopping stretching such swelling swollen that that's the they're thigh this time
    tight tired to towel unless usually want warm-up warmth we'll we're what when where
    which whisper whole-body with would you you've your caffeine firm done delete pause
    foot wall breathing without 15 3
    """.split()
)
_CLAUSE = re.compile(r"(,|;|:| and | then )")


def first_word(clause: str) -> str:
    words = [word.lower().strip("\"'") for word in clause.split()]
    while words and words[0] in LEAD_INS:
        words = words[1:]
    return words[0] if words else ""


def instructions(sentence: str) -> int:
    """How many instructions a sentence gives, by the rules above."""
    count, negating = 0, False
    parts = _CLAUSE.split(sentence.rstrip(".?!"))
    for index in range(0, len(parts), 2):
        clause = parts[index].strip()
        joined_by = parts[index - 1] if index else ""
        if clause.lower().startswith("or ") or clause.lower() == "or":
            continue
        word = first_word(clause)
        if negating and joined_by == "," and word in IMPERATIVES:
            continue
        negating = word in ("don't", "do")
        if word == "say":
            return count + 1
        if negating or word in IMPERATIVES:
            count += 1
    return count


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+", text) if s]


def spoken_sentences(locale: str) -> list[tuple[str, str]]:
    """Every sentence the content can speak (by day and at night), where it lives."""
    content = content_for(locale)
    return [
        (where, sentence)
        for where, line in content.all_lines()
        if not where.startswith("screen.")
        for sentence in sentences(content.fill(line.say, **PLACEHOLDERS))
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Straighten your leg.", 1),
        ("Be gentle, and stop if anything hurts more.", 2),
        ("Bend your knee and gently pull that foot up toward your bottom.", 2),
        ("Hold on to something steady, and bend the knee.", 2),
        ("Sit down and keep still.", 2),
        ("First, stop exercising. ", 1),
        ("Don't stop a medicine on your own; ask your doctor or pharmacist.", 2),
        ("When you stretch, keep your heel down and don't yank.", 2),
        ("Then raise an arm, and shout.", 2),
        ("Walk a few steps, or shake it.", 1),
        ("Don't rub it, warm it, or walk on it.", 1),
        ("When you're ready, hold something steady.", 1),
        ("Say next, go back, or stop.", 1),
        ("Hands on the wall, left leg back, knee straight, heel down.", 0),
        ("Keep the leg still and raised.", 1),
        ("Use your hand, or a towel around your foot.", 1),
    ],
)
def test_instructions_are_counted_as_the_rules_say(sentence: str, expected: int) -> None:
    assert instructions(sentence) == expected


@pytest.mark.parametrize("locale", LOCALES)
def test_every_sentence_gives_at_most_one_instruction(locale: str) -> None:
    two = [(where, s) for where, s in spoken_sentences(locale) if instructions(s) > 1]
    assert not two, "\n".join(f"{where}: {s}" for where, s in two)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_clause_starts_with_a_word_the_rules_know(locale: str) -> None:
    """A clause starting with a word in neither list is a verb or not, and the counter
    cannot tell: a new word in the content must be put in one list or the other."""
    unknown = {
        (where, word)
        for where, sentence in spoken_sentences(locale)
        for clause in _CLAUSE.split(sentence.rstrip(".?!"))[::2]
        if (word := first_word(clause.removeprefix("Or ").removeprefix("or ")))
        and word not in IMPERATIVES | NOT_VERBS | {"don't", "do", "or"}
        and not word[0].isdigit()
    }
    assert not unknown, sorted(unknown)
