"""The server keeps answering while clients hold connections open: idle ones, and ones that
send their headers a byte at a time. The app runs under waitress with the options
`cramp-coach serve` uses, on loopback, and each test is a bounded loop of sockets."""

from __future__ import annotations

import http.client
import socket
import time
from contextlib import AbstractContextManager, ExitStack

from skill.web.server import create_app
from tests.fakes import served

IDLE_CONNECTIONS = 150
SLOW_HEADER_CONNECTIONS = 110
ANSWER_WITHIN_SECONDS = 3.0


def serving() -> AbstractContextManager[int]:
    return served(create_app())


def health(port: int) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=ANSWER_WITHIN_SECONDS)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status
    finally:
        connection.close()


def opened(port: int, stack: ExitStack, count: int) -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        sock = stack.enter_context(socket.create_connection(("127.0.0.1", port), timeout=2))
        sockets.append(sock)
    return sockets


def test_healthz_answers_with_150_idle_connections_open() -> None:
    """150 idle connections held open: `/healthz` still answers."""
    with serving() as port, ExitStack() as stack:
        opened(port, stack, IDLE_CONNECTIONS)
        time.sleep(0.3)  # let the server accept them all
        assert health(port) == 200


def test_healthz_answers_while_110_clients_drip_their_headers() -> None:
    """110 connections sending headers a line at a time, never finishing: `/healthz` still
    answers."""
    with serving() as port, ExitStack() as stack:
        slow = opened(port, stack, SLOW_HEADER_CONNECTIONS)
        for sock in slow:
            sock.sendall(b"POST /alexa HTTP/1.1\r\nHost: x\r\n")
        for _ in range(3):  # a header line at a time, never finishing
            time.sleep(0.2)
            for index, sock in enumerate(slow):
                sock.sendall(f"X-Slow-{index}: a\r\n".encode())
        assert health(port) == 200
