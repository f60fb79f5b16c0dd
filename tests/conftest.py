"""Shared test helpers: a conversation driven by typed text with a controllable clock."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

from harness.replies import AUDIO_BASE_URL, assert_speakable
from skill.builder import build_skill
from skill.config import Settings
from skill.dev.envelopes import request_for
from skill.dev.nlu import Recognition, SlotFill, for_locale
from skill.dev.runner import LocalSession, say, send, tap
from skill.diary import DiaryStore, MemoryDiary
from skill.persistence import MemoryPersistenceAdapter
from skill.reminders import LocalReminders
from skill.speech import estimated_seconds
from tests.fakes import FakeAlexaApi, running

# The ask-sdk DynamoDB adapter builds a boto3 resource as it is imported, which needs a
# region (tests point it at loopback servers; nothing reaches AWS).
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
ROOT = Path(__file__).resolve().parents[1]
# Conversations start in the afternoon (UTC, the default zone); night tests move the clock.
WITH_TONES = Settings(audio_base_url=AUDIO_BASE_URL)
START = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
NIGHT = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


class Conversation:
    """A user talking to the skill, turn by turn, on a clock the test moves."""

    def __init__(
        self,
        store: AbstractPersistenceAdapter | None = None,
        locale: str = "en-US",
        settings: Settings | None = None,
        start: datetime = START,
        screen: str | None = None,
        diary: DiaryStore | None = None,
        reminders: LocalReminders | None = None,
    ):
        self.store = store or MemoryPersistenceAdapter()
        self.diary = diary or MemoryDiary()
        self.reminders = reminders or LocalReminders()
        self.screen = screen
        self.skill = build_skill(self.store, settings, self.diary, self.reminders)
        self.session = LocalSession()
        self.locale = locale
        self.clock = start
        self.replies: list[dict] = []

    def say(self, text: str, after: timedelta | None = None) -> dict:
        """Speak `after` the previous request; by default once its reply has played."""
        self.clock += after if after is not None else self.listening_time()
        reply = say(
            self.skill,
            self.session,
            text,
            self.locale,
            self.clock,
            self.screen,
            reminders=self.reminders,
        )
        if reply["ssml"]:
            assert_speakable(reply["ssml"])
        self.replies.append(reply)
        return reply

    def say_intent(self, intent: str, ids: dict[str, str]) -> dict:
        """An intent with resolved slots, as Alexa could send it whatever the local
        understanding would make of any words; sent once the last reply has played."""
        self.clock += self.listening_time()
        model = for_locale(self.locale).model
        declared = next(i for i in model["intents"] if i["name"] == intent).get("slots", [])
        slots = {name: SlotFill(value=value.lower(), id=value) for name, value in ids.items()}
        types = {slot["name"]: slot["type"] for slot in declared}
        request = request_for(Recognition(intent, slots, types), self.locale, self.clock)
        reply = send(
            self.skill, self.session, request, intent, ids, self.screen, reminders=self.reminders
        )
        assert_speakable(reply["ssml"])
        self.replies.append(reply)
        return reply

    def tap(self, button: str) -> dict:
        """Tap a button on the screen (a device with one: `screen` is set)."""
        self.clock += self.listening_time()
        reply = tap(self.skill, self.session, button, self.locale, self.clock, self.screen or "hub")
        assert_speakable(reply["ssml"])
        self.replies.append(reply)
        return reply

    def listening_time(self) -> timedelta:
        if not self.replies or not self.replies[-1]["ssml"]:
            return timedelta(seconds=5)
        return timedelta(seconds=estimated_seconds(self.replies[-1]["ssml"]) + 5)

    def new_session(self) -> None:
        self.session.session_id, self.session.attributes = None, {}

    @property
    def state(self) -> dict:
        return self.session.attributes.get("state", {})


def talking_seconds(reply: dict) -> float:
    """How long a reply talks, not counting the holds it counts."""
    return estimated_seconds(
        re.sub(
            r"((Get|Back) into the stretch\.\s*)?(<[^>]*>\s*)?Hold it gently\. Starting now\..*?"
            r"And release\.",
            "",
            reply["ssml"],
        )
    )


@pytest.fixture
def talk() -> Conversation:
    return Conversation()


@pytest.fixture
def api() -> Iterator[FakeAlexaApi]:
    """Alexa's settings API, faked on loopback."""
    with running(FakeAlexaApi()) as fake:
        yield fake
