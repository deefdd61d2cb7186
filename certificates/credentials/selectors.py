"""Reads of certificates.credentials: accreditations and certificates in force, expiring, their
state today."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from certificates.credentials.models import (
    Accreditation,
    AccreditationStatus,
    Certificate,
    CertificateStatus,
)
from lms.api import User
from progress.models import CompletionRecord

# --- accreditations -----------------------------------------------------------------------------


def accreditations_in_force(on: date | None = None) -> QuerySet[Accreditation]:
    """Active accreditations whose period includes ``on`` (today by default)."""
    on = on or timezone.localdate()
    return Accreditation.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on),
        status=AccreditationStatus.ACTIVE,
        valid_from__lte=on,
    )


class AccreditationLookup:
    """courses' AccreditationLookup (courses/ports.py): the catalogue's "accredited" filter."""

    def accredited_course_ids(self) -> QuerySet[Accreditation, Any]:
        # Never a NULL in the list: the catalogue's "not accredited" filter is a NOT IN.
        return accreditations_in_force().filter(course__isnull=False).values("course_id")


# --- certificates -------------------------------------------------------------------------------


def certificates_in_force(*, now: datetime | None = None) -> QuerySet[Certificate]:
    """Certificates that stand today: neither revoked nor replaced, and not expired."""
    now = now or timezone.now()
    return Certificate.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now), status=CertificateStatus.VALID
    )


def certificates_expiring(
    within_days: int, *, now: datetime | None = None
) -> QuerySet[Certificate]:
    """Valid certificates that have not expired yet but will within ``within_days`` days."""
    now = now or timezone.now()
    return Certificate.objects.filter(
        status=CertificateStatus.VALID,
        expires_at__gt=now,
        expires_at__lte=now + timedelta(days=within_days),
    ).select_related("learner")


def is_expired(certificate: Certificate, *, now: datetime | None = None) -> bool:
    """Expiry is computed, not stored: a valid certificate past its date shows as expired."""
    return certificate.expires_at is not None and certificate.expires_at < (now or timezone.now())


def certificate_state(certificate: Certificate, *, now: datetime | None = None) -> str:
    """ "valid", "expired", "revoked" or "replaced": what a verifier should be told."""
    if certificate.status != CertificateStatus.VALID:
        return str(certificate.status)
    return "expired" if is_expired(certificate, now=now) else "valid"


# --- issuing by hand ----------------------------------------------------------------------------

LEARNER_SEARCH_LIMIT = 20


@dataclass(frozen=True)
class LearnerCompletions:
    """A learner found by the staff issue page's search, and their completions without a
    standing certificate (oldest first)."""

    learner: User
    records: tuple[CompletionRecord, ...]


def uncertified_completions() -> QuerySet[CompletionRecord]:
    """Completion records without a standing (valid or revoked) certificate."""
    standing = Certificate.objects.filter(record=OuterRef("pk")).exclude(
        status=CertificateStatus.REPLACED
    )
    return CompletionRecord.objects.filter(~Exists(standing))


def learners_with_uncertified_completions(query: str) -> tuple[list[LearnerCompletions], bool]:
    """Learners whose name or e-mail contains ``query`` (at most LEARNER_SEARCH_LIMIT, and
    whether there were more), each with their completions not yet certified; two queries."""
    query = query.strip()
    if not query:
        return [], False
    learners = list(
        User.objects.filter(Q(display_name__icontains=query) | Q(email__icontains=query))
        .filter(is_active=True)
        .order_by("display_name", "email")[: LEARNER_SEARCH_LIMIT + 1]
    )
    more = len(learners) > LEARNER_SEARCH_LIMIT
    learners = learners[:LEARNER_SEARCH_LIMIT]
    by_learner: dict[int, list[CompletionRecord]] = {learner.pk: [] for learner in learners}
    for record in (
        uncertified_completions()
        .filter(learner__in=learners)
        .select_related("course", "journey")
        .order_by("completed_at", "pk")
    ):
        by_learner[record.learner_id].append(record)
    return [
        LearnerCompletions(learner, tuple(by_learner[learner.pk])) for learner in learners
    ], more
