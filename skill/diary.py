"""The cramp diary: entries, where they are kept, and what they add up to.

A diary helps find a pattern (seed advice kept in clinical.md §4 and §6: "keep a note"), but
it is health data, so it is off unless configured, asks for consent once, and keeps
little: when, which muscle and side, and whether it was at night. Entries are added
with one atomic write each (never read-modify-write of a whole profile), so two
requests logging at once can never lose one; old and surplus entries are dropped.

What the skill says matches what is kept: an entry dated before the retention period is
never stored (the handler checks `too_old` and says so), and an entry that is stored is
never the one the cap evicts (the oldest of the others goes instead).
"""

from __future__ import annotations

import threading
from bisect import bisect_left, insort
from collections import Counter
from dataclasses import asdict, dataclass
from operator import attrgetter
from typing import Protocol

# Kept per user: at most this many entries, none older than this.
MAX_ENTRIES = 400
MAX_AGE_SECONDS = 400 * 24 * 3600
WEEK = 7 * 24 * 3600
# clinical.md §3: cramps more than once a week, week after week, are worth a doctor's visit.
FREQUENT_PER_WEEK = 2
FREQUENT_WEEKS = 4


@dataclass(frozen=True)
class Entry:
    """One cramp: when (epoch seconds), where, and whether at night (None: not known)."""

    at: float
    muscle: str | None = None
    side: str | None = None
    night: bool | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @staticmethod
    def from_dict(data: dict) -> Entry | None:
        """A stored entry, or None for one this code cannot read (it is then skipped)."""
        try:
            night = data.get("night")
            return Entry(
                at=float(data["at"]),
                muscle=data.get("muscle") or None,
                side=data.get("side") or None,
                night=None if night is None else bool(night),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return None


_WHEN = attrgetter("at")


def too_old(entry: Entry, now: float) -> bool:
    """Dated before the retention period: a store would drop it at once."""
    return entry.at < now - MAX_AGE_SECONDS


def admitted(ordered: list[Entry], entry: Entry, now: float) -> list[Entry]:
    """`ordered` (oldest first) with `entry` added: entries past the retention period
    dropped and, over the cap, the oldest of the others evicted; `entry` itself always
    stays (unless `too_old`), so "noted" is true."""
    start = bisect_left(ordered, now - MAX_AGE_SECONDS, key=_WHEN)
    result = ordered[start:]
    if too_old(entry, now):
        return result
    insort(result, entry, key=_WHEN)
    surplus = len(result) - MAX_ENTRIES
    if surplus > 0:
        evicted = [e for e in result if e is not entry][:surplus]
        gone = {id(e) for e in evicted}
        result = [e for e in result if id(e) not in gone]
    return result


class DiaryStore(Protocol):
    """Where entries live: memory, SQLite or DynamoDB (skill.storage names them)."""

    def add(self, user_id: str, entry: Entry, now: float) -> None:
        """Keep `entry` (as `admitted` says) in one atomic, durable write."""
        ...

    def entries(self, user_id: str) -> list[Entry]: ...

    def delete(self, user_id: str) -> None: ...


class MemoryDiary:
    """Entries per user in a dict: for tests, the CLI and a Lambda without a table."""

    def __init__(self, initial: dict[str, list[dict]] | None = None) -> None:
        self._lock = threading.Lock()
        # Each user's entries are kept oldest first.
        self._entries: dict[str, list[Entry]] = {
            user: sorted((e for e in map(Entry.from_dict, items) if e), key=_WHEN)
            for user, items in (initial or {}).items()
        }

    def add(self, user_id: str, entry: Entry, now: float) -> None:
        with self._lock:
            self._entries[user_id] = admitted(self._entries.get(user_id, []), entry, now)

    def entries(self, user_id: str) -> list[Entry]:
        with self._lock:
            return list(self._entries.get(user_id, []))

    def delete(self, user_id: str) -> None:
        with self._lock:
            self._entries.pop(user_id, None)

    def snapshot(self) -> dict[str, list[dict]]:
        with self._lock:
            return {user: [e.to_dict() for e in items] for user, items in self._entries.items()}


@dataclass(frozen=True)
class Summary:
    """What a period of the diary adds up to, for the skill to say."""

    count: int
    muscle: str | None
    side: str | None
    mostly_at_night: bool


def summarise(entries: list[Entry], now: float, seconds: float) -> Summary:
    """Count the period's cramps and name the usual place and time, where there is one."""
    recent = [e for e in entries if 0 <= now - e.at <= seconds]
    muscle = _most_common([e.muscle for e in recent], len(recent))
    side = _most_common([e.side for e in recent if e.muscle == muscle], len(recent))
    known = [e.night for e in recent if e.night is not None]
    return Summary(len(recent), muscle, side, bool(known) and sum(known) * 2 > len(known))


def _most_common(values: list[str | None], total: int) -> str | None:
    """The value more than half of the cramps share; None when there is no clear one."""
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    value, count = counts.most_common(1)[0]
    return value if count * 2 > total else None


def frequent(entries: list[Entry], now: float) -> bool:
    """More than once a week, in each of the last four weeks."""
    weeks = Counter(int((now - e.at) // WEEK) for e in entries if now - e.at >= 0)
    return all(weeks[week] >= FREQUENT_PER_WEEK for week in range(FREQUENT_WEEKS))


class DiaryOff(Exception):
    """A write reached a diary this deployment has switched off."""


class SwitchedOff:
    """The store a deployment without the diary hands to the skill: writes are refused
    here, under every handler, so no path (a forged consent, a stale pending entry) can
    store health data; reads see nothing; deleting still removes what an earlier
    configuration kept, since "delete my data" must always work."""

    def __init__(self, store: DiaryStore) -> None:
        self._store = store

    def add(self, user_id: str, entry: Entry, now: float) -> None:
        raise DiaryOff("the diary is switched off")

    def entries(self, user_id: str) -> list[Entry]:
        return []

    def delete(self, user_id: str) -> None:
        self._store.delete(user_id)
