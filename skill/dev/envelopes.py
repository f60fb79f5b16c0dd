"""Alexa request envelopes for local use, shaped like the ones Alexa really sends.

The CLI and the local server turn recognised text into these, so the skill runs exactly
the code path it runs behind Alexa: deserialisation, dispatch, interceptors and all.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from skill.dev.nlu import LAUNCH, Recognition
from skill.screen import TOKEN

LOCAL_SKILL_ID = "amzn1.ask.skill.cramp-coach-local"
API_ENDPOINT = "https://api.amazonalexa.com"
# Screens a local run can pretend to be: shape, pixel size and density, as real devices
# report them (Echo Spot, Echo Show 5/8, a phone in the Alexa app, Fire TV).
SCREENS = {
    "round": ("ROUND", 480, 480, 160),
    "hub": ("RECTANGLE", 1024, 600, 160),
    "phone": ("RECTANGLE", 1080, 1920, 240),
    "tv": ("RECTANGLE", 1920, 1080, 320),
}


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


def _request_basics(locale: str, now: datetime | None) -> dict:
    return {
        "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
        "timestamp": _timestamp(now),
        "locale": locale,
    }


def user_event_for(button: str, locale: str, now: datetime | None = None) -> dict:
    """The `request` a screen sends when a button of the skill's document is tapped."""
    return {
        "type": "Alexa.Presentation.APL.UserEvent",
        **_request_basics(locale, now),
        "token": TOKEN,
        "arguments": [button],
        "source": {"type": "TouchWrapper", "handler": "Press", "id": f"button-{button}"},
        "components": {},
    }


def request_for(recognition: Recognition, locale: str, now: datetime | None = None) -> dict:
    """The `request` object: a LaunchRequest or an IntentRequest with every declared slot."""
    request = _request_basics(locale, now)
    if recognition.intent == LAUNCH:
        return {"type": "LaunchRequest", **request}
    slots = {
        name: _slot(name, recognition, slot_type)
        for name, slot_type in recognition.slot_types.items()
    }
    intent = {"name": recognition.intent, "confirmationStatus": "NONE", "slots": slots}
    return {"type": "IntentRequest", **request, "dialogState": "STARTED", "intent": intent}


def viewport(screen: str) -> dict:
    """The `context.Viewport` a device with this screen sends."""
    shape, width, height, dpi = SCREENS[screen]
    return {
        "shape": shape,
        "pixelWidth": width,
        "pixelHeight": height,
        "currentPixelWidth": width,
        "currentPixelHeight": height,
        "dpi": dpi,
        "touch": [] if screen == "tv" else ["SINGLE"],
    }


def envelope_for(
    request: dict,
    user_id: str,
    session_id: str | None,
    attributes: dict,
    screen: str | None = None,
    application_id: str | None = None,
) -> dict:
    """A whole envelope; a missing session id starts a new session. `screen` names one of
    SCREENS for a device that shows APL; without it, a speaker. `application_id` is the
    configured skill id where there is one: a skill with an id refuses any other."""
    new = session_id is None
    application = {"applicationId": application_id or LOCAL_SKILL_ID}
    user = {"userId": user_id}
    interfaces: dict = {}
    if screen:
        interfaces["Alexa.Presentation.APL"] = {"runtime": {"maxVersion": "2023.3"}}
    envelope: dict[str, Any] = {
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
                "device": {"deviceId": "local-device", "supportedInterfaces": interfaces},
                "apiEndpoint": API_ENDPOINT,
            }
        },
        "request": request,
    }
    if screen:
        envelope["context"]["Viewport"] = viewport(screen)
    return envelope
