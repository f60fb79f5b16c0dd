"""Alexa request envelopes for local use, shaped like the ones Alexa really sends.

The CLI and the local server turn recognised text into these, so the skill runs exactly
the code path it runs behind Alexa: deserialisation, dispatch, interceptors and all.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from skill.local.nlu import LAUNCH, Recognition

LOCAL_SKILL_ID = "amzn1.ask.skill.cramp-coach-local"
API_ENDPOINT = "https://api.amazonalexa.com"


def _timestamp(now: datetime | None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _slot(name: str, recognition: Recognition, slot_type: str) -> dict:
    fill = recognition.slots.get(name)
    slot: dict = {"name": name, "confirmationStatus": "NONE"}
    if fill is None:
        return slot
    slot["value"] = fill.value
    slot["source"] = "USER"
    if fill.id is not None:
        slot["resolutions"] = {
            "resolutionsPerAuthority": [
                {
                    "authority": f"amzn1.er-authority.echo-sdk.{LOCAL_SKILL_ID}.{slot_type}",
                    "status": {"code": "ER_SUCCESS_MATCH"},
                    "values": [{"value": {"name": fill.name or fill.value, "id": fill.id}}],
                }
            ]
        }
    return slot


def request_for(recognition: Recognition, locale: str, now: datetime | None = None) -> dict:
    """The `request` object: a LaunchRequest or an IntentRequest with every declared slot."""
    request: dict = {
        "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
        "timestamp": _timestamp(now),
        "locale": locale,
    }
    if recognition.intent == LAUNCH:
        return {"type": "LaunchRequest", **request}
    slots = {
        name: _slot(name, recognition, slot_type)
        for name, slot_type in recognition.slot_types.items()
    }
    intent = {"name": recognition.intent, "confirmationStatus": "NONE", "slots": slots}
    return {"type": "IntentRequest", **request, "dialogState": "STARTED", "intent": intent}


def envelope_for(
    request: dict,
    user_id: str,
    session_id: str | None,
    attributes: dict,
) -> dict:
    """A whole envelope; a missing session id starts a new session."""
    new = session_id is None
    application = {"applicationId": LOCAL_SKILL_ID}
    user = {"userId": user_id}
    return {
        "version": "1.0",
        "session": {
            "new": new,
            "sessionId": session_id or f"amzn1.echo-api.session.{uuid.uuid4()}",
            "application": application,
            "attributes": {} if new else attributes,
            "user": user,
        },
        "context": {
            "System": {
                "application": application,
                "user": user,
                "device": {"deviceId": "local-device", "supportedInterfaces": {}},
                "apiEndpoint": API_ENDPOINT,
            }
        },
        "request": request,
    }
