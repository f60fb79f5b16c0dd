"""Certificate fetching under attack: every URL a client names could cost a download, so
spellings of one URL share one fetch, the cache is bounded, checks that cost nothing
come first, and fetches are limited per minute."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from skill.web.verify import (
    FETCH_WINDOW,
    MAX_CACHED_CHAINS,
    MAX_FETCHES_PER_WINDOW,
    VerificationError,
    Verifier,
)
from tests.test_verify import CERT_URL, NOW, SKILL_ID, Authority, envelope


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self):
        return self.now


@pytest.fixture(scope="module")
def authority() -> Authority:
    return Authority()


class Counting:
    def __init__(self, authority: Authority) -> None:
        self.chain = authority.chain()
        self.urls: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.urls.append(url)
        return self.chain


def signed(authority: Authority, data: dict | None = None) -> tuple[bytes, dict]:
    data = data or envelope()
    body = json.dumps(data).encode()
    return body, data


def verify(verifier: Verifier, authority: Authority, url: str, data: dict | None = None) -> None:
    body, data = signed(authority, data)
    headers = {"SignatureCertChainUrl": url, "Signature-256": authority.sign(body)}
    verifier.verify(headers, body, data)


def test_spellings_of_one_url_share_one_fetch(authority: Authority) -> None:
    """2,000 certificate URLs differing only by `#n`, case, port, dot segments or a query:
    one fetch."""
    fetch = Counting(authority)
    verifier = Verifier(SKILL_ID, fetch=fetch, roots=[authority.root], clock=Clock())
    spellings = [f"{CERT_URL}#{n}" for n in range(2000)]
    spellings += [
        CERT_URL.replace("https://s3", "HTTPS://S3"),
        CERT_URL.replace(".com/", ".com:443/"),
        CERT_URL.replace("/echo.api/", "/echo.api/../echo.api/"),
        CERT_URL.replace("/echo.api/", "/echo.api/./"),
        f"{CERT_URL}?n=1",
    ]
    for url in spellings:
        verify(verifier, authority, url)
    assert fetch.urls == [CERT_URL]


def test_the_cache_is_bounded_and_fetches_are_limited_per_minute(authority: Authority) -> None:
    """600 different certificate URLs over three minutes: 10 fetches a minute, the rest
    refused, at most 8 chains cached."""
    fetch = Counting(authority)
    clock = Clock()
    verifier = Verifier(SKILL_ID, fetch=fetch, roots=[authority.root], clock=clock)
    refused = 0
    for minute in range(3):
        clock.now = NOW + minute * FETCH_WINDOW
        for n in range(200):
            try:
                verify(verifier, authority, CERT_URL.replace(".pem", f"-{minute}-{n}.pem"))
            except VerificationError as error:
                assert "too many certificate fetches" in str(error)
                refused += 1
    assert len(fetch.urls) == 3 * MAX_FETCHES_PER_WINDOW
    assert refused == 3 * (200 - MAX_FETCHES_PER_WINDOW)
    assert len(verifier._cache) <= MAX_CACHED_CHAINS
    # A cached chain needs no fetch, even when the window's fetches are used up.
    clock.now += timedelta(seconds=1)
    verify(verifier, authority, CERT_URL.replace(".pem", f"-2-{MAX_FETCHES_PER_WINDOW - 1}.pem"))


@pytest.mark.parametrize(
    ("bend", "reason"),
    [
        ({"stamp": NOW - timedelta(hours=1)}, "timestamp"),
        ({"skill_id": "amzn1.ask.skill.other"}, "another skill"),
    ],
)
def test_cheap_checks_come_before_any_fetch(authority: Authority, bend: dict, reason: str) -> None:
    """A stale timestamp or another skill's id: refused before any certificate fetch."""
    fetch = Counting(authority)
    verifier = Verifier(SKILL_ID, fetch=fetch, roots=[authority.root], clock=Clock())
    with pytest.raises(VerificationError, match=reason):
        verify(verifier, authority, CERT_URL, envelope(**bend))
    assert fetch.urls == []


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Signature-256": "not base64!"}, "signature"),
        ({"Signature-256": "A" * 5000}, "signature"),
        ({"SignatureCertChainUrl": "https://example.com/echo.api/x.pem"}, "s3.amazonaws.com"),
    ],
)
def test_malformed_headers_are_refused_before_any_fetch(
    authority: Authority, headers: dict, reason: str
) -> None:
    """A signature header that is not base64 or too long, or a URL off s3.amazonaws.com:
    refused before any fetch."""
    fetch = Counting(authority)
    verifier = Verifier(SKILL_ID, fetch=fetch, roots=[authority.root], clock=Clock())
    body, data = signed(authority)
    sent = {"SignatureCertChainUrl": CERT_URL, "Signature-256": authority.sign(body), **headers}
    with pytest.raises(VerificationError, match=reason):
        verifier.verify(sent, body, data)
    assert fetch.urls == []
