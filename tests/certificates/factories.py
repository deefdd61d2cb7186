"""Factories of the certificates app."""

import datetime
import uuid
from decimal import Decimal

import factory
from django.utils import timezone

from certificates.models import (
    Accreditation,
    AccreditingBody,
    CertificateTemplate,
    CpdActivityKind,
    CpdEntry,
    CpdRegistration,
    CpdSource,
    IssuanceRule,
    Requirement,
    RequirementKind,
    RequirementRuleSet,
)
from progress.models import CompletionRecord
from tests.courses.factories import CourseFactory
from tests.lms.factories import UserFactory


class AccreditingBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccreditingBody

    name = factory.Sequence(lambda n: f"Accrediting body {n}")
    slug = factory.Sequence(lambda n: f"body-{n}")
    country = "RO"


class AccreditationFactory(factory.django.DjangoModelFactory):
    """An active accreditation of a course, in force since 2020 with no end."""

    class Meta:
        model = Accreditation

    body = factory.SubFactory(AccreditingBodyFactory)
    course = factory.SubFactory(CourseFactory)
    journey = None
    reference = factory.Sequence(lambda n: f"REF-{n:04d}")
    cpd_value = Decimal("4.00")
    learning_outcomes = factory.LazyFunction(
        lambda: {"en": ["Assess risk", "Plan a safe intervention"]}
    )
    valid_from = datetime.date(2020, 1, 1)


class CertificateTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificateTemplate

    name = factory.Sequence(lambda n: f"Template {n}")
    heading = factory.LazyFunction(
        lambda: {"en": "Certificate of CPD", "ro": "Certificat de formare continuă"}
    )
    signatories = factory.LazyFunction(lambda: [{"name": "Maria Popescu", "title": "President"}])


class IssuanceRuleFactory(factory.django.DjangoModelFactory):
    """An active rule for a course (pass ``journey=..., course=None`` for a journey)."""

    class Meta:
        model = IssuanceRule

    course = factory.SubFactory(CourseFactory)
    journey = None
    accreditation = None
    template = factory.SubFactory(CertificateTemplateFactory)


def make_record(*, learner=None, course=None, journey=None, score=None, completed_at=None):
    """A CompletionRecord written directly (no LRS, no signal): for rule and service tests
    that do not need the projection."""
    if course is None and journey is None:
        course = CourseFactory()
    return CompletionRecord.objects.create(
        learner=learner or UserFactory(),
        course=course,
        journey=journey,
        registration=uuid.uuid4(),
        completed_at=completed_at or timezone.now(),
        score_scaled=score,
        evidence=[],
    )


# --- the CPD ledger (issue 9) -------------------------------------------------------------------


class RuleSetFactory(factory.django.DjangoModelFactory):
    """A rolling rule set of yearly cycles from 1 January 2020, in Europe/Bucharest, with no
    requirements (add them with ``RequirementFactory(rule_set=...)``)."""

    class Meta:
        model = RequirementRuleSet

    body = factory.SubFactory(AccreditingBodyFactory)
    name = factory.Sequence(lambda n: f"Rule set {n}")
    slug = factory.Sequence(lambda n: f"rule-set-{n}")
    cycle_years = 1
    cycle_start = datetime.date(2020, 1, 1)
    time_zone = "Europe/Bucharest"


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement

    rule_set = factory.SubFactory(RuleSetFactory)
    position = factory.Sequence(lambda n: n)
    kind = RequirementKind.HOURS
    amount = Decimal("10.00")


class CpdRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CpdRegistration

    learner = factory.SubFactory(UserFactory)
    rule_set = factory.SubFactory(RuleSetFactory)
    registered_on = datetime.date(2020, 1, 1)


class CpdEntryFactory(factory.django.DjangoModelFactory):
    """An external activity of 2 hours, neither participatory nor structured, no reflection."""

    class Meta:
        model = CpdEntry

    learner = factory.SubFactory(UserFactory)
    source = CpdSource.EXTERNAL
    title = factory.Sequence(lambda n: f"Activity {n}")
    kind = CpdActivityKind.OTHER
    date = datetime.date(2026, 3, 1)
    hours = Decimal("2.00")
    discussion_with = None
    # As cpd_services does: the named person's address goes with them.
    discussion_email = factory.LazyAttribute(
        lambda entry: entry.discussion_with.email if entry.discussion_with else ""
    )
