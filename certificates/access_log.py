"""Who saw whose completion data, from the accreditor's audit pages.

Every audit view calls :func:`log_access` once per page with the records it shows: one bulk
insert, one row per record seen. Entries are append-only. The organisations app (a layer above)
reads them for its members with :func:`access_log_for_learners`; certificates cannot refer to
organisations, so an entry names the learner whose data was seen, not their organisation.
"""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from certificates.models import AccessAction, AccessLogEntry, Accreditation
from lms.api import User
from progress.models import CompletionRecord


def log_access(
    *,
    user: User,
    action: AccessAction,
    accreditation: Accreditation | None,
    records: Iterable[CompletionRecord],
    detail: str = "",
) -> list[AccessLogEntry]:
    """Write, in one insert, that ``user`` saw each of ``records`` (one row per record)."""
    at = timezone.now()
    entries = [
        AccessLogEntry(
            at=at,
            user=user,
            action=action,
            accreditation=accreditation,
            record_id=record.pk,
            learner_id=record.learner_id,
            detail=detail,
        )
        for record in records
    ]
    return AccessLogEntry.objects.bulk_create(entries) if entries else []


def access_log_for_learners(user_ids: Iterable[int]) -> QuerySet[AccessLogEntry]:
    """Entries about the data of these learners, newest first, with who saw it and where."""
    return (
        AccessLogEntry.objects.filter(learner_id__in=list(user_ids))
        .select_related("user", "accreditation__body", "record")
        .order_by("-at", "-id")
    )
