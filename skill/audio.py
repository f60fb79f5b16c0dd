"""The skill's sounds: their names, the lengths holds are planned on, and their URLs.

The MP3s are rendered by `skill/build/sounds.py` (pydub) and committed under `audio/`
(a wheel carries a copy: skill/shipped.py), so an installed copy serves them too. This
module is the single statement of what the skill assumes about them; a test decodes every file and
checks it against these numbers to the millisecond.

A hold track for n seconds has an event at the start of every second, as the spoken
count does: a soft tick, a deeper tone on every fifth second, and at n seconds the end
chime. So the track lasts n seconds plus the chime, and the hold is the part before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from skill.profile import MAX_HOLD_SECONDS, MIN_HOLD_SECONDS
from skill.shipped import shipped
from skill.timing import SECOND_MS

# The committed MP3s, found through the package (a checkout's or an installed copy's).
SOUNDS_DIR = shipped("sounds", "audio")
SAMPLE_RATE = 16_000
BITRATE = 48_000
CHANNELS = 1
TICK_MS = 60
TONE_MS = 180
CHIME_MS = 1_200
TONE_EVERY = 5
TICK, TONE, CHIME = "tick", "tone", "chime"
# Alexa plays at most 240 s of audio in a response; a hold track must fit several times.
MAX_ASSET_MS = 240_000


def hold_track(seconds: int) -> str:
    return f"hold-{seconds:02d}"


@cache
def planned_ms() -> dict[str, int]:
    """Every asset the skill plays, with the length it plans on."""
    assets = {TICK: TICK_MS, TONE: TONE_MS, CHIME: CHIME_MS}
    for seconds in range(MIN_HOLD_SECONDS, MAX_HOLD_SECONDS + 1):
        assets[hold_track(seconds)] = seconds * SECOND_MS + CHIME_MS
    return assets


@dataclass(frozen=True)
class AudioLibrary:
    """Where the assets are served from: the local server, or an HTTPS bucket for Alexa."""

    base_url: str

    def url(self, name: str) -> str:
        return f"{self.base_url.rstrip('/')}/{name}.mp3"

    def name_of(self, url: str) -> str | None:
        """The asset a URL points at, if it is one of ours (for checks and tools)."""
        prefix = f"{self.base_url.rstrip('/')}/"
        if not url.startswith(prefix) or not url.endswith(".mp3"):
            return None
        name = url.removeprefix(prefix).removesuffix(".mp3")
        return name if name in planned_ms() else None
