"""Every conversation test under tests/conversations/ holds, replayed in-process (the
README's among them); `cramp-coach test` itself is tested in tests/test_cramp_coach_test.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.dev import conversations
from tests.conftest import ROOT

FILES = sorted((ROOT / "tests" / "conversations").glob("*.yaml"))


def test_there_are_conversation_tests() -> None:
    assert len(FILES) >= 5


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_a_conversation_test_holds(path: Path) -> None:
    script = conversations.load(path)
    replies = conversations.replay(script, conversations.in_process(script))
    failures = conversations.check(script, replies)
    assert not failures, "\n".join(failure.describe() for failure in failures)
