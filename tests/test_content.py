"""Every spoken sentence: sourced in GUIDE.md, fillable, and free of forbidden advice."""

from __future__ import annotations

import re

import pytest

from skill.content import UNKNOWN_EMERGENCY_NUMBER, content_for
from skill.local.models import load_source
from tests.conftest import FORBIDDEN, SHARED

GUIDE = (SHARED / "clinical/GUIDE.md").read_text(encoding="utf-8")


def guide_keys() -> set[str]:
    references = GUIDE.split("## References", 1)[1]
    keys = set(re.findall(r"(?:^- |; )([A-Z]{1,2}\d+[a-z]?)\b", references, re.MULTILINE))
    sections = {f"§{n}" for n in re.findall(r"^## (\d+)\.", GUIDE, re.MULTILINE)}
    return keys | sections | {"ui"}


LINES = list(content_for("en-US").all_lines())


def test_guide_keys_are_parsed() -> None:
    assert {"M2", "M1b", "AL3", "§1", "§6"} <= guide_keys()


@pytest.mark.parametrize(("where", "line"), LINES, ids=[where for where, _ in LINES])
def test_every_line_names_real_sources(where: str, line) -> None:
    assert line.src, f"{where} has no source"
    unknown = set(line.src) - guide_keys()
    assert not unknown, f"{where} cites unknown sources {unknown}"


@pytest.mark.parametrize(("where", "line"), LINES, ids=[where for where, _ in LINES])
def test_no_line_speaks_forbidden_advice(where: str, line) -> None:
    match = FORBIDDEN.search(line.say)
    assert match is None, f"{where}: {match.group(0)!r}"


def test_health_claims_are_not_marked_as_interface_text() -> None:
    clinical = [where for where, line in LINES if line.src == ("ui",)]
    assert not [where for where in clinical if where.startswith(("first_aid", "info", "routine"))]


def test_every_placeholder_can_be_filled() -> None:
    content = content_for("en-US")
    for where, line in LINES:
        filled = content.fill(
            line.say,
            muscle="calf",
            seconds=20,
            name="left calf stretch",
            place="left calf",
            day="last night",
            days=7,
            count=3,
        )
        assert "{" not in filled, where


def test_every_symptom_in_the_model_has_a_level() -> None:
    content = content_for("en-US")
    for symptom in load_source()["types"]["SYMPTOM"]:
        assert content.red_flag_level(symptom) in {"EMERGENCY", "URGENT_TODAY", "SEE_DOCTOR"}


def test_unknown_locale_never_guesses_an_emergency_number() -> None:
    content = content_for("de-DE")
    assert content.emergency_number == UNKNOWN_EMERGENCY_NUMBER
    assert "911" not in content.line("emergency_action")


def test_the_forbidden_list_catches_the_seeds_unsafe_advice() -> None:
    for unsafe in [
        "prick the calf with a needle",
        "take quinine before bed",
        "walk on tiptoe",
        "a tansy and vodka rub",
        "two tablets three times a day",
    ]:
        assert FORBIDDEN.search(unsafe), unsafe


SHOWN = list(content_for("en-US").all_shown())


@pytest.mark.parametrize(("where", "text"), SHOWN, ids=[where for where, _ in SHOWN])
def test_nothing_a_screen_shows_is_forbidden_advice(where: str, text: str) -> None:
    assert text.strip(), f"{where} is empty"
    match = FORBIDDEN.search(text)
    assert match is None, f"{where}: {match.group(0)!r}"


def test_every_step_has_a_line_for_the_screen() -> None:
    steps = [
        line for where, line in LINES if where.startswith(("first_aid", "situation", "routine"))
    ]
    assert steps and all(step.show for step in steps)
