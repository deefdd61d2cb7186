"""Reading compact JWSs as a third party would: base64url, the JWKS fetched over HTTP, and
signatures checked by jwcrypto (a library other than the one that signs)."""

import base64
import json

from jwcrypto import jwk
from jwcrypto import jwt as jose_jwt


def b64url_decode(segment):
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def b64url_encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def segments(token):
    header, payload, signature = token.split(".")
    return json.loads(b64url_decode(header)), json.loads(b64url_decode(payload)), signature


def published_keyset(client):
    """The JWKS as a third party gets it: over HTTP, loaded by jwcrypto."""
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    return jwk.JWKSet.from_json(response.content)


def independently_verified_claims(token, keyset, algs=("RS256",)):
    """jwcrypto checks the signature (and exp / nbf) with the JWKS key the header's kid names,
    accepting only the algorithms given: RS256 (OB 3.0 / CLR 2.0 §8.2.3), unless told."""
    return json.loads(jose_jwt.JWT(jwt=token, key=keyset, algs=list(algs)).claims)
