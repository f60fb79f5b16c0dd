"""Property-based fuzzing of request envelopes (hypothesis): whatever arrives, the endpoint
answers with a valid Alexa response within Alexa's limits, or a clean 4xx; never a 500.

Envelopes start from the real ones in ../shared/alexa/requests/ and are then bent: random
intents (ours and made-up), slots with any values, unicode and huge strings, fields
missing or of the wrong type.
"""

from __future__ import annotations

import json

from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skill.local.models import load_source
from skill.local.server import ServerConfig, create_app
from tests.conftest import assert_speakable
from tests.test_envelopes import REQUESTS
from tests.test_server import DAYTIME

BASES = [json.loads(path.read_text(encoding="utf-8")) for path in REQUESTS]
OUR_INTENTS = sorted(load_source()["intents"])
SLOT_NAMES = ["muscle", "side", "situation", "seconds", "duration", "symptom", "when", "period"]
TEXT = st.text(max_size=40) | st.text(min_size=1000, max_size=12_000)
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


@st.composite
def slot(draw: st.DrawFn, name: str) -> dict:
    value: dict = {"name": name}
    if draw(st.booleans()):
        value["value"] = draw(TEXT | st.sampled_from(["calf", "30", "PT30S", "2026-11-21", "?"]))
    if draw(st.booleans()):
        value["resolutions"] = {
            "resolutionsPerAuthority": [
                {
                    "authority": "x",
                    "status": {
                        "code": draw(
                            st.sampled_from(["ER_SUCCESS_MATCH", "ER_SUCCESS_NO_MATCH", "WEIRD"])
                        )
                    },
                    "values": [
                        {
                            "value": {
                                "name": draw(TEXT),
                                "id": draw(
                                    TEXT | st.sampled_from(["CALF", "LEFT", "BREATHING", "NIGHT"])
                                ),
                            }
                        }
                    ],
                }
            ]
        }
    return value


@st.composite
def envelopes(draw: st.DrawFn) -> dict:
    envelope = json.loads(json.dumps(draw(st.sampled_from(BASES))))
    request = envelope["request"]
    if draw(st.booleans()):
        names = draw(st.lists(st.sampled_from(SLOT_NAMES), max_size=4, unique=True))
        request["type"] = "IntentRequest"
        request["intent"] = {
            "name": draw(st.sampled_from(OUR_INTENTS) | TEXT),
            "slots": {name: draw(slot(name)) for name in names},
        }
    if draw(st.booleans()):
        # Bend one field: drop it, or give it a value of any type.
        where = draw(st.sampled_from([envelope, request, envelope.get("session") or {}]))
        if where:
            key = draw(st.sampled_from(sorted(where)))
            if draw(st.booleans()):
                del where[key]
            else:
                where[key] = draw(ANY_JSON)
    if draw(st.booleans()) and isinstance(envelope.get("session"), dict):
        envelope["session"]["attributes"] = {"state": draw(ANY_JSON)}
    return envelope


CLIENT: FlaskClient = create_app(ServerConfig(settings=DAYTIME)).test_client()


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(envelopes())
def test_any_envelope_gets_a_valid_reply_or_a_clean_4xx(envelope: dict) -> None:
    reply = CLIENT.post("/alexa", data=json.dumps(envelope), content_type="application/json")
    assert reply.status_code in (200, 400, 413), reply.get_data(as_text=True)[:500]
    body = reply.get_json()
    if reply.status_code != 200:
        assert body["error"]
        return
    response = body["response"]
    speech = (response.get("outputSpeech") or {}).get("ssml")
    if speech:
        assert_speakable(speech)
    if response.get("shouldEndSession") is False:
        assert_speakable(response["reprompt"]["outputSpeech"]["ssml"])
    assert len(reply.data) <= 120 * 1024


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.dictionaries(st.sampled_from(["text", "locale", "session", "screen", "tap"]), ANY_JSON))
def test_any_console_request_gets_a_reply_or_a_clean_400(body: dict) -> None:
    reply = CLIENT.post("/api/say", data=json.dumps(body), content_type="application/json")
    assert reply.status_code in (200, 400), reply.get_data(as_text=True)[:500]
    assert reply.is_json
