"""Renders every sound Cramp Coach plays, from code, as MP3s Alexa accepts.

Run `cramp-coach audio` (or `make audio`) in a source checkout; the results are committed
under audio/ (a wheel carries a copy), so running the skill never needs ffmpeg. The sound
design lives here; the names and the lengths the skill plans holds on live in
`skill/audio.py`, and a test holds the two to each other by decoding every file.

Night-friendly by construction: pure sine partials, soft attacks and long releases (no
clicks), each sound loudness-normalised to a quiet RMS level with peaks well below full
scale. ffmpeg comes from the imageio-ffmpeg wheel, so no system install is needed; the
reading side decodes with that same ffmpeg (pydub's own reader would want ffprobe).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg

with warnings.catch_warnings():
    # pydub warns at import: no ffmpeg on PATH (we hand it the wheel's), audioop deprecated.
    warnings.simplefilter("ignore", RuntimeWarning)
    warnings.simplefilter("ignore", DeprecationWarning)  # audioop, on Python 3.12
    from pydub import AudioSegment
    from pydub.generators import Sine

from skill.audio import (
    BITRATE,
    CHANNELS,
    CHIME,
    CHIME_MS,
    SAMPLE_RATE,
    SOUNDS_DIR,
    TICK,
    TICK_MS,
    TONE,
    TONE_EVERY,
    TONE_MS,
    planned_ms,
)
from skill.timing import SECOND_MS

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
AudioSegment.converter = FFMPEG
SAMPLE_WIDTH = 2
# Quiet, even loudness (RMS, dBFS) for each kind of sound; the chime a little fuller.
LEVEL_DBFS = {TICK: -30.0, TONE: -27.0, CHIME: -25.0}
PEAK_LIMIT_DBFS = -6.0


@dataclass(frozen=True)
class Voice:
    """One sound: sine partials (Hz, relative dB), its length and its envelope."""

    partials: tuple[tuple[float, float], ...]
    ms: int
    attack_ms: int
    release_ms: int


VOICES = {
    TICK: Voice(((1200.0, 0.0),), TICK_MS, attack_ms=8, release_ms=45),
    TONE: Voice(((660.0, 0.0), (1320.0, -12.0)), TONE_MS, attack_ms=20, release_ms=140),
    CHIME: Voice(((880.0, 0.0), (1320.0, -6.0), (1760.0, -14.0)), CHIME_MS, 25, 1100),
}


def sound(name: str) -> AudioSegment:
    """A single sound, enveloped and normalised."""
    voice = VOICES[name]
    mix = AudioSegment.silent(duration=voice.ms, frame_rate=SAMPLE_RATE)
    for hertz, gain in voice.partials:
        partial = Sine(hertz, sample_rate=SAMPLE_RATE, bit_depth=SAMPLE_WIDTH * 8)
        mix = mix.overlay(partial.to_audio_segment(duration=voice.ms, volume=gain - 6.0))
    mix = mix.fade_in(voice.attack_ms).fade_out(voice.release_ms)
    return mix.apply_gain(LEVEL_DBFS[name] - mix.dBFS).set_channels(CHANNELS)


def hold_track(seconds: int) -> AudioSegment:
    """A tick at every second, a tone on every fifth, the chime when the hold ends."""
    track = AudioSegment.silent(duration=seconds * SECOND_MS + CHIME_MS, frame_rate=SAMPLE_RATE)
    tick, tone = sound(TICK), sound(TONE)
    for second in range(seconds):
        mark = tone if (second + 1) % TONE_EVERY == 0 else tick
        track = track.overlay(mark, position=second * SECOND_MS)
    return track.overlay(sound(CHIME), position=seconds * SECOND_MS)


def render(name: str) -> AudioSegment:
    if name in VOICES:
        return sound(name)
    return hold_track(int(name.removeprefix("hold-")))


def export(segment: AudioSegment, path: Path) -> None:
    """CBR 48 kbps, 24 kHz mono MP3 with no metadata, so rebuilds are byte-stable."""
    segment.export(
        path,
        format="mp3",
        bitrate=f"{BITRATE // 1000}k",
        parameters=[
            *("-ar", str(SAMPLE_RATE), "-ac", str(CHANNELS)),
            *("-map_metadata", "-1", "-id3v2_version", "0", "-fflags", "+bitexact"),
        ],
    )


def build_all(out_dir: Path = SOUNDS_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in planned_ms():
        path = out_dir / f"{name}.mp3"
        export(render(name), path)
        paths.append(path)
    return paths


def decode(path: Path) -> AudioSegment:
    """Decode with ffmpeg to raw PCM (no ffprobe); ffmpeg trims the encoder's padding."""
    raw = subprocess.run(
        [
            FFMPEG,
            "-v",
            "error",
            "-i",
            str(path),
            "-f",
            "s16le",
            "-ac",
            "1",
            "-ar",
            str(SAMPLE_RATE),
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    return AudioSegment(data=raw, sample_width=SAMPLE_WIDTH, frame_rate=SAMPLE_RATE, channels=1)


# MPEG-2 Layer III (the family 16-24 kHz MP3s belong to): bitrates in kbps by index.
_MPEG2_L3_KBPS = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)
_MPEG2_RATES = (22050, 24000, 16000)


@dataclass(frozen=True)
class Mp3Format:
    """What every frame header of a file says; one value each if the file is uniform."""

    bitrates: frozenset[int]
    sample_rates: frozenset[int]
    channels: frozenset[int]
    frames: int
    id3: bool


def mp3_format(path: Path) -> Mp3Format:
    """Walk the frame headers, so format checks need no ffprobe and miss no frame."""
    data = path.read_bytes()
    offset, id3 = 0, data.startswith(b"ID3")
    if id3:
        size = data[6:10]
        offset = 10 + (size[0] << 21 | size[1] << 14 | size[2] << 7 | size[3])
    bitrates, rates, channels, frames = set(), set(), set(), 0
    while offset + 4 <= len(data):
        header = int.from_bytes(data[offset : offset + 4], "big")
        if header >> 21 != 0x7FF or (header >> 19) & 3 != 2 or (header >> 17) & 3 != 1:
            raise ValueError(f"{path.name}: not an MPEG-2 Layer III frame at byte {offset}")
        kbps = _MPEG2_L3_KBPS[(header >> 12) & 0xF]
        rate = _MPEG2_RATES[(header >> 10) & 3]
        bitrates.add(kbps * 1000)
        rates.add(rate)
        channels.add(1 if (header >> 6) & 3 == 3 else 2)
        frames += 1
        offset += 72 * kbps * 1000 // rate + ((header >> 9) & 1)
    return Mp3Format(frozenset(bitrates), frozenset(rates), frozenset(channels), frames, id3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cramp-coach audio", description=__doc__)
    parser.add_argument("--list", action="store_true", help="list the files to upload")
    args = parser.parse_args(argv)
    if args.list:
        for name in planned_ms():
            print(SOUNDS_DIR / f"{name}.mp3")
        return 0
    for path in build_all():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
