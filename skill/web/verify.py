"""Alexa's request verification for a self-hosted endpoint, with the `cryptography` package.

A skill served over HTTPS (not Lambda) must prove each request came from Alexa before
acting on it. The SDK's own verifier depends on oscrypto, which cannot load current
OpenSSL, so this is the same list of checks written on `cryptography`:

1. `SignatureCertChainUrl`: https, host s3.amazonaws.com, a normalised path under
   /echo.api/, port 443 if any.
2. The certificate chain at that URL (fetched with a timeout, cached until it expires):
   the signing certificate within its dates, naming echo-api.amazon.com, and chaining to
   a trusted root.
3. `Signature-256`: RSA PKCS#1 v1.5 with SHA-256 over the exact raw body.
4. The request's timestamp within 150 seconds of now (an hour for skill events).
5. The application id is this skill's.

The checks that cost nothing (headers' form, timestamp, application id, URL rules) run
before any fetch, so a forged request never makes this server reach out. The chain is
fetched from the URL in its normal form (no fragment, query, port or dot segments),
which is also its cache key: spellings of one URL share one fetch. The cache is bounded
and fetches are limited per minute, since every URL a client names could cost one.
"""

from __future__ import annotations

import base64
import binascii
import logging
import posixpath
import re
import ssl
import threading
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509 import verification

log = logging.getLogger(__name__)

CERT_URL_HEADER = "SignatureCertChainUrl"
SIGNATURE_HEADER = "Signature-256"
ALEXA_HOST = "s3.amazonaws.com"
ALEXA_PATH = "/echo.api/"
ALEXA_SAN = "echo-api.amazon.com"
MAX_SKEW = timedelta(seconds=150)
# Skill events (enabled, disabled, linked...) may be delivered up to an hour late.
MAX_EVENT_SKEW = timedelta(hours=1)
FETCH_TIMEOUT_SECONDS = 3.0
MAX_CHAIN_BYTES = 64 * 1024
# Alexa signs with one or two certificates at a time; a few more allow for rotation.
MAX_CACHED_CHAINS = 8
# Fetches allowed per FETCH_WINDOW: a real rotation needs one, an attack gets no more.
MAX_FETCHES_PER_WINDOW = 10
FETCH_WINDOW = timedelta(minutes=1)
# A SHA-256 RSA signature: 256 bytes for a 2048-bit key (base64, 344 characters); keys
# up to 4096 bits allowed.
MAX_SIGNATURE_CHARS = 700
_BASE64 = re.compile(r"^[A-Za-z0-9+/]+={0,2}$")

Fetch = Callable[[str], bytes]
Clock = Callable[[], datetime]


class VerificationError(Exception):
    """The request did not prove it came from Alexa; the message says which check failed."""


def fetch_over_https(url: str, timeout: float = FETCH_TIMEOUT_SECONDS) -> bytes:
    """Download a certificate chain, bounded in time and size."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read(MAX_CHAIN_BYTES + 1)


def system_roots() -> list[x509.Certificate]:
    """The machine's trusted roots (the same ones HTTPS clients on it trust)."""
    paths = ssl.get_default_verify_paths()
    for candidate in (paths.cafile, paths.openssl_cafile):
        if candidate and Path(candidate).is_file():
            return x509.load_pem_x509_certificates(Path(candidate).read_bytes())
    raise VerificationError("no trusted root certificates found on this machine")


