"""What certificates tells people through lms notifications: a certificate issued, an auditor's
request for more information (about a record or a CPD profile), and the kinds it registers."""

import uuid

import pytest
from django.core import mail
from django.utils import timezone

from certificates.audit import rounds
from certificates.audit.services import add_accreditor
from certificates.credentials import services as issuance
from lms.models import Notification
from lms.notifications.kinds import all_kinds
from progress.models import CompletionRecord
from tests.certificates.factories import (
    AccreditationFactory,
    CpdRegistrationFactory,
    IssuanceRuleFactory,
    RuleSetFactory,
    make_record,
)
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_certificates_registers_its_kinds():
    keys = {kind.key for kind in all_kinds()}
    assert {
        "certificate_issued",
        "certificate_expiring",
        "cpd_discussion_request",
        "cpd_discussion_answer",
        "cpd_cycle_reminder",
        "audit_request",
        "audit_answer",
    } <= keys


def test_the_learner_hears_of_their_new_certificate(django_capture_on_commit_callbacks):
    learner = UserFactory(preferred_language="ro")
    rule = IssuanceRuleFactory()
    record = make_record(learner=learner, course=rule.course)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = issuance.issue_certificate(record=record)
    (told,) = Notification.objects.filter(recipient=learner, kind="certificate_issued")
    assert told.url == "/certificates/"
    assert certificate.serial in told.body
    (message,) = mail.outbox
    assert message.to == [learner.email]
    assert '<html lang="ro"' in message.alternatives[0][0]  # the learner's language
    assert "http://testserver/certificates/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_issuing_again_tells_nobody_again(django_capture_on_commit_callbacks):
    rule = IssuanceRuleFactory()
    record = make_record(course=rule.course)
    with django_capture_on_commit_callbacks(execute=True):
        issuance.issue_certificate(record=record)
        issuance.issue_certificate(record=record)  # the standing one
    assert Notification.objects.filter(kind="certificate_issued").count() == 1


def _audited_record():
    accreditation = AccreditationFactory()
    auditor = UserFactory()
    add_accreditor(body=accreditation.body, user=auditor)
    learner = UserFactory()
    CompletionRecord.objects.create(
        learner=learner,
        course=accreditation.course,
        registration=uuid.uuid4(),
        completed_at=timezone.now(),
        evidence=[],
    )
    audit_round = rounds.draw_round(accreditation=accreditation, by=auditor, size=1, seed=1)
    return learner, auditor, audit_round.samples.get(), accreditation


def test_a_request_for_more_information_reaches_the_learner_once(
    django_capture_on_commit_callbacks,
):
    learner, auditor, sample, accreditation = _audited_record()
    with django_capture_on_commit_callbacks(execute=True):
        rounds.decide(sample=sample, decision="accepted", notes="", by=auditor)
    assert not Notification.objects.filter(kind="audit_request").exists()
    with django_capture_on_commit_callbacks(execute=True):
        rounds.decide(sample=sample, decision="more_information", notes="Send the logs", by=auditor)
        # Saved again with the same decision (a note corrected): nobody is told twice.
        rounds.decide(
            sample=sample, decision="more_information", notes="Send the log files", by=auditor
        )
    (told,) = Notification.objects.filter(kind="audit_request")
    assert told.recipient == learner
    assert told.url == "/certificates/"
    assert "Send the logs" in told.body
    assert accreditation.reference in told.body
    (message,) = mail.outbox
    assert message.to == [learner.email]
    assert auditor.email not in message.body


def test_a_request_about_a_cpd_profile_reaches_its_person(django_capture_on_commit_callbacks):
    rule_set = RuleSetFactory(name="Psychologists' CPD")
    auditor = UserFactory()
    add_accreditor(body=rule_set.body, user=auditor)
    registration = CpdRegistrationFactory(rule_set=rule_set)
    audit_round = rounds.draw_round(rule_set=rule_set, by=auditor, size=1, seed=3)
    with django_capture_on_commit_callbacks(execute=True):
        rounds.decide(
            sample=audit_round.samples.get(),
            decision="more_information",
            notes="Which supervision group?",
            by=auditor,
        )
    (told,) = Notification.objects.filter(kind="audit_request")
    assert told.recipient == registration.learner
    assert "Psychologists' CPD" in told.title
