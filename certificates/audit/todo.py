"""Audit work on the to-do list (lms.todo): for an accreditor, the open rounds of their bodies
with records still awaiting a decision; for a learner, requests for more information about
their own records or CPD profile in an open round. Scope is the audit's (``audit.scope``)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from certificates.audit.answers import answered_since_asked, open_requests_q
from certificates.audit.models import AuditDecision, AuditRound, AuditRoundStatus, AuditSample
from certificates.audit.scope import accreditations_for_user, rule_sets_for_user
from lms.api import TodoItem, User


def accreditor_todo(user: User) -> list[TodoItem]:
    """One query: each open round in the user's scope with its samples still pending."""
    rounds = (
        AuditRound.objects.filter(status=AuditRoundStatus.OPEN)
        .filter(
            Q(accreditation__in=accreditations_for_user(user))
            | Q(rule_set__in=rule_sets_for_user(user))
        )
        .annotate(
            pending=Count(
                "samples",
                filter=Q(samples__decision=AuditDecision.PENDING)
                | Q(samples__in=AuditSample.objects.filter(answered_since_asked())),
            )
        )
        .filter(pending__gt=0)
        .select_related("accreditation__body", "rule_set__body")
        .order_by("created_at", "id")
    )
    items = []
    for audit_round in rounds:
        subject = (
            f"{audit_round.accreditation.body.name} {audit_round.accreditation.reference}"
            if audit_round.accreditation is not None
            else f"{audit_round.rule_set.body.name} — {audit_round.rule_set.name}"  # type: ignore[union-attr]
        )
        items.append(
            TodoItem(
                _("Audit round of %(subject)s: records awaiting your decision")
                % {"subject": subject},
                reverse("audit-round", args=[audit_round.public_id]),
                audit_round.pending,
            )
        )
    return items


def learner_audit_todo(user: User) -> list[TodoItem]:
    """One query: the accreditors' requests for more information about the user's records and
    CPD profile that they have not answered yet."""
    requests = (
        AuditSample.objects.filter(open_requests_q(user)).exclude(answered_since_asked()).count()
    )
    return [
        TodoItem(_("Auditors' requests for more information"), reverse("audit-requests"), requests)
    ]
