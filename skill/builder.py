"""The one skill builder every adapter (Lambda, Flask, CLI) wraps."""

from __future__ import annotations

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder

from skill.handlers import all_routes
from skill.handlers.lifecycle import SaveState, SpeakThroughErrors
from skill.persistence import MemoryPersistenceAdapter


def build_skill(
    persistence: AbstractPersistenceAdapter | None = None,
    skill_id: str | None = None,
) -> CustomSkill:
    """A ready skill. Without a store, users are remembered in memory for this process."""
    builder = CustomSkillBuilder(persistence_adapter=persistence or MemoryPersistenceAdapter())
    builder.skill_id = skill_id
    for route in all_routes():
        builder.add_request_handler(route)
    builder.add_global_response_interceptor(SaveState())
    builder.add_exception_handler(SpeakThroughErrors())
    return builder.create()
