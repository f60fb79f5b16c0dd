"""Requests that are not conversation turns, the state round trip, and the safety net."""

from __future__ import annotations

import logging
from typing import cast

from ask_sdk_core.dispatch_components import (
    AbstractExceptionHandler,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.canfulfill import (
    CanFulfillIntent,
    CanFulfillIntentValues,
    CanFulfillSlot,
    CanFulfillSlotValues,
    CanUnderstandSlotValues,
)

from skill import intents
from skill.content import content_for
from skill.handlers.route import Route
from skill.invoke import PlainJson
from skill.screen import (
    EASED_BUTTONS,
    YES_NO_BUTTONS,
    Screen,
    can_share,
    layout_for,
    render,
    supports_apl,
    with_holds,
)
from skill.speech import Speech, plain_text
from skill.state import SESSION_KEY, YES_NO_QUESTIONS, Awaiting
from skill.turn import TURN_KEY, Turn

log = logging.getLogger(__name__)

# Intents this skill can take on when Alexa asks "can you fulfil this?" without a session.
FULFILLABLE = frozenset(
    {
        intents.CRAMP_NOW,
        intents.STRETCH_HOLD,
        intents.BEDTIME_ROUTINE,
        intents.SEATED_ROUTINE,
        intents.PREVENTION,
        intents.CAUSES,
        intents.SEE_DOCTOR,
        intents.RED_FLAG,
    }
)
# Requests Alexa sends for information only: any speech in reply is an error or ignored.
SILENT_REQUESTS = (
    "SessionEndedRequest",
    "System.ExceptionEncountered",
    "AudioPlayer.",
    "PlaybackController.",
    "AlexaSkillEvent.",
    "AlexaHouseholdListEvent.",
    "Messaging.",
)


def can_fulfill(turn: Turn) -> Response:
    """Say yes to our own intents (and to the slots we understand), no to anything else."""
    request = turn.handler_input.request_envelope.request
    intent = getattr(request, "intent", None)
    name = getattr(intent, "name", None)
    if name not in FULFILLABLE:
        answer = CanFulfillIntent(can_fulfill=CanFulfillIntentValues.NO)
    else:
        slots = {
            slot_name: CanFulfillSlot(
                can_understand=(
                    CanUnderstandSlotValues.YES
                    if turn.slot(slot_name).id or turn.slot(slot_name).value
                    else CanUnderstandSlotValues.MAYBE
                ),
                can_fulfill=CanFulfillSlotValues.YES,
            )
            for slot_name in (getattr(intent, "slots", None) or {})
        }
        answer = CanFulfillIntent(can_fulfill=CanFulfillIntentValues.YES, slots=slots)
    return turn.handler_input.response_builder.set_can_fulfill_intent(answer).response


ROUTES = [
    Route(can_fulfill, requests=["CanFulfillIntentRequest"]),
    Route(lambda turn: turn.silent(), requests=SILENT_REQUESTS),
]


class ShowScreen(AbstractResponseInterceptor):
    """On a device with a screen, show every spoken reply: the step the handler chose, or
    else the question asked; during a hold, a countdown timed to the speech."""

    def process(self, handler_input: HandlerInput, response: Response) -> None:
        turn = cast(Turn | None, handler_input.attributes_manager.request_attributes.get(TURN_KEY))
        if turn is None or response is None or response.output_speech is None:
            return
        if not supports_apl(handler_input) or not can_share(response):
            return
        question = plain_text(turn.question_ssml) if turn.question_ssml else ""
        if turn.screen is None:
            screen = question_screen(turn, question)
        else:
            screen = turn.screen
            screen.hint = screen.hint or question
        if turn.spoken is not None:
            with_holds(screen, turn.spoken.counted_holds(turn.voice))
        turn.state.last_screen = screen.to_dict()
        directive = render(screen, turn.content, layout_for(handler_input), turn.is_night)
        # PlainJson: a RenderDocument directive already in JSON form (skill.invoke).
        response.directives = [*(response.directives or []), directive]  # type: ignore[list-item]


def question_screen(turn: Turn, question: str) -> Screen:
    """A reply with no step of its own shows its question, or what it said on leaving."""
    spoken = plain_text(turn.spoken.ssml) if turn.spoken else ""
    awaited = turn.state.awaiting
    if awaited == Awaiting.EASED:
        buttons = list(EASED_BUTTONS)
    elif awaited in YES_NO_QUESTIONS:
        buttons = list(YES_NO_BUTTONS)
    else:
        buttons = []
    return Screen(
        title=turn.content.screen_line("app_title"), text=question or spoken, buttons=buttons
    )


class SaveState(AbstractResponseInterceptor):
    """After every reply: remember it for "repeat", store the state, save a changed profile."""

    def process(self, handler_input: HandlerInput, response: Response) -> None:
        turn = cast(Turn | None, handler_input.attributes_manager.request_attributes.get(TURN_KEY))
        if turn is None or response is None:
            return
        if response.output_speech is not None and response.should_end_session is False:
            # What was said and asked, as content paths and values: "repeat" rebuilds
            # them, so nothing a client sends back is ever spoken as markup.
            turn.state.last_said = turn.spoken.recipe if turn.spoken else None
            if not turn.keeps_question:
                turn.state.last_question = turn.question.recipe if turn.question else None
        if turn.has_session:
            state = PlainJson(turn.state.to_dict())
            attributes = handler_input.attributes_manager.session_attributes
            attributes[SESSION_KEY] = state  # type: ignore[index]  # has_session: a dict
        turn.save_profile_if_changed()


class SpeakThroughErrors(AbstractExceptionHandler):
    """Never leave a person in pain in silence: apologise, remind of the emergency number."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.exception("unhandled error in the skill", exc_info=exception)
        request = handler_input.request_envelope.request
        builder = handler_input.response_builder
        if (getattr(request, "object_type", None) or "").startswith(SILENT_REQUESTS):
            return builder.response
        content = content_for(getattr(request, "locale", None))
        reprompt = Speech(content.line("error_reprompt"))
        speech = Speech(content.line("error")).extend(reprompt)
        return builder.speak(speech.ssml).ask(reprompt.ssml).response
