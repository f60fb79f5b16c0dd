"""Dataclasses that are stored as JSON and must survive whatever comes back.

Session attributes, stored profiles and state files outlive the code that wrote them,
and a client can send anything. Rebuilding is therefore lenient: unknown keys are
dropped, and anything malformed gives a fresh record instead of an error, so a bad
store can never stand between a person and first aid.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, fields
from typing import Self

log = logging.getLogger(__name__)


class Record:
    """Mixin for dataclasses: `to_dict`, and a `from_dict` that never raises."""

    def to_dict(self) -> dict:
        return asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls, data: object) -> Self:
        if not isinstance(data, dict):
            return cls()
        names = {field.name for field in fields(cls)}  # type: ignore[arg-type]
        try:
            record = cls(**{key: value for key, value in data.items() if key in names})
            record.validate()
        except (TypeError, ValueError, ArithmeticError):
            log.warning("discarding malformed %s: %r", cls.__name__, data)
            return cls()
        return record

    def validate(self) -> None:
        """Coerce field values to their types; raise ValueError or TypeError to start afresh."""
