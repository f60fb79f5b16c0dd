"""Local understanding: the ways people really talk, mapped like Alexa would map them."""

from __future__ import annotations

from datetime import date

import pytest

from harness.labelled import Labelled, labelled, labelled_locales
from skill.dev.nlu import for_locale, normalize

UTTERANCES = [
    pytest.param(
        locale,
        row,
        id=f"{locale}: {row.text or 'empty'}",
        marks=[] if row.understood_yet else pytest.mark.xfail(strict=True, reason="not yet"),
    )
    for locale in labelled_locales()
    for row in labelled(locale)
]


@pytest.mark.parametrize(("locale", "row"), UTTERANCES)
def test_the_labelled_utterances(locale: str, row: Labelled) -> None:
    """Each line of tests/utterances/<locale>.txt; lines marked "?" must still fail, so
    one that starts to work is noticed and its mark removed."""
    assert row.heard_by(for_locale(locale)), row


def test_dates_resolve_like_alexa() -> None:
    result = for_locale("en-US").understand("log a cramp last night", today=date(2026, 3, 1))
    assert result.slots["when"].value == "2026-02-28"


def test_a_negated_warning_sign_is_not_a_red_flag() -> None:
    result = for_locale("en-US").understand("I'm not short of breath, my calf just hurts")
    assert result.intent != "RedFlagIntent"


@pytest.mark.parametrize(
    "text", ["no, I can't breathe", "no it's worse, my foot has gone white and cold"]
)
def test_a_leading_no_does_not_hide_a_red_flag(text: str) -> None:
    assert for_locale("en-US").understand(text).intent == "RedFlagIntent"


def test_normalize() -> None:
    assert normalize("  Ow, my  CALF\u2019s   cramping!! ") == "ow my calf's cramping"
    assert normalize("I can not breathe") == "i cannot breathe"
