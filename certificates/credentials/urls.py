"""URLs of certificates.credentials, mounted by certificates.urls:

- ``urlpatterns``, at the site root, no namespace: the published credential paths (names
  ``credential-…``) and public verification (``verify-start``, ``verify``, ``api-verify``);
- ``learner_patterns``, at /certificates/, namespace ``my-certificates``;
- ``staff_patterns``, at /accreditation/, namespace ``certificates`` (with the audit workspace).

The public paths are written into every signed credential (the issuer id, key ids, the status
list), so they come from the constants of keys.py and openbadges.py and never change.
"""

from django.urls import path

from certificates.credentials.keys import JWKS_PATH, KEY_PATH
from certificates.credentials.openbadges import ISSUER_PATH, STATUS_LIST_PATH
from certificates.credentials.views import learner as views_learner
from certificates.credentials.views import published as credential_views
from certificates.credentials.views import staff as staff_views
from certificates.credentials.views import verify as views_verify


def _route(absolute: str) -> str:
    return absolute.removeprefix("/")


urlpatterns = [
    path("verify/", views_verify.verify_start, name="verify-start"),
    path("verify/<str:code>", views_verify.verify_page, name="verify"),
    path("api/verify/<str:code>", views_verify.VerifyApiView.as_view(), name="api-verify"),
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

learner_patterns = [
    path("", views_learner.my_certificates, name="list"),
    path("<uuid:public_id>.pdf", views_learner.certificate_pdf, name="pdf"),
]

staff_patterns = [
    path("issue/", staff_views.issue, name="issue"),
]
