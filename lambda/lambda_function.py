"""AWS Lambda entry point: `lambda_function.handler` answers Alexa request envelopes.

The skill is built once per container (at import), so warm invocations only dispatch.
"""

from __future__ import annotations

import os

from skill.builder import build_skill
from skill.invoke import invoke

# With a skill id configured, requests for any other skill are refused by the SDK.
SKILL = build_skill(skill_id=os.environ.get("CRAMP_SKILL_ID") or None)


def handler(event: dict, context: object) -> dict:
    return invoke(SKILL, event, context)
