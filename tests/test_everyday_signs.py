"""Warning signs in everyday, hurried words (tests/data/signs/, see its README).

A frightened person types "my dads face looks droopy and hes slurring", not a sample of the
model. Every sign in the development set is heard at its level, and the sentences that only
sound like a sign are not heard as one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.content import content_for
from skill.dev.nlu import RED_FLAG_INTENT, for_locale, normalize, warning_level

DATA = Path(__file__).parent / "data" / "signs"
LEVELS = ("EMERGENCY", "URGENT_TODAY", "SEE_DOCTOR")
# Questions that ask whether a pattern needs a doctor: answering them with a doctor's
# advice is the answer they ask for, not an alarm.
ADVICE_ASKED_FOR = {
    "is it normal to get them every night or should i see my gp",
    "is dark pee after running something to worry about",
}


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [
        [part.strip() for part in line.split("|", 3)]
        for line in lines
        if line.strip() and not line.startswith("#")
    ]


@pytest.mark.parametrize(("level", "symptom", "locale", "text"), _rows("signs.txt"))
def test_every_sign_is_heard_at_its_level(level: str, symptom: str, locale: str, text: str) -> None:
    heard = warning_level(for_locale(locale).understand(text), locale)
    assert heard is not None, text
    # A sign may be heard as a more severe one said in the same words, never a milder.
    assert LEVELS.index(heard) <= LEVELS.index(level), (heard, text)


@pytest.mark.parametrize(("intent", "locale", "text"), _rows("not_signs.txt"))
def test_words_that_only_sound_like_a_sign_are_no_warning(
    intent: str, locale: str, text: str
) -> None:
    result = for_locale(locale).understand(text)
    if text in ADVICE_ASKED_FOR:
        assert warning_level(result, locale) != "EMERGENCY"
        return
    assert result.intent != RED_FLAG_INTENT, (result.slots, text)


def test_the_development_set_covers_every_sign_in_every_locale() -> None:
    rows = _rows("signs.txt")
    content = content_for("en-US")
    symptoms = {symptom for _, symptom, _, _ in rows}
    assert all(content.red_flag_level(symptom) for symptom in symptoms)
    assert len(symptoms) == 20
    assert {locale for _, _, locale, _ in rows} == {"en-US", "en-GB", "en-CA", "en-AU", "en-IN"}


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("he wont wake up", "he won't wake up"),
        ("i cant breathe", "i can't breathe"),
        ("hes slurring and shes scared", "he's slurring and she's scared"),
        ("its still cramping", "it's still cramping"),
        ("im in the sea", "i'm in the sea"),
        # Words that are words of their own stay as typed.
        ("well i feel ill", "well i feel ill"),
        ("we were at the shed", "we were at the shed"),
    ],
)
def test_contractions_typed_without_apostrophes_are_read_as_contractions(
    typed: str, read: str
) -> None:
    assert normalize(typed) == read


@pytest.mark.parametrize(
    "text",
    [
        "my husband wont wake up to help me, hes snoring",
        "i didnt hurt it, my calf is just rock hard from the cramp",
        "no vomiting, no loose motions, only leg cramp",
        "no tummy bug or being sick, just the usual cramp",
        "i stopped the statin a year ago and the cramps are rare now",
        "i've been in bed for an hour and cant sleep",
    ],
)
def test_a_sign_ruled_out_in_the_same_words_is_no_warning(text: str) -> None:
    assert for_locale("en-US").understand(text).intent != RED_FLAG_INTENT


def test_a_long_time_is_a_long_cramp_only_when_a_cramp_is_said() -> None:
    understand = for_locale("en-IN").understand
    assert (
        understand("my mother is having cramp in the leg since one hour").slots["symptom"].id
        == "LONG_CRAMP"
    )
    assert understand("i have been in bed since one hour").intent != RED_FLAG_INTENT
