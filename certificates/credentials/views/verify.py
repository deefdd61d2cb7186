"""Public verification: `/verify/<code or serial>` (a page) and `/api/verify/<code or serial>`
(JSON), rate limited alike; a serial alone shows the certificate's state and issue date, its
details only with its verification code too (``?code=``). And the upload of a credential to
check its signature and whether it was altered."""

import uuid
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from certificates.credentials.models import Certificate
from certificates.credentials.verification import (
    VerificationThrottle,
    as_code,
    as_serial,
    format_code,
    verify,
    verify_code,
)

MAX_UPLOAD = 256 * 1024


class CredentialForm(forms.Form):
    credential = forms.CharField(
        label=_("Credential"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Paste the credential (a JWT, or its JSON) or choose its file below."),
    )
    file = forms.FileField(label=_("Credential file"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_UPLOAD:
                raise forms.ValidationError(_("The file is too large to be a credential."))
            try:
                data["credential"] = upload.read().decode("utf-8")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(_("The file is not a text credential.")) from error
        if not (data.get("credential") or "").strip():
            raise forms.ValidationError(_("Paste a credential or choose its file."))
        return data


def _throttled(request: HttpRequest) -> bool:
    return not VerificationThrottle().allow_request(request, None)  # type: ignore[arg-type]


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "certificates/verify_throttled.html", status=429)
    response["Retry-After"] = "60"
    return response


def verify_start(request: HttpRequest) -> HttpResponse:
    """Type a serial number or a verification code (and, with a serial, optionally the code),
    or upload a credential."""
    if request.method == "POST":
        if _throttled(request):
            return _too_many(request)
        return _check_credential(request)
    return _look_up(request)


def _look_up(request: HttpRequest) -> HttpResponse:
    """The serial or code typed: on to its page (no look-up here, so nothing to rate limit),
    or the form again with what is wrong."""
    typed = (request.GET.get("code") or "").strip()[:200]
    also = (request.GET.get("verification_code") or "").strip()[:200]
    context: dict[str, object] = {"form": CredentialForm(), "typed": typed, "also": also}
    if not typed:
        if also:
            context["code_error"] = _("Type the serial number too, or the code alone above.")
            return render(request, "certificates/verify_start.html", context, status=400)
        return render(request, "certificates/verify_start.html", context)
    serial = as_serial(typed)
    if serial:
        if also and not as_code(also):
            context["also_error"] = _(
                "That is not a verification code: it has only letters and digits."
            )
            return render(request, "certificates/verify_start.html", context, status=400)
        url = reverse("verify", args=[serial])
        return redirect(f"{url}?{urlencode({'code': as_code(also)})}" if also else url)
    code = as_code(typed)
    if not code:
        # Not a serial or a code this site makes (letters, digits and dashes): say so.
        context["code_error"] = _(
            "That is not a serial number or a verification code: check what you typed."
        )
        return render(request, "certificates/verify_start.html", context, status=400)
    return redirect("verify", code=code)


def verify_page(request: HttpRequest, code: str) -> HttpResponse:
    """The certificate with this verification code, or with this serial number (its details
    only when ``?code=`` is its verification code)."""
    if _throttled(request):
        return _too_many(request)
    also = (request.GET.get("code") or "").strip()[:200]
    verification = verify(code, code=also)
    if verification is None:
        return render(request, "certificates/verify_unknown.html", {"code": code}, status=404)
    context: dict[str, object] = {
        "verification": verification,
        "shown": verification.certificate.snapshot,
        "also": also,
    }
    if verification.details:
        context["code"] = format_code(verification.certificate.verification_code)
    elif also:
        context["also_error"] = _(
            "That verification code is not this certificate's: check it against the "
            "certificate, under its QR code."
        )
    return render(request, "certificates/verify.html", context)


# What a verifier reads for each outcome of ``credentials.verify_credential``.
REASONS = {
    "valid": _("The signature is valid: this credential was issued here and was not altered."),
    "not a credential": _("This is not a credential."),
    "not a VC-JWT: only credentials secured as a compact JWS are verified": _(
        "This is not a signed credential of this site (a VC-JWT)."
    ),
    "unsupported algorithm": _("It is signed with an algorithm this site does not use."),
    "signed by an unknown key (forged)": _("It was not signed by this site: it is forged."),
    "signature does not match (altered)": _(
        "Its content was changed after it was signed: it has been altered."
    ),
    "not yet valid": _("The signature holds, but the credential is not valid yet."),
    "expired": _("The signature holds, but the credential has expired."),
    "revoked": _("The signature holds, but the certificate has been revoked."),
}


MAX_NESTED = 200  # certificates of one CLR checked on one page


def _check_credential(request: HttpRequest) -> HttpResponse:
    """Check the signature against the site's published keys (active and retired), then say
    the state of the certificate it stands for."""
    from certificates.credentials.credential_check import (  # noqa: PLC0415
        nested_credentials,
        verify_credential,
    )
    from certificates.credentials.openbadges import CLR_TYPE  # noqa: PLC0415

    form = CredentialForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "certificates/verify_start.html", {"form": form}, status=400)
    checked = verify_credential(form.cleaned_data["credential"].strip())
    verification = None
    nested = []
    if checked.claims is not None:
        certificate = _certificate_of(str(checked.claims.get("id", "")))
        verification = verify_code(certificate.verification_code) if certificate else None
        # A CLR: each certificate it bundles is checked on its own, as if uploaded alone.
        for token in nested_credentials(checked.claims)[:MAX_NESTED]:
            inner = verify_credential(token)
            found = _certificate_of(str((inner.claims or {}).get("id", "")))
            nested.append(
                (
                    _title(inner.claims),
                    REASONS.get(str(inner.reason), str(inner.reason)),
                    inner.ok,
                    verify_code(found.verification_code) if found else None,
                )
            )
    return render(
        request,
        "certificates/verify_start.html",
        {
            "form": CredentialForm(),
            "checked": checked,
            "message": REASONS.get(str(checked.reason), str(checked.reason)),
            "verification": verification,
            "nested": nested,
            "is_clr": bool(checked.claims and CLR_TYPE in (checked.claims.get("type") or [])),
        },
    )


def _title(claims: dict[str, Any] | None) -> str:
    """The achievement's name a bundled credential carries (or its id)."""
    subject = (claims or {}).get("credentialSubject") or {}
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    if isinstance(achievement, dict) and achievement.get("name"):
        return str(achievement["name"])
    return str((claims or {}).get("id", "—"))


def _certificate_of(credential_id: str) -> Certificate | None:
    """The certificate a credential stands for: its id is the certificate's ``urn:uuid:``."""
    try:
        public_id = uuid.UUID(credential_id.removeprefix("urn:uuid:"))
    except ValueError:
        return None
    return Certificate.objects.filter(public_id=public_id).first()


class VerifyApiView(APIView):
    """The state of the certificate with this verification code: valid, revoked, expired or
    replaced, with what the certificate shows. By its serial number: the state and issue date
    only, unless ``?code=`` is its verification code. Public; rate limited per client address."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [VerificationThrottle]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "code",
                str,
                required=False,
                description="With a serial number in the path: the certificate's verification "
                "code, to see what it shows (without it, only its state and issue date).",
            )
        ],
        responses={200: dict, 404: dict, 429: dict},
    )
    def get(self, request: Request, code: str) -> Response:
        verification = verify(code, code=str(request.query_params.get("code") or "")[:200])
        if verification is None:
            return Response(
                {"detail": "No certificate has this verification code."},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(verification.as_json())
