"""Local understanding: the ways people really talk, mapped like Alexa would map them."""

from __future__ import annotations

from datetime import date

import pytest

from skill.local.nlu import for_locale, normalize

CASES = [
    ("", "LaunchRequest", {}),
    ("Alexa, open Cramp Coach", "LaunchRequest", {}),
    ("ow my calf", "CrampNowIntent", {"muscle": "CALF"}),
    ("OW! My left calf is cramping!!", "CrampNowIntent", {"muscle": "CALF", "side": "LEFT"}),
    ("charley horse in my right leg", "CrampNowIntent", {"muscle": "LEG", "side": "RIGHT"}),
    ("my foot's locking up", "CrampNowIntent", {"muscle": "FOOT"}),
    ("I've got cramp in my hamstring", "CrampNowIntent", {"muscle": "BACK_THIGH"}),
    ("a cramp woke me up", "CrampNowIntent", {}),
    ("I've got a cramp in bed", "CrampNowIntent", {"situation": "NIGHT"}),
    ("tell cramp coach to count thirty seconds", "StretchHoldIntent", {"seconds": "30"}),
    ("hold for twenty", "StretchHoldIntent", {"seconds": "20"}),
    ("hold it for a minute", "StretchHoldIntent", {"duration": "PT1M"}),
    ("time my stretch", "StretchHoldIntent", {}),
    ("start my bedtime stretches", "BedtimeRoutineIntent", {}),
    ("what should I eat", "PreventionIntent", {"topic": "FOOD"}),
    ("why do my legs cramp at night", "CausesIntent", {}),
    ("should I see a doctor about my cramps", "SeeDoctorIntent", {}),
    ("my calf is red and swollen", "RedFlagIntent", {"symptom": "RED_SWOLLEN_CALF"}),
    ("I can't feel my foot", "RedFlagIntent", {"symptom": "COLD_PALE_LIMB"}),
    ("my husband is slurring his words and his face is drooping", "RedFlagIntent", {}),
    ("that's better", "CrampEasedIntent", {}),
    ("it's not going away", "StillCrampingIntent", {}),
    ("log a cramp in my right calf", "LogCrampIntent", {"muscle": "CALF", "side": "RIGHT"}),
    ("how many cramps did I have this week", "CrampHistoryIntent", {}),
    ("forget everything about me", "DeleteDataIntent", {}),
    ("count with beeps", "SetPreferenceIntent", {"count_style": "TONES"}),
    ("make my holds twenty seconds", "SetPreferenceIntent", {"seconds": "20"}),
    ("yeah", "AMAZON.YesIntent", {}),
    ("nope", "AMAZON.NoIntent", {}),
    ("say that again", "AMAZON.RepeatIntent", {}),
    ("go back", "AMAZON.PreviousIntent", {}),
    ("what's next", "AMAZON.NextIntent", {}),
    ("start over", "AMAZON.StartOverIntent", {}),
    ("never mind", "AMAZON.CancelIntent", {}),
    ("purple monkey dishwasher", "AMAZON.FallbackIntent", {}),
]


@pytest.mark.parametrize(("text", "intent", "slots"), CASES, ids=[c[0] or "empty" for c in CASES])
def test_understanding(text: str, intent: str, slots: dict) -> None:
    result = for_locale("en-US").understand(text)
    assert result.intent == intent
    found = {name: fill.id or fill.value for name, fill in result.slots.items()}
    assert slots.items() <= found.items()


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
