"""Servers on loopback that stand in for the outside world in tests: Alexa's settings API,
and an endpoint that accepts a connection and then never says a word; and our own app
under waitress as `cramp-coach serve` serves it (`served`)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from skill.web.serving import create_server

DEVICE = "amzn1.ask.device.night-test"
TOKEN = "local-test-token"


class FakeAlexaApi:
    """Answers /v2/devices/{id}/settings/System.timeZone like Alexa, or fails as told."""

    def __init__(self) -> None:
        self.zone = "Europe/London"
        self.mode = "ok"
        self.calls = 0
        # Seconds to wait before answering "ok": a slow API, still inside the deadline.
        self.delay = 0.0
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                api.calls += 1
                expected = f"/v2/devices/{DEVICE}/settings/System.timeZone"
                if api.mode == "slow":
                    time.sleep(3)  # past the client's timeout: it has gone, so no reply
                    return
                if api.mode == "drip":  # each byte well inside a per-read timeout
                    self.send_response(200)
                    self.send_header("Content-Length", "40")
                    self.end_headers()
                    for _ in range(40):
                        time.sleep(0.2)
                        try:
                            self.wfile.write(b" ")
                            self.wfile.flush()
                        except OSError:
                            return  # the client gave up: what the test wants
                    return
                time.sleep(api.delay)
                if api.mode == "error" or self.path != expected:
                    self.send_response(500)
                    self.end_headers()
                    return
                assert self.headers["Authorization"] == f"Bearer {TOKEN}"
                body = json.dumps(api.zone).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_port}"


@contextmanager
def running(api: FakeAlexaApi) -> Iterator[FakeAlexaApi]:
    thread = threading.Thread(target=api.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        api.server.shutdown()
        api.server.server_close()


@contextmanager
def silent_server() -> Iterator[str]:
    """host:port of a server that accepts connections and never answers: a store or a
    certificate host that has hung. Connections are held open until the test ends."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()


class FakeRemindersApi:
    """Alexa's Reminders API (create, get, update, delete) and the device's time zone, on
    loopback; `mode` makes every reminder call fail as Alexa's can: "down" (500), "slow"
    (no answer in time), "401", "403", "429", or "too_many" (the user's reminder limit)."""

    def __init__(self) -> None:
        self.zone = "Europe/London"
        self.mode = "ok"
        self.reminders: dict[str, dict] = {}
        self.calls: list[tuple[str, str]] = []
        self.bodies: list[dict] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, body: object = None) -> None:
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null")
                if self.path == f"/v2/devices/{DEVICE}/settings/System.timeZone":
                    return self._answer(200, api.zone)
                api.calls.append((self.command, self.path))
                if self.headers["Authorization"] != f"Bearer {TOKEN}":
                    return self._answer(401, {"code": "UNAUTHORIZED", "message": "no"})
                if api.mode == "slow":
                    time.sleep(4)  # past the client's timeout: it has gone, so no reply
                    return None
                failures = {
                    "down": (500, {"code": "INTERNAL_ERROR"}),
                    "401": (401, {"code": "UNAUTHORIZED"}),
                    "403": (403, {"code": "FORBIDDEN"}),
                    "429": (429, {"code": "TOO_MANY_REQUESTS"}),
                    "too_many": (403, {"code": "MAX_REMINDERS_EXCEEDED"}),
                }
                if api.mode in failures:
                    return self._answer(*failures[api.mode])
                return self._reminders(body)

            def _reminders(self, body: dict | None) -> None:
                base = "/v1/alerts/reminders"
                alert_token = self.path[len(base) + 1 :]
                if self.command == "POST" and self.path == base:
                    api.bodies.append(body or {})
                    alert_token = f"alert-{len(api.reminders) + 1}"
                    api.reminders[alert_token] = body or {}
                    return self._answer(200, {"alertToken": alert_token, "status": "ON"})
                if alert_token not in api.reminders:
                    return self._answer(404, {"code": "NOT_FOUND"})
                if self.command == "GET":
                    return self._answer(200, {"alertToken": alert_token, "status": "ON"})
                if self.command == "PUT":
                    api.bodies.append(body or {})
                    api.reminders[alert_token] = body or {}
                    return self._answer(200, {"alertToken": alert_token, "status": "ON"})
                del api.reminders[alert_token]
                return self._answer(200)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_port}"


@contextmanager
def served(app: Any) -> Iterator[int]:
    """A WSGI app under waitress with `cramp-coach serve`'s options, on a free loopback
    port (yielded), stopped when the block ends."""
    server = create_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield int(server.effective_port)
    finally:
        server.close()
        thread.join(timeout=10)
