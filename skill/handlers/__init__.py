"""Request handlers, one module per conversation area, gathered in priority order.

Order is behaviour: ask-sdk-core takes the first handler that can handle a request.
After the requests that are not turns, a session in an emergency answers everything
with the call (clinical.md §3a: this is the one place that decides it); then a warning
sign wins over everything, and a caution it left stops comfort steps and tips; then
stop/help/repeat, which must work anywhere; then answers to the question just asked;
then fresh requests; then the catch-alls.
"""

from __future__ import annotations

from skill.handlers import (
    answers,
    diary,
    first_aid,
    holds,
    info,
    lifecycle,
    navigation,
    reminders,
    routine,
    safety,
)
from skill.handlers.route import Route


def all_routes() -> list[Route]:
    return [
        *lifecycle.ROUTES,
        *safety.EMERGENCY_ROUTES,
        *safety.ROUTES,
        *safety.CAUTION_ROUTES,
        *navigation.ROUTES,
        *answers.ROUTES,
        *diary.ANSWER_ROUTES,
        # Below safety and stop: the reminder offer's yes/no come before the routine's.
        *reminders.ROUTES,
        *holds.ROUTES,
        *info.ROUTES,
        *routine.ROUTES,
        *first_aid.ROUTES,
        *safety.UNCLEAR_ROUTES,
        *holds.REQUEST_ROUTES,
        *diary.ROUTES,
        *navigation.LAST_ROUTES,
        Route(navigation.launch, requests=["LaunchRequest"]),
        navigation.UNKNOWN_INTENT,
        # Anything else in a session (a tap on a legacy screen, a purchase result, ...):
        # there is no flow for it, so return to whatever was being asked.
        Route(navigation.fallback),
    ]
