"""Conversation tests: small YAML files anyone can record (the console's "Save as test")
or write, replayed by `cramp-coach test` in-process or against a running server.

A file names the locale, the device and the time of day, then each turn's words (or a
tap on the screen) and what must hold for its reply::

    locale: en-US
    device: phone            # speaker, phone, hub, round or tv
    time: "03:00"            # the device's clock (UTC) at the first turn
    turns:
      - say: my calf is cramping
        intent: CrampNowIntent
        slots: {muscle: calf}
        says: ["Okay, your calf."]        # phrases the reply must contain
        never_says: [magnesium]           # phrases it must not
        session: open                     # or closed
        screen: Stretch                   # the screen's title (null: no screen)
      - tap: still
      - new_session: true                 # the next turn starts a new session
        say: how many cramps did I have

A file is replayed as one new user: its turns, in order, are all that user has done.
Every expectation is optional; `speech` (the whole reply, word for word) is what the
README's conversations use, and the README's transcripts are rendered from those files.
Between turns the clock moves on as a person would speak: once the reply has played.
`--update` rewrites the file (keeping only its header comment) with what was observed
(intent, slots, session, screen, speech, and a `says` phrase no longer said) after a
reviewed change; never `never_says`, which stays a failure until the words change.
"""

from __future__ import annotations

import difflib
import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from skill.dev.envelopes import SCREENS

DEVICES = ("speaker", *SCREENS)
# Replays happen on a fixed day: the time of day is what changes what the skill says.
REPLAY_DATE = (2026, 11, 22)
TOP_KEYS = frozenset({"locale", "device", "time", "diary", "turns"})
TURN_KEYS = frozenset(
    {
        "new_session",
        "say",
        "tap",
        "device",
        "intent",
        "slots",
        "says",
        "never_says",
        "speech",
        "session",
        "screen",
    }
)
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
HEADER = (
    "# A Cramp Coach conversation test. Replay it: cramp-coach test FILE\n"
    "# (add --url http://127.0.0.1:5000 to replay against a running server).\n"
)
README_MARKER = re.compile(r"^<!-- conversation: (\S+\.ya?ml) -->$")
COUNT = re.compile(r"\b1 2 3 (?:\d+ )*?(\d+) (\d+)(?= And release)")


class ConversationError(Exception):
    """A file that is not a conversation test; the message says where and why."""


# ------------------------------------------------------------------ files
@dataclass
class Script:
    """One conversation test as loaded (the YAML's own dict is kept, to be rewritten)."""

    path: Path
    data: dict

    @property
    def locale(self) -> str:
        return self.data.get("locale", "en-US")

    @property
    def device(self) -> str:
        return self.data.get("device", "speaker")

    def start(self) -> datetime:
        hours, minutes = (int(part) for part in self.data.get("time", "15:00").split(":"))
        return datetime(*REPLAY_DATE, hours, minutes, tzinfo=UTC)

    @property
    def turns(self) -> list[dict]:
        return self.data["turns"]


def load(path: Path) -> Script:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ConversationError(f"{path}: cannot read it: {error}") from error
    problems = list(_problems(data))
    if problems:
        raise ConversationError(f"{path}: " + "; ".join(problems))
    return Script(path, data)


def _problems(data: object) -> Iterable[str]:
    if not isinstance(data, dict):
        yield "not a conversation test (expected locale, device, time and turns)"
        return
    for key in sorted(set(data) - TOP_KEYS):
        yield f"unknown key {key!r}"
    if not isinstance(data.get("locale", "en-US"), str):
        yield "locale must be like en-US"
    if data.get("device", "speaker") not in DEVICES:
        yield f"device must be one of {', '.join(DEVICES)}"
    if not TIME.match(str(data.get("time", "15:00"))):
        yield 'time must be like "03:00" (quoted)'
    if not isinstance(data.get("diary", True), bool):
        yield "diary must be true or false"
    turns = data.get("turns")
    if not isinstance(turns, list) or not turns:
        yield "turns must be a list of at least one turn"
        return
    for number, turn in enumerate(turns, 1):
        if not isinstance(turn, dict):
            yield f"turn {number} must be a mapping (say: ..., intent: ...)"
            continue
        for key in sorted(set(turn) - TURN_KEYS):
            yield f"turn {number}: unknown key {key!r}"
        if ("say" in turn) == ("tap" in turn):
            yield f"turn {number}: needs either say or tap"
        elif not isinstance(turn.get("say", turn.get("tap")), str):
            yield f"turn {number}: say and tap take text (an empty say opens the skill)"
        if turn.get("device", "speaker") not in DEVICES:
            yield f"turn {number}: device must be one of {', '.join(DEVICES)}"
        for key in ("says", "never_says"):
            phrases = turn.get(key, [])
            if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
                yield f"turn {number}: {key} must be a list of phrases"
        if turn.get("session", "open") not in ("open", "closed"):
            yield f"turn {number}: session must be open or closed"
        if not isinstance(turn.get("new_session", False), bool):
            yield f"turn {number}: new_session must be true or false"
        if not isinstance(turn.get("slots", {}), dict):
            yield f"turn {number}: slots must be a mapping of slot name to value"


