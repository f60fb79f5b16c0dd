"""The one skill builder every adapter (Lambda, Flask, CLI) wraps."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder

from skill.config import Settings
from skill.diary import DiaryStore, MemoryDiary, SwitchedOff
from skill.handlers import all_routes
from skill.handlers.lifecycle import SaveState, ShowScreen, SpeakThroughErrors
from skill.handlers.route import RouteTable
from skill.night import DeviceZones
from skill.persistence import MemoryPersistenceAdapter
from skill.reminders import AlexaReminderSource, ReminderSource
from skill.turn import DIARY_KEY, REMINDERS_KEY, SETTINGS_KEY, ZONES_KEY


class ProvideSettings(AbstractRequestInterceptor):
    """Hands the settings, the diary, the reminders and the per-skill zone cache to the
    turn."""

    def __init__(self, settings: Settings, diary: DiaryStore, reminders: ReminderSource) -> None:
        self.settings = settings
        self.diary = diary
        self.reminders = reminders
        self.zones = DeviceZones(
            ZoneInfo(settings.time_zone), settings.look_up_time_zones, settings.api_hosts
        )

    def process(self, handler_input: HandlerInput) -> None:
        attributes = handler_input.attributes_manager.request_attributes
        attributes[SETTINGS_KEY] = self.settings
        attributes[ZONES_KEY] = self.zones
        attributes[DIARY_KEY] = self.diary
        attributes[REMINDERS_KEY] = self.reminders


def build_skill(
    persistence: AbstractPersistenceAdapter | None = None,
    settings: Settings | None = None,
    diary: DiaryStore | None = None,
    reminders: ReminderSource | None = None,
) -> CustomSkill:
    """A ready skill. Without stores, users are remembered in memory for this process;
    without a reminder source, reminders go to Alexa's Reminders API."""
    settings = settings or Settings()
    builder = CustomSkillBuilder(persistence_adapter=persistence or MemoryPersistenceAdapter())
    builder.skill_id = settings.skill_id  # type: ignore[assignment]  # the SDK types it None
    diary = diary or MemoryDiary()
    if not settings.diary:
        diary = SwitchedOff(diary)
    builder.add_global_request_interceptor(
        ProvideSettings(settings, diary, reminders or AlexaReminderSource(hosts=settings.api_hosts))
    )
    builder.add_request_handler(RouteTable(all_routes()))
    # The screen first: it records what it showed in the state that SaveState stores.
    builder.add_global_response_interceptor(ShowScreen())
    builder.add_global_response_interceptor(SaveState())
    builder.add_exception_handler(SpeakThroughErrors())
    return builder.create()
