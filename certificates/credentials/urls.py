"""Credential URLs, included at the site root (no namespace; names start with ``credential-``).

The public paths are written into every signed credential (the issuer id, key ids, the status
list), so they come from the constants of keys.py and credentials.py and never change.
"""

from django.urls import path

from certificates.credentials.keys import JWKS_PATH, KEY_PATH
from certificates.credentials.openbadges import ISSUER_PATH, STATUS_LIST_PATH
from certificates.credentials.views import published as credential_views


def _route(absolute: str) -> str:
    return absolute.removeprefix("/")


urlpatterns = [
    path(_route(JWKS_PATH), credential_views.jwks, name="credential-jwks"),
    path(
        _route(KEY_PATH.format(kid="<str:kid>")),
        credential_views.signing_key,
        name="credential-key",
    ),
    path(_route(ISSUER_PATH), credential_views.issuer, name="credential-issuer"),
    path(
        # JWT VC Issuer Metadata: the well-known segment goes before the issuer's path.
        ".well-known/jwt-vc-issuer" + ISSUER_PATH,
        credential_views.jwt_vc_issuer_metadata,
        name="credential-issuer-metadata",
    ),
    path(_route(STATUS_LIST_PATH), credential_views.status_list, name="credential-status-list"),
    path(
        "credentials/<uuid:public_id>.jwt",
        credential_views.download,
        name="credential-download",
    ),
]
