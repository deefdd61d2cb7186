"""The site's signing keys: creation, rotation, encryption at rest and publication.

- New keys are RSA, 2048 bits, public exponent 65537, and sign with RS256 (RFC 7518 §3.3,
  RSASSA-PKCS1-v1_5 with SHA-256): OB 3.0 §8.2.3 (and CLR 2.0, which repeats it) says the JOSE
  ``alg`` "MUST be "RS256" as a minimum"; 2048 bits is the least 1EdTech's Security Framework
  allows (SEC-11, IMS Global Security Framework v1.1, §6.1 "RSA Key").
- Keys made before that are Ed25519 and signed with EdDSA (RFC 8037). They stay published and
  verifiable; none signs again. ``SigningKey.algorithm`` says which algorithm a key signs (and
  verifies) with: the key decides, never a token's header.
- The newest active RS256 key signs (``active_key``); the first one is made on demand. If only
  Ed25519 keys are active (a site upgraded from before the switch), the first call makes an RSA
  key and retires them, in one transaction: the first signature after the upgrade is RS256.
- ``rotate_signing_key`` retires every active key and makes a new one. A retired key keeps its
  public half, published in the JWKS, so that what it signed stays verifiable; its private half
  is erased, so that it can never sign again.
- Private keys are stored as PKCS#8 PEM encrypted (``BestAvailableEncryption``) with a password
  derived from ``SECRET_KEY`` by HKDF-SHA256: a database dump alone cannot sign. After a change
  of ``SECRET_KEY``, keep the old value in ``SECRET_KEY_FALLBACKS`` until ``rotate_signing_key``
  has run (decryption tries each); then it can go.
- A key's id (``kid``) is its RFC 7638 JWK thumbprint. Published keys are named by an absolute
  URL, ``SITE_URL/credentials/keys/<kid>``, that dereferences to the JWK (OB 3.0 §8.2.3: the JOSE
  header ``kid`` is "a URI that can be dereferenced to an object of type JWK"). The same URL is
  the ``kid`` member of the JWK in ``/.well-known/jwks.json``, so standard JOSE tools that pick a
  key from a JWKS by ``kid`` find it. Each published JWK says its ``alg`` and ``use: "sig"``.
"""

import base64
import functools
import hashlib
import json
from collections.abc import Iterator
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from certificates.credentials.models import SigningKey
from lms.api import Unavailable

# Public paths, baked into every credential signed: they must never change (urls_credentials.py
# serves them from these constants).
JWKS_PATH = "/.well-known/jwks.json"
KEY_PATH = "/credentials/keys/{kid}"

RS256 = SigningKey.Algorithm.RS256  # RFC 7518 §3.3; OB 3.0 §8.2.3's minimum
EDDSA = SigningKey.Algorithm.EDDSA  # RFC 8037 §3.1, Ed25519: keys made before the switch
SIGNING_ALGORITHM = RS256  # what new keys sign with
ALGORITHMS = frozenset(SigningKey.Algorithm.values)  # what published keys may verify

# SEC-11 §6.1 "RSA Key": 2048 bits at least. Public exponent 65537 (F4), the one in general use.
RSA_KEY_SIZE = 2048
RSA_PUBLIC_EXPONENT = 65537

# RFC 7638 §3.2: the required members of each key type, which alone make its thumbprint.
_THUMBPRINT_MEMBERS = {"OKP": ("crv", "kty", "x"), "RSA": ("e", "kty", "n")}

# HKDF (RFC 5869) inputs: the salt and info bind the derived password to this one use of the
# secret, so it is worth nothing for anything else derived from SECRET_KEY.
_HKDF_SALT = b"practica.certificates.keys"
_HKDF_INFO = b"SigningKey.private_key PKCS#8 password v1"

# pg_advisory_xact_lock key: two processes do not create or rotate keys at the same time.
_LOCK_ID = 0x50524B31  # "PRK1"

PrivateKey = rsa.RSAPrivateKey | Ed25519PrivateKey
PublicKey = rsa.RSAPublicKey | Ed25519PublicKey


