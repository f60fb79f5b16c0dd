"""An in-memory persistence adapter: the default until a real store is configured.

It lets one process (the CLI, a test, a warm Lambda) remember a user between sessions
through ask-sdk-core's own persistence interface, so handlers never care where data lives.
"""

from __future__ import annotations

import copy
import threading

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model import RequestEnvelope


def user_id(request_envelope: RequestEnvelope) -> str | None:
    """The Alexa user id, from the context or (old simulator requests) the session."""
    context = request_envelope.context
    if context and context.system and context.system.user:
        return context.system.user.user_id
    session = request_envelope.session
    if session and session.user:
        return session.user.user_id
    return None


class MemoryPersistenceAdapter(AbstractPersistenceAdapter):
    """Attributes per user id in a dict, copied in and out so callers never share state."""

    def __init__(self, initial: dict[str, dict] | None = None) -> None:
        self._store: dict[str, dict] = copy.deepcopy(initial or {})
        self._lock = threading.Lock()

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict:
        with self._lock:
            return copy.deepcopy(self._store.get(user_id(request_envelope) or "", {}))

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict) -> None:
        key = user_id(request_envelope)
        if key:
            with self._lock:
                self._store[key] = copy.deepcopy(attributes)

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        with self._lock:
            self._store.pop(user_id(request_envelope) or "", None)

    def snapshot(self) -> dict[str, dict]:
        with self._lock:
            return copy.deepcopy(self._store)
