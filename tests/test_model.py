"""The en-US interaction model: generated, complete per the voice contract, buildable."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from skill.local import models
from tests.conftest import SHARED

CONTRACT_INTENTS = {
    "CrampNowIntent": {"muscle": "MUSCLE", "side": "SIDE", "situation": "SITUATION"},
    "StretchHoldIntent": {
        "seconds": "AMAZON.NUMBER",
        "duration": "AMAZON.DURATION",
        "muscle": "MUSCLE",
    },
    "BedtimeRoutineIntent": {},
    "PreventionIntent": {"topic": "PREVENTION_TOPIC"},
    "CausesIntent": {},
    "SeeDoctorIntent": {},
    "RedFlagIntent": {"symptom": "SYMPTOM", "muscle": "MUSCLE"},
    "CrampEasedIntent": {},
    "StillCrampingIntent": {},
    "LogCrampIntent": {"muscle": "MUSCLE", "side": "SIDE", "when": "AMAZON.DATE"},
    "CrampHistoryIntent": {"period": "AMAZON.DURATION"},
    "DeleteDataIntent": {},
    "SetPreferenceIntent": {"seconds": "AMAZON.NUMBER", "count_style": "COUNT_STYLE"},
}
CONTRACT_BUILTINS = {
    "AMAZON.HelpIntent",
    "AMAZON.StopIntent",
    "AMAZON.CancelIntent",
    "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent",
    "AMAZON.NextIntent",
    "AMAZON.PreviousIntent",
    "AMAZON.RepeatIntent",
    "AMAZON.StartOverIntent",
    "AMAZON.YesIntent",
    "AMAZON.NoIntent",
    "AMAZON.PauseIntent",
    "AMAZON.ResumeIntent",
}
CONTRACT_VALUE_IDS = {
    "MUSCLE": {"CALF", "FRONT_THIGH", "BACK_THIGH", "FOOT", "TOES", "LEG"},
    "SIDE": {"LEFT", "RIGHT", "BOTH"},
    "SITUATION": {"NIGHT", "EXERCISE", "SWIMMING", "PREGNANCY"},
    "PREVENTION_TOPIC": {"FOOD", "DRINK", "SHOES", "EXERCISE", "SLEEP"},
    "COUNT_STYLE": {"VOICE", "TONES"},
}
# MODEL_RULES.md §4: letters, spaces, periods, underscores, apostrophes, hyphens; {slots}.
SAMPLE_CHARACTERS = re.compile(r"^[a-z0-9 .'_\-{}]+$")
INVOCATION_CHARACTERS = re.compile(r"^[a-z' .]+$")
LAUNCH_WORDS = {"launch", "ask", "tell", "open", "load", "begin", "enable", "alexa", "amazon"}
BUILTIN_SLOT_TYPES = {"AMAZON.NUMBER", "AMAZON.DURATION", "AMAZON.DATE"}


@pytest.fixture(scope="module")
def model() -> dict:
    return json.loads(models.model_path("en-US").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def language_model(model: dict) -> dict:
    return model["interactionModel"]["languageModel"]


def test_committed_model_is_what_the_source_generates() -> None:
    assert (
        models.model_path("en-US").read_text(encoding="utf-8") == models.render()
    ), "interaction_models/en-US.json is stale: run `make models`"


def test_model_validates_against_the_relaxed_schema(model: dict) -> None:
    schema = json.loads(
        (SHARED / "alexa/schemas/interaction-model.schema.relaxed.json").read_text()
    )
    jsonschema.validate(model, schema)


def test_invocation_name_follows_the_certification_rules(language_model: dict) -> None:
    name = language_model["invocationName"]
    assert name == "cramp coach"
    assert INVOCATION_CHARACTERS.match(name) and len(name.split()) >= 2
    assert not LAUNCH_WORDS & set(name.split())


def test_every_contract_intent_has_its_slots_and_samples(language_model: dict) -> None:
    intents = {intent["name"]: intent for intent in language_model["intents"]}
    for name, slots in CONTRACT_INTENTS.items():
        declared = {slot["name"]: slot["type"] for slot in intents[name].get("slots", [])}
        # The contract's slots with their types; more may be added, none renamed.
        assert declared.items() >= slots.items(), name
        assert len(intents[name]["samples"]) >= 10, f"{name} needs more ways to say it"
    assert set(intents) >= CONTRACT_BUILTINS


def test_contract_value_ids_exist(language_model: dict) -> None:
    types = {kind["name"]: {v["id"] for v in kind["values"]} for kind in language_model["types"]}
    for type_name, ids in CONTRACT_VALUE_IDS.items():
        assert ids <= types[type_name], type_name


def test_model_rules(language_model: dict) -> None:
    names = [intent["name"] for intent in language_model["intents"]]
    assert len(names) == len(set(names)), "duplicate intent names"
    types = {kind["name"] for kind in language_model["types"]}
    for kind in language_model["types"]:
        assert re.match(r"^[A-Za-z][A-Za-z_]*$", kind["name"]), kind["name"]
        ids = [value["id"] for value in kind["values"]]
        assert len(ids) == len(set(ids)), kind["name"]
        for value in kind["values"]:
            for word in [value["name"]["value"], *value["name"]["synonyms"]]:
                assert 0 < len(word) <= 140
    for intent in language_model["intents"]:
        assert "." not in intent["name"] or intent["name"].startswith("AMAZON.")
        slots = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        assert not set(slots) & set(names), "a slot shares a name with an intent"
        for slot_type in slots.values():
            assert slot_type in types or slot_type in BUILTIN_SLOT_TYPES
        for sample in intent["samples"]:
            assert SAMPLE_CHARACTERS.match(sample), f"{intent['name']}: {sample!r}"
            assert sample == sample.strip() and "  " not in sample
            for slot in re.findall(r"\{([^}]*)\}", sample):
                assert slot in slots, f"{intent['name']}: {sample!r} uses undeclared {slot}"


def test_no_sample_is_claimed_by_two_intents(language_model: dict) -> None:
    owner: dict[str, str] = {}
    for intent in language_model["intents"]:
        for sample in intent["samples"]:
            assert owner.setdefault(sample, intent["name"]) == intent["name"], sample


def test_template_expansion() -> None:
    assert models.expand("[ow] my (calf|foot) hurts") == [
        "my calf hurts",
        "my foot hurts",
        "ow my calf hurts",
        "ow my foot hurts",
    ]
    with pytest.raises(ValueError):
        models.expand("my (calf hurts")
    with pytest.raises(ValueError):
        models.expand("my calf] hurts")
