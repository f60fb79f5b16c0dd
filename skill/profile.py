"""What the skill remembers about a user between sessions (persistent attributes)."""

from __future__ import annotations

from dataclasses import dataclass

from skill.record import Record

PROFILE_KEY = "profile"
DEFAULT_HOLD_SECONDS = 30
MIN_HOLD_SECONDS = 5
MAX_HOLD_SECONDS = 60


class CountStyle:
    VOICE = "VOICE"
    TONES = "TONES"


class VoiceStyle:
    """How the user asked to be spoken to; AUTO is gentle at night, normal by day."""

    AUTO = "AUTO"
    LOUDER = "LOUDER"
    QUIETER = "QUIETER"
    WHISPER = "WHISPER"
    ALL = (AUTO, LOUDER, QUIETER, WHISPER)


@dataclass
class UserProfile(Record):
    """Preferences and one-time notices; nothing about the user's health."""

    disclaimer_heard: bool = False
    hold_seconds: int = DEFAULT_HOLD_SECONDS
    count_style: str = CountStyle.VOICE
    voice: str = VoiceStyle.AUTO
    # Where the bedtime routine stopped (a block index and variant), and when (epoch
    # seconds), so "resume" works in a later session.
    routine_block: int | None = None
    routine_seated: bool = False
    routine_saved_at: float | None = None
    # Asked once before the first diary entry (the diary is health data).
    diary_consent: bool = False
    # The nightly stretch reminder this skill set in Alexa (its id there), and its local
    # clock time ("22:15"), so "change", "stop" and "when is it" work in later sessions.
    reminder_id: str | None = None
    reminder_at: str | None = None
    # When the skill last told this user to call the emergency number (epoch seconds), so
    # opening it again soon reminds them of the call (clinical.md §3a). Not what the sign was.
    emergency_at: float | None = None

    def validate(self) -> None:
        # int() also turns DynamoDB's Decimals back into plain numbers.
        seconds = int(self.hold_seconds)
        self.hold_seconds = min(MAX_HOLD_SECONDS, max(MIN_HOLD_SECONDS, seconds))
        self.disclaimer_heard = bool(self.disclaimer_heard)
        if self.count_style not in (CountStyle.VOICE, CountStyle.TONES):
            self.count_style = CountStyle.VOICE
        if self.voice not in VoiceStyle.ALL:
            self.voice = VoiceStyle.AUTO
        self.routine_seated = bool(self.routine_seated)
        self.diary_consent = bool(self.diary_consent)
        if not isinstance(self.reminder_id, str | None) or not isinstance(
            self.reminder_at, str | None
        ):
            raise TypeError("a reminder's id and time are strings")
        if self.reminder_id is None:
            self.reminder_at = None
        if self.emergency_at is not None:
            self.emergency_at = float(self.emergency_at)
        if self.routine_block is not None:
            self.routine_block = max(0, int(self.routine_block))
            self.routine_saved_at = float(self.routine_saved_at or 0)
