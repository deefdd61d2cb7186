"""LRS client credentials: HTTP Basic authentication and scopes (Communication §4)."""

import base64
import binascii
import hashlib
import hmac
import secrets
import time

from progress.models import LRSClient, LRSScope
from progress.xapi.protocol import XAPIError, XAPIRequest

CHALLENGE = {"WWW-Authenticate": 'Basic realm="xAPI"'}

READ_STATEMENTS = frozenset(
    {LRSScope.STATEMENTS_READ, LRSScope.STATEMENTS_READ_MINE, LRSScope.ALL_READ, LRSScope.ALL}
)
WRITE_STATEMENTS = frozenset({LRSScope.STATEMENTS_WRITE, LRSScope.ALL})
READ_STATE = frozenset({LRSScope.STATE, LRSScope.ALL_READ, LRSScope.ALL})
WRITE_STATE = frozenset({LRSScope.STATE, LRSScope.ALL})
READ_PROFILE = frozenset({LRSScope.PROFILE, LRSScope.ALL_READ, LRSScope.ALL})
WRITE_PROFILE = frozenset({LRSScope.PROFILE, LRSScope.ALL})
READ_DEFINITIONS = frozenset(
    {LRSScope.DEFINE, LRSScope.STATEMENTS_READ, LRSScope.ALL_READ, LRSScope.ALL}
)


def hash_secret(secret: str) -> str:
    """The stored form of a secret. Secrets are 256-bit random tokens, not passwords people
    choose, so one SHA-256 is as strong as a slow hash and keeps per-request checks cheap
    (docs/decisions/0004-lrs-client-secrets.md)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_credentials() -> tuple[str, str]:
    return secrets.token_hex(20), secrets.token_urlsafe(32)


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


def forget_client(key: str) -> None:
    _client_cache.pop(key, None)


def authenticate(xrequest: XAPIRequest) -> LRSClient:
    """The active client named by the request's Basic credentials; 401 otherwise."""
    header = xrequest.header("Authorization") or ""
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        raise XAPIError(401, "Authentication is required (HTTP Basic).", CHALLENGE)
    try:
        key, sep, secret = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise XAPIError(401, "The Authorization header is malformed.", CHALLENGE) from exc
    client = _client_for_key(key) if sep else None
    if client is None or not hmac.compare_digest(client.secret_hash, hash_secret(secret)):
        raise XAPIError(401, "Unknown key or wrong secret.", CHALLENGE)
    return client


def require_scope(client: LRSClient, allowed: frozenset[str]) -> None:
    if not allowed.intersection(client.scopes):
        raise XAPIError(403, "These credentials do not have the scope this request needs.")
