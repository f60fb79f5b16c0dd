"""The repository stands alone: a clone of it, and nothing beside it, builds and tests.

Nothing may read the reference folder that some of our checkouts have beside them (a
sibling folder named "shared"): what the code, tests and benchmarks rest on lives here, in
the project's own words (docs/) or as data with its provenance (tests/data/README.md).
"""

from __future__ import annotations

import re
from pathlib import Path

from harness.replies import DATA
from tests.conftest import ROOT

# A path out of the repository into a sibling folder named "shared", however it is spelt.
OUTSIDE = re.compile(r"\.\./shared|parent ?/ ?[\"']shared[\"']|[\"']shared[\"'] ?/")
# Not the project's own text: tools' caches, environments and build output.
SKIPPED_DIRS = {"dist", "build", "__pycache__", "node_modules"}
TEXT_SUFFIXES = {".py", ".toml", ".md", ".json", ".txt", ".js", ".html", ".css", ".cfg", ""}


def tracked_text_files() -> list[Path]:
    files = []
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        folders = relative.parts[:-1]
        if set(folders) & SKIPPED_DIRS or ".egg-info" in str(relative):
            continue
        if any(part.startswith(".") and part != ".ci" for part in folders):
            continue
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            files.append(path)
    return files


def test_the_scan_sees_code_tests_benchmarks_and_the_makefile() -> None:
    seen = {path.relative_to(ROOT).as_posix() for path in tracked_text_files()}
    assert {"Makefile", ".ci/run", "skill/builder.py", "bench/run.py", "README.md"} <= seen
    assert "tests/test_repository.py" in seen


def test_the_pattern_finds_every_spelling() -> None:
    # Spelt in pieces, so this file does not match its own scan.
    name = "shared"
    for spelling in (f"../{name}/x", f'ROOT.parent / "{name}"', f"ROOT / '{name}' / 'x'"):
        assert OUTSIDE.search(spelling), spelling
    assert not OUTSIDE.search("shared_data()")


def test_nothing_refers_to_a_folder_beside_the_repository() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in tracked_text_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert not offenders, "\n".join(offenders)


def test_every_test_data_file_has_its_source_noted() -> None:
    notes = (DATA / "README.md").read_text(encoding="utf-8")
    for path in sorted(DATA.rglob("*.json")):
        assert path.name in notes, f"{path.relative_to(DATA)} has no source in data/README.md"
