"""A learner's certificates: the list and each PDF as issued (the signed credential is served by
``views.published``)."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from certificates.credentials.models import Certificate, CertificateStatus
from certificates.credentials.ports import learner_outcomes
from lms.api import AuthenticatedHttpRequest


@login_required
def my_certificates(request: AuthenticatedHttpRequest) -> HttpResponse:
    certificates = Certificate.objects.filter(learner_id=request.user.pk).exclude(
        status=CertificateStatus.REPLACED
    )
    return render(
        request,
        "certificates/mine.html",
        {
            "certificates": certificates,
            "now": timezone.now(),
            "outcomes": learner_outcomes(request.user),
        },
    )


def _own(request: HttpRequest, public_id: UUID) -> Certificate:
    """The signed-in learner's certificate (staff may fetch any); 404 otherwise."""
    found = Certificate.objects.filter(public_id=public_id)
    if not request.user.is_staff:
        found = found.filter(learner_id=request.user.pk)
    certificate = found.first()
    if certificate is None:
        raise Http404
    return certificate


@login_required
def certificate_pdf(request: AuthenticatedHttpRequest, public_id: UUID) -> FileResponse:
    """The PDF exactly as issued (never regenerated)."""
    certificate = _own(request, public_id)
    if not certificate.pdf:
        raise Http404
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"{certificate.serial}.pdf",
        content_type="application/pdf",
    )
