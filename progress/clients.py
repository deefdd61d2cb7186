"""LRS clients and their credentials (Communication §4): creating them, the LMS's own, and
checking a key and secret.

Secrets are 256-bit random tokens of which only a SHA-256 is stored
(docs/decisions/0004-lrs-client-secrets.md). Reading HTTP Basic credentials off a request, and
the scopes a request needs, are the protocol's (``progress.xapi.auth``).
"""

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

from progress.models import LRSClient, LRSScope

LMS_CLIENT_NAME = "Practica LMS"


def hash_secret(secret: str) -> str:
    """The stored form of a secret. Secrets are 256-bit random tokens, not passwords people
    choose, so one SHA-256 is as strong as a slow hash and keeps per-request checks cheap
    (docs/decisions/0004-lrs-client-secrets.md)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_credentials() -> tuple[str, str]:
    return secrets.token_hex(20), secrets.token_urlsafe(32)


@dataclass(frozen=True)
class NewClient:
    client: LRSClient
    secret: str  # shown once; only its hash is stored


def create_lrs_client(*, name: str, scopes: list[str], user: Any = None) -> NewClient:
    """Create LRS credentials (Communication §4). Raises ValueError naming a bad scope."""
    unknown = [s for s in scopes if s not in LRSScope.values]
    if unknown:
        raise ValueError(
            f"Unknown scope(s): {', '.join(unknown)}. Known: {', '.join(LRSScope.values)}."
        )
    if not scopes:
        raise ValueError("Give at least one scope.")
    if not name.strip():
        raise ValueError("Give the client a name.")
    key, secret = new_credentials()
    client = LRSClient.objects.create(
        name=name.strip(), key=key, secret_hash=hash_secret(secret), scopes=scopes, user=user
    )
    return NewClient(client=client, secret=secret)


def lms_client() -> LRSClient:
    """The LMS's own credentials (authority of the statements it writes); never handed out."""
    client = (
        LRSClient.objects.filter(name=LMS_CLIENT_NAME, user__isnull=True).order_by("id").first()
    )
    if client is None:
        key, secret = new_credentials()
        client = LRSClient.objects.create(
            name=LMS_CLIENT_NAME, key=key, secret_hash=hash_secret(secret), scopes=[LRSScope.ALL]
        )
    return client


# Content sends many small requests: the client row is kept in the process for a few seconds.
# A deactivated key is therefore refused at the latest CLIENT_CACHE_SECONDS later.
CLIENT_CACHE_SECONDS = 10.0
_client_cache: dict[str, tuple[float, LRSClient]] = {}


def _client_for_key(key: str) -> LRSClient | None:
    now = time.monotonic()
    cached = _client_cache.get(key)
    if cached and now - cached[0] < CLIENT_CACHE_SECONDS:
        return cached[1]
    client = LRSClient.objects.filter(key=key, is_active=True).first()
    if client is None:
        _client_cache.pop(key, None)
        return None
    if len(_client_cache) > 1000:
        _client_cache.clear()
    _client_cache[key] = (now, client)
    return client


def client_for_credentials(key: str, secret: str) -> LRSClient | None:
    """The active client with this key and secret; None for an unknown key or a wrong secret."""
    client = _client_for_key(key)
    if client is None or not hmac.compare_digest(client.secret_hash, hash_secret(secret)):
        return None
    return client


def forget_client(key: str) -> None:
    """Drop a client from this process's cache (after deactivating it)."""
    _client_cache.pop(key, None)
