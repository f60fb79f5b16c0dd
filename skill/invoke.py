"""Envelope in, envelope out: the one call every adapter (Lambda, HTTP, CLI) makes.

It uses ask-sdk-core's own serializer in both directions, so a local run exercises the
same deserialisation Alexa's requests go through in production.
"""

from __future__ import annotations

import json
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope, ResponseEnvelope


class PlainJson(dict):
    """A dict that is already what JSON takes (loaded from a JSON file, never changed), so
    serializing a response passes it through instead of walking it: the APL document is
    18 KB, and walking it would cost a screen reply much of its time (bench/NOTES.md).
    """


class Serializer(DefaultSerializer):
    """The SDK's serializer, with PlainJson passed through as it is."""

    def serialize(self, obj: object) -> Any:
        if isinstance(obj, PlainJson):
            return obj
        return super().serialize(obj)


_serializer = Serializer()


def invoke(skill: CustomSkill, envelope: dict, context: object = None) -> dict:
    """Run one Alexa request envelope (a dict) through the skill; returns the response."""
    request = _serializer.deserialize(json.dumps(envelope), RequestEnvelope)
    response: ResponseEnvelope = skill.invoke(request_envelope=request, context=context)
    return _serializer.serialize(response)
