"""Measure, don't guess: how long counted holds really take when spoken.

Renders the count of holds of 10, 20, 30, 45 and 60 s in both styles with espeak-ng
(which honours <break>), with each <audio> tag replaced by silence as long as the real
asset (decoded from audio/*.mp3), and prints the planned and measured lengths and the
error. Target: within 5% for both styles. Run with `make bench`; needs espeak-ng
(`apt-get install espeak-ng`). Alexa's voices are not available here: espeak-ng is the
stand-in the timing model was fitted to (see skill/timing.py).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from audio.render import AUDIO_DIR, decode
from skill.audio import AudioLibrary
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
            total += len(decode(AUDIO_DIR / f"{name}.mp3"))
        elif part.strip():
            total += spoken_ms(part)
    return total


def measure(seconds: int, style: str) -> Measurement:
    speech = count(seconds, _LIBRARY if style == "TONES" else None)
    return Measurement(seconds, style, speech.seconds * 1000, rendered_ms(speech))


def main() -> int:
    if shutil.which(ESPEAK) is None:
        print("bench/holds.py needs espeak-ng: apt-get install espeak-ng", file=sys.stderr)
        return 2
    print(f"{'hold':>5} {'style':<6} {'planned s':>10} {'measured s':>11} {'error':>7}")
    worst = 0.0
    for style in STYLES:
        for seconds in LENGTHS:
            result = measure(seconds, style)
            worst = max(worst, abs(result.error))
            print(
                f"{seconds:>4}s {style:<6} {result.planned_ms / 1000:>10.2f}"
                f" {result.measured_ms / 1000:>11.2f} {result.error:>+7.1%}"
            )
    print(f"worst error {worst:.1%} (target within {TARGET_ERROR:.0%})")
    return 0 if worst <= TARGET_ERROR else 1


if __name__ == "__main__":
    sys.exit(main())
