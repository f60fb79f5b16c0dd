"""AWS Lambda entry point: `lambda_function.handler` answers Alexa request envelopes.

The skill is built once per container (at import), so warm invocations only dispatch.
"""

from __future__ import annotations

from skill.builder import build_skill
from skill.config import Settings
from skill.invoke import invoke

SKILL = build_skill(settings=Settings.from_env())


def handler(event: dict, context: object) -> dict:
    return invoke(SKILL, event, context)
