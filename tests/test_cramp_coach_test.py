"""`cramp-coach test`: conversation tests replayed in-process or against a running server,
failing turns reported with the difference, `--update` after a reviewed change."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import waitress
import yaml

from skill.dev.cli import main
from skill.web.server import ServerConfig, create_app
from tests.test_server import DAYTIME

PASSING = """\
locale: en-US
device: phone
time: "15:00"
turns:
  - say: my calf is cramping
    intent: CrampNowIntent
    slots: {muscle: calf}
    says: ["Okay, your calf."]
    never_says: [magnesium]
    session: open
    screen: Stretch
  - tap: ready
    says: [Starting now]
  - tap: still
    says: [rub the calf]
  - say: stop
    session: closed
"""

FAILING = """\
locale: en-GB
device: speaker
time: "03:00"
turns:
  - say: open cramp coach
    intent: LaunchRequest
    speech: Hello there. Where is the cramp?
  - say: my foot is cramping
    intent: CrampNowIntent
    slots: {muscle: calf}
    says: ["Okay, your calf."]
    never_says: ["your foot"]
    session: closed
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_passing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(write(tmp_path, "ok.yaml", PASSING))]) == 0
    assert "ok   " in capsys.readouterr().out


def test_a_failing_file_names_each_failing_turn_with_the_difference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "bad.yaml", FAILING)
    assert main(["test", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"FAIL {path}" in out
    assert 'turn 1, you said "open cramp coach":' in out
    assert "speech differs (- expected, + said):" in out
    assert "- Hello there.\n" in out and "+ Where is the cramp: calf, thigh, foot or toes?" in out
    assert 'turn 2, you said "my foot is cramping":' in out
    assert "slots: expected {'muscle': 'calf'}, got {'muscle': 'foot'}" in out
    assert 'says: "Okay, your calf." was not said. It said: "' in out
    assert 'never_says: "your foot" was said' in out
    assert "session: expected closed, got open" in out
    assert "intent: expected" not in out  # what holds is not reported


def test_update_rewrites_what_was_observed_but_never_a_forbidden_phrase(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "bad.yaml", FAILING)
    assert main(["test", "--update", str(path)]) == 1  # never_says still fails
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    first, second = data["turns"]
    assert "call 999. Where is the cramp" in first["speech"]
    assert second["slots"] == {"muscle": "foot"} and second["session"] == "open"
    assert second["says"] == ["Okay, your foot."]
    assert second["never_says"] == ["your foot"]
    out = capsys.readouterr().out
    assert f"updated {path}" in out and 'never_says: "your foot" was said' in out
    del second["never_says"]
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert main(["test", str(path)]) == 0


@pytest.mark.parametrize(
    "text",
    [
        "turns: []",
        "locale: en-US\nturns:\n  - intent: X",
        "- a list",
        "device: fridge\nturns: [{say: hi}]",
        "{",
    ],
)
def test_a_file_that_is_not_a_conversation_test_is_exit_2(
    tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["test", str(write(tmp_path, "odd.yaml", text))]) == 2
    assert "odd.yaml" in capsys.readouterr().err


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    server = waitress.create_server(
        create_app(ServerConfig(settings=DAYTIME)), host="127.0.0.1", port=0, threads=2
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


def test_a_url_run_against_a_local_server(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["test", "--url", server, str(write(tmp_path, "ok.yaml", PASSING))]) == 0
    assert main(["test", "--url", server, str(write(tmp_path, "bad.yaml", FAILING))]) == 1
    out = capsys.readouterr().out
    assert "ok   " in out and "session: expected closed, got open" in out


def test_a_url_nobody_answers_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "ok.yaml", PASSING)
    assert main(["test", "--url", "http://127.0.0.1:9", str(path)]) == 2
    assert "cannot reach" in capsys.readouterr().err
