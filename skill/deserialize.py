"""A planned request deserializer: the SDK's `DefaultSerializer`, with each model type
planned once instead of rediscovered for every object of every request.

The stock `deserialize` takes a JSON string (so an envelope that is already a dict is
dumped and parsed again), looks up every model class with `__import__` each time it
meets one, walks `attribute_map` and `deserialized_types` per object, and parses the
timestamp with dateutil. Together that was more than half of a whole request (bench/:
`make profile`). Here each type string is turned once into a converter (a closure that
knows the class, its fields and their converters), the dict is taken directly, and
Alexa's ISO 8601 timestamps are read with `datetime.fromisoformat`.

The objects built are the same objects the stock path builds, field for field
(tests/test_deserialize.py checks it on every envelope fixture and on fuzzed ones): the
same classes, the same `__init__` defaults, unknown payload keys set as attributes as
they are, and the same errors. Anything the plan does not cover (a type string it does
not know, a class that is not a plain model, a payload that does not fit) goes down the
stock path, so the worst case is the stock speed, never a different answer.
"""

from __future__ import annotations

import enum
import json
import re
import threading
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer

Converter = Callable[[Any], Any]

# The timestamps Alexa sends ("2019-05-13T20:35:36Z", with or without fractions or an
# offset): the shapes where `fromisoformat` and dateutil give the same datetime. Any other
# string is left to dateutil, as the stock path does.
_ISO_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})?", re.ASCII
)
_NATIVE = DefaultSerializer.NATIVE_TYPES_MAPPING
_PRIMITIVES = DefaultSerializer.PRIMITIVE_TYPES
_IMMUTABLE_DEFAULTS = (type(None), str, int, float, bool, enum.Enum)


class _Unplanned(Exception):
    """A payload the plan does not cover: the whole request goes down the stock path."""


