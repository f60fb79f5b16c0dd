"""Dataclasses that are stored as JSON and must survive whatever comes back.

Session attributes, stored profiles and state files outlive the code that wrote them,
and a client can send anything. Rebuilding is therefore lenient: unknown keys are
dropped, and anything malformed gives a fresh record instead of an error, so a bad
store can never stand between a person and first aid.
"""

from __future__ import annotations

import logging
from dataclasses import fields
from functools import cache
from typing import Self

log = logging.getLogger(__name__)


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(field.name for field in fields(cls))


class Record:
    """Mixin for dataclasses: `to_dict`, and a `from_dict` that never raises."""

    def to_dict(self) -> dict:
        """The fields as plain data. Records hold only JSON values, so one level of copying
        (of lists and dicts) keeps callers from sharing state, without `asdict`'s deep walk,
        which is costly on every request (bench/NOTES.md)."""
        data = {}
        # Classes are hashable, but typeshed's lru_cache does not see type[...] as Hashable.
        for name in _field_names(type(self)):  # type: ignore[arg-type]
            value = getattr(self, name)
            data[name] = value.copy() if isinstance(value, list | dict) else value
        return data

    @classmethod
    def from_dict(cls, data: object) -> Self:
        if not isinstance(data, dict):
            return cls()
        names = _field_names(cls)  # type: ignore[arg-type]  # as in to_dict
        try:
            record = cls(**{key: value for key, value in data.items() if key in names})
            record.validate()
        except (TypeError, ValueError, ArithmeticError):
            log.warning("discarding malformed %s: %r", cls.__name__, data)
            return cls()
        return record

    def validate(self) -> None:
        """Coerce field values to their types; raise ValueError or TypeError to start afresh."""
