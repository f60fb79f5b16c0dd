"""Short answers for the night, with more on request: prevention, causes, seeing a doctor."""

from __future__ import annotations

from ask_sdk_model import Response

from skill import intents
from skill.handlers.common import anything_else, opening
from skill.handlers.route import NEXT, NO, YES, Route, awaiting
from skill.speech import Speech
from skill.state import Awaiting, Flow
from skill.turn import Turn

MORE_INTENT = intents.TELL_ME_MORE


def answer_topic(turn: Turn, topic: str, first: Speech | None = None) -> Response:
    """The short answer, then an offer of more; `first` replaces the short answer."""
    state = turn.state
    state.begin(Flow.INFO)
    state.topic = topic
    short = first or Speech(turn.content.fill(turn.content.topic(topic).short.say))
    return offer_more(turn, opening(turn).extend(short))


def offer_more(turn: Turn, speech: Speech) -> Response:
    turn.state.awaiting = Awaiting.MORE
    offer = turn.line("more_offer")
    return turn.ask(speech.say(offer), Speech(offer))


def prevention(turn: Turn) -> Response:
    line = turn.content.prevention_topic(turn.slot("topic").id)
    first = Speech(turn.content.fill(line.say)) if line else None
    return answer_topic(turn, "prevention", first)


def causes(turn: Turn) -> Response:
    return answer_topic(turn, "causes")


def see_doctor(turn: Turn) -> Response:
    return answer_topic(turn, "see_doctor")


def tell_more(turn: Turn) -> Response:
    """The next deeper item of the current topic (prevention when none is under way)."""
    state = turn.state
    if state.flow != Flow.INFO or not state.topic:
        return answer_topic(turn, "prevention")
    items = turn.content.topic(state.topic).more
    if state.more_index >= len(items):
        return anything_else(turn, Speech(turn.line("no_more")))
    speech = Speech(turn.content.fill(items[state.more_index].say))
    state.more_index += 1
    return offer_more(turn, speech)


ROUTES = [
    Route(tell_more, [YES, NEXT, MORE_INTENT], when=awaiting(Awaiting.MORE)),
    Route(anything_else, [NO], when=awaiting(Awaiting.MORE)),
    Route(tell_more, [MORE_INTENT]),
    Route(prevention, [intents.PREVENTION]),
    Route(causes, [intents.CAUSES]),
    Route(see_doctor, [intents.SEE_DOCTOR]),
]