def dump(data: dict) -> str:
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return HEADER + body


# ------------------------------------------------------------------ replaying
Send = Callable[[dict, datetime], dict]


def clock_after(reply: dict | None) -> timedelta:
    """How long a person waits before speaking again: until the reply has played."""
    from skill.speech import estimated_seconds

    if not reply or not reply.get("ssml"):
        return timedelta(seconds=5)
    return timedelta(seconds=estimated_seconds(reply["ssml"]) + 5)


def replay(script: Script, send: Send) -> list[dict]:
    """Each turn's reply, in order. `send` takes the turn (say or tap, locale, screen)."""
    replies: list[dict] = []
    clock = script.start()
    for turn in script.turns:
        clock += clock_after(replies[-1] if replies else None)
        device = turn.get("device", script.device)
        request = {
            "locale": script.locale,
            "screen": None if device == "speaker" else device,
            **({"tap": turn["tap"]} if "tap" in turn else {"text": turn["say"]}),
        }
        if turn.get("new_session"):
            request["new_session"] = True
        replies.append(send(request, clock))
    return replies


def in_process(script: Script) -> Send:
    """Turns sent to a fresh skill in this process (memory storage, a new user, reminders
    kept on this machine as the console keeps them)."""
    from skill.builder import build_skill
    from skill.config import Settings
    from skill.dev.runner import LocalSession, say, tap
    from skill.reminders import LocalReminders

    settings = replace(
        Settings.from_env({}, local=True),
        diary=script.data.get("diary", True),
        look_up_time_zones=False,
    )
    reminders = LocalReminders()
    skill = build_skill(settings=settings, reminders=reminders)
    session = LocalSession()

    def send(request: dict, now: datetime) -> dict:
        if request.get("new_session"):
            session.session_id, session.attributes = None, {}
        if "tap" in request:
            screen = request["screen"] or "hub"
            return tap(
                skill, session, request["tap"], request["locale"], now, screen, reminders=reminders
            )
        return say(
            skill,
            session,
            request["text"],
            request["locale"],
            now,
            request["screen"],
            reminders=reminders,
        )

    return send


class ServerError(Exception):
    """The server did not answer a turn; the message says what it said instead."""


