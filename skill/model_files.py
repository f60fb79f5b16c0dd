"""The generated Alexa interaction models (one JSON per locale) and the skill manifest.

`cramp-coach models` writes them into interaction_models/ from interaction_models/source/
in a checkout, and they are committed; a wheel carries a copy (skill/shipped.py). The local language
understanding reads them back, and the packager copies them into the ASK skill package.
"""

from __future__ import annotations

import json
from pathlib import Path

from skill.shipped import shipped

MODELS_DIR = shipped("interaction_models", "interaction_models")
MANIFEST = MODELS_DIR / "skill.json"
DEFAULT_LOCALE = "en-US"


def model_path(locale: str) -> Path:
    return MODELS_DIR / f"{locale}.json"


def _published_locales() -> tuple[str, ...]:
    """Every locale the manifest publishes, in the order the sources list them."""
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return tuple(manifest["manifest"]["publishingInformation"]["locales"])


# Empty only in a checkout before its first `make models`.
LOCALES = _published_locales() if MANIFEST.exists() else ()
