"""Public endpoints a third party needs to verify the site's credentials with standard tools:
the keys (JWKS and each key by its URL), the issuer Profile, the revocation list; and the
learner's own download of a certificate's credential.

Everything but the download is public, cacheable and open to other origins (CORS), so that a
verifier running in a browser can fetch it.
"""

import json
import re
import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from certificates.credentials import keys
from certificates.credentials import openbadges as credentials
from certificates.credentials.models import Certificate, SigningKey
from lms.api import AuthenticatedHttpRequest

# Keys and the issuer change rarely (a rotation); the status list as often as a revocation.
KEYS_MAX_AGE = 10 * 60


def _public(response: HttpResponse, max_age: int) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=max_age)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _json(document: dict[str, Any], content_type: str, max_age: int) -> HttpResponse:
    body = json.dumps(document, ensure_ascii=False, indent=2)
    return _public(HttpResponse(body, content_type=f"{content_type}; charset=utf-8"), max_age)


@require_safe
def jwks(request: HttpRequest) -> HttpResponse:
    """RFC 7517 §5 JWK Set of every signing key, active and retired (RFC 7517 §8.5 media type)."""
    return _json(keys.public_jwks(), "application/jwk-set+json", KEYS_MAX_AGE)


@require_safe
def signing_key(request: HttpRequest, kid: str) -> HttpResponse:
    """One key, at the URL that is its ``kid`` (OB 3.0 §8.2.3: a ``kid`` dereferences to a JWK)."""
    key = get_object_or_404(SigningKey, kid=kid)
    return _json(keys.published_jwk(key), "application/jwk+json", KEYS_MAX_AGE)


@require_safe
def issuer(request: HttpRequest) -> HttpResponse:
    """The issuer Profile (OB 3.0 appendix B Profile), at the URL that is its id."""
    profile = {"@context": [credentials.VC_CONTEXT, credentials.OB_CONTEXT]}
    profile.update(credentials.issuer_profile())
    return _json(profile, "application/ld+json", KEYS_MAX_AGE)


@require_safe
def jwt_vc_issuer_metadata(request: HttpRequest) -> HttpResponse:
    """JWT VC Issuer Metadata (IETF SD-JWT VC draft, referred to by VC-JOSE-COSE §4.2.1): where a
    verifier that starts from ``iss`` finds the keys."""
    metadata = {"issuer": credentials.issuer_id(), "jwks_uri": keys.jwks_url()}
    return _json(metadata, "application/json", KEYS_MAX_AGE)


@require_safe
def status_list(request: HttpRequest) -> HttpResponse:
    """The BitstringStatusListCredential as a VC-JWT (VC-JOSE-COSE media type), cached by
    verifiers for the list's ``ttl`` (BSL §2.2) and no longer."""
    response = HttpResponse(credentials.status_list_credential(), content_type="application/vc+jwt")
    return _public(response, credentials.STATUS_LIST_TTL_SECONDS)


@require_safe
@login_required
@cache_control(private=True, no_store=True)
def download(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The learner's own credential, as OB 3.0 §5.1 / §5.2 describe a VC-JWT document: the compact
    JWS, ``text/plain``, a ``.jwt`` file. Anyone else's, or one not yet signed: 404."""
    certificate = get_object_or_404(
        Certificate.objects.only("serial", "credential", "learner_id"),
        public_id=public_id,
        learner=request.user,
    )
    if not certificate.credential:
        raise Http404
    response = HttpResponse(certificate.credential, content_type="text/plain; charset=utf-8")
    filename = re.sub(r"[^A-Za-z0-9._-]", "-", certificate.serial) or "credential"
    response["Content-Disposition"] = f'attachment; filename="{filename}.jwt"'
    return response
