"""One request as the handlers see it: content, state, profile, slots and the reply.

Handlers decide flow; this object hides the SDK's plumbing (slot resolution, attribute
round trips, response building) so each handler reads like the conversation it runs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast
from zoneinfo import ZoneInfo

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_request_type
from ask_sdk_model import Response

from skill.answers import meaning
from skill.audio import AudioLibrary
from skill.config import Settings
from skill.content import Content, content_for
from skill.diary import DiaryStore, MemoryDiary
from skill.night import DeviceZones, local_time
from skill.persistence import user_id
from skill.profile import PROFILE_KEY, CountStyle, UserProfile, VoiceStyle
from skill.reminders import (
    AlexaReminderSource,
    ReminderError,
    ReminderService,
    ReminderSource,
)
from skill.screen import USER_EVENT, Screen, tapped_intent, tapped_slots
from skill.speech import Speech, Unrepeatable, Voice
from skill.state import SESSION_KEY, SessionState

log = logging.getLogger(__name__)
# Compared by value: importing the SDK's entity-resolution package only for this enum
# would load it on requests that have no slots at all.
ER_SUCCESS_MATCH = "ER_SUCCESS_MATCH"
TURN_KEY = "turn"
SETTINGS_KEY = "settings"
ZONES_KEY = "zones"
DIARY_KEY = "diary"
REMINDERS_KEY = "reminders"
# clinical.md §6 at night: slower and softer, never a whisper unless asked for.
VOICES = {
    VoiceStyle.LOUDER: Voice(volume="loud"),
    VoiceStyle.QUIETER: Voice(rate=90, volume="x-soft"),
    VoiceStyle.WHISPER: Voice(rate=90, whisper=True),
}
NIGHT_VOICE = Voice(rate=90, volume="soft")


@dataclass(frozen=True)
class Slot:
    """A slot as the skill uses it: the resolved id when Alexa matched one, and the words."""

    id: str | None
    value: str | None


class Turn:
    """Per-request facade built once and shared by interceptors and handlers."""

    def __init__(self, handler_input: HandlerInput) -> None:
        self.handler_input = handler_input
        self.request_type = cast(str, get_request_type(handler_input))
        self.intent = intent_name(handler_input) if self.request_type == "IntentRequest" else ""
        # Slots a tapped button stands for ("Calf" is "my calf" said).
        self._tapped: dict[str, str] = {}
        if self.request_type == USER_EVENT and (tapped := tapped_intent(handler_input)):
            # A tap on "Next" is the same turn as saying "next".
            self.request_type, self.intent = "IntentRequest", tapped
            self._tapped = tapped_slots(handler_input)
        locale = getattr(handler_input.request_envelope.request, "locale", None)
        self.content: Content = content_for(locale)
        request_attributes = handler_input.attributes_manager.request_attributes
        # Request attributes are typed as objects; ProvideSettings put these there.
        self.settings = cast(Settings, request_attributes.get(SETTINGS_KEY) or Settings())
        self._zones = cast(DeviceZones | None, request_attributes.get(ZONES_KEY))
        self.diary = cast(DiaryStore, request_attributes.get(DIARY_KEY) or MemoryDiary())
        self._reminder_source = cast(
            ReminderSource, request_attributes.get(REMINDERS_KEY) or AlexaReminderSource()
        )
        self._reminders: ReminderService | None = None
        self._local_now: datetime | None = None
        # The question asked, before any voice is applied: kept for "help" and detours.
        self.question_ssml: str | None = None
        self.question: Speech | None = None
        # Set by a reply that asks something only for the moment ("paused"): the
        # question pending before it stays the one to come back to.
        self.keeps_question = False
        # What was said (to time a screen's countdown by) and what a screen should show.
        self.spoken: Speech | None = None
        self.screen: Screen | None = None
        # Skill events and some other requests come without a session; the SDK raises if
        # asked for one's attributes, so those start from an empty state.
        attributes = handler_input.attributes_manager.session_attributes if self.has_session else {}
        self.state = SessionState.from_dict((attributes or {}).get(SESSION_KEY))
        self.intent = meaning(self.intent, self.state)
        self._profile: UserProfile | None = None
        # The profile as loaded, to save only a real change; None when storage failed.
        self._profile_as_loaded: dict | None = None

    @staticmethod
    def of(handler_input: HandlerInput) -> Turn:
        attributes = handler_input.attributes_manager.request_attributes
        if TURN_KEY not in attributes:
            attributes[TURN_KEY] = Turn(handler_input)
        return cast(Turn, attributes[TURN_KEY])

    # ------------------------------------------------------------------ request facts
    @property
    def now(self) -> float:
        """The request's own timestamp (epoch seconds), so timing is replayable in tests."""
        stamp = getattr(self.handler_input.request_envelope.request, "timestamp", None)
        if isinstance(stamp, datetime):
            return (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).timestamp()
        return datetime.now(UTC).timestamp()

    @property
    def has_session(self) -> bool:
        return self.handler_input.request_envelope.session is not None

    def slot(self, name: str) -> Slot:
        """A slot's resolved id (ER_SUCCESS_MATCH only) and raw value; empty if absent."""
        if name in self._tapped:
            return Slot(self._tapped[name], self._tapped[name].lower())
        intent = getattr(self.handler_input.request_envelope.request, "intent", None)
        slot = (getattr(intent, "slots", None) or {}).get(name)
        if slot is None:
            return Slot(None, None)
        return Slot(_resolved_id(slot), slot.value or None)

    # ------------------------------------------------------------------ profile
    @property
    def profile(self) -> UserProfile:
        """Loaded on first use; if storage fails the user still gets help with defaults."""
        if self._profile is None:
            stored: dict | None = None
            try:
                attributes = self.handler_input.attributes_manager.persistent_attributes
                stored = cast(dict | None, attributes.get(PROFILE_KEY)) or {}
            except Exception:
                log.exception("could not load the user's profile; using defaults")
            self._profile = UserProfile.from_dict(stored)
            if stored is not None:
                self._profile_as_loaded = self._profile.to_dict()
        return self._profile

    def save_profile_if_changed(self) -> None:
        if self._profile is None or self._profile_as_loaded is None:
            return
        current = self._profile.to_dict()
        if current == self._profile_as_loaded:
            return
        try:
            manager = self.handler_input.attributes_manager
            manager.persistent_attributes[PROFILE_KEY] = current
            manager.save_persistent_attributes()
        except Exception:
            log.exception("could not save the user's profile")

    @property
    def user_id(self) -> str | None:
        return user_id(self.handler_input.request_envelope)

    def forget_user(self) -> None:
        """Delete everything kept about this user: stored profile, diary, and the nightly
        reminder (once its id is forgotten, "stop reminding me" could not reach it)."""
        if self.user_id:
            self.diary.delete(self.user_id)
        if self.profile.reminder_id:
            try:
                self.reminders.delete(self.profile.reminder_id)
            except ReminderError:
                log.warning("could not delete the user's reminder with their data")
        self.handler_input.attributes_manager.delete_persistent_attributes()
        # Nothing to save afterwards: a fresh profile, marked as not worth storing.
        self._profile, self._profile_as_loaded = UserProfile(), None

    @property
    def reminders(self) -> ReminderService:
        """This user's reminders: Alexa's Reminders API, or a local stand-in."""
        if self._reminders is None:
            self._reminders = self._reminder_source.for_request(self.handler_input)
        return self._reminders

    @property
    def local_now(self) -> datetime:
        """The request's moment on the device's own clock."""
        if self._local_now is None:
            zones = self._zones or DeviceZones(ZoneInfo(self.settings.time_zone), look_up=False)
            self._local_now = local_time(self.now, zones.zone_for(self.handler_input))
        return self._local_now

    @property
    def is_night(self) -> bool:
        """Night at the device's own clock (looked up once per turn, cached per device)."""
        return self.settings.night_window.contains(self.local_now.time())

    @property
    def voice(self) -> Voice | None:
        style = self.profile.voice
        if style in VOICES:
            return VOICES[style]
        return NIGHT_VOICE if self.is_night else None

    @property
    def tones(self) -> AudioLibrary | None:
        """Where to play hold tones from, if the user wants tones and they can be played."""
        if self.profile.count_style != CountStyle.TONES:
            return None
        return self.settings.audio

    # ------------------------------------------------------------------ replies
    def line(self, key: str, **values: object) -> str:
        """A content line; at night its shorter night version where it has one."""
        return self.content.line(key, night=self.is_night, **values)

    def line_once(self, key: str, again: str, **values: object) -> str:
        """Advice in full the first time this session, then the shorter `again` line."""
        if key in self.state.told:
            return self.line(again, **values)
        self.state.told.append(key)
        return self.line(key, **values)

    def show(self, screen: Screen) -> None:
        """What a screen shows with this reply; without it, a screen shows the question."""
        self.screen = screen

    def ask(self, speech: Speech, reprompt: Speech) -> Response:
        """Speak and keep the microphone open: every open session ends with a question."""
        self.question_ssml = reprompt.ssml
        self.question = reprompt
        self.spoken = speech
        voice = self.voice
        builder = self.handler_input.response_builder
        return builder.speak(speech.voiced(voice)).ask(reprompt.voiced(voice)).response

    def tell(self, speech: Speech) -> Response:
        """Speak and end the session."""
        self.spoken = speech
        builder = self.handler_input.response_builder
        return builder.speak(speech.voiced(self.voice)).set_should_end_session(True).response

    def said_again(self, recipe: object) -> Speech | None:
        """A reply rebuilt from its recipe in the state (content paths and values, never
        stored markup), or None if it does not rebuild in this locale."""
        if recipe is None:
            return None
        try:
            return Speech.from_recipe(recipe, self.content.say_again)
        except Unrepeatable as reason:
            log.warning("cannot say a stored reply again: %s", reason)
            return None

    def replay(self, speech: Speech, question: Speech | None) -> Response:
        """Say a rebuilt reply again (repeat), keeping the session as it was."""
        if self.state.last_screen:
            self.screen = Screen.from_dict(self.state.last_screen)
        if question is not None:
            return self.ask(speech, question)
        return self.tell(speech)

    def silent(self) -> Response:
        """No speech: for requests Alexa expects no answer to."""
        return self.handler_input.response_builder.response


def intent_name(handler_input: HandlerInput) -> str:
    """The intent's name; "" for an intent request that names none (the SDK's own helper
    raises on those), which then gets the fallback answer."""
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    return getattr(intent, "name", None) or ""


def _resolved_id(slot: object) -> str | None:
    """The first matched value's id. Any part may be missing in what a client sends
    (`values: [{}]`, an authority with no status), and then there is no match."""
    resolutions = getattr(slot, "resolutions", None)
    for authority in getattr(resolutions, "resolutions_per_authority", None) or []:
        code = getattr(getattr(authority, "status", None), "code", None)
        if getattr(code, "value", code) == ER_SUCCESS_MATCH:
            for value in getattr(authority, "values", None) or []:
                resolved = getattr(getattr(value, "value", None), "id", None)
                if isinstance(resolved, str) and resolved:
                    return resolved
    return None
