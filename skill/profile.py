"""What the skill remembers about a user between sessions (persistent attributes)."""

from __future__ import annotations

from dataclasses import dataclass

from skill.record import Record, flag, moment, one_of, text, whole

PROFILE_KEY = "profile"
DEFAULT_HOLD_SECONDS = 30
MIN_HOLD_SECONDS = 5
MAX_HOLD_SECONDS = 60
# Alexa's reminder ids are UUID-like; anything much longer is not one.
MAX_REMINDER_ID_CHARS = 200


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

    def check(self, name: str, value: object) -> object:
        """Each stored field on its own: a bad one falls back to its default, keeping the
        rest of the user's preferences. Numbers may come back from DynamoDB as Decimals."""
        match name:
            case "hold_seconds":
                return whole(value, MIN_HOLD_SECONDS, MAX_HOLD_SECONDS)
            case "disclaimer_heard" | "routine_seated" | "diary_consent":
                return flag(value)
            case "count_style":
                return one_of(value, (CountStyle.VOICE, CountStyle.TONES))
            case "voice":
                return one_of(value, VoiceStyle.ALL)
            case "routine_block":
                return None if value is None else whole(value, 0, 100)
            case "routine_saved_at" | "emergency_at":
                return moment(value)
            case "reminder_id":  # Alexa's id for the nightly reminder this skill set
                return None if value is None else text(value, MAX_REMINDER_ID_CHARS)
            case "reminder_at":  # its local clock time, "22:15"
                return None if value is None else text(value, len("22:15"))
        return value

    def validate(self) -> None:
        if self.routine_block is not None and self.routine_saved_at is None:
            self.routine_saved_at = 0.0
        if self.reminder_id is None:
            self.reminder_at = None