class SigningKeyUnavailableError(Unavailable):
    """The active key's private half cannot be decrypted with SECRET_KEY (or its fallbacks)."""


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _password(secret: str) -> bytes:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=_HKDF_INFO).derive(
        secret.encode()
    )
    return base64.urlsafe_b64encode(derived)


def _secrets() -> Iterator[str]:
    yield settings.SECRET_KEY
    yield from getattr(settings, "SECRET_KEY_FALLBACKS", [])


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64url_uint(value: int) -> str:
    """RFC 7518 §2 Base64urlUInt: big-endian, in as few octets as the value needs."""
    return _b64url(value.to_bytes(max(1, -(-value.bit_length() // 8)), "big"))


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 §3.2 JWK thumbprint: SHA-256 over the key type's required members (OKP: crv,
    kty, x; RSA: e, kty, n), in lexicographic order, as JSON without whitespace."""
    required = {name: jwk[name] for name in _THUMBPRINT_MEMBERS[jwk["kty"]]}
    canonical = json.dumps(required, separators=(",", ":"), sort_keys=True).encode()
    return _b64url(hashlib.sha256(canonical).digest())


def public_jwk_of(public_key: PublicKey) -> dict[str, str]:
    """A public key as a JWK of its public members only: RSA (RFC 7518 §6.3.1: ``n``, ``e``;
    never ``d``, ``p``, ``q``, ``dp``, ``dq``, ``qi``) or Ed25519 (RFC 8037 §2: OKP ``crv``,
    ``x``; never ``d``)."""
    if isinstance(public_key, rsa.RSAPublicKey):
        numbers = public_key.public_numbers()
        return {"kty": "RSA", "n": _b64url_uint(numbers.n), "e": _b64url_uint(numbers.e)}
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw)}


def key_url(kid: str) -> str:
    """The absolute URL naming (and serving) a key: the ``kid`` of JOSE headers and the JWKS."""
    return settings.SITE_URL + KEY_PATH.format(kid=kid)


def jwks_url() -> str:
    return settings.SITE_URL + JWKS_PATH


def _new_key_pair(algorithm: str) -> tuple[dict[str, str], str]:
    """A fresh key for ``algorithm``: its public JWK and its private half as PKCS#8 PEM,
    encrypted with the password derived from SECRET_KEY."""
    private: PrivateKey
    if algorithm == RS256:
        private = rsa.generate_private_key(
            public_exponent=RSA_PUBLIC_EXPONENT, key_size=RSA_KEY_SIZE
        )
    elif algorithm == EDDSA:
        private = Ed25519PrivateKey.generate()
    else:
        raise ValueError(f"No signing key is made for the algorithm {algorithm!r}.")
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_password(settings.SECRET_KEY)),
    )
    return public_jwk_of(private.public_key()), pem.decode("ascii")


def _create_key(algorithm: str = SIGNING_ALGORITHM) -> SigningKey:
    """A new active key. Only RS256 keys sign now; ``EDDSA`` stays for tests that need a key as
    the site made them before the switch."""
    jwk, pem = _new_key_pair(algorithm)
    return SigningKey.objects.create(
        kid=thumbprint(jwk), algorithm=algorithm, private_key=pem, public_jwk=jwk
    )


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])


def _retire(keys: "QuerySet[SigningKey]") -> None:
    """Keys that will sign no more: public half kept (published), private half erased."""
    keys.update(retired_at=timezone.now(), private_key="")


def _newest_active() -> SigningKey | None:
    """The newest active key of the algorithm that signs now (an active Ed25519 key is not)."""
    active = SigningKey.objects.filter(retired_at__isnull=True, algorithm=SIGNING_ALGORITHM)
    return active.order_by("-created_at", "-pk").first()


def active_key() -> SigningKey:
    """The key that signs now. The first one is created if there is none; any Ed25519 key still
    active (made before the switch to RS256) is retired then, its public half still published.
    One query once the key exists."""
    key = _newest_active()
    if key is not None:
        return key
    with transaction.atomic():
        _lock()
        key = _newest_active()
        if key is not None:
            return key  # another process made it while this one waited for the lock
        _retire(SigningKey.objects.filter(retired_at__isnull=True))
        return _create_key()


@transaction.atomic
def rotate_signing_key() -> SigningKey:
    """Retire the active key(s) and make a new (RS256) one. Retired keys stay published (what
    they signed stays verifiable) but lose their private half (they can sign nothing more)."""
    _lock()
    _retire(SigningKey.objects.filter(retired_at__isnull=True))
    return _create_key()


def private_key_of(key: SigningKey) -> PrivateKey:
    """Decrypt a key's private half with the password derived from SECRET_KEY (or a fallback).
    It must be of the kind the key's algorithm names (RSA for RS256, Ed25519 for EdDSA)."""
    if not key.private_key:
        raise SigningKeyUnavailableError(f"Key {key.kid} is retired: it no longer signs.")
    private = _decrypted(key.private_key, tuple(_secrets()))
    if private is None:
        raise SigningKeyUnavailableError(
            f"Key {key.kid} cannot be decrypted with SECRET_KEY or SECRET_KEY_FALLBACKS: was the "
            "secret key changed? Put the old one in SECRET_KEY_FALLBACKS, or run "
            "rotate_signing_key."
        )
    expected = rsa.RSAPrivateKey if key.algorithm == RS256 else Ed25519PrivateKey
    if not isinstance(private, expected):
        raise SigningKeyUnavailableError(f"Key {key.kid} is not a key for {key.algorithm}.")
    return private


@functools.lru_cache(maxsize=8)
def _decrypted(pem: str, secrets: tuple[str, ...]) -> PrivateKeyTypes | None:
    """The private key a PEM holds, decrypted with the first secret that opens it; None if none
    does. Cached per process: loading an RSA key checks its consistency (about 50 ms), which
    need not be paid for every signature. A retired key is never looked up (its PEM is erased
    and ``private_key_of`` refuses it first); the cache key holds the secrets, so a changed
    SECRET_KEY is honoured at once."""
    for secret in secrets:
        try:
            return serialization.load_pem_private_key(pem.encode("ascii"), _password(secret))
        except ValueError:
            continue  # a wrong password: try the next secret
    return None


def public_key_of(key: SigningKey) -> PublicKey:
    """A key's public half, read from its stored JWK as its algorithm says: RS256 an RSA key
    (RFC 7518 §6.3.1 ``n``, ``e``), EdDSA an Ed25519 key (RFC 8037 §2 ``x``)."""
    jwk = key.public_jwk
    if key.algorithm == RS256 and jwk.get("kty") == "RSA":
        e, n = (int.from_bytes(_b64url_decode(jwk[name]), "big") for name in ("e", "n"))
        return rsa.RSAPublicNumbers(e, n).public_key()
    if key.algorithm == EDDSA and (jwk.get("kty"), jwk.get("crv")) == ("OKP", "Ed25519"):
        return Ed25519PublicKey.from_public_bytes(_b64url_decode(jwk["x"]))
    raise ValueError(f"Key {key.kid}: its JWK is not a key for {key.algorithm}.")


def published_jwk(key: SigningKey) -> dict[str, str]:
    """A key as published: RFC 7517 §4 members, ``kid`` its URL, ``alg`` its algorithm, ``use``
    "sig"; public members only (re-derived from the public key, whatever the row holds)."""
    jwk = public_jwk_of(public_key_of(key))
    return {"kid": key_url(key.kid), **jwk, "alg": key.algorithm, "use": "sig"}


def public_jwks() -> dict[str, list[dict[str, str]]]:
    """Every key, active and retired, RSA and Ed25519, as an RFC 7517 §5 JWK Set (newest
    first)."""
    newest_first = SigningKey.objects.order_by("-created_at", "-pk")
    return {"keys": [published_jwk(key) for key in newest_first]}


def verification_keys() -> dict[str, SigningKey]:
    """Every key a credential of this site may name, by the ``kid`` forms accepted: the URL
    (what this site writes) and the bare thumbprint."""
    keys: dict[str, SigningKey] = {}
    for key in SigningKey.objects.all():
        keys[key.kid] = key
        keys[key_url(key.kid)] = key
    return keys
