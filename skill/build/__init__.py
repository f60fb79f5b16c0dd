"""Build-time tools: the model and content generator, the sound renderer, the packager.

They read sources that live only in a source checkout (interaction_models/source/, the
content TOML, lambda/) and write generated files into the package, so they run from a
checkout, never from an installed copy; `source_checkout()` says so clearly when they are
tried from one.
"""

from __future__ import annotations

from pathlib import Path

# This file is skill/build/__init__.py: the checkout, if this is one, is two levels up.
_ROOT = Path(__file__).resolve().parents[2]


class NotACheckout(RuntimeError):
    """A build tool was run from an installed copy, where its sources are not."""


def source_checkout(tool: str = "this build tool") -> Path:
    """The source checkout this package sits in, or NotACheckout saying what to do."""
    if (_ROOT / "pyproject.toml").is_file() and (_ROOT / "interaction_models/source").is_dir():
        return _ROOT
    raise NotACheckout(
        f"{tool} reads its sources from a clone of the repository, and this is an installed "
        f"copy ({_ROOT / 'skill'}). Clone the repository and run it there (make models, "
        "make audio, make package)."
    )
