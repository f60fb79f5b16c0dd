"""Fuzzing at scale, in-process: a hundred thousand bent envelopes in bounded time.

Hypothesis (tests/test_fuzz.py) explores cleverly but spends most of its time choosing;
at this scale a seeded random bender is a hundred times faster and as thorough about
what matters here: every field of the session state given every kind of wrong value
(unknown names, huge and negative numbers, markup, nesting), intents and slots of any
shape, fields dropped or mistyped. Each envelope goes through the app's own `/alexa`
route (Flask's test client, no sockets) and each answer is held to the same checks as
the tests': a valid reply within Alexa's limits or a clean 4xx, and no error logged by
the skill's code.
"""

from __future__ import annotations

import json
import logging
import random
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path

from flask.testing import FlaskClient

from skill.build.models import load_source
from skill.state import Awaiting, Flow, SessionState

# Values a field may be given: right-looking and wrong-looking, of every JSON type.
WILD: tuple[object, ...] = (
    None,
    True,
    0,
    -1,
    7,
    10**9,
    -(10**12),
    2**63,
    1e308,
    -1e-9,
    0.5,
    "",
    "CALF",
    "LEFT",
    "NIGHT",
    "cramps",
    "first_aid",
    "routine",
    "hold",
    "eased",
    "diary_consent",
    "MADE_UP",
    "<audio src='http://evil.example/x.mp3'/>",
    "Tom & Jerry < 3",
    "x" * 10_000,
    [],
    [1, 2],
    {},
    {"at": 1.0, "muscle": "CALF"},
    {"title": "t", "buttons": ["next", "nope"], "holds": [[0, 30], ["x", 1]]},
)
# Recipes for "repeat" as a client might forge them: markup as a path or a value, unknown
# paths, wrong values, too many parts, a pause of an hour.
FORGED_RECIPES: tuple[object, ...] = (
    [["line", "lines.greeting", {}]],
    [["line", "<audio src='http://evil.example/a.mp3'/>", {}]],
    [["line", "lines.diary_logged", {"place": "<audio src='x'/> & ", "day": "x" * 5000}]],
    [["line", "lines.hold_unclear", {}]],
    [["line", "lines.greeting", {}]] * 500,
    [["pause", 3_600_000]],
    [["audio", "http://evil.example/a.mp3", 10]],
    [["line"]],
    "<speak>& raw</speak>",
)
SLOT_NAMES = ("muscle", "side", "situation", "seconds", "duration", "symptom", "when", "period")
SLOT_VALUES = ("calf", "30", "PT30S", "PT1000S", "2026-11-21", "P2W", "?", "", "x" * 2000)
SLOT_IDS = ("CALF", "FOOT", "LEFT", "BOTH", "NIGHT", "BREATHING", "CHEST_PAIN", "MADE_UP", "")
STATE_FIELDS = tuple(f.name for f in fields(SessionState))
# Per field, values that look right, or nearly: a forged state that gets past the types.
PLAUSIBLE: dict[str, tuple[object, ...]] = {
    "flow": (*Flow, "MADE_UP"),
    "awaiting": (*Awaiting, "MADE_UP"),
    "step": (0, 1, 2, 3, 4, 9, 10**9, -5),
    "muscle": ("CALF", "FOOT", "TOES", "LEG", "FRONT_THIGH", "MADE_UP", "calf"),
    "side": ("LEFT", "RIGHT", "BOTH", "MIDDLE"),
    "situation": ("NIGHT", "EXERCISE", "PREGNANCY", "SWIMMING", "SKYDIVING"),
    "topic": ("prevention", "causes", "see_doctor", "prevention_topics", "MADE_UP"),
    "more_index": (0, 1, 2, 5, 10**9, -1),
    "hold_seconds": (5, 30, 60, 1000, 0, -30),
    "cramp_started": (1.7e9, 0, -1, 1e300),
    "playing_until": (1.7e9, 4e9, -1),
}


@dataclass
class Tally:
    """What the fuzzing saw."""

    tried: int = 0
    answered: int = 0
    refused_4xx: int = 0
    skill_errors: int = 0
    outside_limits: int = 0
    seconds: float = 0.0
    first_problems: list[str] = field(default_factory=list)

    def problem(self, what: str) -> None:
        if len(self.first_problems) < 5:
            self.first_problems.append(what[:300])


