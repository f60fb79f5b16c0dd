"""Counted stretching holds: a person holding a stretch cannot look at a clock.

The count speaks the elapsed seconds every five seconds and fills the rest with silence,
so a 20-second hold takes about 20 seconds. (A finer timing model and tone counting
belong to the holds work that builds on this.)
"""

from __future__ import annotations

import re

from ask_sdk_model import Response

from skill.handlers.common import anything_else
from skill.handlers.route import NO, YES, Route, awaiting
from skill.profile import MAX_HOLD_SECONDS, MIN_HOLD_SECONDS, CountStyle
from skill.speech import Speech
from skill.state import Awaiting, Flow
from skill.turn import Turn

HOLD_INTENT = "StretchHoldIntent"
COUNT_EVERY = 5
# Roughly how long Alexa takes to say a number up to sixty.
NUMBER_MS = 450
_ISO_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


def spoken_count(seconds: int) -> Speech:
    """Silence with the elapsed time said every five seconds, lasting `seconds` in all."""
    speech = Speech()
    elapsed = 0
    while elapsed < seconds:
        mark = min(elapsed + COUNT_EVERY, seconds)
        speech.pause((mark - elapsed) * 1000 - NUMBER_MS).say(str(mark))
        elapsed = mark
    return speech


def counted_hold(turn: Turn, seconds: int) -> Speech:
    """Cue, count, release: the whole hold as one utterance."""
    return (
        Speech(turn.line("hold_start"))
        .extend(spoken_count(seconds))
        .pause(300)
        .say(turn.line("hold_release"))
    )


def seconds_from_iso(duration: str | None) -> int | None:
    """Seconds in an AMAZON.DURATION value such as PT30S or PT1M; None if unreadable."""
    match = _ISO_DURATION.match(duration or "")
    if not match or not any(match.groups()):
        return None
    days, hours, minutes, secs = (int(group or 0) for group in match.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60 + secs


def requested_seconds(turn: Turn) -> int | None:
    """The hold length the user asked for, from either the number or the duration slot."""
    number = turn.slot("seconds").value
    if number and number.isdigit():
        return int(number)
    return seconds_from_iso(turn.slot("duration").value)


def clamp_hold(turn: Turn, asked: int | None) -> tuple[int, Speech]:
    """A sensible hold length, with a spoken correction when the request was out of range."""
    if asked is None:
        return turn.profile.hold_seconds, Speech()
    if asked < MIN_HOLD_SECONDS:
        return MIN_HOLD_SECONDS, Speech(turn.line("hold_too_short", seconds=MIN_HOLD_SECONDS))
    if asked > MAX_HOLD_SECONDS:
        return MAX_HOLD_SECONDS, Speech(turn.line("hold_too_long", seconds=MAX_HOLD_SECONDS))
    return asked, Speech()


def stretch_hold(turn: Turn) -> Response:
    """A counted hold on request, outside first aid (first aid routes its own).

    Without a length, a repeated hold keeps the last one's ("do it again").
    """
    asked = requested_seconds(turn)
    if asked is None and turn.state.flow == Flow.HOLD:
        asked = turn.state.hold_seconds
    seconds, correction = clamp_hold(turn, asked)
    return hold_and_offer_again(turn, seconds, correction)


def hold_and_offer_again(turn: Turn, seconds: int, speech: Speech | None = None) -> Response:
    state = turn.state
    state.begin(Flow.HOLD)
    state.hold_seconds = seconds
    state.awaiting = Awaiting.HOLD_AGAIN
    offer = turn.line("hold_again_offer")
    reply = (speech or Speech()).extend(counted_hold(turn, seconds)).say(offer)
    return turn.ask(reply, Speech(offer))


def hold_again(turn: Turn) -> Response:
    seconds = turn.state.hold_seconds or turn.profile.hold_seconds
    return hold_and_offer_again(turn, seconds)


def set_preference(turn: Turn) -> Response:
    """Hold length and count style, remembered for this user."""
    profile = turn.profile
    asked = requested_seconds(turn)
    style = turn.slot("count_style").id
    speech = Speech()
    if asked is not None:
        seconds, correction = clamp_hold(turn, asked)
        profile.hold_seconds = seconds
        speech.extend(correction).say(turn.line("preference_seconds", seconds=seconds))
    if style == CountStyle.VOICE:
        profile.count_style = style
        speech.say(turn.line("preference_voice"))
    elif style == CountStyle.TONES:
        profile.count_style = style
        speech.say(turn.line("preference_tones"))
    if not speech:
        speech.say(turn.line("preference_unclear"))
    return anything_else(turn, speech)


ROUTES = [
    Route(hold_again, [YES], when=awaiting(Awaiting.HOLD_AGAIN)),
    Route(anything_else, [NO], when=awaiting(Awaiting.HOLD_AGAIN)),
]
# Standalone requests come after first aid's routes, which count holds within the steps.
REQUEST_ROUTES = [
    Route(stretch_hold, [HOLD_INTENT]),
    Route(set_preference, ["SetPreferenceIntent"]),
]
