"""Run the skill on typed text: understand, wrap in an envelope, invoke, summarise the reply.

Shared by `cramp-coach say/chat` and the local server's /api/say, so every local way in
behaves the same and produces the JSON the voice contract specifies.
"""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill

from skill.dev.envelopes import envelope_for, request_for, user_event_for
from skill.dev.nlu import for_locale
from skill.handlers.route import ROUTE_KEY
from skill.invoke import invoke
from skill.record import Record
from skill.reminders import LocalReminders
from skill.screen import RENDER_DOCUMENT
from skill.speech import plain_text


@dataclass
class LocalSession(Record):
    """What links one typed turn to the next: the user, the session and its attributes."""

    user_id: str = field(default_factory=lambda: f"amzn1.ask.account.local-{uuid.uuid4()}")
    session_id: str | None = None
    attributes: dict = field(default_factory=dict)

    def validate(self) -> None:
        if not isinstance(self.user_id, str) or not self.user_id:
            raise ValueError("user_id must be a non-empty string")
        if self.session_id is not None and not isinstance(self.session_id, str):
            raise TypeError("session_id must be a string")
        if not isinstance(self.attributes, dict):
            raise TypeError("attributes must be an object")


def summarise(recognition_intent: str, slots: dict, response_envelope: dict) -> dict:
    """The voice contract's `--json` reply; with a screen rendered, also what it shows
    (`screen`: the APL document's data, the contract's one addition)."""
    response = response_envelope.get("response") or {}
    ssml = (response.get("outputSpeech") or {}).get("ssml", "")
    reprompt = ((response.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml")
    directives = response.get("directives") or []
    reply = {
        "intent": recognition_intent,
        "slots": slots,
        "speech": plain_text(ssml),
        "ssml": ssml,
        "reprompt": plain_text(reprompt) if reprompt else None,
        "end_session": response.get("shouldEndSession") is not False,
        "directives": [d.get("type") for d in directives],
    }
    for directive in directives:
        if directive.get("type") == RENDER_DOCUMENT:
            reply["screen"] = (directive.get("datasources") or {}).get("cramp")
    return reply


@dataclass(frozen=True)
class Device:
    """What else a local turn says about where it comes from: the skill id its envelopes
    carry (the configured one, where a skill has one), and whether the reply should
    also carry both envelopes and the route that answered, for the console's inspector."""

    application_id: str | None = None
    inspect: bool = False


SPEAKER = Device()


def say(
    skill: CustomSkill,
    session: LocalSession,
    text: str,
    locale: str = "en-US",
    now: datetime | None = None,
    screen: str | None = None,
    device: Device = SPEAKER,
    reminders: LocalReminders | None = None,
) -> dict:
    """One turn: text in, the contract's reply out; `session` is updated in place.
    `screen` (a name in envelopes.SCREENS) makes the turn come from a device with one;
    `reminders`, the skill's local reminders, adds any reminder set or stopped."""
    recognition = for_locale(locale).understand(text, today=now.date() if now else None)
    slots = {
        name: {"value": fill.value, **({"id": fill.id} if fill.id else {})}
        for name, fill in recognition.slots.items()
    }
    request = request_for(recognition, locale, now)
    return send(skill, session, request, recognition.intent, slots, screen, device, reminders)


def tap(
    skill: CustomSkill,
    session: LocalSession,
    button: str,
    locale: str = "en-US",
    now: datetime | None = None,
    screen: str = "hub",
    device: Device = SPEAKER,
    reminders: LocalReminders | None = None,
) -> dict:
    """A tap on a screen button: the APL UserEvent a device sends for it."""
    request = user_event_for(button, locale, now)
    return send(skill, session, request, request["type"], {}, screen, device, reminders)


def send(
    skill: CustomSkill,
    session: LocalSession,
    request: dict,
    label: str,
    slots: dict,
    screen: str | None,
    device: Device = SPEAKER,
    reminders: LocalReminders | None = None,
) -> dict:
    """Send one request in the session's envelope, summarise the reply, move the session.
    A reminder the turn set or stopped is in the reply's `reminder` (what Alexa would
    have been asked to do: id, local time, zone, words, status "set" or "stopped")."""
    envelope = envelope_for(
        request,
        session.user_id,
        session.session_id,
        session.attributes,
        screen,
        device.application_id,
    )
    if device.inspect:
        _watch_routes(skill)
        seen = _REQUEST_ATTRIBUTES.set(None)
        try:
            response = invoke(skill, envelope)
            attributes = _REQUEST_ATTRIBUTES.get()
        finally:
            _REQUEST_ATTRIBUTES.reset(seen)
    else:
        response = invoke(skill, envelope)
    reply = summarise(label, slots, response)
    if device.inspect:
        route = (attributes or {}).get(ROUTE_KEY)
        reply["inspect"] = {
            "route": _route_name(route),
            "request": envelope,
            "response": response,
            "state": (response.get("sessionAttributes") or {}).get("state"),
        }
    if reminders is not None and (change := reminders.take_change(session.user_id)):
        reply["reminder"] = change
    if reply["end_session"]:
        session.session_id, session.attributes = None, {}
    else:
        session.session_id = envelope["session"]["sessionId"]
        session.attributes = response.get("sessionAttributes") or {}
    return reply


# The request attributes of the turn being inspected: the route table notes there which
# route took the request (skill.handlers.route), and this is how the runner reads it back.
_REQUEST_ATTRIBUTES: ContextVar[dict | None] = ContextVar("request_attributes", default=None)


class _KeepRequestAttributes(AbstractRequestInterceptor):
    def process(self, handler_input: HandlerInput) -> None:
        _REQUEST_ATTRIBUTES.set(handler_input.attributes_manager.request_attributes)


def _watch_routes(skill: CustomSkill) -> None:
    """Let inspected turns on this skill see their route (once per skill; a no-op for
    turns not inspected, which leave the context variable unread)."""
    interceptors = skill.request_dispatcher.request_interceptors
    if not any(isinstance(each, _KeepRequestAttributes) for each in interceptors):
        interceptors.append(_KeepRequestAttributes())


def _route_name(route: object) -> str | None:
    """`module.function` of the route's answer, or None when no route took the request
    (the skill's error handler answered)."""
    respond = getattr(route, "respond", None)
    if respond is None:
        return None
    module = getattr(respond, "__module__", "").removeprefix("skill.handlers.")
    return f"{module}.{getattr(respond, '__qualname__', repr(respond))}"
