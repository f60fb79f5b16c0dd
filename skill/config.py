"""Deployment settings, read from the environment by the adapters (Lambda, server, CLI).

Handlers never read the environment themselves: the builder hands these to every turn,
so tests can build a skill with any settings side by side.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from skill.audio import AudioLibrary


@dataclass(frozen=True)
class Settings:
    # With a skill id, requests for any other skill are refused by the SDK.
    skill_id: str | None = None
    # Where the MP3s under audio/ are served; without it, holds are counted aloud.
    audio_base_url: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        return cls(
            skill_id=environ.get("CRAMP_SKILL_ID") or None,
            audio_base_url=environ.get("CRAMP_AUDIO_BASE_URL") or None,
        )

    @property
    def audio(self) -> AudioLibrary | None:
        return AudioLibrary(self.audio_base_url) if self.audio_base_url else None
