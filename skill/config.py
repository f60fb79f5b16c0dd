"""Deployment settings, read from the environment by the adapters (Lambda, server, CLI).

Handlers never read the environment themselves: the builder hands these to every turn,
so tests can build a skill with any settings side by side.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from skill.audio import AudioLibrary
from skill.night import ALEXA_API_HOSTS, NightWindow


@dataclass(frozen=True)
class Settings:
    # With a skill id, requests for any other skill are refused by the SDK.
    skill_id: str | None = None
    # Where the MP3s under audio/ are served; without it, holds are counted aloud.
    audio_base_url: str | None = None
    # Local clock times that count as night, and the zone used when a device's is unknown.
    night: str = "22:00-07:00"
    time_zone: str = "UTC"
    # Ask Alexa's settings API for each device's zone (on in production; off by default
    # so local runs and tests never leave the machine).
    look_up_time_zones: bool = False
    # Hosts the user's bearer token may be sent to: Alexa's, unless a test names its fake.
    api_hosts: tuple[str, ...] = ALEXA_API_HOSTS
    # The cramp diary stores health data: off unless enabled (on by default for local use).
    diary: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ, local: bool = False) -> Settings:
        """From CRAMP_* variables; `local` runs (CLI, own server) have the diary on by
        default, the Lambda package off (Alexa's policy for skills that are not HIPAA
        eligible: no health data unless the person who deploys it decides otherwise)."""
        return cls(
            skill_id=environ.get("CRAMP_SKILL_ID") or None,
            audio_base_url=environ.get("CRAMP_AUDIO_BASE_URL") or None,
            night=environ.get("CRAMP_NIGHT") or cls.night,
            time_zone=environ.get("CRAMP_TIME_ZONE") or cls.time_zone,
            look_up_time_zones=environ.get("CRAMP_LOOKUP_TIME_ZONES", "1") != "0",
            diary=environ.get("CRAMP_DIARY", "1" if local else "0") == "1",
        )

    @cached_property
    def night_window(self) -> NightWindow:
        """Parsed once per settings object, not on every turn."""
        return NightWindow.parse(self.night)

    @property
    def audio(self) -> AudioLibrary | None:
        return AudioLibrary(self.audio_base_url) if self.audio_base_url else None
