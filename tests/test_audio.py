"""The committed MP3s: Alexa's format, the lengths the skill plans on, gentle sound."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.audio import (
    BITRATE,
    CHANNELS,
    CHIME,
    MAX_ASSET_MS,
    SAMPLE_RATE,
    SOUNDS_DIR,
    TICK,
    TONE,
    AudioLibrary,
    hold_track,
    planned_ms,
)
from skill.build.sounds import LEVEL_DBFS, PEAK_LIMIT_DBFS, build_all, decode, mp3_format
from skill.dev.cli import main as cli

ALEXA_SAMPLE_RATES = {16_000, 22_050, 24_000}
ASSETS = sorted(planned_ms())


@pytest.mark.parametrize("name", ASSETS)
def test_every_asset_is_an_alexa_mp3_of_the_planned_length(name: str) -> None:
    path = SOUNDS_DIR / f"{name}.mp3"
    found = mp3_format(path)
    assert found.bitrates == {BITRATE} == {48_000}  # every frame, the Info frame too
    assert found.sample_rates == {SAMPLE_RATE} and SAMPLE_RATE in ALEXA_SAMPLE_RATES
    assert found.channels == {CHANNELS} == {1}
    assert not found.id3
    assert len(decode(path)) == planned_ms()[name] <= MAX_ASSET_MS


@pytest.mark.parametrize("name", [TICK, TONE, CHIME])
def test_sounds_are_quiet_even_and_start_softly(name: str) -> None:
    sound = decode(SOUNDS_DIR / f"{name}.mp3")
    assert abs(sound.dBFS - LEVEL_DBFS[name]) < 1.0
    assert sound.max_dBFS <= PEAK_LIMIT_DBFS
    # No click: the first 3 ms are well below the peak, and it fades out at the end.
    assert sound[:3].max < sound.max / 3
    assert sound[-5:].max < sound.max / 3


def test_a_hold_track_marks_each_second_every_fifth_and_the_end() -> None:
    seconds = 10
    track = decode(SOUNDS_DIR / f"{hold_track(seconds)}.mp3")
    tick, tone = (decode(SOUNDS_DIR / f"{name}.mp3") for name in (TICK, TONE))
    for second in range(seconds):
        mark = track[second * 1000 : second * 1000 + 50]
        gap = track[second * 1000 + 400 : second * 1000 + 900]
        expected = tone if (second + 1) % 5 == 0 else tick
        assert abs(mark.dBFS - expected[:50].dBFS) < 3, second
        assert gap.max < mark.max / 20, second
    assert track[seconds * 1000 : seconds * 1000 + 200].dBFS > track[9500:9900].dBFS + 20


def test_a_rebuild_gives_the_same_files(tmp_path: Path) -> None:
    """What `cramp-coach audio` writes matches what is committed, in length and format."""
    for path in build_all(tmp_path):
        committed = SOUNDS_DIR / path.name
        assert mp3_format(path) == mp3_format(committed), path.name
        assert len(decode(path)) == len(decode(committed)), path.name


def test_the_upload_list_names_every_asset(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["audio", "--list"]) == 0
    listed = capsys.readouterr().out.split()
    assert [Path(line).stem for line in listed] == list(planned_ms())
    assert all(Path(line).exists() for line in listed)


def test_urls_round_trip_through_the_library() -> None:
    library = AudioLibrary("https://cdn.example.test/cramp/")
    url = library.url("hold-30")
    assert url == "https://cdn.example.test/cramp/hold-30.mp3"
    assert library.name_of(url) == "hold-30"
    assert library.name_of("https://elsewhere.test/hold-30.mp3") is None
    assert library.name_of("https://cdn.example.test/cramp/hold-99.mp3") is None
