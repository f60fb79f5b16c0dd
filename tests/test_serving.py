"""waitress as `cramp-coach serve` runs it (`skill.web.serving`): the main loop leaves a
connection alone while a worker is writing to it, and every byte still goes out."""

from __future__ import annotations

import gc
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest

from skill.web import serving
from skill.web.serving import HandOffChannel, create_server
from tests.fakes import served

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

CHUNK = b"x" * (256 * 1024)
# Well past what loopback's socket buffers hold, and past waitress's high watermark
# (16 MiB), where a worker waits for the main loop to send before it writes more.
CHUNKS = 80


def big_answer(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Length", str(len(CHUNK) * CHUNKS))])
    return (CHUNK for _ in range(CHUNKS))


@contextmanager
def held(lock: threading.Condition) -> Iterator[None]:
    """`lock` held by another thread, as a worker holds it while it sends."""
    taken, done = threading.Event(), threading.Event()

    def hold() -> None:
        with lock:
            taken.set()
            done.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    taken.wait(10)
    try:
        yield
    finally:
        done.set()
        holder.join(10)


def test_a_connection_a_worker_is_sending_on_is_not_polled_for_writing() -> None:
    server = create_server(big_answer, "127.0.0.1", 0)
    ours, theirs = socket.socketpair()
    channel = HandOffChannel(server, ours, ("127.0.0.1", 0), server.adj, map={})
    try:
        channel.requests = [object()]  # a task is running
        channel.total_outbufs_len = 100  # and has output waiting
        with held(channel.outbuf_lock):
            assert not channel.writable()
        assert channel.writable(), "once the worker lets go, the main loop sends the rest"
        channel.requests = []
        assert channel.writable(), "with no task running, output waiting is sent"
        channel.total_outbufs_len = 0
        assert not channel.writable()
    finally:
        channel.del_channel()
        theirs.close()
        ours.close()
        server.close()


def test_an_answer_larger_than_the_socket_buffers_arrives_whole_to_a_slow_reader() -> None:
    with served(big_answer) as port:
        client = socket.create_connection(("127.0.0.1", port), timeout=30)
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
        client.sendall(b"GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
        time.sleep(0.3)  # the worker fills the buffers and leaves the rest to the main loop
        received = bytearray()
        while chunk := client.recv(64 * 1024):
            received += chunk
        client.close()
    head, _, body = bytes(received).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert len(body) == len(CHUNK) * CHUNKS


def test_what_was_built_before_serving_is_left_out_of_garbage_collections(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A full collection walking the skill's content and models stopped every thread for
    25-50 ms under load; `serve` freezes what exists before it starts answering."""
    frozen_when_running: list[int] = []

    class Server:
        def print_listen(self, format_str: str) -> None: ...

        def run(self) -> None:
            frozen_when_running.append(gc.get_freeze_count())

    monkeypatch.setattr(serving, "create_server", lambda app, host, port: Server())
    try:
        serving.serve(big_answer, "127.0.0.1", 0)
    finally:
        gc.unfreeze()
    assert frozen_when_running and frozen_when_running[0] > 0
