"""Where the committed build outputs live: the generated interaction models and the MP3s.

In a checkout they are the top-level `interaction_models/` and `audio/` folders, beside
their sources. A wheel carries copies inside the package (`setup.py` copies them when it
builds), so an installed skill finds them without a checkout.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def shipped(inside_package: str, in_checkout: str) -> Path:
    """The installed copy if this is an installed wheel, else the checkout's folder."""
    installed = PACKAGE / inside_package
    return installed if installed.is_dir() else PACKAGE.parent / in_checkout
