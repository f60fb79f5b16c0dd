"""The baseline every speed figure is divided by: the fastest skill the same stack makes.

A bare ask-sdk-core skill with one handler that answers every request with a fixed
sentence, built once (not per request, as the SDK's own `lambda_handler` does), and the
same skill behind a bare Flask route. The baseline reads requests the stock way
(`stock_invoke`: the SDK's `DefaultSerializer` on a JSON string), as any ask-sdk-core
skill does. Cramp Coach reads them with its planned deserializer (`skill.invoke`), so
the in-process and HTTP benchmarks also time the bare skill given that same
deserializer: the ratio to it is what the skill itself adds, and nobody mistakes a faster
SDK path for a faster skill.
"""

from __future__ import annotations

import json
import logging
from typing import cast

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model import RequestEnvelope, Response
from flask import Flask, jsonify, request
from flask import Response as FlaskResponse

_stock = DefaultSerializer()


def stock_invoke(skill: CustomSkill, envelope: dict, context: object = None) -> dict:
    """An envelope through a skill the way the SDK's own adapters do it."""
    request = _stock.deserialize(json.dumps(envelope), RequestEnvelope)
    return cast(dict, _stock.serialize(skill.invoke(request_envelope=request, context=context)))


class AnswerEverything(AbstractRequestHandler):
    """The least a skill can do: one sentence and a reprompt, whatever was asked."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.speak("Hello.").ask("Anything else?").response


def bare_skill() -> CustomSkill:
    builder = SkillBuilder()
    builder.add_request_handler(AnswerEverything())
    return builder.create()


def bare_app(planned: bool = False) -> Flask:
    """The bare skill on one Flask route, as a minimal self-hosted endpoint would be;
    `planned`: reading requests with Cramp Coach's planned deserializer instead of the
    stock path (the same comparison as in-process, over HTTP)."""
    app = Flask(__name__)
    skill = bare_skill()
    run = planned_invoke if planned else stock_invoke

    @app.post("/alexa")
    def alexa() -> FlaskResponse:
        return jsonify(run(skill, json.loads(request.get_data())))

    return app


def planned_invoke(skill: CustomSkill, envelope: dict, context: object = None) -> dict:
    """An envelope through a skill the way Cramp Coach's adapters do it."""
    from skill.invoke import invoke

    return invoke(skill, envelope, context)


# The bare skill as a Lambda entry point, for the cold-start comparison: it sits beside
# Cramp Coach's lambda_function.py in the same unpacked package, so both import the
# same copies of the SDK.
BARE_LAMBDA_MODULE = "bare_function"
BARE_LAMBDA_SOURCE = """
import json

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model import RequestEnvelope


class AnswerEverything(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return True

    def handle(self, handler_input):
        return handler_input.response_builder.speak("Hello.").ask("Anything else?").response


_builder = SkillBuilder()
_builder.add_request_handler(AnswerEverything())
SKILL = _builder.create()
_serializer = DefaultSerializer()


def handler(event, context):
    request = _serializer.deserialize(json.dumps(event), RequestEnvelope)
    return _serializer.serialize(SKILL.invoke(request_envelope=request, context=context))
"""


def main(argv: list[str]) -> None:
    """`python -m bench.baseline --port P [--planned]`: the bare app under waitress at
    waitress's default settings, as a minimal endpoint would be served."""
    import argparse

    import waitress

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--planned", action="store_true", help="the planned deserializer")
    args = parser.parse_args(argv)
    # Its one change from the defaults: waitress's line for every request that waits for
    # a thread is silenced, as `cramp-coach serve` silences it, so the baseline is not
    # slowed by writing a log nobody reads.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    waitress.serve(bare_app(args.planned), host="127.0.0.1", port=args.port)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
