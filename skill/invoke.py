"""Envelope in, envelope out: the one call every adapter (Lambda, HTTP, CLI) makes.

Requests are read by the planned deserializer (`skill.deserialize`: the SDK's own, with
each model type planned once; it builds the objects the stock path builds), replies are
written by the SDK's serializer; every adapter goes through this same path.
"""

from __future__ import annotations

from typing import Any

from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope, ResponseEnvelope

from skill.deserialize import PlannedSerializer


class PlainJson(dict):
    """A dict that is already what JSON takes (loaded from a JSON file, never changed), so
    serializing a response passes it through instead of walking it: the APL document is
    18 KB, and walking it would cost a screen reply much of its time (bench/NOTES.md).
    """


class Serializer(PlannedSerializer):
    """The planned deserializer, and the SDK's serializer with PlainJson passed through."""

    def serialize(self, obj: object) -> Any:
        if isinstance(obj, PlainJson):
            return obj
        return super().serialize(obj)


_serializer = Serializer()


def invoke(skill: CustomSkill, envelope: dict, context: object = None) -> dict:
    """Run one Alexa request envelope (a dict) through the skill; returns the response."""
    request = _serializer.from_dict(envelope, RequestEnvelope)
    response: ResponseEnvelope = skill.invoke(request_envelope=request, context=context)
    return _serializer.serialize(response)
