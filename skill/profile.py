"""What the skill remembers about a user between sessions (persistent attributes)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

PROFILE_KEY = "profile"
DEFAULT_HOLD_SECONDS = 30
MIN_HOLD_SECONDS = 5
MAX_HOLD_SECONDS = 60


class CountStyle:
    VOICE = "VOICE"
    TONES = "TONES"


@dataclass
class UserProfile:
    """Preferences and one-time notices; nothing about the user's health."""

    disclaimer_heard: bool = False
    hold_seconds: int = DEFAULT_HOLD_SECONDS
    count_style: str = CountStyle.VOICE

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: object) -> UserProfile:
        """Tolerant of stored data from older versions: unknown keys are ignored."""
        if not isinstance(data, dict):
            return cls()
        known = {f.name for f in fields(cls)}
        profile = cls(**{key: value for key, value in data.items() if key in known})
        if not isinstance(profile.hold_seconds, int):
            profile.hold_seconds = int(profile.hold_seconds)  # DynamoDB gives Decimals
        profile.hold_seconds = min(MAX_HOLD_SECONDS, max(MIN_HOLD_SECONDS, profile.hold_seconds))
        return profile
