"""What an accreditor may audit: the one place that decides it.

Every audit page, export and selector reads accreditations and completion records only through
these functions. An accreditor of a body sees that body's accreditations and, for each, the
completion records of the accredited course (or learning journey) — nothing else. Staff see all.
Anyone else (learners, organisation admins who are not accreditors) sees nothing: the pages
answer 404, as if the accreditation did not exist.

The same holds for the CPD rule sets of the bodies: an accreditor audits the CPD profiles of the
people who report to their body's rule sets, through rounds (``rule_sets_for_user``).
"""

from typing import TypeVar
from uuid import UUID

from django.db.models import QuerySet

from certificates.cpd.models import RequirementRuleSet
from certificates.credentials.models import Accreditation
from lms.api import NotFound, User
from progress.models import CompletionRecord

T = TypeVar("T", Accreditation, RequirementRuleSet)


def _of_audited_bodies(found: QuerySet[T], user: User) -> QuerySet[T]:
    """``found`` (rows with a ``body``) narrowed to the bodies ``user`` audits for: all for
    staff, none for anonymous or inactive users."""
    if not user.is_authenticated or not user.is_active:
        return found.none()
    if user.is_staff:
        return found
    return found.filter(body__accreditors__user=user)


def accreditations_for_user(user: User) -> QuerySet[Accreditation]:
    """The accreditations of the bodies ``user`` is an accreditor of (all of them for staff)."""
    return _of_audited_bodies(
        Accreditation.objects.select_related("body", "course", "journey"), user
    )


def get_accreditation_for_user(user: User, public_id: UUID) -> Accreditation:
    """The accreditation, if ``user`` may audit it; 404 otherwise."""
    try:
        return accreditations_for_user(user).get(public_id=public_id)
    except Accreditation.DoesNotExist:
        raise NotFound from None


def records_in_scope(accreditation: Accreditation) -> QuerySet[CompletionRecord]:
    """The completion records an auditor of ``accreditation`` may see: those of its course (or
    journey), whenever they were completed (records outside the accreditation's period are
    shown, flagged, rather than hidden)."""
    if accreditation.course_id is not None:
        return CompletionRecord.objects.filter(course_id=accreditation.course_id)
    return CompletionRecord.objects.filter(journey_id=accreditation.journey_id)


def get_record_for_user(user: User, record_id: UUID) -> tuple[CompletionRecord, Accreditation]:
    """A completion record and the (first, by reference) accreditation of ``user``'s scope it
    falls under; 404 when no accreditation in scope covers its course or journey."""
    try:
        record = CompletionRecord.objects.select_related("learner", "course", "journey").get(
            public_id=record_id
        )
    except CompletionRecord.DoesNotExist:
        raise NotFound from None
    covering = accreditations_for_user(user).order_by("body__name", "reference")
    covering = (
        covering.filter(course_id=record.course_id)
        if record.course_id is not None
        else covering.filter(journey_id=record.journey_id)
    )
    accreditation = covering.first()
    if accreditation is None:
        raise NotFound
    return record, accreditation


def rule_sets_for_user(user: User) -> QuerySet[RequirementRuleSet]:
    """The CPD rule sets of the bodies ``user`` is an accreditor of (all of them for staff)."""
    return _of_audited_bodies(RequirementRuleSet.objects.select_related("body"), user)


def get_rule_set_for_user(user: User, public_id: UUID) -> RequirementRuleSet:
    """The rule set, if ``user`` may audit the CPD profiles reported to it; 404 otherwise."""
    try:
        return rule_sets_for_user(user).get(public_id=public_id)
    except RequirementRuleSet.DoesNotExist:
        raise NotFound from None