def _copy(value: Any) -> Any:
    """A JSON value's containers copied, as the stock path's JSON round trip copies them,
    so a model never shares a dict or list with the caller's envelope."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


class PlannedSerializer(DefaultSerializer):
    """`DefaultSerializer` with a planned `deserialize`, and `from_dict` for a payload
    that is already parsed JSON. Serializing is the SDK's."""

    def __init__(self) -> None:
        self._plans: dict[Any, Converter] = {}
        self._lock = threading.Lock()

    def deserialize(self, payload: str | None, obj_type: Any) -> Any:
        """The stock signature (a JSON string): parsed once, then planned."""
        if payload is None:
            return None
        try:
            data = json.loads(payload)
        except Exception:
            return super().deserialize(payload, obj_type)  # the stock error
        return self.from_dict(data, obj_type)

    def from_dict(self, data: Any, obj_type: Any) -> Any:
        """`data` (parsed JSON, never changed) as an `obj_type`; the same object the
        stock `deserialize(json.dumps(data), obj_type)` builds, or the same error."""
        if data is None:
            return None
        try:
            return self._plan(obj_type)(data)
        except Exception:
            # The stock path decides what this payload is, or which error it raises.
            return self._DefaultSerializer__deserialize(_copy(data), obj_type)  # type: ignore[attr-defined]

    def _plan(self, obj_type: Any) -> Converter:
        converter = self._plans.get(obj_type)
        if converter is None:
            with self._lock:
                converter = self._plans.get(obj_type)
                if converter is None:
                    try:
                        converter = self._build(obj_type)
                    except Exception:
                        converter = self._stock(obj_type)
                    self._plans[obj_type] = converter
        return converter

    def _stock(self, obj_type: Any) -> Converter:
        """A type the plan does not know: the SDK's own path, for this type only."""
        stock = self._DefaultSerializer__deserialize  # type: ignore[attr-defined]
        return lambda payload: stock(_copy(payload), obj_type)

    def _build(self, obj_type: Any) -> Converter:
        """One converter for a type string or class; None in a payload stays None."""
        if isinstance(obj_type, str):
            if obj_type.startswith("list["):
                return self._list(obj_type)
            if obj_type.startswith("dict("):
                return self._dict(obj_type)
            if obj_type in _NATIVE:
                return self._native(_NATIVE[obj_type])
            return self._model(_load_class(obj_type))
        return self._native(obj_type) if obj_type in _NATIVE.values() else self._model(obj_type)

    def _list(self, obj_type: str) -> Converter:
        match = re.match(r"list\[(.*)\]", obj_type)
        if match is None or "," in match.group(1):
            raise _Unplanned(obj_type)  # empty or mixed lists: rare, and the stock path's
        item = self._lazy(match.group(1).strip())

        def convert(payload: Any) -> Any:
            return [None if value is None else item(value) for value in payload]

        return convert

    def _dict(self, obj_type: str) -> Converter:
        match = re.match(r"dict\(([^,]*), (.*)\)", obj_type)
        if match is None:
            raise _Unplanned(obj_type)
        item = self._lazy(match.group(2))

        def convert(payload: Any) -> Any:
            return {key: None if value is None else item(value) for key, value in payload.items()}

        return convert

    def _lazy(self, obj_type: str) -> Converter:
        """A converter planned on first use, so recursive models plan without looping."""
        plans = self._plans
        plan = self._plan

        def convert(payload: Any) -> Any:
            converter = plans.get(obj_type) or plan(obj_type)
            return converter(payload)

        return convert

    def _native(self, kind: type) -> Converter:
        if kind is object:
            return _copy
        if kind is datetime:
            return _timestamp
        if kind is date:
            return lambda payload: _timestamp(payload).date()
        if kind in _PRIMITIVES:
            return _primitive(kind)
        raise _Unplanned(kind)

    def _model(self, cls: type) -> Converter:
        if issubclass(cls, enum.Enum):
            return cls
        if not hasattr(cls, "deserialized_types"):
            return lambda payload: payload
        if hasattr(cls, "get_real_child_model"):
            return self._polymorphic(cls)
        return self._fields(cls)

    def _polymorphic(self, cls: type) -> Converter:
        """A base class whose payload names its subclass (a request's `type`)."""
        resolve = cls.get_real_child_model  # type: ignore[attr-defined]
        by_name: dict[str, Converter] = {}

        def convert(payload: Any) -> Any:
            name = resolve(payload)
            if not name:
                raise _Unplanned(cls)
            converter = by_name.get(name)
            if converter is None:
                converter = by_name[name] = self._fields(_load_class(name))
            return converter(payload)

        return convert

    def _fields(self, cls: type) -> Converter:
        """Build `cls()` and set each field the payload has, converted; payload keys the
        model does not know are set as they are (both as the stock path does)."""
        types: dict[str, str] = cls.deserialized_types  # type: ignore[attr-defined]
        names = {**{key: key for key in types}, **getattr(cls, "attribute_map", {})}
        fields = [
            (attribute, key, self._lazy(types[attribute]))
            for attribute, key in names.items()
            if attribute in types
        ]
        known = frozenset(names.values())
        defaults = cls().__dict__
        plain = all(isinstance(v, _IMMUTABLE_DEFAULTS) for v in defaults.values()) and not any(
            hasattr(cls, attribute) for attribute, _, _ in fields
        )

        def convert(payload: Any) -> Any:
            if plain:
                model: Any = object.__new__(cls)
                values = model.__dict__
                values.update(defaults)
                for attribute, key, field in fields:
                    if key in payload:
                        value = payload[key]
                        values[attribute] = None if value is None else field(value)
            else:
                model = cls()
                for attribute, key, field in fields:
                    if key in payload:
                        value = payload[key]
                        setattr(model, attribute, None if value is None else field(value))
            for key in payload:
                # A key such as "__dict__" or "__class__" would replace the object itself;
                # no Alexa field starts with an underscore.
                if key not in known and not key.startswith("_"):
                    setattr(model, key, _copy(payload[key]))
            return model

        if any(attribute not in names for attribute in types):
            raise _Unplanned(cls)
        return convert


def _load_class(name: str) -> type:
    module_name, _, class_name = name.rpartition(".")
    if not module_name:
        raise _Unplanned(name)
    module = __import__(module_name, fromlist=[class_name])
    return getattr(module, class_name)


def _primitive(kind: type) -> Converter:
    """`kind(payload)` as the stock path does it: a TypeError keeps the payload as it is."""

    def convert(payload: Any) -> Any:
        try:
            return kind(payload)
        except TypeError:
            return payload

    if kind is str:
        return lambda payload: payload if type(payload) is str else convert(payload)
    return convert


def _timestamp(payload: Any) -> datetime:
    if type(payload) is str and _ISO_TIMESTAMP.fullmatch(payload):
        return datetime.fromisoformat(payload)
    from dateutil.parser import parse  # the stock path's parser, for any other shape

    return parse(payload)