def check_cert_url(url: str) -> str:
    """Alexa's rules for SignatureCertChainUrl; raises VerificationError if broken.

    Returns the URL in its normal form: the one to fetch, and the cache's key."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "https":
        raise VerificationError("certificate URL is not https")
    if (parts.hostname or "").lower() != ALEXA_HOST:
        raise VerificationError("certificate URL is not on s3.amazonaws.com")
    try:
        port = parts.port
    except ValueError as error:
        raise VerificationError("certificate URL has a bad port") from error
    if port not in (None, 443):
        raise VerificationError("certificate URL is not on port 443")
    path = posixpath.normpath(unquote(parts.path))
    if not path.startswith(ALEXA_PATH):
        raise VerificationError("certificate URL path is not under /echo.api/")
    return f"https://{ALEXA_HOST}{quote(path)}"


def check_signature_form(signature: str) -> None:
    """The header looks like a signature: base64 of a plausible length (decoded later)."""
    if len(signature) > MAX_SIGNATURE_CHARS or not _BASE64.match(signature):
        raise VerificationError("signature is not base64 of a plausible length")


@dataclass
class _Cached:
    chain: list[x509.Certificate]
    until: datetime


@dataclass
class Verifier:
    """Checks requests for one skill; `fetch`, `roots` and `clock` are replaceable so that
    tests use their own authority and never touch the network."""

    skill_id: str
    fetch: Fetch = fetch_over_https
    roots: list[x509.Certificate] | None = None
    clock: Clock = field(default=lambda: datetime.now(UTC))
    _cache: dict[str, _Cached] = field(default_factory=dict, repr=False)
    _fetched_at: list[datetime] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def verify(self, headers: Mapping[str, str], body: bytes, envelope: dict) -> None:
        """Raise VerificationError unless this request is from Alexa, now, for this skill."""
        # HTTP header names are case-insensitive, and servers spell them differently.
        named = {key.lower(): value for key, value in headers.items()}
        url = named.get(CERT_URL_HEADER.lower()) or ""
        signature = named.get(SIGNATURE_HEADER.lower()) or ""
        if not url or not signature:
            raise VerificationError("missing signature headers")
        check_signature_form(signature)
        check_timestamp(envelope, self.clock())
        check_application(envelope, self.skill_id)
        leaf = self._chain(check_cert_url(url))[0]
        check_signature(leaf, signature, body)

    def _chain(self, url: str) -> list[x509.Certificate]:
        """The certificate chain at `url` (normal form), validated; cached until its leaf
        expires."""
        now = self.clock()
        with self._lock:
            cached = self._cache.get(url)
            if cached and now < cached.until:
                return cached.chain
            self._count_fetch(now)
        try:
            pem = self.fetch(url)
        except Exception as error:  # any failure to fetch is the same answer to the client
            log.warning("could not fetch a certificate chain: %s", type(error).__name__)
            raise VerificationError("could not fetch the certificate chain") from error
        if len(pem) > MAX_CHAIN_BYTES:
            raise VerificationError("certificate chain is too large")
        try:
            chain = x509.load_pem_x509_certificates(pem)
        except ValueError as error:
            raise VerificationError("certificate chain is not PEM") from error
        self._validate(chain, now)
        with self._lock:
            for stale in [key for key, entry in self._cache.items() if entry.until <= now]:
                del self._cache[stale]
            while len(self._cache) >= MAX_CACHED_CHAINS:
                del self._cache[next(iter(self._cache))]  # the oldest first
            self._cache[url] = _Cached(chain, chain[0].not_valid_after_utc)
        return chain

    def _count_fetch(self, now: datetime) -> None:
        """Allow a fetch unless the window's are used up (called under the lock)."""
        self._fetched_at[:] = [when for when in self._fetched_at if now - when < FETCH_WINDOW]
        if len(self._fetched_at) >= MAX_FETCHES_PER_WINDOW:
            raise VerificationError("too many certificate fetches; try again in a minute")
        self._fetched_at.append(now)

    def _validate(self, chain: list[x509.Certificate], now: datetime) -> None:
        leaf, intermediates = chain[0], chain[1:]
        if not leaf.not_valid_before_utc <= now <= leaf.not_valid_after_utc:
            raise VerificationError("signing certificate is expired or not yet valid")
        if ALEXA_SAN not in subject_names(leaf):
            raise VerificationError("signing certificate is not for echo-api.amazon.com")
        store = verification.Store(self.roots if self.roots is not None else system_roots())
        verifier = (
            verification.PolicyBuilder()
            .store(store)
            .time(now)
            .build_server_verifier(x509.DNSName(ALEXA_SAN))
        )
        try:
            verifier.verify(leaf, intermediates)
        except verification.VerificationError as error:
            raise VerificationError("certificate chain is not trusted") from error


def subject_names(certificate: x509.Certificate) -> list[str]:
    try:
        extension = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return []
    return [name.lower() for name in extension.value.get_values_for_type(x509.DNSName)]


def check_signature(leaf: x509.Certificate, signature: str, body: bytes) -> None:
    key = leaf.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise VerificationError("signing certificate has no RSA key")
    try:
        raw = base64.b64decode(signature, validate=True)
        key.verify(raw, body, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, binascii.Error, ValueError) as error:
        raise VerificationError("signature does not match the body") from error


def check_timestamp(envelope: dict, now: datetime) -> None:
    request = envelope.get("request") or {}
    try:
        stamp = datetime.fromisoformat(str(request.get("timestamp")).replace("Z", "+00:00"))
    except ValueError as error:
        raise VerificationError("request timestamp is missing or unreadable") from error
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    event = str(request.get("type", "")).startswith("AlexaSkillEvent.")
    if abs(now - stamp) > (MAX_EVENT_SKEW if event else MAX_SKEW):
        raise VerificationError("request timestamp is too old or in the future")


def check_application(envelope: dict, skill_id: str) -> None:
    context = ((envelope.get("context") or {}).get("System") or {}).get("application") or {}
    session = (envelope.get("session") or {}).get("application") or {}
    application = context.get("applicationId") or session.get("applicationId")
    if application != skill_id:
        raise VerificationError("request is for another skill")
