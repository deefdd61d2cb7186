"""Who saw whose data: the accreditor's audit pages and exports, and the exports of personal data
by an organisation's supervisors and admins.

Every audit view calls :func:`log_access` once per page with the records it shows: one bulk
insert, one row per record seen. The organisations app logs its exports with
:func:`log_personal_export` (one row per person in the file, ``context`` naming the
organisation). Entries are append-only. The organisations app (a layer above) reads them for its
members with :func:`access_log_for_learners`; certificates cannot refer to organisations, so an
entry names the learner whose data was seen, and a ``context`` string, not an organisation.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from certificates.audit.models import AccessAction, AccessLogEntry
from certificates.credentials.models import Accreditation
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


def log_profile_access(*, user: User, learners: Iterable[User], detail: str = "") -> int:
    """Write, in one insert, that ``user`` (an auditor) saw these people's CPD profiles."""
    at = timezone.now()
    entries = [
        AccessLogEntry(
            at=at, user=user, action=AccessAction.VIEW_PROFILE, learner=learner, detail=detail
        )
        for learner in learners
    ]
    return len(AccessLogEntry.objects.bulk_create(entries))


def log_personal_export(
    *, user: User, learner_ids: Iterable[int], context: str, detail: str = ""
) -> int:
    """Write, in one insert, that ``user`` exported these people's personal data (a report);
    ``context`` says where, e.g. ``organisation:<public id>``. Returns the rows written."""
    at = timezone.now()
    entries = [
        AccessLogEntry(
            at=at,
            user=user,
            action=AccessAction.EXPORT_PERSONAL,
            learner_id=learner_id,
            context=context,
            detail=detail,
        )
        for learner_id in learner_ids
    ]
    return len(AccessLogEntry.objects.bulk_create(entries, batch_size=1000))


def access_log_for_learners(
    user_ids: Iterable[int] | QuerySet[Any], *, context: str | None = None
) -> QuerySet[AccessLogEntry]:
    """Entries about the data of these learners, newest first, with who saw it and where.
    ``user_ids`` may be a queryset of ids (read as a subquery). With ``context``, only the
    accreditors' entries and those of that context: an organisation reads what auditors saw
    of its members and what its own people exported, not another organisation's exports."""
    ids = user_ids if isinstance(user_ids, QuerySet) else list(user_ids)
    found = AccessLogEntry.objects.filter(learner_id__in=ids)
    if context is not None:
        found = found.filter(Q(context="") | Q(context=context))
    return found.select_related(
        "user", "accreditation__body", "record__course", "record__journey", "learner"
    ).order_by("-at", "-id")
