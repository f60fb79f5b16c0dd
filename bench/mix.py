"""The realistic request mix every speed benchmark sends, built once as real envelopes.

Six things people do, each as Alexa would send it: open the skill, say a cramp is
happening, say "next" in the middle of first aid (with the session that reply left),
ask for a counted hold, report a warning sign, and log a cramp in the diary (for a
user who already agreed to keep one, so the entry is written). The text goes through
the local understanding, so the envelopes carry the slots and resolutions Alexa's do.
"""

from __future__ import annotations

from datetime import UTC, datetime

from skill.builder import build_skill
from skill.config import Settings
from skill.dev.envelopes import envelope_for, request_for
from skill.dev.nlu import for_locale
from skill.invoke import invoke
from skill.persistence import MemoryPersistenceAdapter
from skill.profile import PROFILE_KEY

# Daytime, so night mode does not change what is measured between runs.
WHEN = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
LOCALE = "en-US"
USER = "amzn1.ask.account.bench"
# A profile that has heard the notice and agreed to a diary: a returning user.
RETURNING_USER: dict[str, object] = {PROFILE_KEY: {"disclaimer_heard": True, "diary_consent": True}}
SETTINGS = Settings(diary=True)
MIX = {
    "launch": "",
    "cramp now": "my calf is cramping",
    "next": "next",
    "counted hold": "count thirty seconds",
    "red flag": "my face is drooping",
    "diary": "log a cramp in my left calf",
}
# "next" continues the session the first-aid reply left.
CONTINUES = {"next": "cramp now"}


def envelope(text: str, attributes: dict | None = None, screen: str | None = None) -> dict:
    recognition = for_locale(LOCALE).understand(text, today=WHEN.date())
    session_id = "amzn1.echo-api.session.bench" if attributes is not None else None
    request = request_for(recognition, LOCALE, WHEN)
    return envelope_for(request, USER, session_id, attributes or {}, screen)


def mix_envelopes(screen: str | None = None) -> dict[str, dict]:
    """name → envelope, for a speaker (no screen) or a device with one (`screen`)."""
    skill = build_skill(MemoryPersistenceAdapter({USER: RETURNING_USER}), SETTINGS)
    envelopes: dict[str, dict] = {}
    for name, text in MIX.items():
        attributes = None
        if name in CONTINUES:
            before = invoke(skill, envelopes[CONTINUES[name]])
            attributes = before.get("sessionAttributes") or {}
        envelopes[name] = envelope(text, attributes, screen)
    return envelopes
