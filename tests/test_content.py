"""Every spoken sentence, in every locale: sourced in GUIDE.md, fillable, free of forbidden
advice, in the locale's own spelling, with its phone numbers said digit by digit."""

from __future__ import annotations

import re

import pytest

from skill.build import models
from skill.content import UNKNOWN_EMERGENCY_NUMBER, available_locales, content_for
from skill.speech import Speech, plain_text
from tests.conftest import FORBIDDEN, SHARED

GUIDE = (SHARED / "clinical/GUIDE.md").read_text(encoding="utf-8")
LOCALES = available_locales()
# Spellings and services that are American only: a line for another locale with one of
# these needs that locale's own wording in its file (skill/content/<locale>.toml).
AMERICAN = re.compile(
    r"\b(\w+(?<![ps])iz(e|es|ed|ing|ation)|\w+yz(e|es|ed|ing)|"
    r"(col|fav|hon|hum|flav|neighb|behavi|lab|od|rum|harb|vig|arm|endeav)or(s|ed|ing)?|"
    r"favorites?|centers?|diarrhea|pediatric\w*|gray|tires?|pajamas|"
    r"urgent care|after-hours|mom|pee)\b",
    re.IGNORECASE,
)
PLACEHOLDERS = {
    "muscle": "calf",
    "seconds": 20,
    "name": "left calf stretch",
    "place": "left calf",
    "day": "last night",
    "days": 7,
    "count": 3,
}


def guide_keys() -> set[str]:
    references = GUIDE.split("## References", 1)[1]
    keys = set(re.findall(r"(?:^- |; )([A-Z]{1,2}\d+[a-z]?)\b", references, re.MULTILINE))
    # Sections and their lettered subsections ("## 3.", "### 3a.").
    sections = {f"§{n}" for n in re.findall(r"^###? (\d+[a-z]?)\.", GUIDE, re.MULTILINE)}
    return keys | sections | {"ui"}


LINES = [
    (locale, where, line) for locale in LOCALES for where, line in content_for(locale).all_lines()
]
SHOWN = [
    (locale, where, text) for locale in LOCALES for where, text in content_for(locale).all_shown()
]


def line_ids(rows: list[tuple]) -> list[str]:
    return [f"{locale} {where}" for locale, where, _ in rows]


def test_guide_keys_are_parsed() -> None:
    assert {"M2", "M1b", "AL3", "§1", "§6", "§3a", "§3b", "HD1", "IN1", "Z2"} <= guide_keys()


def test_content_and_models_cover_the_same_locales() -> None:
    assert set(LOCALES) == set(models.LOCALES)


@pytest.mark.parametrize(("locale", "where", "line"), LINES, ids=line_ids(LINES))
def test_every_line_names_real_sources(locale: str, where: str, line) -> None:
    assert line.src, f"{where} has no source"
    unknown = set(line.src) - guide_keys()
    assert not unknown, f"{where} cites unknown sources {unknown}"


@pytest.mark.parametrize(("locale", "where", "line"), LINES, ids=line_ids(LINES))
def test_no_line_speaks_forbidden_advice(locale: str, where: str, line) -> None:
    match = FORBIDDEN.search(line.say)
    assert match is None, f"{where}: {match.group(0)!r}"


@pytest.mark.parametrize("locale", LOCALES)
def test_health_claims_are_not_marked_as_interface_text(locale: str) -> None:
    clinical = [where for where, line in content_for(locale).all_lines() if line.src == ("ui",)]
    assert not [where for where in clinical if where.startswith(("first_aid", "info", "routine"))]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_placeholder_can_be_filled(locale: str) -> None:
    content = content_for(locale)
    for where, line in content.all_lines():
        filled = content.fill(line.say, **PLACEHOLDERS)
        assert "{" not in filled, (locale, where)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_phone_number_spoken_is_said_digit_by_digit(locale: str) -> None:
    """Text-to-speech reads "999" as a hundreds number unless told: every number the
    content fills in reaches the SSML marked, and shows plainly in the transcript."""
    content = content_for(locale)
    for where, line in content.all_lines():
        ssml = Speech(content.fill(line.say, **PLACEHOLDERS)).ssml
        spoken = re.sub(r'<say-as interpret-as="digits">\d+</say-as>', "", ssml)
        assert not re.search(r"\b\d{3,}\b", spoken), (locale, where, ssml)
        assert "\ue000" not in plain_text(ssml)


@pytest.mark.parametrize("locale", [locale for locale in LOCALES if locale != "en-US"])
def test_other_locales_have_no_american_spellings_or_services(locale: str) -> None:
    content = content_for(locale)
    found = [
        (where, match.group(0))
        for where, line in content.all_lines()
        if (match := AMERICAN.search(content.fill(line.say, **PLACEHOLDERS)))
    ]
    assert not found


def test_the_american_check_catches_american_words() -> None:
    for words in (
        "the color of tea",
        "call an urgent care line",
        "minimize it",
        "analyze",
        "my mom",
    ):
        assert AMERICAN.search(words), words
    for words in ("rise on", "a surprise", "stretch gently", "the colour of tea"):
        assert not AMERICAN.search(words), words


def test_every_symptom_in_the_model_has_a_level() -> None:
    content = content_for("en-US")
    for symptom in models.load_source()["types"]["SYMPTOM"]:
        assert content.red_flag_level(symptom) in {"EMERGENCY", "URGENT_TODAY", "SEE_DOCTOR"}


def test_unknown_locale_never_guesses_an_emergency_number() -> None:
    content = content_for("de-DE")
    assert content.emergency_number == UNKNOWN_EMERGENCY_NUMBER
    assert "911" not in content.line("emergency_action")
    assert content_for("xx-XX") is content, "every unsupported locale shares one content"


def test_the_forbidden_list_catches_the_seeds_unsafe_advice() -> None:
    for unsafe in [
        "prick the calf with a needle",
        "take quinine before bed",
        "walk on tiptoe",
        "a tansy and vodka rub",
        "two tablets three times a day",
    ]:
        assert FORBIDDEN.search(unsafe), unsafe


@pytest.mark.parametrize(("locale", "where", "text"), SHOWN, ids=line_ids(SHOWN))
def test_nothing_a_screen_shows_is_forbidden_advice(locale: str, where: str, text: str) -> None:
    assert text.strip(), f"{where} is empty"
    match = FORBIDDEN.search(text)
    assert match is None, f"{where}: {match.group(0)!r}"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_step_has_a_line_for_the_screen(locale: str) -> None:
    lines = content_for(locale).all_lines()
    steps = [
        line for where, line in lines if where.startswith(("first_aid", "situation", "routine"))
    ]
    assert steps and all(step.show for step in steps)
