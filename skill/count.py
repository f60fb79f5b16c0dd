"""The count inside a hold, in either style, lasting exactly the hold.

VOICE says one number per second, each followed by the break that fills the rest of
its second (`skill.timing`). TONES plays one rendered track: a tick each second, a
deeper tone every fifth, a chime at the end (`skill.audio`). One <audio> tag per hold
keeps even the routine's three holds a reply well inside Alexa's five.
"""

from __future__ import annotations

from functools import lru_cache

from skill.audio import AudioLibrary, hold_track, planned_ms
from skill.speech import Speech
from skill.timing import break_after, spoken_ms


def voice_count(seconds: int) -> Speech:
    speech = Speech()
    for n in range(1, seconds + 1):
        speech.say(str(n), spoken_ms(n)).pause(break_after(n))
    return speech


def tone_count(seconds: int, library: AudioLibrary) -> Speech:
    track = hold_track(seconds)
    return Speech().audio(library.url(track), planned_ms()[track])


def count(seconds: int, library: AudioLibrary | None) -> Speech:
    """Tones when there is somewhere to play them from, else the spoken count; marked as
    a hold, so a screen can count down with it. A fresh Speech each time, made from parts
    built once per length (planning every number's timing was a twentieth of a request)."""
    return Speech().extend(_planned_count(seconds, library))


@lru_cache(maxsize=256)
def _planned_count(seconds: int, library: AudioLibrary | None) -> Speech:
    """Never handed out itself: `count` copies its parts into a new Speech."""
    speech = Speech().hold_starts(seconds)
    if library is None:
        return speech.extend(voice_count(seconds))
    return speech.extend(tone_count(seconds, library))
