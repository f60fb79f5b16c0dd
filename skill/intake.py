"""What every adapter (Lambda, HTTP server) checks before the skill sees an envelope.

The SDK's deserializer and serializer trust their input: an envelope with no request
reaches the handlers as None, and JSON nested hundreds of levels deep passes the parser
only to overflow the serializer after the skill has run. These checks are cheap, need
no SDK, and run first, so such input is refused plainly and never half-handled.
"""

from __future__ import annotations

# Alexa's envelopes nest about eight levels deep (an APL event's arguments a few more).
MAX_JSON_DEPTH = 32


class NotAnEnvelope(ValueError):
    """The input is not an Alexa request envelope the skill can take; says why."""


def depth_exceeds(data: object, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether arrays and objects nest more than `limit` levels. Level by level and
    iterative, so the check cannot itself be what overflows; only containers are carried
    to the next level, so the strings and numbers that make up most of an envelope are
    looked at once."""
    level: list[dict | list] = [data] if isinstance(data, dict | list) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        below: list[dict | list] = []
        for value in level:
            children = value.values() if isinstance(value, dict) else value
            below += [child for child in children if isinstance(child, dict | list)]
        level = below
    return False


def check_envelope(envelope: object) -> dict:
    """The envelope, if it is one: an object with a request that has a type, nested no
    deeper than any real one. Raises NotAnEnvelope otherwise."""
    if not isinstance(envelope, dict):
        raise NotAnEnvelope("not a JSON object")
    request = envelope.get("request")
    if not isinstance(request, dict) or not isinstance(request.get("type"), str):
        raise NotAnEnvelope("not an Alexa request envelope: no request type")
    if depth_exceeds(envelope):
        raise NotAnEnvelope(f"nested deeper than {MAX_JSON_DEPTH} levels")
    return envelope
