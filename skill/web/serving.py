"""The app under waitress as `cramp-coach serve` runs it: with `SERVE_OPTIONS`
(`skill.web.server`), a channel that keeps waitress's main loop from spinning while a
worker thread writes a response, and what was built at start left out of garbage
collection (`serve`).

waitress's main loop (one thread) polls every connection; a connection with output
waiting counts as writable. While a worker thread is writing a response it holds the
connection's output lock and sends the bytes itself; the main loop, seeing output
waiting, polls, finds the socket writable at once, fails to take the lock, and polls
again. Each of those turns gives up the GIL in `poll` and takes it straight back, before
the worker (woken, but not yet running) can: the worker gets the GIL only when its wait
times out (the 5 ms switch interval), and then does the same at its next send. On a busy
two-core machine this took 2-4 ms of CPU a request and a p99 of 110-230 ms
(bench/NOTES.md). `HandOffChannel` is not writable while a worker holds the lock, so the
main loop sleeps in `poll` instead; the worker has already sent what the socket took,
and wakes the main loop for any rest (waitress pulls its trigger when a send was partial
and whenever a task ends), and `poll`'s one-second timeout bounds any wake-up missed in
between.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Any

import waitress.server
from waitress.channel import HTTPChannel

from skill.web.server import SERVE_OPTIONS

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication


class HandOffChannel(HTTPChannel):
    """A waitress connection that the main loop leaves alone while a worker writes to it."""

    def writable(self) -> bool:
        # A task is running (`requests` is not empty) and holds the output lock: it is
        # sending, and the main loop could do nothing but spin. Closing is left as it is.
        if self.requests and not (self.will_close or self.close_when_flushed):
            if not self.outbuf_lock.acquire(blocking=False):
                return False
            self.outbuf_lock.release()
        return bool(super().writable())


def create_server(app: WSGIApplication, host: str, port: int) -> Any:
    """A waitress server for `app` on `host`:`port` (0: any free port) with
    `SERVE_OPTIONS` and `HandOffChannel`; `run()` serves, `close()` stops."""
    sockets: dict[int, Any] = {}
    server = waitress.server.create_server(app, map=sockets, host=host, port=port, **SERVE_OPTIONS)
    # One listener per address `host` names (IPv4 and IPv6 for localhost), each making
    # the channels for the connections it accepts; none is accepted before run().
    for listener in sockets.values():
        if isinstance(listener, waitress.server.BaseWSGIServer):
            listener.channel_class = HandOffChannel
    return server


def serve(app: WSGIApplication, host: str, port: int) -> None:
    """Serve `app` until stopped, as `cramp-coach serve` does.

    What exists once the app is built (the skill, its content and models, the SDK's
    modules) lives as long as the process, yet every full garbage collection walked all
    of it: 25-50 ms with every thread stopped, about every 7 s under load, which set the
    p99 of the rounds it fell in (bench/NOTES.md). Frozen, it is left out of collections;
    a full one then takes 1-2 ms. Garbage made at start-up is collected first, so none
    of it is kept for ever."""
    server = create_server(app, host, port)
    gc.collect()
    gc.freeze()
    server.print_listen("Serving on http://{}:{}")
    server.run()
