"""Declarative request handlers: which requests, in which state, answered by which function.

ask-sdk-core wants a class per handler; most of ours differ only in the intents they take
and the question they answer, so one `Route` class covers them and each conversation
module is a readable table of routes. The SDK sees one handler, `RouteTable`, which keeps
the routes in priority order and asks only those that could take the request's intent
(asking every route on every request is costly: bench/NOTES.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import cast

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill import intents
from skill.state import Awaiting, Flow
from skill.turn import Turn

Respond = Callable[[Turn], Response]
Condition = Callable[[Turn], bool]


ROUTE_KEY = "route"


class Route:
    """Handles the given intents (or request types) when `when` holds for the turn."""

    def __init__(
        self,
        respond: Respond,
        intents: Iterable[str] = (),
        *,
        requests: Iterable[str] = (),
        when: Condition | None = None,
    ) -> None:
        self.respond = respond
        self.intents = frozenset(intents)
        self.requests = frozenset(requests)
        self.when = when

    def takes(self, turn: Turn) -> bool:
        if self.intents and turn.intent not in self.intents:
            return False
        if self.requests and not any(turn.request_type.startswith(r) for r in self.requests):
            return False
        return self.when is None or self.when(turn)

    def __repr__(self) -> str:
        return f"Route({self.respond.__qualname__})"


class RouteTable(AbstractRequestHandler):
    """Routes in priority order: the first that takes a request answers it."""

    def __init__(self, routes: Iterable[Route]) -> None:
        routes = tuple(routes)
        # Routes that name no intent can take any request; they keep their place.
        self._any_intent = tuple(route for route in routes if not route.intents)
        named = {intent for route in routes for intent in route.intents}
        self._by_intent = {
            intent: tuple(r for r in routes if not r.intents or intent in r.intents)
            for intent in named
        }

    def candidates(self, turn: Turn) -> tuple[Route, ...]:
        return self._by_intent.get(turn.intent, self._any_intent)

    def can_handle(self, handler_input: HandlerInput) -> bool:
        turn = Turn.of(handler_input)
        route = next((route for route in self.candidates(turn) if route.takes(turn)), None)
        handler_input.attributes_manager.request_attributes[ROUTE_KEY] = route
        return route is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        route = cast(Route, handler_input.attributes_manager.request_attributes[ROUTE_KEY])
        return route.respond(Turn.of(handler_input))


def awaiting(*questions: Awaiting) -> Condition:
    """True when the skill's last question was one of these."""
    return lambda turn: turn.state.awaiting in questions


def in_flow(*flows: Flow) -> Condition:
    return lambda turn: turn.state.flow in flows


YES = intents.YES
NO = intents.NO
NEXT = intents.NEXT
PREVIOUS = intents.PREVIOUS
START_OVER = intents.START_OVER
FALLBACK = intents.FALLBACK
PAUSE = intents.PAUSE
RESUME = intents.RESUME
# Answers to any question (issue 18); Ready, Okay and Skip are read by `skill.answers`.
OKAY = intents.OKAY
SKIP = intents.SKIP
WORSE = intents.WORSE
CANT_DO = intents.CANT_DO
ENDING = intents.ENDING
