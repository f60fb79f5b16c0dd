"""The README's conversations are what the skill really says.

Each transcript under a `<!-- conversation: tests/conversations/<file>.yaml -->` line is
rendered from that conversation test (every turn's `speech`, a counted hold abbreviated
the way the README writes it, "1 2 3 … 29 30"), and tests/test_conversations.py replays
every such file through the skill. After a reviewed change of words, one command
rewrites both: `make conversations`.
"""

from __future__ import annotations

from skill.dev.conversations import load, readme_blocks, render_readme
from tests.conftest import ROOT

README = ROOT / "README.md"


def test_every_locale_has_a_conversation_in_the_readme() -> None:
    from skill.build.models import LOCALES

    files = [name for name, _, _ in readme_blocks(README.read_text(encoding="utf-8"))]
    assert {load(ROOT / name).locale for name in files} == set(LOCALES)


def test_the_readme_transcripts_are_rendered_from_their_conversation_tests() -> None:
    text = README.read_text(encoding="utf-8")
    assert render_readme(text, ROOT) == text, "run: make conversations"


def test_the_readmes_example_conversation_test_holds(tmp_path) -> None:
    """The file the README shows as how to write one is itself a passing test."""
    import re

    from skill.dev.conversations import check, in_process, replay

    text = README.read_text(encoding="utf-8")
    example = tmp_path / "example.yaml"
    example.write_text(re.search(r"```yaml\n(.*?)```", text, re.S)[1], encoding="utf-8")
    script = load(example)
    failures = check(script, replay(script, in_process(script)))
    assert not failures, "\n".join(failure.describe() for failure in failures)
