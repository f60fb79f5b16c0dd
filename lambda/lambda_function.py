"""AWS Lambda entry point: `lambda_function.handler` answers Alexa request envelopes.

The skill is built once per container (at import), so warm invocations only dispatch.
Configuration is the environment: CRAMP_SKILL_ID, CRAMP_DYNAMODB_TABLE (users remembered
in DynamoDB; without it, only for the container's life), CRAMP_AUDIO_BASE_URL,
CRAMP_DIARY (off unless 1), CRAMP_TIME_ZONE.
"""

from __future__ import annotations

import logging

from skill import lazy_services

# Before the SDK is imported: its Alexa service clients load only if one is built.
lazy_services.install()

from skill.builder import build_skill  # noqa: E402
from skill.config import Settings  # noqa: E402
from skill.intake import NotAnEnvelope, check_envelope  # noqa: E402
from skill.invoke import invoke  # noqa: E402

log = logging.getLogger("skill.lambda")
_settings = Settings.from_env()
_storage = _settings.storage()
SKILL = build_skill(_storage.attributes, _settings, _storage.diary)
# What Lambda answers to an event that is not an Alexa request: a valid, silent
# response, so nothing half-handled reaches the skill and nothing is spoken.
NOT_AN_ENVELOPE = {"version": "1.0", "response": {}}


def handler(event: object, context: object) -> dict:
    try:
        envelope = check_envelope(event)
    except NotAnEnvelope as reason:
        log.warning("refused an event: %s", reason)
        return dict(NOT_AN_ENVELOPE)
    return invoke(SKILL, envelope, context)