def over_http(base_url: str) -> tuple[Send, Callable[[], None]]:
    """Turns sent to a running server's console API as one new console user, and a way
    to forget that user afterwards."""
    user: dict[str, str] = {}

    def post(path: str, body: dict) -> dict:
        request = urllib.request.Request(
            base_url.rstrip("/") + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise ServerError(f"{path}: HTTP {error.code} {error.read()[:300]!r}") from error
        except (urllib.error.URLError, OSError) as error:
            raise ServerError(f"cannot reach {base_url}: {error}") from error

    def send(request: dict, now: datetime) -> dict:
        body = {**request, "now": now.strftime("%Y-%m-%dT%H:%M:%SZ"), **user}
        reply = post("/api/say", body)
        user["user"] = reply.pop("user")
        reply.pop("inspect", None)
        return reply

    def forget() -> None:
        if user:
            post("/api/forget", user)

    return send, forget


# ------------------------------------------------------------------ checking
@dataclass
class TurnResult:
    number: int
    turn: dict
    problems: list[str] = field(default_factory=list)

    def describe(self) -> str:
        words = (
            f'you said "{self.turn["say"]}"'
            if "say" in self.turn
            else (f"you tapped {self.turn['tap']}")
        )
        lines = [f"  turn {self.number}, {words}:"]
        lines += [f"    {line}" for problem in self.problems for line in problem.splitlines()]
        return "\n".join(lines)


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def screen_title(reply: dict) -> str | None:
    screen = reply.get("screen")
    return screen.get("title") if isinstance(screen, dict) else None


def observed_slots(reply: dict) -> dict:
    return {name: slot.get("value") for name, slot in (reply.get("slots") or {}).items()}


def check_turn(number: int, turn: dict, reply: dict) -> TurnResult:
    result = TurnResult(number, turn)
    problems = result.problems
    speech = reply.get("speech", "")
    if "intent" in turn and turn["intent"] != reply.get("intent"):
        problems.append(f"intent: expected {turn['intent']}, got {reply.get('intent')}")
    if "slots" in turn:
        expected = {name: str(value) for name, value in (turn["slots"] or {}).items()}
        got = observed_slots(reply)
        if expected != got:
            problems.append(f"slots: expected {expected}, got {got}")
    for phrase in turn.get("says", []):
        if _folded(phrase) not in _folded(speech):
            problems.append(f'says: "{phrase}" was not said. It said: "{speech}"')
    for phrase in turn.get("never_says", []):
        if _folded(phrase) in _folded(speech):
            problems.append(f'never_says: "{phrase}" was said: "{speech}"')
    if "speech" in turn and turn["speech"] != speech:
        problems.append(
            "speech differs (- expected, + said):\n" + sentence_diff(turn["speech"], speech)
        )
    if "session" in turn:
        session = "closed" if reply.get("end_session") else "open"
        if session != turn["session"]:
            problems.append(f"session: expected {turn['session']}, got {session}")
    if "screen" in turn and turn["screen"] != screen_title(reply):
        problems.append(f"screen: expected {turn['screen']!r}, got {screen_title(reply)!r}")
    return result


def sentence_diff(expected: str, said: str) -> str:
    split = re.compile(r"(?<=[.!?])\s+")
    lines = difflib.ndiff(split.split(expected), split.split(said))
    return "\n".join(line for line in lines if line[:1] in "-+")


def check(script: Script, replies: list[dict]) -> list[TurnResult]:
    """The failing turns (an empty list: the conversation holds)."""
    results = [
        check_turn(number, turn, reply)
        for number, (turn, reply) in enumerate(zip(script.turns, replies, strict=True), 1)
    ]
    return [result for result in results if result.problems]


def first_sentence(speech: str) -> str:
    return re.split(r"(?<=[.!?])\s+", speech.strip(), maxsplit=1)[0]


def updated(script: Script, replies: list[dict]) -> dict:
    """The file's data with what was observed written over the expectations it has."""
    data = dict(script.data)
    turns = []
    for turn, reply in zip(script.turns, replies, strict=True):
        new = dict(turn)
        speech = reply.get("speech", "")
        if "intent" in new:
            new["intent"] = reply.get("intent")
        if "slots" in new:
            new["slots"] = observed_slots(reply)
        if "says" in new:
            kept = [phrase for phrase in new["says"] if _folded(phrase) in _folded(speech)]
            if len(kept) < len(new["says"]) and speech and first_sentence(speech) not in kept:
                kept.append(first_sentence(speech))
            new["says"] = kept
        if "speech" in new:
            new["speech"] = speech
        if "session" in new:
            new["session"] = "closed" if reply.get("end_session") else "open"
        if "screen" in new:
            new["screen"] = screen_title(reply)
        turns.append(new)
    data["turns"] = turns
    return data


# ------------------------------------------------------------------ recording
@dataclass
class Recorder:
    """A console user's turns, from their first, as a conversation test: a replay starts
    as a new user, so it needs everything this user did (their diary, their settings)."""

    locale: str = "en-US"
    device: str = "speaker"
    time: str = "15:00"
    turns: list[dict] = field(default_factory=list)

    def add(
        self,
        locale: str,
        screen: str | None,
        now: datetime | None,
        text: str,
        tap: str | None,
        reply: dict,
        new_session: bool = False,
    ) -> None:
        device = screen or "speaker"
        if not self.turns:
            self.locale, self.device = locale, device
            self.time = (now or datetime.now(UTC)).astimezone(UTC).strftime("%H:%M")
        turn: dict = {"new_session": True} if new_session and self.turns else {}
        turn.update({"tap": tap} if tap is not None else {"say": text})
        if device != self.device:
            turn["device"] = device
        turn["intent"] = reply["intent"]
        if reply.get("slots"):
            turn["slots"] = observed_slots(reply)
        if reply.get("speech"):
            turn["says"] = [first_sentence(reply["speech"])]
        turn["session"] = "closed" if reply["end_session"] else "open"
        if device != "speaker":
            turn["screen"] = screen_title(reply)
        self.turns.append(turn)

    def yaml(self) -> str:
        data = {"locale": self.locale, "device": self.device, "time": self.time}
        return dump({**data, "turns": self.turns})


# ------------------------------------------------------------------ the README
def abbreviated(speech: str) -> str:
    """A counted hold as the README writes it: its start, its end, and how long it is."""
    return COUNT.sub(
        lambda m: f"1 2 3 … {m[1]} {m[2]} *(one number a second, {m[2]} seconds in all)*",
        speech,
    )


def transcript(script: Script) -> list[str]:
    """The README's lines for a conversation test whose every turn has its `speech`."""
    lines = []
    for number, turn in enumerate(script.turns, 1):
        if "say" not in turn or "speech" not in turn:
            raise ConversationError(
                f"{script.path}: turn {number} needs say and speech to be shown in the README"
            )
        lines.append(f"> **You:** {turn['say']}")
        lines.append(f"> **Cramp Coach:** {abbreviated(turn['speech'])}")
    return lines


def readme_blocks(text: str) -> list[tuple[str, int, int]]:
    """(file, first line, end line) of every transcript under a conversation marker."""
    lines = text.splitlines()
    blocks = []
    for index, line in enumerate(lines):
        marker = README_MARKER.match(line)
        if marker:
            end = index + 1
            while end < len(lines) and lines[end].startswith("> "):
                end += 1
            blocks.append((marker[1], index + 1, end))
    return blocks


def render_readme(text: str, root: Path) -> str:
    """The README with every marked transcript rendered from its conversation test."""
    lines = text.splitlines()
    for name, first, end in reversed(readme_blocks(text)):
        lines[first:end] = transcript(load(root / name))
    return "\n".join(lines) + ("\n" if text.endswith("\n") else "")
