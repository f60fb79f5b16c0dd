"""The planned deserializer builds exactly what the SDK's stock `DefaultSerializer` builds:
the same classes, the same fields, the same datetimes (value and offset), the same extra
attributes, and the same error for a payload neither can read. Checked on every request
envelope fixture, on envelopes the project generates (every locale's test utterances,
speakers and screens, a continued session), and on fuzzed ones."""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import Enum
from pathlib import Path

import pytest
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.deserialize import PlannedSerializer
from skill.dev.envelopes import SCREENS, envelope_for, request_for, user_event_for
from skill.dev.nlu import for_locale
from skill.screen import BUTTON_INTENTS
from tests.conftest import ROOT
from tests.test_envelopes import FRAGMENTS, REQUESTS, minimal_envelope

STOCK = DefaultSerializer()
PLANNED = PlannedSerializer()
USER = "amzn1.ask.account.deserialize"


def shape(value: object) -> object:
    """Everything that makes two deserialized values the same, as plain data: the class
    of each object and all its attributes, a datetime's value and its UTC offset."""
    if isinstance(value, datetime):
        return ("datetime", value.isoformat(), value.utcoffset())
    if isinstance(value, date):
        return ("date", value.isoformat())
    if isinstance(value, Enum):
        return (type(value).__qualname__, value.value)
    if isinstance(value, list):
        return [shape(item) for item in value]
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if hasattr(value, "__dict__"):
        return (type(value).__module__, type(value).__qualname__, shape(vars(value)))
    return (type(value).__name__, value)


def outcome(serializer: DefaultSerializer, envelope: dict) -> object:
    """What a serializer makes of an envelope: the object's shape, or the error."""
    try:
        if serializer is STOCK:
            built = STOCK.deserialize(json.dumps(envelope), RequestEnvelope)
        else:
            built = PLANNED.from_dict(envelope, RequestEnvelope)
    except SerializationException as error:
        return ("error", str(error))
    return shape(built)


def assert_same(envelope: dict) -> None:
    before = json.dumps(envelope)
    planned = outcome(PLANNED, envelope)
    assert planned == outcome(STOCK, envelope)
    assert json.dumps(envelope) == before, "the caller's envelope was changed"


def generated_envelopes() -> list[dict]:
    """Envelopes as the project builds them: every locale's test utterances (whatever
    intent they reach), on a speaker and on each screen, new and continued sessions."""
    found = []
    screens = [None, *SCREENS]
    for index, path in enumerate(sorted((ROOT / "tests/utterances").glob("*.txt"))):
        locale = path.stem
        understanding = for_locale(locale)
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for number, line in enumerate(lines[:40]):
            request = request_for(understanding.understand(line.split("\t")[-1]), locale)
            session = None if number % 2 else "amzn1.echo-api.session.deserialize"
            attributes = {"state": {"awaiting": "next", "steps": [1, 2]}, "n": number}
            screen = screens[(index + number) % len(screens)]
            found.append(envelope_for(request, USER, session, attributes, screen))
    for button in sorted(BUTTON_INTENTS):
        found.append(envelope_for(user_event_for(button, "en-US"), USER, None, {}, "hub"))
    return found


FIXTURES = [
    *(json.loads(path.read_text(encoding="utf-8")) for path in REQUESTS),
    *(minimal_envelope(json.loads(path.read_text(encoding="utf-8"))) for path in FRAGMENTS),
]
GENERATED = generated_envelopes()


def test_there_are_envelopes_to_compare() -> None:
    assert len(GENERATED) >= 100


@pytest.mark.parametrize("envelope", FIXTURES, ids=[p.stem for p in [*REQUESTS, *FRAGMENTS]])
def test_every_envelope_fixture_is_built_as_the_sdk_builds_it(envelope: dict) -> None:
    assert_same(envelope)


def test_every_generated_envelope_is_built_as_the_sdk_builds_it() -> None:
    for envelope in GENERATED:
        assert_same(envelope)


