"""Every locale's interaction model and the skill manifest: generated from one source,
complete per the voice contract, buildable, and what each locale's store listing says."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from harness.replies import DATA, ROOT
from skill import intents
from skill.build import models
from skill.content import MERGED_DIR
from skill.dev.nlu import for_locale, prepared_path

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
BUILTIN_SLOT_TYPES = {"AMAZON.NUMBER", "AMAZON.DURATION", "AMAZON.DATE", "AMAZON.TIME"}


@pytest.fixture(scope="module", params=models.LOCALES)
def locale(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def model(locale: str) -> dict:
    return json.loads(models.model_path(locale).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def language_model(model: dict) -> dict:
    return model["interactionModel"]["languageModel"]


def test_the_intent_module_names_every_intent_and_slot_of_the_model(language_model: dict) -> None:
    declared = {
        intent["name"]: tuple(slot["name"] for slot in intent.get("slots", []))
        for intent in language_model["intents"]
    }
    assert set(declared) == intents.all_intents()
    assert {name: slots for name, slots in declared.items() if slots} == intents.SLOTS


def test_handlers_read_only_slots_the_model_declares() -> None:
    """A slot a handler asks for (`turn.slot("name")`) exists on some intent."""
    known = {slot for slots in intents.SLOTS.values() for slot in slots}
    for path in (ROOT / "skill").rglob("*.py"):
        asked = set(re.findall(r"\bslot\(\"(\w+)\"\)", path.read_text(encoding="utf-8")))
        assert asked <= known, f"{path.name} reads undeclared slots {asked - known}"


def test_handlers_name_intents_only_through_the_intent_module() -> None:
    for path in (ROOT / "skill" / "handlers").rglob("*.py"):
        literals = re.findall(r"\"[A-Za-z.]+Intent\"", path.read_text(encoding="utf-8"))
        assert not literals, f"{path.name} spells intent names itself: {literals}"


def test_committed_files_are_what_the_sources_generate() -> None:
    assert models.stale() == [], "generated files are stale: run `make models`"
    assert set(models.generated()) == {
        *(models.model_path(locale) for locale in models.LOCALES),
        models.MANIFEST,
        *(MERGED_DIR / f"{locale}.json" for locale in models.LOCALES),
        *(prepared_path(locale) for locale in models.LOCALES),
    }


@pytest.mark.parametrize("locale", models.LOCALES)
def test_each_model_is_within_alexas_size_limit(locale: str) -> None:
    """A model over the limit fails to build on Alexa; this fails first, here."""
    size = len(models.model_path(locale).read_text(encoding="utf-8"))
    assert size <= models.MODEL_CHARACTERS_LIMIT, f"{locale}: {size:,} characters"


def test_model_validates_against_the_relaxed_schema(model: dict) -> None:
    schema = json.loads((DATA / "schemas/interaction-model.schema.relaxed.json").read_text())
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
            for word in [value["name"]["value"], *value["name"].get("synonyms", [])]:
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


def test_every_locale_keeps_every_shared_sample(language_model: dict) -> None:
    """Overlays only add: a locale never loses a way of saying something."""
    shared = models.build_model(models.read_toml(models.SOURCE))["interactionModel"]
    samples = {i["name"]: set(i["samples"]) for i in language_model["intents"]}
    for intent in shared["languageModel"]["intents"]:
        assert set(intent["samples"]) <= samples[intent["name"]], intent["name"]


def test_the_manifest_lists_every_locale_and_its_country() -> None:
    manifest = json.loads(models.MANIFEST.read_text(encoding="utf-8"))
    schema = json.loads((DATA / "schemas/skill-manifest.schema.json").read_text())
    jsonschema.validate(manifest, schema)
    publishing = manifest["manifest"]["publishingInformation"]
    assert set(publishing["locales"]) == set(models.LOCALES)
    assert publishing["distributionCountries"] == ["AU", "CA", "GB", "IN", "US"]
    for listing in publishing["locales"].values():
        assert "not a substitute for professional medical advice" in listing["description"]
        assert "call your local emergency number" in listing["description"]


def test_example_phrases_are_the_locales_own_sample_utterances(locale: str) -> None:
    """Certification: each example phrase must be one of the locale's samples."""
    manifest = json.loads(models.MANIFEST.read_text(encoding="utf-8"))
    phrases = manifest["manifest"]["publishingInformation"]["locales"][locale]["examplePhrases"]
    understanding = for_locale(locale)
    for phrase in phrases:
        assert understanding.understand(phrase).intent != "AMAZON.FallbackIntent", phrase


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


def test_no_sample_puts_an_apostrophe_straight_after_a_slot(language_model: dict) -> None:
    for intent in language_model["intents"]:
        assert not [s for s in intent.get("samples", []) if "}'" in s], intent["name"]


def test_the_generator_refuses_a_possessive_after_a_slot() -> None:
    source = {
        "invocation": "cramp coach",
        "intents": {"X": {"samples": ["my {muscle}'s cramping"], "slots": {"muscle": "M"}}},
        "types": {},
    }
    with pytest.raises(ValueError, match="apostrophe straight after a slot"):
        models.build_model(source)


def test_no_slot_value_has_an_empty_synonyms_list(language_model: dict) -> None:
    for slot_type in language_model["types"]:
        for value in slot_type["values"]:
            assert value["name"].get("synonyms", ["omitted"]) != [], value
