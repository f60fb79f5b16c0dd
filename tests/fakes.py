"""Servers on loopback that stand in for the outside world in tests: Alexa's settings API,
and an endpoint that accepts a connection and then never says a word."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEVICE = "amzn1.ask.device.night-test"
TOKEN = "local-test-token"


class FakeAlexaApi:
    """Answers /v2/devices/{id}/settings/System.timeZone like Alexa, or fails as told."""

    def __init__(self) -> None:
        self.zone = "Europe/London"
        self.mode = "ok"
        self.calls = 0
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
