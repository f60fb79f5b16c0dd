"""Alexa request verification, against a certificate authority made here: a correctly
signed request is accepted and every broken one is refused with a 400. The certificate
fetch is a function the test supplies, so nothing leaves the machine."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from harness.replies import DATA
from skill.config import Settings
from skill.web.server import ServerConfig, create_app
from skill.web.verify import VerificationError, Verifier, check_cert_url

SKILL_ID = "amzn1.ask.skill.cramp-coach-test"
NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def certificate(
    subject: str,
    key: rsa.RSAPrivateKey,
    issuer: tuple[x509.Certificate, rsa.RSAPrivateKey] | None = None,
    *,
    ca: bool = False,
    san: str = "echo-api.amazon.com",
    valid: tuple[datetime, datetime] = (NOW - timedelta(days=30), NOW + timedelta(days=300)),
) -> x509.Certificate:
    """A certificate shaped like a real web PKI one (the extensions a verifier expects)."""
    issuer_cert, issuer_key = issuer or (None, key)
    public = key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(name(subject))
        .issuer_name(issuer_cert.subject if issuer_cert else name(subject))
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid[0])
        .not_valid_after(valid[1])
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    else:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(san)]), critical=False
        ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


@dataclass
class Authority:
    """A root, an intermediate, and a signing certificate for echo-api.amazon.com."""

    root_key: rsa.RSAPrivateKey = field(default_factory=new_key)
    middle_key: rsa.RSAPrivateKey = field(default_factory=new_key)
    leaf_key: rsa.RSAPrivateKey = field(default_factory=new_key)

    def __post_init__(self) -> None:
        self.root = certificate("Test Root", self.root_key, ca=True)
        self.middle = certificate(
            "Test Middle", self.middle_key, (self.root, self.root_key), ca=True
        )

    def chain(self, **leaf_options: object) -> bytes:
        leaf = certificate(
            "echo-api.amazon.com", self.leaf_key, (self.middle, self.middle_key), **leaf_options
        )
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (leaf, self.middle))

    def sign(self, body: bytes) -> str:
        signature = self.leaf_key.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signature).decode()


@pytest.fixture(scope="module")
def authority() -> Authority:
    return Authority()


def envelope(stamp: datetime = NOW, skill_id: str = SKILL_ID) -> dict:
    data = json.loads((DATA / "requests/LaunchRequest__jovo.json").read_text())
    data["request"]["timestamp"] = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    data["session"]["application"]["applicationId"] = skill_id
    data["context"]["System"]["application"]["applicationId"] = skill_id
    return data


class Endpoint:
    """The real Flask app with verification on, fetching from `served` instead of S3."""

    def __init__(self, authority: Authority, chain: bytes | None = None) -> None:
        self.authority = authority
        self.served = chain if chain is not None else authority.chain()
        self.fetches = 0
        self.verifier = Verifier(
            SKILL_ID, fetch=self.fetch, roots=[authority.root], clock=lambda: NOW
        )
        config = ServerConfig(settings=Settings(skill_id=SKILL_ID), verifier=self.verifier)
        self.client = create_app(config).test_client()

    def fetch(self, url: str) -> bytes:
        self.fetches += 1
        if url.endswith("missing.pem"):
            raise OSError("connection refused")
        return self.served

    def post(
        self,
        data: dict,
        url: str = CERT_URL,
        body: bytes | None = None,
        signature: str | None = None,
    ) -> tuple[int, dict]:
        raw = json.dumps(data).encode()
        headers = {
            "SignatureCertChainUrl": url,
            "Signature-256": signature or self.authority.sign(raw),
        }
        reply = self.client.post(
            "/alexa", data=body or raw, headers=headers, content_type="application/json"
        )
        return reply.status_code, reply.get_json()


def test_a_correctly_signed_request_is_answered(authority: Authority) -> None:
    endpoint = Endpoint(authority)
    status, reply = endpoint.post(envelope())
    assert status == 200 and "Where is the cramp" in reply["response"]["outputSpeech"]["ssml"]
    endpoint.post(envelope())
    assert endpoint.fetches == 1, "the chain is cached"


@pytest.mark.parametrize(
    "url",
    [
        "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://notamazon.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
        "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
        "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../echo-api-cert.pem",
        "https://s3.amazonaws.com:99999/echo.api/echo-api-cert.pem",
        "",
    ],
)
def test_bad_certificate_urls_are_refused(authority: Authority, url: str) -> None:
    status, reply = Endpoint(authority).post(envelope(), url=url)
    assert status == 400 and reply["error"].startswith("request verification failed")


@pytest.mark.parametrize(
    "url",
    [
        "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
        "HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
    ],
)
def test_good_certificate_url_forms_pass(url: str) -> None:
    check_cert_url(url)


def test_an_expired_certificate_is_refused(authority: Authority) -> None:
    old = (NOW - timedelta(days=400), NOW - timedelta(days=1))
    status, reply = Endpoint(authority, authority.chain(valid=old)).post(envelope())
    assert status == 400 and "expired" in reply["error"]


def test_a_certificate_for_another_name_is_refused(authority: Authority) -> None:
    chain = authority.chain(san="echo-api.example.com")
    status, reply = Endpoint(authority, chain).post(envelope())
    assert status == 400 and "echo-api.amazon.com" in reply["error"]


def test_a_chain_to_an_unknown_root_is_refused(authority: Authority) -> None:
    stranger = Authority()
    endpoint = Endpoint(authority, stranger.chain())
    raw = json.dumps(envelope()).encode()
    status, reply = endpoint.post(envelope(), signature=stranger.sign(raw))
    assert status == 400 and "not trusted" in reply["error"]


def test_a_tampered_body_is_refused(authority: Authority) -> None:
    endpoint = Endpoint(authority)
    signed = json.dumps(envelope()).encode()
    tampered = signed.replace(b"LaunchRequest", b"LaunchRequesT", 1)
    reply = endpoint.client.post(
        "/alexa",
        data=tampered,
        content_type="application/json",
        headers={"SignatureCertChainUrl": CERT_URL, "Signature-256": authority.sign(signed)},
    )
    assert reply.status_code == 400 and "signature" in reply.get_json()["error"]


def test_a_garbled_signature_is_refused(authority: Authority) -> None:
    status, reply = Endpoint(authority).post(envelope(), signature="not base64!")
    assert status == 400 and "signature" in reply["error"]


@pytest.mark.parametrize("offset", [timedelta(seconds=151), -timedelta(seconds=151)])
def test_a_stale_or_future_timestamp_is_refused(authority: Authority, offset: timedelta) -> None:
    status, reply = Endpoint(authority).post(envelope(stamp=NOW + offset))
    assert status == 400 and "timestamp" in reply["error"]


def test_a_timestamp_within_150_seconds_is_fine(authority: Authority) -> None:
    status, _ = Endpoint(authority).post(envelope(stamp=NOW - timedelta(seconds=149)))
    assert status == 200


def test_a_request_for_another_skill_is_refused(authority: Authority) -> None:
    status, reply = Endpoint(authority).post(envelope(skill_id="amzn1.ask.skill.other"))
    assert status == 400 and "another skill" in reply["error"]


def test_an_unreachable_certificate_url_is_refused(authority: Authority) -> None:
    url = "https://s3.amazonaws.com/echo.api/missing.pem"
    status, reply = Endpoint(authority).post(envelope(), url=url)
    assert status == 400 and "could not fetch" in reply["error"]


def test_garbage_at_the_certificate_url_is_refused(authority: Authority) -> None:
    status, reply = Endpoint(authority, b"<html>not a certificate</html>").post(envelope())
    assert status == 400 and "PEM" in reply["error"]


def test_missing_headers_are_refused(authority: Authority) -> None:
    endpoint = Endpoint(authority)
    reply = endpoint.client.post("/alexa", json=envelope())
    assert reply.status_code == 400 and "missing signature" in reply.get_json()["error"]


def test_the_verifier_can_be_used_on_its_own(authority: Authority) -> None:
    verifier = Endpoint(authority).verifier
    body = json.dumps(envelope()).encode()
    headers = {"SignatureCertChainUrl": CERT_URL, "Signature-256": authority.sign(body)}
    verifier.verify(headers, body, envelope())
    with pytest.raises(VerificationError):
        verifier.verify(headers, body + b" ", envelope())
