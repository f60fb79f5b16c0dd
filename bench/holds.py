"""Measure, don't guess: how long counted holds really take when spoken.

Renders the count of holds of 10, 20, 30, 45 and 60 s in both styles with espeak-ng
(which honours <break>), with each <audio> tag replaced by silence as long as the real
asset (decoded from audio/*.mp3), and compares the measured length with the planned one.
Target: within 5% for both styles. `make bench` runs it (bench/run.py); it needs
espeak-ng (`apt-get install espeak-ng`). Alexa's voices are not available here: espeak-ng
is the stand-in the timing model was fitted to (see skill/timing.py).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from skill.audio import SOUNDS_DIR, AudioLibrary
from skill.build.sounds import decode
from skill.count import count
from skill.speech import Speech

LENGTHS = (10, 20, 30, 45, 60)
STYLES = ("VOICE", "TONES")
TARGET_ERROR = 0.05
ESPEAK = "espeak-ng"
_LIBRARY = AudioLibrary("https://bench.invalid/audio")
_AUDIO_TAG = re.compile(r'<audio src="([^"]*)"/>')


@dataclass(frozen=True)
class Measurement:
    seconds: int
    style: str
    planned_ms: float
    measured_ms: float

    @property
    def error(self) -> float:
        return (self.measured_ms - self.planned_ms) / self.planned_ms


def spoken_ms(ssml_inner: str) -> float:
    """Length of espeak-ng's rendering of some SSML (text and breaks)."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "speech.wav"
        subprocess.run(
            [ESPEAK, "-m", "-v", "en-us", "-w", str(path), f"<speak>{ssml_inner}</speak>"],
            check=True,
        )
        with wave.open(str(path)) as rendered:
            return rendered.getnframes() / rendered.getframerate() * 1000


def rendered_ms(speech: Speech) -> float:
    """Speech rendered by espeak-ng, each sound counted at its decoded length."""
    total = 0.0
    parts = _AUDIO_TAG.split(speech.inner)
    for index, part in enumerate(parts):
        if index % 2:  # a sound's URL
            name = _LIBRARY.name_of(part)
            total += len(decode(SOUNDS_DIR / f"{name}.mp3"))
        elif part.strip():
            total += spoken_ms(part)
    return total


def measure(seconds: int, style: str) -> Measurement:
    speech = count(seconds, _LIBRARY if style == "TONES" else None)
    return Measurement(seconds, style, speech.seconds * 1000, rendered_ms(speech))
