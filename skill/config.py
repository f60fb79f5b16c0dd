"""Deployment settings: the one place the environment (CRAMP_* variables) is read.

The adapters (Lambda, server, CLI) call `Settings.from_env` once; nothing else reads the
environment. Handlers get these from the builder on every turn, so tests can build a
skill with any settings side by side.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from skill.audio import AudioLibrary
from skill.night import ALEXA_API_HOSTS, NightWindow
from skill.storage import Storage, memory_storage

# Hosts that only this machine can reach: a server bound to one needs no verification.
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Settings:
    # With a skill id, requests for any other skill are refused by the SDK.
    skill_id: str | None = None
    # Where the MP3s of audio/ are served; without it, holds are counted aloud.
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
    # A run on someone's own machine (CLI, own server), not Lambda: users are kept in a
    # SQLite file rather than in memory, and the diary defaults to on.
    local: bool = False
    # Alexa's request verification on a self-hosted endpoint (CRAMP_VERIFY=1 or 0); unset,
    # see `verify_requests`.
    verify: bool | None = None
    # Where users are remembered: a DynamoDB table (and the diary's, and whether to create
    # them), else, for local runs, SQLite under data_dir (default ~/.local/share/cramp-coach).
    dynamodb_table: str | None = None
    dynamodb_diary_table: str | None = None
    create_dynamodb_tables: bool = False
    data_dir: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ, local: bool = False) -> Settings:
        """From CRAMP_* variables; `local` runs (CLI, own server) have the diary on by
        default, the Lambda package off (Alexa's policy for skills that are not HIPAA
        eligible: no health data unless the person who deploys it decides otherwise)."""
        verify = environ.get("CRAMP_VERIFY")
        return cls(
            skill_id=environ.get("CRAMP_SKILL_ID") or None,
            audio_base_url=environ.get("CRAMP_AUDIO_BASE_URL") or None,
            night=environ.get("CRAMP_NIGHT") or cls.night,
            time_zone=environ.get("CRAMP_TIME_ZONE") or cls.time_zone,
            look_up_time_zones=environ.get("CRAMP_LOOKUP_TIME_ZONES", "1") != "0",
            diary=environ.get("CRAMP_DIARY", "1" if local else "0") == "1",
            local=local,
            verify=None if verify is None else verify == "1",
            dynamodb_table=environ.get("CRAMP_DYNAMODB_TABLE") or None,
            dynamodb_diary_table=environ.get("CRAMP_DYNAMODB_DIARY_TABLE") or None,
            create_dynamodb_tables=environ.get("CRAMP_DYNAMODB_CREATE", "0") == "1",
            data_dir=environ.get("CRAMP_DATA_DIR") or None,
        )

    def verify_requests(self, host: str | None = None) -> bool:
        """Whether a server checks that requests come from Alexa: as CRAMP_VERIFY says,
        else on unless it listens on loopback only. A server that does not know where it
        listens (any WSGI server running `app_from_env()`) counts as public: on."""
        if self.verify is not None:
            return self.verify
        return host not in LOOPBACK

    @cached_property
    def night_window(self) -> NightWindow:
        """Parsed once per settings object, not on every turn."""
        return NightWindow.parse(self.night)

    @property
    def audio(self) -> AudioLibrary | None:
        return AudioLibrary(self.audio_base_url) if self.audio_base_url else None

    def storage(self) -> Storage:
        """DynamoDB when a table is named; else a SQLite file under data_dir for local
        runs, or memory (Lambda's disk is not kept between containers)."""
        if self.dynamodb_table:
            from skill.dynamo import dynamo_storage  # boto3 only where it is used

            return dynamo_storage(
                self.dynamodb_table,
                create_table=self.create_dynamodb_tables,
                diary_table=self.dynamodb_diary_table,
            )
        if not self.local:
            return memory_storage()
        from skill.sqlite_store import sqlite_storage

        default = Path.home() / ".local" / "share" / "cramp-coach"
        return sqlite_storage(Path(self.data_dir) if self.data_dir else default)
