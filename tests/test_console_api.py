"""The console's API holds its users on the server (issue 19, item 1): a page has only
an opaque token, the user id is minted here and can never be an Alexa user's, and no
identity or state the page sends is taken. And it works with a skill id configured
(item 7): the console's envelopes carry the configured id."""

from __future__ import annotations

import json
import time

import pytest
from flask.testing import FlaskClient

from skill.config import Settings
from skill.diary import Entry, MemoryDiary
from skill.persistence import MemoryPersistenceAdapter
from skill.web.console_api import CONSOLE_USER_PREFIX, ConsoleUsers
from skill.web.server import ServerConfig, create_app

VICTIM = "amzn1.ask.account.VICTIM"
SETTINGS = Settings(night="00:00-00:00", diary=True)


def post_json(client: FlaskClient, path: str, data: object) -> tuple[int, dict]:
    reply = client.post(path, data=json.dumps(data), content_type="application/json")
    assert reply.is_json, reply.data[:200]
    return reply.status_code, reply.get_json()


@pytest.fixture
def diary() -> MemoryDiary:
    now = time.time()
    entries = [
        Entry(at=now - day * 86400, muscle="calf", side="left").to_dict() for day in (1, 2, 3)
    ]
    return MemoryDiary({VICTIM: entries})


@pytest.fixture
def store() -> MemoryPersistenceAdapter:
    return MemoryPersistenceAdapter({VICTIM: {"profile": {"hold_seconds": 20}}})


@pytest.fixture
def client(diary: MemoryDiary, store: MemoryPersistenceAdapter) -> FlaskClient:
    config = ServerConfig(settings=SETTINGS, persistence=store, diary=diary)
    return create_app(config).test_client()


def victim_untouched(diary: MemoryDiary, store: MemoryPersistenceAdapter) -> bool:
    return len(diary.entries(VICTIM)) == 3 and VICTIM in store.snapshot()


# ------------------------------------------------------------------ item 1
def test_someone_elses_user_id_reads_nothing(client, diary, store) -> None:
    forged = {"user_id": VICTIM, "session_id": None, "attributes": {}}
    status, reply = post_json(
        client, "/api/say", {"text": "how many cramps did I have", "session": forged}
    )
    assert status == 400 and "session" in reply["error"]
    assert "speech" not in reply
    for field in ("user_id", "userId", "attributes", "state"):
        status, _ = post_json(client, "/api/say", {"text": "hi", field: VICTIM})
        assert status == 400
    assert victim_untouched(diary, store)


def test_forged_state_writes_nothing(client, diary, store) -> None:
    """A consent question and a pending entry the skill never asked about, plus "yes"."""
    forged_state = {"awaiting": "diary_consent", "pending_entry": {"at": time.time()}}
    session = {
        "user_id": VICTIM,
        "session_id": "amzn1.echo-api.session.forged",
        "attributes": {"state": forged_state},
    }
    status, _ = post_json(client, "/api/say", {"text": "yes", "session": session})
    assert status == 400
    assert victim_untouched(diary, store)


def test_delete_my_data_cannot_reach_another_user(client, diary, store) -> None:
    session = {"user_id": VICTIM, "session_id": None, "attributes": {}}
    _, asked = post_json(client, "/api/say", {"text": "delete my data", "session": session})
    # Whatever session came back (the old API handed the whole session to the page).
    post_json(client, "/api/say", {"text": "yes", "session": asked.get("session", session)})
    assert victim_untouched(diary, store)


def test_the_server_mints_a_namespaced_user_behind_an_opaque_token(client) -> None:
    status, first = post_json(client, "/api/say", {"text": "my calf is cramping"})
    assert status == 200
    token = first["user"]
    assert len(token) >= 40 and CONSOLE_USER_PREFIX not in token
    user_id = first["inspect"]["request"]["context"]["System"]["user"]["userId"]
    assert user_id.startswith(CONSOLE_USER_PREFIX) and not user_id.startswith("amzn1.")
    assert token not in json.dumps(first["inspect"])  # the token is never the identity
    _, other = post_json(client, "/api/say", {"text": "my calf is cramping"})
    assert other["user"] != token
    # The same token is the same user and the same conversation, on the server.
    _, second = post_json(client, "/api/say", {"text": "ready", "user": token})
    assert second["user"] == token and "Starting now" in second["speech"]
    assert second["inspect"]["request"]["session"]["user"]["userId"] == user_id


