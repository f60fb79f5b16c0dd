"""`cramp-coach say/chat/models` as the voice contract describes them."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

from skill.dev import cli

CONTRACT_KEYS = {"intent", "slots", "speech", "ssml", "reprompt", "end_session", "directives"}


def run(*args: str) -> subprocess.CompletedProcess:
    """The CLI runs on the real clock: an empty night window keeps its words the same."""
    return subprocess.run(
        [sys.executable, "-m", "skill.dev.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "CRAMP_NIGHT": "00:00-00:00"},
    )


def test_say_json_matches_the_contract() -> None:
    result = run("say", "--json", "my calf is cramping")
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert set(reply) == CONTRACT_KEYS
    assert reply["intent"] == "CrampNowIntent"
    assert reply["slots"] == {"muscle": {"value": "calf", "id": "CALF"}}
    assert reply["ssml"].startswith("<speak>") and "<" not in reply["speech"]
    assert reply["end_session"] is False and reply["directives"] == []


def test_state_file_carries_the_conversation(tmp_path) -> None:
    state = tmp_path / "night.json"
    run("say", "--state", str(state), "")
    first = json.loads(run("say", "--json", "--state", str(state), "my calf").stdout)
    assert "Straighten your leg" in first["speech"]
    assert "Starting now" in run("say", "--state", str(state), "ready").stdout
    assert "rub the calf" in run("say", "--state", str(state), "no").stdout
    run("say", "--state", str(state), "stop")
    again = run("say", "--state", str(state), "open cramp coach").stdout
    assert "not medical advice" not in again, "the same user hears the notice once"


def test_a_corrupt_state_file_is_refused_and_left_alone(tmp_path) -> None:
    state = tmp_path / "broken.json"
    state.write_text("{not json")
    result = run("say", "--state", str(state), "hello")
    assert result.returncode == 2 and "not a cramp-coach state file" in result.stderr
    assert state.read_text() == "{not json"


def test_empty_state_file_starts_a_new_session(tmp_path) -> None:
    state = tmp_path / "empty.json"
    state.write_text("")
    reply = json.loads(run("say", "--json", "--state", str(state), "").stdout)
    assert reply["intent"] == "LaunchRequest"


def test_chat_runs_until_the_skill_ends(capsys) -> None:
    args = cli.parser().parse_args(["chat", "--json"])
    lines = io.StringIO("\nmy calf\nstop\nthis line is never read\n")
    assert cli.command_chat(args, lines) == 0
    replies = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["intent"] for r in replies] == [
        "LaunchRequest",
        "CrampNowIntent",
        "AMAZON.StopIntent",
    ]
    assert replies[-1]["end_session"] is True


def test_models_check_passes_on_the_committed_files() -> None:
    assert run("models", "--check").returncode == 0


def test_say_takes_the_locale() -> None:
    british = json.loads(run("say", "--json", "--locale", "en-GB", "I can't breathe").stdout)
    assert british["speech"].startswith("Call 999 now.")
    assert '<say-as interpret-as="digits">999</say-as>' in british["ssml"]
    elsewhere = run("say", "--json", "--locale", "en-NZ", "I can't breathe")
    assert elsewhere.returncode == 0, elsewhere.stderr
    reply = json.loads(elsewhere.stdout)
    assert reply["intent"] == "RedFlagIntent"
    assert reply["speech"].startswith("Call your local emergency number now.")
