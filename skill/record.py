"""Dataclasses that are stored as JSON and must survive whatever comes back.

Session attributes, stored profiles and state files outlive the code that wrote them,
and a client can send anything. Rebuilding is therefore lenient and field by field: each
field is checked on its own (`check`: coerced, clamped to its range, or refused), a
refused field keeps its default, unknown keys are dropped, and a record whose fields do
not fit together (`validate`) is replaced by a fresh one. Nothing raises, so a bad store
can never stand between a person and first aid.

What is logged names the record, the fields and the reasons, never a value: these
records hold what a user said and what the skill told them, which is health data.
"""

from __future__ import annotations

import logging
import math
from dataclasses import fields
from decimal import Decimal
from functools import cache
from typing import Self

log = logging.getLogger(__name__)
# Errors a field's check or a record's validation raise for a value they refuse.
REFUSED = (TypeError, ValueError, ArithmeticError, KeyError)


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
        if data is None:
            return cls()
        if not isinstance(data, dict):
            log.warning("discarding a stored %s: not an object", cls.__name__)
            return cls()
        record = cls()
        refused: list[str] = []
        for name in _field_names(cls):  # type: ignore[arg-type]  # as in to_dict
            if name in data:
                try:
                    setattr(record, name, record.check(name, data[name]))
                except REFUSED as error:
                    refused.append(f"{name} ({type(error).__name__})")
        if refused:
            log.warning("%s: kept the defaults of %s", cls.__name__, ", ".join(refused))
        try:
            record.validate()
        except REFUSED as error:
            log.warning("discarding a stored %s: %s", cls.__name__, type(error).__name__)
            return cls()
        return record

    def check(self, name: str, value: object) -> object:
        """One field's value as the record takes it; raise ValueError or TypeError to
        refuse it (the field keeps its default). By default, values are taken as they are."""
        return value

    def validate(self) -> None:
        """Whether the checked fields fit together; raise ValueError to start afresh."""


def whole(value: object, low: int, high: int) -> int:
    """An integer clamped to [low, high]; floats are truncated, bools and text refused
    (int("12") would let strings in)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError("not a number")
    if not isinstance(value, int) and not math.isfinite(value):
        raise ValueError("not a finite number")
    return min(high, max(low, int(value)))


def moment(value: object) -> float | None:
    """Epoch seconds, or None; only finite numbers of a plausible size."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError("not a number")
    if not 0 <= value < 1e11:
        raise ValueError("not a plausible time")
    return float(value)


def flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError("not true or false")
    return value


def one_of(value: object, allowed: frozenset[str] | tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ValueError("not a known value")
    return value


def optional_one_of(value: object, allowed: frozenset[str] | tuple[str, ...]) -> str | None:
    return None if value is None else one_of(value, allowed)


def text(value: object, limit: int) -> str:
    """A string of at most `limit` characters (a longer one is refused, not cut)."""
    if not isinstance(value, str):
        raise TypeError("not a string")
    if len(value) > limit:
        raise ValueError("too long")
    return value
