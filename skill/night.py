"""Is it night where the user is? The device's time zone, looked up fast or not at all.

Alexa's settings API (the SDK's `ups` service client) gives a device's time zone. The
lookup happens inside a reply that a person in pain is waiting for, so it runs on a
client with one deadline for the whole call (connecting, sending, every byte of the
answer), and its answer (or its failure) is cached per device; when it is unavailable
the configured default zone is used instead. The endpoint is named by the request, so
the user's bearer token goes only to Alexa's own API hosts.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from datetime import time as clock_time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.services import (
    ApiClient,
    ApiClientRequest,
    ApiClientResponse,
    ApiConfiguration,
    ServiceClientFactory,
)
from ask_sdk_model.services.ups import Error as UpsError

if TYPE_CHECKING:
    from ask_sdk_model.interfaces.system import SystemState

log = logging.getLogger(__name__)
LOOKUP_TIMEOUT_SECONDS = 0.5
ZONE_TTL_SECONDS = 6 * 60 * 60
# A failed lookup is not retried on every turn of a conversation.
FAILURE_TTL_SECONDS = 5 * 60
# Where Alexa's requests say its APIs are (apiEndpoint), by region.
ALEXA_API_HOSTS = ("api.amazonalexa.com", "api.eu.amazonalexa.com", "api.fe.amazonalexa.com")
_LOOPBACK_HOSTS = ("127.0.0.1", "localhost")
MAX_ANSWER_BYTES = 16 * 1024


class BoundedApiClient(ApiClient):
    """The SDK's API client contract over http.client, with one deadline per call.

    A per-read timeout is not a deadline: a server sending a byte just inside it holds
    the call open for ever. Here a timer cuts the connection when the call's time is up,
    whatever it is waiting for. Calls go only to `hosts` (Alexa's API hosts unless a test
    names its own), over HTTPS; plain HTTP only to a loopback host named in `hosts`.
    """

    def __init__(
        self, timeout: float = LOOKUP_TIMEOUT_SECONDS, hosts: tuple[str, ...] = ALEXA_API_HOSTS
    ) -> None:
        self.timeout = timeout
        self.hosts = hosts

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        # Imported here: http.client pulls in email and ssl, a tenth of the Lambda's cold
        # start, and only this rare lookup needs them.
        import http.client
        from urllib.parse import urlsplit

        parts = urlsplit(request.url)
        host = (parts.hostname or "").lower()
        if host not in self.hosts:
            raise ValueError("refusing an API call to a host that is not Alexa's")
        if parts.scheme == "https":
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                host, parts.port, timeout=self.timeout
            )
        elif parts.scheme == "http" and host in _LOOPBACK_HOSTS:
            connection = http.client.HTTPConnection(host, parts.port, timeout=self.timeout)
        else:
            raise ValueError("refusing a non-HTTPS API call")
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        data = json.dumps(request.body).encode() if request.body else None
        started = time.monotonic()
        try:
            connection.connect()  # within the timeout; the rest within what is left of it
            left = self.timeout - (time.monotonic() - started)
            deadline = threading.Timer(max(0.0, left), _cut, (connection.sock,))
            deadline.start()
            try:
                connection.request(
                    request.method or "GET", path or "/", data, dict(request.headers or [])
                )
                reply = connection.getresponse()
                body = reply.read(MAX_ANSWER_BYTES)
                status, headers = reply.status, reply.getheaders()
            finally:
                deadline.cancel()
        finally:
            connection.close()
        if time.monotonic() - started >= self.timeout:
            raise TimeoutError("the API call ran past its deadline")
        return ApiClientResponse(headers=headers, status_code=status, body=body.decode())


def _cut(sock: socket.socket) -> None:
    """End a call that ran past its deadline: a blocked read returns at once. The socket
    itself, not the connection's attribute, which http.client clears once it has the
    reply's headers while the body is still being read."""
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


@dataclass(frozen=True)
class NightWindow:
    """Local clock times between which it is night; the window may cross midnight."""

    start: clock_time
    end: clock_time

    @staticmethod
    def parse(text: str) -> NightWindow:
        """ "22:00-07:00" """
        start, end = (clock_time.fromisoformat(part.strip()) for part in text.split("-"))
        return NightWindow(start, end)

    def contains(self, moment: clock_time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


class DeviceZones:
    """Time zones per device, cached; the default zone whenever the API can't say."""

    def __init__(
        self, default: ZoneInfo, look_up: bool = True, api_hosts: tuple[str, ...] = ALEXA_API_HOSTS
    ) -> None:
        self.default = default
        self.look_up = look_up
        self.api_hosts = api_hosts
        self._cache: dict[str, tuple[ZoneInfo | None, float]] = {}
        self._lock = threading.Lock()

    def zone_for(self, handler_input: HandlerInput) -> ZoneInfo:
        system = getattr(handler_input.request_envelope.context, "system", None)
        device_id = getattr(getattr(system, "device", None), "device_id", None)
        if not self.look_up or system is None or not device_id or not system.api_access_token:
            return self.default
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(device_id)
        if cached is not None and cached[1] > now:
            return cached[0] or self.default
        zone = self._look_up(system, device_id)
        ttl = ZONE_TTL_SECONDS if zone else FAILURE_TTL_SECONDS
        with self._lock:
            self._cache[device_id] = (zone, now + ttl)
        return zone or self.default

    def _look_up(self, system: SystemState, device_id: str) -> ZoneInfo | None:
        """The SDK's ups client on our bounded API client (the SDK's own has no timeout)."""
        if not system.api_access_token or not system.api_endpoint:
            return None  # a request with no API access cannot ask
        try:
            factory = ServiceClientFactory(
                ApiConfiguration(
                    serializer=DefaultSerializer(),
                    api_client=BoundedApiClient(hosts=self.api_hosts),
                    authorization_value=system.api_access_token,
                    api_endpoint=system.api_endpoint,
                )
            )
            answer = factory.get_ups_service().get_system_time_zone(device_id)
            if isinstance(answer, UpsError) or not isinstance(answer, str):
                raise ValueError(f"no time zone in {answer!r}")
            return ZoneInfo(answer)
        except Exception:  # any failure, a bad zone name included: use the default
            log.warning("time zone lookup failed for a device; using the default", exc_info=True)
            return None


def local_time(moment: float, zone: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(moment, zone)
