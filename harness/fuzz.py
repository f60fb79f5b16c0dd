"""Requests bent every way a client could bend them, and what every answer must be: for
Alexa's endpoint, a valid response within Alexa's limits or a clean 4xx; for the
console's, a reply or a clean 400; never an error inside the skill (its apology is a
safety net, not an answer). The tests run a few hundred examples (tests/test_fuzz.py);
the benchmark many more (bench/reliability.py).

Envelopes start from the real ones in tests/data/requests/ and are then bent: random
intents (ours and made-up), slots with any values, unicode and huge strings, fields
missing or of the wrong type.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import jsonschema
from flask.testing import FlaskClient
from hypothesis import strategies as st

from harness.replies import DATA, assert_speakable
from skill.build.models import load_source
from skill.config import Settings
from skill.dev.envelopes import SCREENS
from skill.screen import BUTTON_INTENTS
from skill.web.server import ServerConfig, create_app

REQUESTS = sorted((DATA / "requests").glob("*.json"))
# Never night, so replies do not depend on when the run happens.
DAYTIME = Settings(night="00:00-00:00")
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


def response_validator() -> jsonschema.Draft4Validator:
    """The 2016 response schema, with the one rule that is out of date lifted: a response
    need not say shouldEndSession (tests/data/README.md); silent replies,
    such as to a session's end or a skill event, do not."""
    path = DATA / "schemas/alexa-skills-kit-response.rajington-2016.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["response"]["required"].remove("shouldEndSession")
    return jsonschema.Draft4Validator(schema)


RESPONSES = response_validator()


class SkillErrors(logging.Handler):
    """Errors the skill logs: its safety net (an apology) must never be what answers."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def no_skill_errors() -> Iterator[None]:
    handler = SkillErrors()
    logger = logging.getLogger("skill")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    assert not handler.records, handler.records[0].getMessage()


def check_envelope(client: FlaskClient, envelope: dict) -> int:
    """POST /alexa: a valid Alexa response within the SSML limits, or a clean 4xx; never
    an exception inside the skill. Returns the status."""
    with no_skill_errors():
        return check_reply(client, envelope)


def check_reply(
    client: FlaskClient, envelope: dict, validate: Callable[[dict], None] | None = None
) -> int:
    """POST /alexa: a valid Alexa response (`validate`, by default the response schema)
    within the SSML limits, or a clean 4xx. Returns the status."""
    reply = client.post("/alexa", data=json.dumps(envelope), content_type="application/json")
    assert reply.status_code in (200, 400, 413), reply.get_data(as_text=True)[:500]
    body = reply.get_json()
    if reply.status_code != 200:
        assert body["error"]
        return reply.status_code
    (validate or RESPONSES.validate)(body)
    response = body["response"]
    speech = (response.get("outputSpeech") or {}).get("ssml")
    if speech:
        assert_speakable(speech)
    if response.get("shouldEndSession") is False:
        assert_speakable(response["reprompt"]["outputSpeech"]["ssml"])
    assert len(reply.data) <= 120 * 1024
    return reply.status_code


def check_console(client: FlaskClient, body: dict) -> int:
    """POST /api/say: a reply, a clean 400 with a reason, or 404 for a console user this
    server does not know. Returns the status."""
    with no_skill_errors():
        reply = client.post("/api/say", data=json.dumps(body), content_type="application/json")
    assert reply.status_code in (200, 400, 404), reply.get_data(as_text=True)[:500]
    assert reply.is_json and (reply.status_code == 200 or reply.get_json()["error"])
    return reply.status_code


# Each field usually plausible (any words, real and unsupported locales, the real screens
# and buttons), sometimes anything at all, so most bodies reach the understanding.
console_bodies = st.fixed_dictionaries(
    {},
    optional={
        "text": st.text(max_size=600) | ANY_JSON,
        "locale": st.sampled_from(["en-US", "en-GB", "fr-FR", "xx-YY", "en_US", ""]) | ANY_JSON,
        "session": ANY_JSON,
        "user": st.none() | ANY_JSON,
        "now": st.none() | st.sampled_from(["2026-11-22T03:00:00Z", "03:00"]) | ANY_JSON,
        "new_session": st.booleans() | ANY_JSON,
        "screen": st.sampled_from([None, *SCREENS]) | ANY_JSON,
        "tap": st.none() | st.sampled_from(sorted(BUTTON_INTENTS)) | ANY_JSON,
    },
)
