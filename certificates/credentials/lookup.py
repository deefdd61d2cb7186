"""courses' CertificateLookup (courses/ports.py): the certificate a learner's completed course
earned, for the course page and "My learning"."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from certificates.credentials.models import Certificate, CertificateStatus, IssuanceRule
from certificates.credentials.services import rule_matches
from courses.api import CertificateLink
from progress.models import CompletionRecord


class CertificateLookup:
    def certificates_for(
        self, *, learner: Any, course_ids: Iterable[int]
    ) -> dict[int, CertificateLink]:
        """Three queries at most: the completion records, their standing certificates, and
        the active rules of the courses whose certificate is not there yet."""
        records = list(
            CompletionRecord.objects.filter(learner=learner, course_id__in=list(course_ids))
        )
        if not records:
            return {}
        standing = {
            c.record_id: c
            for c in Certificate.objects.filter(record__in=records).exclude(
                status=CertificateStatus.REPLACED
            )
        }
        found: dict[int, CertificateLink] = {}
        waiting = []
        for record in records:
            certificate = standing.get(record.pk)
            if certificate is None:
                waiting.append(record)
            elif certificate.status == CertificateStatus.VALID:
                found[record.course_id] = CertificateLink(  # type: ignore[index]
                    reverse("my-certificates:pdf", args=[certificate.public_id])
                    if certificate.pdf
                    else ""
                )
        if waiting:
            rules: dict[int, list[IssuanceRule]] = {}
            for rule in IssuanceRule.objects.filter(
                Q(course_id__in=[r.course_id for r in waiting]), is_active=True
            ).select_related("accreditation"):
                rules.setdefault(rule.course_id, []).append(rule)  # type: ignore[arg-type]
            for record in waiting:
                on = timezone.localdate(record.completed_at)
                if any(rule_matches(rule, record, on) for rule in rules.get(record.course_id, [])):  # type: ignore[arg-type]
                    found[record.course_id] = CertificateLink()  # type: ignore[index]
        return found
