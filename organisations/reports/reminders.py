"""Reminders to members who are behind, due dates approaching, and the monthly report
e-mailed to supervisors and admins. All run in Celery tasks; the reminders and the report read
people only through the scope module."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from lms.api import NotificationMessage, notify_many, pick_language
from lms.models import User
from organisations.core.models import (
    CourseAssignment,
    Membership,
    MembershipRole,
    Organisation,
    UnitMembership,
)
from organisations.core.scope import Scope, scope_for
from organisations.reports.notifications import DUE_DATE, LEARNING_REMINDER, MONTHLY_REPORT
from organisations.reports.selectors import TeamFilters, filtered_memberships, team_progress
from progress.models import CompletionRecord

# A member is behind when an assignment is overdue or due within this many days.
DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class Behind:
    user: User
    items: tuple[tuple[str, date, bool], ...]  # (title, due on, overdue)


def _unfinished(assignments: QuerySet[CourseAssignment]) -> QuerySet[CourseAssignment]:
    """The assignments whose member has no completion record of the course or journey yet."""
    done = CompletionRecord.objects.filter(learner_id=OuterRef("member_id")).filter(
        Q(course_id=OuterRef("course_id")) | Q(journey_id=OuterRef("journey_id"))
    )
    return assignments.exclude(Exists(done))


def overdue_members(scopes: Sequence[Scope], *, today: date | None = None) -> dict[int, int]:
    """For each organisation of ``scopes``, how many members in scope have an unfinished
    assignment past its due date (one query, whatever the number of scopes)."""
    if not scopes:
        return {}
    today = today or timezone.localdate()
    in_scope = Q()
    for scope in scopes:
        in_scope |= Q(
            organisation=scope.organisation,
            member_id__in=scope.memberships().values("user_id"),
        )
    rows = (
        _unfinished(CourseAssignment.objects.filter(in_scope, due_on__lt=today))
        .values("organisation_id")
        .annotate(members=Count("member_id", distinct=True))
        .values_list("organisation_id", "members")
    )
    return dict(rows)


def members_behind(
    scope: Scope,
    filters: TeamFilters = TeamFilters(),  # noqa: B008 - frozen, safe as a default
    *,
    today: date | None = None,
) -> list[Behind]:
    """The selected members with an unfinished assignment overdue or due soon (one query)."""
    today = today or timezone.localdate()
    member_ids = filtered_memberships(scope, filters).values("user_id")
    assignments = (
        _unfinished(
            CourseAssignment.objects.filter(
                organisation=scope.organisation,
                member_id__in=member_ids,
                due_on__lte=today + timedelta(days=DUE_SOON_DAYS),
            )
        )
        .select_related("member", "course", "journey")
        .order_by("member__display_name", "member_id", "due_on")
    )
    found: dict[int, list[CourseAssignment]] = defaultdict(list)
    people: dict[int, User] = {}
    for assignment in assignments:
        found[assignment.member_id].append(assignment)
        people[assignment.member_id] = assignment.member
    return [
        Behind(
            people[user_id],
            tuple(
                (
                    pick_language(
                        (a.course or a.journey).title,  # type: ignore[union-attr]
                        people[user_id].preferred_language,
                    ),
                    a.due_on,
                    a.due_on < today,
                )
                for a in items
                if a.due_on is not None
            ),
        )
        for user_id, items in found.items()
    ]


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def send_reminders(*, organisation_id: int, member_ids: list[int], by_id: int) -> int:
    """E-mail each member given, within the sender's scope, who is behind. Returns how many."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    sender = User.objects.filter(pk=by_id).first()
    if organisation is None or sender is None:
        return 0
    scope = scope_for(sender, organisation)
    wanted = set(member_ids)
    dashboard = reverse("progress:dashboard")
    messages = [
        NotificationMessage(
            recipient=behind.user,
            url=dashboard,
            context={
                "learner": behind.user,
                "organisation": organisation,
                "items": behind.items,
                "url": _absolute(dashboard),
            },
        )
        for behind in members_behind(scope)
        if behind.user.pk in wanted and behind.items
    ]
    notify_many(
        LEARNING_REMINDER, template="organisations/email/learning_reminder", messages=messages
    )
    return len(messages)


