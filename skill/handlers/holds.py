"""Counted stretching holds: a person holding a stretch cannot look at a clock.

Every hold, on request or inside first aid and the routine, has the same shape: a cue
to get into position, a moment to do it, "starting now", the count (`skill.count`,
lasting exactly the hold), "and release", then the flow's next question.
"""

from __future__ import annotations

import re

from ask_sdk_model import Response

from skill import intents
from skill.audio import CHIME, TICK, TONE, planned_ms
from skill.count import count
from skill.handlers.common import anything_else
from skill.handlers.route import NEXT, NO, YES, Route, awaiting
from skill.profile import MAX_HOLD_SECONDS, MIN_HOLD_SECONDS, CountStyle
from skill.screen import HOLD_BUTTONS, titled
from skill.speech import Speech
from skill.state import Awaiting, Flow
from skill.turn import Turn

HOLD_INTENT = intents.STRETCH_HOLD
AGAIN_INTENT = intents.HOLD_AGAIN
OTHER_SIDE_INTENT = intents.OTHER_SIDE
# Time to get into the stretch after the cue, before "starting now"; longer at night (in
# the dark, half asleep). First aid's and the routine's stretches wait for "ready" instead.
GET_READY_MS = 3000
LONGER_GET_READY_MS = 6000
_ISO_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


def lead_in(turn: Turn, cue: str = "hold_cue", ready_ms: int | None = None) -> Speech:
    """The cue, time to get into position, and "starting now"."""
    if ready_ms is None:
        ready_ms = LONGER_GET_READY_MS if turn.is_night else GET_READY_MS
    return Speech(turn.line(cue)).pause(ready_ms).say(turn.line("hold_start"))


def counted_hold(turn: Turn, seconds: int, lead: Speech | None = None) -> Speech:
    """Lead-in, the count, release: the whole hold as one utterance."""
    speech = lead or lead_in(turn)
    return speech.extend(count(seconds, turn.tones)).say(turn.line("hold_release"))


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


def asked_unclearly(turn: Turn) -> bool:
    """A length was said but is not a number of seconds ("hold for banana")."""
    said = turn.slot("seconds").value or turn.slot("duration").value
    return bool(said) and requested_seconds(turn) is None


def clamp_hold(turn: Turn, asked: int | None, default: int) -> tuple[int, Speech]:
    """A sensible hold length, with a spoken correction when the request was not one."""
    if asked is None:
        if asked_unclearly(turn):
            return default, Speech(turn.line("hold_unclear", seconds=default))
        return default, Speech()
    if asked < MIN_HOLD_SECONDS:
        return MIN_HOLD_SECONDS, Speech(turn.line("hold_too_short", seconds=MIN_HOLD_SECONDS))
    if asked > MAX_HOLD_SECONDS:
        return MAX_HOLD_SECONDS, Speech(turn.line("hold_too_long", seconds=MAX_HOLD_SECONDS))
    return asked, Speech()


def stretch_hold(turn: Turn) -> Response:
    """A counted hold on request, outside first aid and the routine (they count their own)."""
    seconds, correction = clamp_hold(turn, requested_seconds(turn), last_hold_seconds(turn))
    return hold_and_offer_again(turn, seconds, correction)


def last_hold_seconds(turn: Turn) -> int:
    """ "Do it again" and "other leg" keep the last length; otherwise the user's preference."""
    return turn.state.hold_seconds or turn.profile.hold_seconds


def hold_and_offer_again(turn: Turn, seconds: int, speech: Speech | None = None) -> Response:
    state = turn.state
    state.begin(Flow.HOLD)
    state.hold_seconds = seconds
    state.awaiting = Awaiting.HOLD_AGAIN
    turn.show(titled(turn.content, "hold", icon="timer", buttons=HOLD_BUTTONS))
    reply = (speech or Speech()).extend(counted_hold(turn, seconds))
    reply.say(turn.line("hold_again_offer"))
    return turn.ask(reply, Speech(turn.line("hold_again_reprompt")))


def hold_again(turn: Turn) -> Response:
    return hold_and_offer_again(turn, last_hold_seconds(turn))


def hold_other_leg(turn: Turn) -> Response:
    return hold_and_offer_again(turn, last_hold_seconds(turn), Speech(turn.line("hold_other_leg")))


def set_preference(turn: Turn) -> Response:
    """Hold length and count style, remembered for this user."""
    profile = turn.profile
    speech = Speech()
    if requested_seconds(turn) is not None or asked_unclearly(turn):
        seconds, correction = clamp_hold(turn, requested_seconds(turn), profile.hold_seconds)
        profile.hold_seconds = seconds
        speech.extend(correction).say(turn.line("preference_seconds", seconds=seconds))
    style = turn.slot("count_style").id
    if style == CountStyle.VOICE:
        profile.count_style = style
        speech.say(turn.line("preference_voice"))
    elif style == CountStyle.TONES:
        profile.count_style = style
        speech.extend(tones_sample(turn))
    if not speech:
        speech.say(turn.line("preference_unclear"))
    return anything_else(turn, speech)


def tones_sample(turn: Turn) -> Speech:
    """Let the user hear what they chose, or say plainly why they can't yet."""
    library = turn.tones
    if library is None:
        return Speech(turn.line("tones_unavailable"))
    speech = Speech(turn.line("preference_tones"))
    for sound in (TICK, TICK, TONE, CHIME):
        speech.audio(library.url(sound), planned_ms()[sound]).pause(700)
    return speech


ROUTES = [
    Route(hold_again, [YES, AGAIN_INTENT], when=awaiting(Awaiting.HOLD_AGAIN)),
    Route(hold_other_leg, [OTHER_SIDE_INTENT], when=awaiting(Awaiting.HOLD_AGAIN)),
    # "Done" after a hold: no more holds.
    Route(anything_else, [NO, NEXT], when=awaiting(Awaiting.HOLD_AGAIN)),
]
# Standalone requests come after first aid's and the routine's routes, which count holds
# within their own steps.
REQUEST_ROUTES = [
    Route(stretch_hold, [HOLD_INTENT]),
    Route(hold_again, [AGAIN_INTENT]),
    Route(hold_other_leg, [OTHER_SIDE_INTENT]),
    Route(set_preference, [intents.SET_PREFERENCE]),
]