TIMESTAMPS = st.sampled_from(
    [
        "2026-11-22T15:00:00Z",
        "2026-11-22T15:00:00.123Z",
        "2026-11-22T15:00:00.1234567Z",
        "2026-11-22T15:00:00+05:30",
        "2026-11-22T15:00:00-00:00",
        "2026-11-22T15:00:00",
        "2026-11-22",
        "20261122T150000Z",
        "2026-W47-7",
        "2026-11-22 15:00",
        "22 Nov 2026 3pm",
        "2026-02-30T15:00:00Z",
        "2026-11-22T25:00:00Z",
        "",
        "not a date",
    ]
)
# Keys starting "_" are dropped on purpose by the planned deserializer, set by the SDK's
# (test_a_key_starting_with_an_underscore_is_dropped_not_set): no key made here has one.
KEYS = st.text(max_size=8).filter(lambda text: not text.startswith("_"))
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=8,
)
REQUEST_TYPES = st.sampled_from(
    [
        "IntentRequest",
        "LaunchRequest",
        "SessionEndedRequest",
        "Alexa.Presentation.APL.UserEvent",
        "CanFulfillIntentRequest",
        "Made.Up",
        "",
    ]
)


def paths(value: object, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON value, as a path of keys and indexes."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*prefix, index))
    return found


@st.composite
def fuzzed(draw: st.DrawFn) -> dict:
    """A real or generated envelope with a few places replaced, removed or given an
    extra key: any JSON, a timestamp of any shape, a request type of any kind."""
    envelope = json.loads(json.dumps(draw(st.sampled_from(FIXTURES + GENERATED))))
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(paths(envelope)[1:]))
        *parents, last = path
        where = envelope
        for step in parents:
            where = where[step]
        action = draw(st.sampled_from(["replace", "remove", "extra", "timestamp", "type"]))
        if action == "remove" and isinstance(where, dict):
            del where[last]
        elif action == "extra" and isinstance(where, dict):
            key = draw(KEYS)
            where[key] = draw(ANY_JSON)
        elif action == "timestamp":
            envelope.setdefault("request", {})
            if isinstance(envelope["request"], dict):
                envelope["request"]["timestamp"] = draw(TIMESTAMPS)
        elif action == "type" and isinstance(envelope.get("request"), dict):
            envelope["request"]["type"] = draw(REQUEST_TYPES)
        else:
            where[last] = draw(ANY_JSON)
        if not paths(envelope)[1:]:
            break
    return envelope


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(fuzzed())
def test_fuzzed_envelopes_are_built_as_the_sdk_builds_them(envelope: dict) -> None:
    assert_same(envelope)


@pytest.mark.parametrize("key", ["__dict__", "__class__", "_private"])
def test_a_key_starting_with_an_underscore_is_dropped_not_set(key: str) -> None:
    """The SDK sets unknown keys as they come, so "__dict__": {} would empty the object
    (the fuzzer found a Context with no `system`); no Alexa field starts with "_"."""
    envelope = json.loads(json.dumps(FIXTURES[0]))
    envelope["context"] = {**envelope.get("context", {}), key: {}}
    built = PLANNED.from_dict(envelope, RequestEnvelope)
    assert built.context.system is not None or "System" not in envelope["context"]
    assert type(built.context).__name__ == "Context"
    assert key not in vars(built.context)


@pytest.mark.parametrize("payload", ["{", "null", "[]", '"text"', "12"])
def test_a_json_string_gives_the_stock_answer_or_error(payload: str) -> None:
    def run(serializer: DefaultSerializer) -> object:
        try:
            return shape(serializer.deserialize(payload, RequestEnvelope))
        except SerializationException as error:
            return ("error", str(error))

    assert run(PLANNED) == run(STOCK)


def test_a_type_it_does_not_plan_goes_down_the_stock_path() -> None:
    payload = {"a": [1, "2"], "b": "2026-11-22T15:00:00Z"}
    for obj_type in ("list[int, str]", "dict(str, object)", "no.such.Module", int, Path):
        data = payload["a"] if obj_type == "list[int, str]" else payload
        expected: object
        try:
            expected = shape(STOCK.deserialize(json.dumps(data), obj_type))
        except SerializationException as error:
            expected = ("error", str(error))
        try:
            got = shape(PLANNED.from_dict(data, obj_type))
        except SerializationException as error:
            got = ("error", str(error))
        assert got == expected, obj_type
