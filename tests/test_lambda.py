"""The Lambda entry point answers a real envelope the way Alexa would call it."""

from __future__ import annotations

import importlib.util
import json

from harness.replies import DATA
from tests.conftest import ROOT


def test_lambda_handler_answers_a_launch_request() -> None:
    spec = importlib.util.spec_from_file_location(
        "lambda_function", ROOT / "lambda/lambda_function.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    event = json.loads((DATA / "requests/LaunchRequest__jovo.json").read_text())
    reply = module.handler(event, None)
    assert "Where is the cramp" in reply["response"]["outputSpeech"]["ssml"]
    assert reply["response"]["shouldEndSession"] is False