class Bender:
    """Bent copies of real envelopes, from one seed (so a failure can be replayed)."""

    def __init__(self, bases: list[dict], seed: int) -> None:
        self.bases = [json.dumps(base) for base in bases]
        self.random = random.Random(seed)
        self.intents = sorted(load_source()["intents"])

    def wild(self) -> object:
        return self.random.choice(WILD)

    def state(self) -> dict:
        """A state with some fields right, some wrong, some unknown."""
        pick = self.random
        state: dict = {}
        for name in pick.sample(STATE_FIELDS, pick.randint(1, len(STATE_FIELDS))):
            plausible = PLAUSIBLE.get(name)
            if plausible and pick.random() < 0.8:
                state[name] = pick.choice(plausible)
            else:
                state[name] = self.wild()
        if pick.random() < 0.2:
            state[pick.choice(("last_said", "last_question"))] = pick.choice(FORGED_RECIPES)
        if pick.random() < 0.1:
            state[pick.choice(("unknown", "__class__", "x" * 50))] = self.wild()
        return state

    def slot(self, name: str) -> dict:
        pick = self.random
        slot: dict = {"name": name}
        if pick.random() < 0.7:
            slot["value"] = pick.choice(SLOT_VALUES)
        if pick.random() < 0.6:
            values: list = [{"value": {"name": "x", "id": pick.choice(SLOT_IDS)}}]
            if pick.random() < 0.2:
                values = pick.choice(([{}], [None], [{"value": None}], []))
            code = pick.choice(("ER_SUCCESS_MATCH", "ER_SUCCESS_NO_MATCH", "WEIRD"))
            slot["resolutions"] = {
                "resolutionsPerAuthority": [
                    {"authority": "x", "status": {"code": code}, "values": values}
                ]
            }
        return slot

    def envelope(self) -> dict:
        pick = self.random
        envelope = json.loads(pick.choice(self.bases))
        request = envelope.setdefault("request", {})
        if pick.random() < 0.6:
            request["type"] = "IntentRequest"
            names = pick.sample(SLOT_NAMES, pick.randint(0, 3))
            request["intent"] = {
                "name": pick.choice(self.intents) if pick.random() < 0.9 else "Made.Up",
                "slots": {name: self.slot(name) for name in names},
            }
        if pick.random() < 0.7 and isinstance(envelope.get("session"), dict):
            envelope["session"]["new"] = False
            envelope["session"]["attributes"] = {"state": self.state()}
        if pick.random() < 0.15:
            where = pick.choice([envelope, request, envelope.get("session") or {}])
            if where:
                key = pick.choice(sorted(where))
                if pick.random() < 0.5:
                    del where[key]
                else:
                    where[key] = self.wild()
        return envelope


class ErrorCount(logging.Handler):
    """Errors logged under the skill's loggers: its apology is a safety net, not an answer."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.last = ""

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        self.last = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            frame = traceback.extract_tb(record.exc_info[2])[-1]
            where = f"{Path(frame.filename).name}:{frame.lineno}"
            self.last += f": {type(record.exc_info[1]).__name__} at {where}"


def fuzz(
    client: FlaskClient,
    bases: list[dict],
    examples: int,
    check: Callable[[FlaskClient, dict], int],
    seed: int = 19,
) -> Tally:
    """Post `examples` bent envelopes to /alexa; `check(client, envelope)` is the tests'
    check of one reply (an AssertionError for one outside Alexa's limits; returns the
    status). Counts each outcome instead of stopping at the first."""
    bender = Bender(bases, seed)
    tally = Tally()
    errors = ErrorCount()
    logger = logging.getLogger("skill")
    logger.addHandler(errors)
    started = time.perf_counter()
    try:
        for _ in range(examples):
            envelope = bender.envelope()
            tally.tried += 1
            before = errors.count
            try:
                status = check(client, envelope)
            except AssertionError as error:
                tally.outside_limits += 1
                tally.problem(f"outside the limits: {error}")
                continue
            if errors.count > before:
                tally.skill_errors += 1
                tally.problem(f"skill error: {errors.last}")
            elif status == 200:
                tally.answered += 1
            else:
                tally.refused_4xx += 1
    finally:
        logger.removeHandler(errors)
    tally.seconds = round(time.perf_counter() - started, 1)
    return tally
