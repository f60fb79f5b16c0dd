"""`skill.lazy_services`: the Lambda's cold start imports no Alexa service client, and
everything the SDK's `ask_sdk_model.services` exports still works."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

from skill.lazy_services import EXPORTS, PACKAGE
from tests.conftest import ROOT

COLD_START = """
import json, sys
sys.path.insert(0, sys.argv[1])
import lambda_function
reply = lambda_function.handler(json.loads(sys.argv[2]), None)
loaded = sorted(name for name in sys.modules if name.startswith("ask_sdk_model.services"))
from ask_sdk_model.services import ApiConfiguration, ServiceClientFactory, Serializer
from ask_sdk_model.services.ups import UpsServiceClient
from ask_sdk_core.api_client import DefaultApiClient
from ask_sdk_core.serialize import DefaultSerializer
factory = ServiceClientFactory(ApiConfiguration(
    serializer=DefaultSerializer(), api_client=DefaultApiClient(),
    authorization_value="token", api_endpoint="https://api.amazonalexa.com"))
assert isinstance(factory.get_ups_service(), UpsServiceClient)
assert isinstance(DefaultSerializer(), Serializer)
try:
    from ask_sdk_model.services import NoSuchThing
except ImportError:
    pass
else:
    raise AssertionError("an unknown name was imported")
print(json.dumps({"reply": reply, "loaded": loaded}))
"""


def test_the_exports_are_the_sdks() -> None:
    spec = importlib.util.find_spec(PACKAGE)
    assert spec is not None and spec.origin is not None
    source = Path(spec.origin).read_text(encoding="utf-8")
    exported = dict(
        (name, module) for module, name in re.findall(r"^from \.(\w+) import (\w+)$", source, re.M)
    )
    assert exported == EXPORTS


def test_a_cold_start_loads_no_service_client_and_a_factory_still_works() -> None:
    launch = {
        "version": "1.0",
        "session": {
            "new": True,
            "sessionId": "amzn1.echo-api.session.lazy",
            "application": {"applicationId": "amzn1.ask.skill.lazy"},
            "user": {"userId": "amzn1.ask.account.lazy"},
        },
        "request": {
            "type": "LaunchRequest",
            "requestId": "amzn1.echo-api.request.lazy",
            "timestamp": "2026-11-22T15:00:00Z",
            "locale": "en-US",
        },
    }
    result = subprocess.run(
        [sys.executable, "-c", COLD_START, str(ROOT / "lambda"), json.dumps(launch)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "CRAMP_LOOKUP_TIME_ZONES": "0"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout)
    assert answer["reply"]["response"]["outputSpeech"]["ssml"].startswith("<speak>")
    assert f"{PACKAGE}.service_client_factory" not in answer["loaded"]
    assert not [name for name in answer["loaded"] if name.startswith(f"{PACKAGE}.directive")]
