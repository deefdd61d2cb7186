"""The site's Ed25519 signing keys: creation, rotation, encryption at rest and publication.

- The newest key that is not retired signs (``active_key``); the first one is made on demand.
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
  key from a JWKS by ``kid`` find it.
"""

import base64
import hashlib
import json
from collections.abc import Iterator
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from certificates.models import SigningKey

# Public paths, baked into every credential signed: they must never change (urls_credentials.py
# serves them from these constants).
JWKS_PATH = "/.well-known/jwks.json"
KEY_PATH = "/credentials/keys/{kid}"

ALGORITHM = "EdDSA"  # RFC 8037 §3.1: EdDSA with the Ed25519 curve

# HKDF (RFC 5869) inputs: the salt and info bind the derived password to this one use of the
# secret, so it is worth nothing for anything else derived from SECRET_KEY.
_HKDF_SALT = b"practica.certificates.keys"
_HKDF_INFO = b"SigningKey.private_key PKCS#8 password v1"

# pg_advisory_xact_lock key: two processes do not create or rotate keys at the same time.
_LOCK_ID = 0x50524B31  # "PRK1"


class SigningKeyUnavailableError(Exception):
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


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 §3.2 JWK thumbprint of an OKP key: SHA-256 over its required members, sorted."""
    required = {"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk["x"]}
    canonical = json.dumps(required, separators=(",", ":"), sort_keys=True).encode()
    return _b64url(hashlib.sha256(canonical).digest())


def public_jwk_of(public_key: Ed25519PublicKey) -> dict[str, str]:
    """RFC 8037 §2: an Ed25519 public key as an OKP JWK (never a ``d`` member)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw)}


def key_url(kid: str) -> str:
    """The absolute URL naming (and serving) a key: the ``kid`` of JOSE headers and the JWKS."""
    return settings.SITE_URL + KEY_PATH.format(kid=kid)


def jwks_url() -> str:
    return settings.SITE_URL + JWKS_PATH


def _create_key() -> SigningKey:
    private = Ed25519PrivateKey.generate()
    jwk = public_jwk_of(private.public_key())
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_password(settings.SECRET_KEY)),
    )
    return SigningKey.objects.create(
        kid=thumbprint(jwk), private_key=pem.decode("ascii"), public_jwk=jwk
    )


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])


def _newest_active() -> SigningKey | None:
    return SigningKey.objects.filter(retired_at__isnull=True).order_by("-created_at", "-pk").first()


def active_key() -> SigningKey:
    """The key that signs now; the first one is created if there is none."""
    key = _newest_active()
    if key is not None:
        return key
    with transaction.atomic():
        _lock()
        return _newest_active() or _create_key()


@transaction.atomic
def rotate_signing_key() -> SigningKey:
    """Retire the active key(s) and make a new one. Retired keys stay published (what they
    signed stays verifiable) but lose their private half (they can sign nothing more)."""
    _lock()
    SigningKey.objects.filter(retired_at__isnull=True).update(
        retired_at=timezone.now(), private_key=""
    )
    return _create_key()


def private_key_of(key: SigningKey) -> Ed25519PrivateKey:
    """Decrypt a key's private half with the password derived from SECRET_KEY (or a fallback)."""
    if not key.private_key:
        raise SigningKeyUnavailableError(f"Key {key.kid} is retired: it no longer signs.")
    pem = key.private_key.encode("ascii")
    for secret in _secrets():
        try:
            private = serialization.load_pem_private_key(pem, password=_password(secret))
        except ValueError:
            continue  # a wrong password: try the next secret
        if isinstance(private, Ed25519PrivateKey):
            return private
    raise SigningKeyUnavailableError(
        f"Key {key.kid} cannot be decrypted with SECRET_KEY or SECRET_KEY_FALLBACKS: was the "
        "secret key changed? Put the old one in SECRET_KEY_FALLBACKS, or run rotate_signing_key."
    )


def published_jwk(key: SigningKey) -> dict[str, str]:
    """A key as published: RFC 7517 §4 members, ``kid`` its URL; public members only."""
    jwk = public_jwk_of(public_key_of(key))
    return {"kid": key_url(key.kid), **jwk, "alg": ALGORITHM, "use": "sig"}


def public_key_of(key: SigningKey) -> Ed25519PublicKey:
    raw = base64.urlsafe_b64decode(key.public_jwk["x"] + "==")
    return Ed25519PublicKey.from_public_bytes(raw)


def public_jwks() -> dict[str, list[dict[str, str]]]:
    """Every key, active and retired, as an RFC 7517 §5 JWK Set (newest first)."""
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