def report_recipients() -> list[tuple[Organisation, User]]:
    """Every organisation's admins and unit supervisors (two queries)."""
    pairs: dict[tuple[int, int], tuple[Organisation, User]] = {}
    for membership in Membership.objects.filter(role=MembershipRole.ADMIN).select_related(
        "organisation", "user"
    ):
        pairs[(membership.organisation_id, membership.user_id)] = (
            membership.organisation,
            membership.user,
        )
    for unit_membership in UnitMembership.objects.filter(supervises=True).select_related(
        "unit__organisation", "user"
    ):
        organisation = unit_membership.unit.organisation
        pairs.setdefault(
            (organisation.pk, unit_membership.user_id), (organisation, unit_membership.user)
        )
    return [p for p in pairs.values() if p[1].is_active]


def send_monthly_reports() -> int:
    """The month's figures of each recipient's scope, by e-mail, with a link to the full report.
    Recipients who see the same people in the same language (an organisation's admins, say)
    share one computation: a fixed number of queries per distinct scope, and one per recipient
    to decide their scope."""
    messages = []
    reports: dict[tuple[int, bool, frozenset[int], str], Any] = {}
    for organisation, person in report_recipients():
        scope = scope_for(person, organisation)
        if scope.is_empty:
            continue
        language = person.preferred_language
        key = (
            organisation.pk,
            scope.whole,
            scope.unit_ids if not scope.whole else frozenset(),
            language,
        )
        if key not in reports:
            with translation.override(language):
                reports[key] = team_progress(scope, limit=0, language=language)
        report_page = reverse("organisations:team-report", args=[organisation.public_id])
        messages.append(
            NotificationMessage(
                recipient=person,
                url=report_page,
                context={
                    "person": person,
                    "organisation": organisation,
                    "report": reports[key],
                    "url": _absolute(report_page),
                },
            )
        )
    notify_many(MONTHLY_REPORT, template="organisations/email/monthly_report", messages=messages)
    return len(messages)


def send_due_date_reminders(*, today: date | None = None) -> int:
    """Tell each member once that an unfinished course or journey assigned to them is due
    within ``DUE_DATE_REMINDER_DAYS`` (again only if its due date changes). Daily, by beat;
    returns how many were told. One query to find them, one to mark them, whatever the rows
    (and each notification's own two)."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.DUE_DATE_REMINDER_DAYS)
    still_member = Membership.objects.filter(
        organisation_id=OuterRef("organisation_id"), user_id=OuterRef("member_id")
    )
    with transaction.atomic():
        due = list(
            _unfinished(
                CourseAssignment.objects.filter(
                    Exists(still_member),
                    due_on__gte=today,
                    due_on__lte=horizon,
                    member__is_active=True,
                )
            )
            .exclude(due_reminded_on=F("due_on"))
            .select_related("member", "course", "journey", "organisation")
            .select_for_update(of=("self",), skip_locked=True)
            .order_by("due_on", "pk")
        )
        dashboard = reverse("progress:dashboard")
        messages = []
        for assignment in due:
            learner = assignment.member
            learning = assignment.course or assignment.journey
            messages.append(
                NotificationMessage(
                    recipient=learner,
                    url=dashboard,
                    context={
                        "learner": learner,
                        "organisation": assignment.organisation,
                        "title": pick_language(learning.title, learner.preferred_language),  # type: ignore[union-attr]
                        "due_on": assignment.due_on,
                        "url": _absolute(dashboard),
                    },
                )
            )
        notify_many(DUE_DATE, template="organisations/email/due_soon", messages=messages)
        CourseAssignment.objects.filter(pk__in=[a.pk for a in due]).update(
            due_reminded_on=F("due_on")
        )
    return len(due)
