"""The certificates' to-do (lms.todo): CPD discussions to confirm, auditors' requests for more
information, and an accreditor's open rounds with records awaiting a decision — each person
only their own, in a fixed number of queries."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.audit import rounds
from certificates.audit.models import AuditDecision
from certificates.audit.services import add_accreditor
from certificates.audit.todo import accreditor_todo, learner_audit_todo
from certificates.cpd.models import DiscussionStatus
from certificates.cpd.todo import cpd_todo
from lms.todo import todo_for
from progress.models import CompletionRecord
from tests.certificates.factories import (
    AccreditationFactory,
    AccreditingBodyFactory,
    CpdEntryFactory,
)
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db


def _records(accreditation, learners):
    return [
        CompletionRecord.objects.create(
            learner=learner,
            course=accreditation.course,
            registration=uuid.uuid4(),
            completed_at=timezone.now(),
            evidence=[],
        )
        for learner in learners
    ]


@pytest.fixture
def accreditation():
    return AccreditationFactory()


@pytest.fixture
def accreditor(accreditation):
    user = UserFactory()
    add_accreditor(body=accreditation.body, user=user)
    return user


def test_discussions_awaiting_the_users_confirmation_are_counted():
    peer, other = UserFactory(), UserFactory()
    for _ in range(2):
        CpdEntryFactory(discussion_with=peer, discussion_status=DiscussionStatus.PENDING)
    CpdEntryFactory(discussion_with=peer, discussion_status=DiscussionStatus.CONFIRMED)
    CpdEntryFactory(discussion_with=other, discussion_status=DiscussionStatus.PENDING)
    [item] = cpd_todo(peer)
    assert (item.count, item.url) == (2, reverse("cpd-confirmations"))


def test_an_accreditor_sees_open_rounds_with_records_awaiting_a_decision(accreditation, accreditor):
    _records(accreditation, [UserFactory() for _ in range(3)])
    audit_round = rounds.draw_round(accreditation=accreditation, by=accreditor, size=3, seed=1)
    sample = audit_round.samples.first()
    rounds.decide(sample=sample, decision=AuditDecision.ACCEPTED, notes="", by=accreditor)
    [item] = accreditor_todo(accreditor)
    assert item.count == 2
    assert item.url == reverse("audit-round", args=[audit_round.public_id])
    assert accreditation.reference in item.label


def test_a_closed_round_or_a_fully_decided_one_is_not_on_the_list(accreditation, accreditor):
    _records(accreditation, [UserFactory()])
    audit_round = rounds.draw_round(accreditation=accreditation, by=accreditor, size=1, seed=1)
    rounds.decide(
        sample=audit_round.samples.get(), decision=AuditDecision.ACCEPTED, notes="", by=accreditor
    )
    assert accreditor_todo(accreditor) == []
    second = rounds.draw_round(accreditation=accreditation, by=accreditor, size=1, seed=2)
    rounds.close_round(audit_round=second, by=accreditor)
    assert accreditor_todo(accreditor) == []


def test_another_bodys_rounds_never_appear(accreditation, accreditor):
    _records(accreditation, [UserFactory()])
    rounds.draw_round(accreditation=accreditation, by=accreditor, size=1, seed=1)
    outsider = UserFactory()
    add_accreditor(body=AccreditingBodyFactory(), user=outsider)
    assert accreditor_todo(outsider) == []
    assert accreditor_todo(UserFactory()) == []
    assert todo_for(outsider).total == 0


def test_a_learner_sees_requests_for_more_information_about_their_own_records(
    accreditation, accreditor
):
    learner, other = UserFactory(), UserFactory()
    _records(accreditation, [learner, other])
    audit_round = rounds.draw_round(accreditation=accreditation, by=accreditor, size=2, seed=1)
    for sample in audit_round.samples.all():
        rounds.decide(
            sample=sample, decision=AuditDecision.MORE_INFORMATION, notes="?", by=accreditor
        )
    [item] = learner_audit_todo(learner)
    assert (item.count, item.url) == (1, reverse("audit-requests"))
    rounds.close_round(audit_round=audit_round, by=accreditor)
    assert learner_audit_todo(learner)[0].count == 0


def test_each_provider_takes_one_query_whatever_the_rows(
    accreditation, accreditor, django_assert_num_queries
):
    _records(accreditation, [UserFactory() for _ in range(5)])
    for seed in (1, 2, 3):
        rounds.draw_round(accreditation=accreditation, by=accreditor, size=2, seed=seed)
    with django_assert_num_queries(1):
        assert len(accreditor_todo(accreditor)) == 3
    with django_assert_num_queries(1):
        cpd_todo(accreditor)
    with django_assert_num_queries(1):
        learner_audit_todo(accreditor)
