"""`pip install .`, not editable, gives a working skill: the wheel carries everything the
skill reads at run time (generated models, merged content, APL documents, the console, the
sounds) and finds it through the package, never through a checkout.

The wheel is built from a copy of the sources without tests or benchmarks, and installed
into a fresh virtual environment of its own. Its dependencies come from this environment
(a path entry to our site-packages, after the new environment's own), so no network is
needed; the installed `cramp-coach` then runs from a folder with no checkout in sight.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

from skill.audio import SOUNDS_DIR
from tests.conftest import ROOT

# Left out of the copy the wheel is built from: at the top, what is not the package's
# source; anywhere, caches.
TOP_LEVEL_OUT = {".git", ".venv", "dist", "build", "tests", "bench", ".hypothesis"}


def copied_out(folder: str, names: list[str]) -> set[str]:
    top = Path(folder) == ROOT
    return {
        name
        for name in names
        if (top and name in TOP_LEVEL_OUT)
        or name == "__pycache__"
        or name.endswith((".egg-info", "_cache"))
    }


class Installed:
    """A fresh environment with the wheel installed, and a folder with nothing in it."""

    def __init__(self, environment: Path, elsewhere: Path) -> None:
        self.environment = environment
        self.elsewhere = elsewhere
        self.bin = environment / "bin"

    def run(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / "cramp-coach"), *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=self.elsewhere,
            env={"PATH": str(self.bin), "HOME": str(self.elsewhere)},
            timeout=120,
        )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=copied_out)
    wheels = work / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", wheels, source],
        check=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("cramp_coach-*.whl")
    environment = work / "venv"
    venv.create(environment, with_pip=False)
    python = environment / "bin" / "python"
    subprocess.run(
        [*pip, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)],
        check=True,
        timeout=300,
    )
    # Dependencies from this environment, found after the new environment's own packages.
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "dependencies-from-the-test-environment.pth").write_text("\n".join(sorted(ours)))
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    return Installed(environment, elsewhere)


def test_the_skill_is_imported_from_the_install(installed: Installed) -> None:
    where = subprocess.run(
        [installed.bin / "python", "-c", "import skill; print(skill.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=installed.elsewhere,
    ).stdout.strip()
    assert Path(where).is_relative_to(installed.environment), where


def test_a_short_conversation_with_say(installed: Installed) -> None:
    state = str(installed.elsewhere / "talk.state.json")
    opened = json.loads(installed.run("say", "--json", "--state", state, "").stdout)
    assert opened["intent"] == "LaunchRequest"
    assert opened["speech"]
    cramp = installed.run("say", "--json", "--state", state, "my calf is cramping")
    reply = json.loads(cramp.stdout)
    assert reply["intent"] == "CrampNowIntent", cramp.stderr
    assert reply["slots"]["muscle"]["id"] == "CALF"
    british = json.loads(installed.run("say", "--json", "--locale", "en-GB", "help").stdout)
    assert british["intent"] == "AMAZON.HelpIntent"


def test_a_short_conversation_with_chat(installed: Installed) -> None:
    done = installed.run("chat", "--json", stdin="\nwhy do I get cramps\nstop\n")
    replies = [json.loads(line) for line in done.stdout.splitlines()]
    assert [reply["intent"] for reply in replies] == [
        "LaunchRequest",
        "CausesIntent",
        "AMAZON.StopIntent",
    ], done.stderr
    assert replies[-1]["end_session"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(installed: Installed) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [str(installed.bin / "cramp-coach"), "serve", "--port", str(port)],
        cwd=installed.elsewhere,
        env={"PATH": str(installed.bin), "HOME": str(installed.elsewhere)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).close()
                break
            except OSError:
                assert process.poll() is None, process.stderr and process.stderr.read()
                assert time.monotonic() < deadline, "the installed server did not start"
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_has_the_console_the_sounds_and_the_skill(server: str) -> None:
    with urllib.request.urlopen(f"{server}/", timeout=10) as page:
        assert b"<html" in page.read().lower()
    with urllib.request.urlopen(f"{server}/audio/tick.mp3", timeout=10) as sound:
        assert sound.read() == (SOUNDS_DIR / "tick.mp3").read_bytes()
    body = json.dumps({"text": "my foot is cramping", "locale": "en-US"})
    request = urllib.request.Request(
        f"{server}/api/say", body.encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        reply = json.loads(answer.read())
    assert reply["intent"] == "CrampNowIntent"
    assert reply["slots"]["muscle"]["id"] == "FOOT"


@pytest.mark.parametrize("tool", ["models", "package", "audio"])
def test_build_tools_say_they_need_a_checkout(installed: Installed, tool: str) -> None:
    done = installed.run(tool)
    assert done.returncode == 2
    assert "clone of the repository" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
