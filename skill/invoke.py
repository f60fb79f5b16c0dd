"""Envelope in, envelope out: the one call every adapter (Lambda, HTTP, CLI) makes.

It uses ask-sdk-core's own serializer in both directions, so a local run exercises the
same deserialisation Alexa's requests go through in production.
"""

from __future__ import annotations

import json

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope, ResponseEnvelope

_serializer = DefaultSerializer()


def invoke(skill: CustomSkill, envelope: dict, context: object = None) -> dict:
    """Run one Alexa request envelope (a dict) through the skill; returns the response."""
    request = _serializer.deserialize(json.dumps(envelope), RequestEnvelope)
    response: ResponseEnvelope = skill.invoke(request_envelope=request, context=context)
    return _serializer.serialize(response)