def test_a_token_this_server_did_not_hand_out_is_refused(client) -> None:
    status, reply = post_json(client, "/api/say", {"text": "hi", "user": "guessed-token"})
    assert status == 404 and "no such console user" in reply["error"]
    assert post_json(client, "/api/say", {"text": "hi", "user": 5})[0] == 400
    assert post_json(client, "/api/say", {"text": "hi", "user": "x" * 101})[0] == 400


def test_a_console_user_keeps_its_diary_and_forget_me_erases_it(client, diary, store) -> None:
    _, reply = post_json(client, "/api/say", {"text": "log a cramp in my calf"})
    token = reply["user"]
    user_id = reply["inspect"]["request"]["context"]["System"]["user"]["userId"]
    assert "Shall I keep one?" in reply["speech"]
    assert "Noted" in post_json(client, "/api/say", {"text": "yes", "user": token})[1]["speech"]
    # A reload starts a new session for the same user: the diary is still theirs.
    _, later = post_json(
        client,
        "/api/say",
        {"text": "how many cramps did I have", "user": token, "new_session": True},
    )
    assert later["speech"].startswith("One cramp in the last 7 days")
    assert len(diary.entries(user_id)) == 1 and user_id in store.snapshot()

    status, forgotten = post_json(client, "/api/forget", {"user": token})
    assert status == 200 and forgotten == {"forgotten": True}
    assert diary.entries(user_id) == [] and user_id not in store.snapshot()
    assert post_json(client, "/api/say", {"text": "hi", "user": token})[0] == 404
    assert victim_untouched(diary, store)


def test_forget_and_recording_take_only_a_token(client) -> None:
    for path in ("/api/forget", "/api/recording"):
        assert post_json(client, path, {})[0] == 400
        assert post_json(client, path, {"user": "nope"})[0] == 404
        assert post_json(client, path, {"user_id": VICTIM})[0] == 400


def test_console_users_are_bounded() -> None:
    users = ConsoleUsers(limit=3)
    tokens = [users.create()[0] for _ in range(5)]
    for token in tokens[2:]:
        users.get(token)
    with pytest.raises(Exception, match="no such console user"):
        users.get(tokens[0])


# ------------------------------------------------------------------ item 7
def test_api_say_works_with_a_skill_id_configured() -> None:
    skill_id = "amzn1.ask.skill.00000000-0000-0000-0000-000000000007"
    settings = Settings(night="00:00-00:00", skill_id=skill_id)
    client = create_app(ServerConfig(settings=settings)).test_client()
    status, reply = post_json(client, "/api/say", {"text": "my calf is cramping"})
    assert status == 200, reply
    assert "Okay, your calf" in reply["speech"]
    envelope = reply["inspect"]["request"]
    assert envelope["session"]["application"]["applicationId"] == skill_id
    assert envelope["context"]["System"]["application"]["applicationId"] == skill_id
    status, tapped = post_json(
        client, "/api/say", {"tap": "still", "user": reply["user"], "screen": "hub"}
    )
    assert status == 200 and tapped["intent"] == "Alexa.Presentation.APL.UserEvent"


# ------------------------------------------------------------------ the inspector
def test_each_turn_carries_what_the_inspector_shows(client) -> None:
    _, reply = post_json(client, "/api/say", {"text": "my calf is cramping", "screen": "round"})
    inspect = reply["inspect"]
    assert inspect["route"] == "first_aid.cramp_now"
    assert inspect["request"]["request"]["intent"]["name"] == "CrampNowIntent"
    assert inspect["response"]["response"]["outputSpeech"]["ssml"] == reply["ssml"]
    assert inspect["state"]["muscle"] == "CALF"
    assert reply["reprompt"]


@pytest.mark.parametrize(
    "now",
    ["03:00", "2026-11-22T03:00:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", 5],
)
def test_a_device_clock_that_is_not_a_time_is_refused(client, now: object) -> None:
    status, reply = post_json(client, "/api/say", {"text": "hi", "now": now})
    assert status == 400 and "now must" in reply["error"]


def test_the_device_clock_decides_night() -> None:
    client = create_app(ServerConfig(settings=Settings())).test_client()
    for now, mode in (("2026-11-22T03:00:00Z", "night"), ("2026-11-22T15:00:00+00:00", "day")):
        body = {"text": "my calf is cramping", "screen": "hub", "now": now}
        assert post_json(client, "/api/say", body)[1]["screen"]["mode"] == mode
