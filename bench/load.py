"""Load on loopback: concurrent keep-alive clients posting envelopes for a bounded time.

Used by the HTTP benchmark (a fixed mix of envelopes, as fast as the server answers)
and by the soak test (whole conversations, carrying each session to its next turn).
A client thread holds one connection open, like Alexa's front end does; a request
fails if it gets anything but a 200 with an Alexa response in it, or no answer at all.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

REQUEST_TIMEOUT_SECONDS = 10
RETRY_AFTER_SECONDS = 0.05
HEADERS = {"Content-Type": "application/json"}


class Script(Protocol):
    """What one client says, and what it makes of each answer."""

    def next_body(self) -> bytes: ...

    def hear(self, reply: bytes) -> None: ...


@dataclass
class LoadResult:
    """Every request's latency (seconds) and every failure, with the reason."""

    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies) + len(self.failures)

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def answered(reply: bytes) -> bool:
    """A 200's body that Alexa would speak or act on (silent replies have a response)."""
    return b'"response"' in reply


class Client(threading.Thread):
    """One keep-alive connection, posting the script's bodies until the deadline."""

    def __init__(self, port: int, script: Script, deadline: float) -> None:
        super().__init__(daemon=True)
        self.port, self.script, self.deadline = port, script, deadline
        self.latencies: list[float] = []
        self.failures: list[str] = []

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, REQUEST_TIMEOUT_SECONDS)
        while time.monotonic() < self.deadline:
            body = self.script.next_body()
            started = time.perf_counter()
            try:
                connection.request("POST", "/alexa", body, HEADERS)
                response = connection.getresponse()
                reply = response.read()
            except (OSError, http.client.HTTPException) as error:
                self.failures.append(f"{type(error).__name__}: {error}")
                connection.close()
                time.sleep(RETRY_AFTER_SECONDS)  # a server that is down is not hammered
                continue
            elapsed = time.perf_counter() - started
            if response.status != 200 or not answered(reply):
                self.failures.append(f"{response.status}: {reply[:200]!r}")
            else:
                self.latencies.append(elapsed)
                self.script.hear(reply)
        connection.close()


def run_load(port: int, scripts: Sequence[Script], seconds: float) -> LoadResult:
    """One client per script, all at once, for `seconds`."""
    result = LoadResult()
    deadline = time.monotonic() + seconds
    clients = [Client(port, script, deadline) for script in scripts]
    started = time.perf_counter()
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    result.seconds = time.perf_counter() - started
    for client in clients:
        result.latencies += client.latencies
        result.failures += client.failures
    return result


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A server process on loopback and its port; it can be killed and started again."""

    process: subprocess.Popen
    port: int
    command: list[str]
    log: Path
    env: dict[str, str]

    def rss_kib(self) -> int:
        """Resident memory now (Linux /proc), in KiB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        return int(line.split()[1])

    def kill_and_restart(self) -> None:
        """SIGKILL, as a crash or the OOM killer would: no shutdown code runs. Then the
        same command on the same port and data, until it listens again."""
        self.process.kill()
        self.process.wait(timeout=30)
        self.process = _start(self.command, self.port, self.log, self.env, append=True)
        wait_until_up(self.port, self.process)


def _start(
    command: list[str], port: int, log: Path, env: dict[str, str], append: bool = False
) -> subprocess.Popen:
    with log.open("a" if append else "w") as stream:
        return subprocess.Popen(
            [sys.executable, *command, "--port", str(port)],
            stdout=stream,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env},
        )


@contextmanager
def serving(command: list[str], log: Path, env: dict[str, str]) -> Iterator[Server]:
    """Start `command` (which takes --port), wait until it listens; stop it afterwards."""
    port = free_port()
    server = Server(_start(command, port, log, env), port, command, log, env)
    try:
        wait_until_up(port, server.process)
        yield server
    finally:
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=30)


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
