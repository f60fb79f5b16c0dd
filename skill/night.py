"""Is it night where the user is? The device's time zone, looked up fast or not at all.

Alexa's settings API (the SDK's `ups` service client) gives a device's time zone. The
lookup happens inside a reply that a person in pain is waiting for, so it runs on a
client with a short timeout, and its answer (or its failure) is cached per device; when
it is unavailable the configured default zone is used instead.
"""

from __future__ import annotations

import json
import logging
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
_LOOPBACK = ("http://127.0.0.1", "http://localhost")


class BoundedApiClient(ApiClient):
    """The SDK's API client contract over urllib, with a timeout on every call.

    HTTPS only, as Alexa's endpoints are; plain HTTP is allowed to loopback, for local fakes.
    """

    def __init__(self, timeout: float = LOOKUP_TIMEOUT_SECONDS) -> None:
        self.timeout = timeout

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        # Imported here: urllib.request pulls in http.client, email and ssl, a tenth of
        # the Lambda's cold start, and only this rare lookup needs them.
        import urllib.error
        import urllib.request

        if not request.url.startswith(("https://", *_LOOPBACK)):
            raise ValueError(f"refusing a non-HTTPS API call: {request.url}")
        data = json.dumps(request.body).encode() if request.body else None
        outgoing = urllib.request.Request(
            request.url, data=data, headers=dict(request.headers or []), method=request.method
        )
        try:
            with urllib.request.urlopen(outgoing, timeout=self.timeout) as reply:
                status, headers, body = reply.status, reply.getheaders(), reply.read()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, list(error.headers.items()), error.read()
        return ApiClientResponse(headers=headers, status_code=status, body=body.decode())


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

    def __init__(self, default: ZoneInfo, look_up: bool = True) -> None:
        self.default = default
        self.look_up = look_up
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

    @staticmethod
    def _look_up(system: SystemState, device_id: str) -> ZoneInfo | None:
        """The SDK's ups client on our bounded API client (the SDK's own has no timeout)."""
        if not system.api_access_token or not system.api_endpoint:
            return None  # a request with no API access cannot ask
        try:
            factory = ServiceClientFactory(
                ApiConfiguration(
                    serializer=DefaultSerializer(),
                    api_client=BoundedApiClient(),
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
