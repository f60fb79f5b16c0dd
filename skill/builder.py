"""The one skill builder every adapter (Lambda, Flask, CLI) wraps."""

from __future__ import annotations

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder

from skill.config import Settings
from skill.handlers import all_routes
from skill.handlers.lifecycle import SaveState, SpeakThroughErrors
from skill.persistence import MemoryPersistenceAdapter
from skill.turn import SETTINGS_KEY


class ProvideSettings(AbstractRequestInterceptor):
    """Hands the deployment settings to the turn; interceptors run before routing."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def process(self, handler_input: HandlerInput) -> None:
        handler_input.attributes_manager.request_attributes[SETTINGS_KEY] = self.settings


def build_skill(
    persistence: AbstractPersistenceAdapter | None = None,
    settings: Settings | None = None,
) -> CustomSkill:
    """A ready skill. Without a store, users are remembered in memory for this process."""
    settings = settings or Settings()
    builder = CustomSkillBuilder(persistence_adapter=persistence or MemoryPersistenceAdapter())
    builder.skill_id = settings.skill_id
    builder.add_global_request_interceptor(ProvideSettings(settings))
    for route in all_routes():
        builder.add_request_handler(route)
    builder.add_global_response_interceptor(SaveState())
    builder.add_exception_handler(SpeakThroughErrors())
    return builder.create()
