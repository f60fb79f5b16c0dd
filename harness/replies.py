"""The rules every reply keeps, Alexa's and ours: well-formed SSML within Alexa's limits,
at most five of our own sounds, and nothing from the advice docs/clinical.md §2 forbids.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

from skill.audio import AudioLibrary, planned_ms

ROOT = Path(__file__).resolve().parents[1]
# Third-party test data (request envelopes, schemas), each file's source in data/README.md.
DATA = ROOT / "tests" / "data"


def forbidden_advice() -> re.Pattern[str]:
    """docs/clinical.md §2: advice the skill must never speak, from data/forbidden-advice.txt.
    Matched on whole words, case-insensitive."""
    lines = (DATA / "forbidden-advice.txt").read_text(encoding="utf-8").splitlines()
    words = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return re.compile(r"\b(" + "|".join(words) + r")\b", re.IGNORECASE)


FORBIDDEN = forbidden_advice()
MAX_SSML_CHARS = 8000
MAX_AUDIO_TAGS = 5
MAX_AUDIO_MS = 240_000
# Where tests pretend the MP3s are served: Alexa wants HTTPS.
AUDIO_BASE_URL = "https://audio.cramp-coach.test/v1"


def assert_speakable(ssml: str) -> None:
    """Alexa's rules for one reply, and our own: nothing from docs/clinical.md §2."""
    assert ssml.startswith("<speak>") and ssml.endswith("</speak>"), ssml
    # Well-formed XML, so a stray "&" fails here; Alexa's own tags use the amazon: prefix.
    ElementTree.fromstring(ssml.replace("<speak>", '<speak xmlns:amazon="urn:amazon">', 1))
    assert len(ssml) <= MAX_SSML_CHARS
    assert_audio_fits(ssml)
    for milliseconds in re.findall(r'<break time="(\d+)ms"/>', ssml):
        assert int(milliseconds) <= 10_000
    match = FORBIDDEN.search(re.sub(r"<[^>]+>", " ", ssml))
    assert match is None, f"forbidden advice {match.group(0)!r} in {ssml}"


def assert_audio_fits(ssml: str) -> None:
    """At most five sounds, all ours, HTTPS MP3s, together at most 240 s (Alexa's limits)."""
    sources = re.findall(r'<audio src="([^"]*)"/>', ssml)
    assert len(sources) == ssml.count("<audio") <= MAX_AUDIO_TAGS, ssml
    names = [AudioLibrary(AUDIO_BASE_URL).name_of(src) for src in sources]
    assert None not in names, sources
    assert all(src.startswith("https://") for src in sources)
    assert sum(planned_ms()[name] for name in names if name) <= MAX_AUDIO_MS
