"""Counted holds: the timing model, both count styles, lengths, corrections, repeats."""

from __future__ import annotations

import re

import pytest

from skill.audio import planned_ms
from skill.count import voice_count
from skill.profile import MAX_HOLD_SECONDS, MIN_HOLD_SECONDS
from skill.speech import plain_text
from skill.timing import MIN_GAP_MS, break_after, planned_count_ms, spoken_ms, syllables
from tests.conftest import WITH_TONES, Conversation

ALL_LENGTHS = range(MIN_HOLD_SECONDS, MAX_HOLD_SECONDS + 1)


@pytest.mark.parametrize(
    ("n", "expected"), [(1, 1), (7, 2), (11, 3), (17, 3), (20, 2), (27, 4), (60, 2)]
)
def test_syllables_of_number_words(n: int, expected: int) -> None:
    assert syllables(n) == expected


@pytest.mark.parametrize("seconds", ALL_LENGTHS)
def test_a_spoken_count_is_planned_to_take_exactly_its_length(seconds: int) -> None:
    assert planned_count_ms(seconds) == seconds * 1000
    assert voice_count(seconds).seconds == pytest.approx(seconds)


def test_every_number_gets_a_breath_after_it() -> None:
    for n in range(1, MAX_HOLD_SECONDS + 1):
        assert break_after(n) >= MIN_GAP_MS
        assert spoken_ms(n) + break_after(n) == 1000


def test_voice_count_says_each_second_then_the_break_that_fills_it() -> None:
    ssml = voice_count(3).ssml
    assert plain_text(ssml) == "1 2 3"
    breaks = [int(ms) for ms in re.findall(r'<break time="(\d+)ms"/>', ssml)]
    assert breaks == [break_after(1), break_after(2), break_after(3)]


def numbers_counted(speech: str) -> list[int]:
    counted = speech.split("Starting now.")[1].split("And release.")[0]
    return [int(word) for word in counted.split()]


def test_a_hold_on_request_has_cue_count_release_and_question(talk: Conversation) -> None:
    reply = talk.say("count thirty seconds")
    assert reply["slots"]["seconds"] == {"value": "30"}
    assert reply["speech"].startswith("Get into the stretch. Hold it gently. Starting now. 1 2")
    assert numbers_counted(reply["speech"]) == list(range(1, 31))
    assert reply["speech"].endswith("And release. Want another hold? You can also say, other leg.")
    assert not reply["end_session"]


@pytest.mark.parametrize(
    ("words", "correction", "counted"),
    [
        ("hold for a thousand", "longer than I count, so I'll count 60 seconds", 60),
        ("hold it for five minutes", "longer than I count, so I'll count 60 seconds", 60),
        ("hold for 2 seconds", "very short, so I'll count 5 seconds", 5),
        ("hold for banana", "I didn't catch how long, so I'll count 30 seconds", 30),
        ("hold for zero seconds", "very short, so I'll count 5 seconds", 5),
    ],
)
def test_out_of_range_or_unclear_lengths_are_corrected_aloud(
    talk: Conversation, words: str, correction: str, counted: int
) -> None:
    reply = talk.say(words)
    assert reply["intent"] == "StretchHoldIntent"
    assert correction in reply["speech"]
    assert numbers_counted(reply["speech"]) == list(range(1, counted + 1))


def test_again_and_other_leg_keep_the_length(talk: Conversation) -> None:
    talk.say("hold for forty five seconds")
    again = talk.say("do it again")
    assert numbers_counted(again["speech"])[-1] == 45
    other = talk.say("now the other leg")
    assert other["speech"].startswith("Now the other leg. Get into the stretch.")
    assert numbers_counted(other["speech"])[-1] == 45
    assert numbers_counted(talk.say("yes")["speech"])[-1] == 45
    assert talk.say("no")["speech"].startswith("Anything else?")


def test_again_in_a_new_session_uses_the_preference(talk: Conversation) -> None:
    reply = talk.say("one more time")
    assert reply["intent"] == "HoldAgainIntent"
    assert numbers_counted(reply["speech"])[-1] == 30


def test_preferences_are_remembered_across_sessions(talk: Conversation) -> None:
    assert "Your holds will be 20 seconds" in talk.say("make my holds twenty seconds")["speech"]
    talk.say("stop")
    talk.new_session()
    assert numbers_counted(talk.say("time my stretch")["speech"])[-1] == 20
    assert "count out loud" in talk.say("count out loud")["speech"]
    corrected = talk.say("make my holds ninety seconds")["speech"]
    assert "I'll count 60 seconds. Okay. Your holds will be 60 seconds." in corrected


def test_tones_play_one_track_that_lasts_the_hold() -> None:
    talk = Conversation(settings=WITH_TONES)
    sample = talk.say("count with beeps")
    assert "A tick each second" in sample["speech"]
    assert [src.rsplit("/", 1)[1] for src in audio_sources(sample)] == [
        "tick.mp3",
        "tick.mp3",
        "tone.mp3",
        "chime.mp3",
    ]
    hold = talk.say("count twenty seconds")
    assert audio_sources(hold) == ["https://audio.cramp-coach.test/v1/hold-20.mp3"]
    assert "Starting now. And release." in hold["speech"]
    assert planned_ms()["hold-20"] == 20_000 + planned_ms()["chime"]


def test_tones_without_anywhere_to_play_them_fall_back_to_the_voice(talk: Conversation) -> None:
    reply = talk.say("count with beeps")
    assert "I can't play tones on this setup" in reply["speech"]
    assert "<audio" not in reply["ssml"]
    assert numbers_counted(talk.say("count ten seconds")["speech"])[-1] == 10


@pytest.mark.parametrize("style", ["out loud", "with beeps"])
@pytest.mark.parametrize("seconds", ALL_LENGTHS)
def test_every_hold_length_fits_alexas_limits(style: str, seconds: int) -> None:
    """Conversation checks each reply against SSML_RULES.md (size, breaks, audio)."""
    talk = Conversation(settings=WITH_TONES)
    talk.say(f"count {style}")
    reply = talk.say(f"hold for {seconds} seconds")
    assert reply["intent"] == "StretchHoldIntent"
    assert (reply["ssml"].count("<audio") == 1) == (style == "with beeps")


def audio_sources(reply: dict) -> list[str]:
    return re.findall(r'<audio src="([^"]*)"/>', reply["ssml"])
