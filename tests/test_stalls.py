"""A slow outside world does not stall other users: the local server under waitress, as
`cramp-coach serve` runs it, with some users waiting on a slow time-zone lookup (Alexa's
settings API faked on loopback, answering close to the lookup's deadline) and a slow store,
while other users keep talking to it.

Counts and ordering only, with generous bounds: how fast the server is belongs in the
benchmark (bench/over_http.py), not here.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ask_sdk_model import RequestEnvelope

from skill.config import Settings
from skill.dev.envelopes import envelope_for, request_for
from skill.dev.nlu import for_locale
from skill.diary import Entry, MemoryDiary
from skill.night import LOOKUP_TIMEOUT_SECONDS
from skill.persistence import MemoryPersistenceAdapter, user_id
from skill.profile import PROFILE_KEY
from skill.web.server import SERVE_OPTIONS, ServerConfig, create_app
from tests.fakes import TOKEN, FakeAlexaApi, served

DAY = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
# Slow users at once: half the server's threads, so the rest are free for everyone else.
SLOW_USERS = int(str(SERVE_OPTIONS["threads"])) // 2
FAST_USERS = 2
STORE_DELAY_SECONDS = 0.4
# Close to the lookup's deadline, still inside it.
API_DELAY_SECONDS = LOOKUP_TIMEOUT_SECONDS * 0.8
# What the slow users say: first aid asks the clock (night or day), so the zone is looked
# up; logging a cramp writes to the (slow) diary as well.
SLOW_WORDS = ("my calf is cramping", "log a cramp in my left calf")


def slow(user: str | None) -> bool:
    return bool(user) and str(user).startswith("slow")


class SlowStore(MemoryPersistenceAdapter):
    """A store that takes its time for the slow users: a DynamoDB or a locked file on a
    bad day."""

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict:
        if slow(user_id(request_envelope)):
            time.sleep(STORE_DELAY_SECONDS)
        return super().get_attributes(request_envelope)

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict) -> None:
        if slow(user_id(request_envelope)):
            time.sleep(STORE_DELAY_SECONDS)
        super().save_attributes(request_envelope, attributes)


class SlowDiary(MemoryDiary):
    def add(self, user_id: str, entry: Entry, now: float) -> None:
        if slow(user_id):
            time.sleep(STORE_DELAY_SECONDS)
        super().add(user_id, entry, now)


@contextmanager
def serving(api: FakeAlexaApi, diary: SlowDiary) -> Iterator[int]:
    """Our app under waitress with the options `cramp-coach serve` uses; its port."""
    settings = Settings(
        time_zone="UTC", look_up_time_zones=True, api_hosts=("127.0.0.1",), diary=True
    )
    # Everyone has agreed to a diary, so logging a cramp writes to it.
    returning = {PROFILE_KEY: {"disclaimer_heard": True, "diary_consent": True}}
    users = [f"slow-{i}" for i in range(SLOW_USERS)] + [f"fast-{i}" for i in range(FAST_USERS)]
    store = SlowStore({user: returning for user in users})
    config = ServerConfig(settings=settings, persistence=store, diary=diary)
    with served(create_app(config)) as port:
        yield port


def body(user: str, text: str, api: FakeAlexaApi | None = None, device: str = "") -> bytes:
    """An envelope from `user`; with `api`, from a device whose zone must be looked up."""
    reading = for_locale("en-US").understand(text)
    envelope = envelope_for(request_for(reading, "en-US", DAY), user, None, {})
    if api is not None:
        envelope["context"]["System"].update(
            {"apiEndpoint": api.endpoint, "apiAccessToken": TOKEN, "device": {"deviceId": device}}
        )
    return json.dumps(envelope).encode()


@dataclass
class Answer:
    started: float
    finished: float
    status: int


@dataclass
class Log:
    answers: dict[str, list[Answer]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def post(self, port: int, who: str, data: bytes) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        started = time.monotonic()
        try:
            connection.request("POST", "/alexa", data, {"Content-Type": "application/json"})
            status = connection.getresponse().status
        finally:
            connection.close()
        with self.lock:
            self.answers.setdefault(who, []).append(Answer(started, time.monotonic(), status))


def test_slow_lookups_and_a_slow_store_do_not_stall_other_users(api: FakeAlexaApi) -> None:
    api.delay = API_DELAY_SECONDS
    log = Log()
    diary = SlowDiary()
    slow_done = threading.Event()
    with serving(api, diary) as port:
        log.post(port, "warm", body("warm-user", "my calf is cramping"))

        def slow_user(index: int) -> None:
            for number, text in enumerate(SLOW_WORDS):  # a new device each time: no cache
                device = f"amzn1.ask.device.slow-{index}-{number}"
                log.post(port, "slow", body(f"slow-{index}", text, api, device))

        def fast_user(index: int) -> None:
            words = ("my calf is cramping", "next", "log a cramp in my left calf")
            turn = 0
            while not slow_done.is_set():
                log.post(port, "fast", body(f"fast-{index}", words[turn % len(words)]))
                turn += 1

        slow_threads = [threading.Thread(target=slow_user, args=(i,)) for i in range(SLOW_USERS)]
        fast_threads = [threading.Thread(target=fast_user, args=(i,)) for i in range(FAST_USERS)]
        for thread in slow_threads + fast_threads:
            thread.start()
        for thread in slow_threads:
            thread.join(timeout=60)
        slow_done.set()
        for thread in fast_threads:
            thread.join(timeout=60)

    slow_answers, fast_answers = log.answers["slow"], log.answers["fast"]
    assert len(slow_answers) == SLOW_USERS * len(SLOW_WORDS)
    assert all(answer.status == 200 for answer in slow_answers + fast_answers)
    # Every slow request did wait: on the store and on the settings API, and the slow
    # users' cramps were logged all the same.
    assert api.calls >= SLOW_USERS
    assert all(len(diary.entries(f"slow-{i}")) == 1 for i in range(SLOW_USERS))
    assert min(a.finished - a.started for a in slow_answers) >= STORE_DELAY_SECONDS
    # While the slow users were waiting, the others were answered, many times over: not
    # one or two requests squeezed in, and none waited as long as a slow one did.
    first_slow_start = min(answer.started for answer in slow_answers)
    last_slow_end = max(answer.finished for answer in slow_answers)
    during = [
        a for a in fast_answers if a.started >= first_slow_start and a.finished <= last_slow_end
    ]
    assert len(during) >= 10, len(during)
    fastest_slow = min(a.finished - a.started for a in slow_answers)
    assert sorted(a.finished - a.started for a in during)[len(during) // 2] < fastest_slow
