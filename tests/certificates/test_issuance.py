"""Issuing certificates: which rules a completion meets, the certificate a completion earns
(through the signal and the task), idempotency and the one-certificate-per-record constraint,
serials, revocation, reissue, frozen snapshots, expiry and renewal reminders, the accreditation
lookup of the catalogue, and the staff issue page and admin actions."""

import hashlib
import io
import itertools
import re
import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pypdf
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from certificates import tasks
from certificates.credentials import services as issuance
from certificates.credentials.selectors import certificate_state, certificates_expiring
from certificates.models import (
    AccreditationStatus,
    Certificate,
    CertificateStatus,
    CpdUnit,
    SerialCounter,
)
from courses.models import CourseUnit, JourneyStep
from courses.ports import accreditations
from courses.services import enrol_in_journey
from frameworks.models import Alignment
from lms.api import format_date
from progress.models import CompletionRecord
from tests.certificates.factories import (
    AccreditationFactory,
    AccreditingBodyFactory,
    CertificateTemplateFactory,
    IssuanceRuleFactory,
    make_record,
)
from tests.courses.factories import CourseFactory, JourneyFactory
from tests.frameworks.factories import (
    CompetenceFactory,
    FrameworkFactory,
    complete,
    course_with_link,
)
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db

SERIAL = re.compile(r"^PRA-\d{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def pdf_text(certificate: Certificate) -> str:
    with certificate.pdf.open("rb") as file:
        data = file.read()
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def pdf_bytes(certificate: Certificate) -> bytes:
    with certificate.pdf.open("rb") as file:
        return file.read()


# --- rules -------------------------------------------------------------------------------------


def test_a_rule_without_conditions_matches_any_completion_of_its_course():
    rule = IssuanceRuleFactory()
    IssuanceRuleFactory()  # another course's
    assert issuance.matching_rules(make_record(course=rule.course)) == [rule]


@pytest.mark.parametrize(
    ("minimum", "score", "matches"),
    [
        (Decimal("0.7"), Decimal("0.8"), True),
        (Decimal("0.8"), Decimal("0.8"), True),
        (Decimal("0.9"), Decimal("0.8"), False),
        (Decimal("0.5"), None, False),  # no score fails a rule with a minimum
        (None, None, True),
    ],
)
def test_a_minimum_score_must_be_met(minimum, score, matches):
    rule = IssuanceRuleFactory(minimum_score=minimum)
    record = make_record(course=rule.course, score=score)
    assert issuance.matching_rules(record) == ([rule] if matches else [])


def test_a_completion_after_the_deadline_does_not_count_in_local_time(settings):
    settings.TIME_ZONE = "Europe/Bucharest"
    rule = IssuanceRuleFactory(deadline=date(2026, 3, 10))
    # 21:30 UTC is 23:30 in Bucharest: still the 10th; 22:30 UTC is already the 11th there.
    on_time = make_record(
        course=rule.course, completed_at=datetime(2026, 3, 10, 21, 30, tzinfo=UTC)
    )
    late = make_record(course=rule.course, completed_at=datetime(2026, 3, 10, 22, 30, tzinfo=UTC))
    assert issuance.matching_rules(on_time) == [rule]
    assert issuance.matching_rules(late) == []


def test_an_inactive_rule_does_not_match():
    rule = IssuanceRuleFactory(is_active=False)
    assert issuance.matching_rules(make_record(course=rule.course)) == []


def test_a_journey_rule_matches_the_journeys_completion_only():
    journey = JourneyFactory()
    course = CourseFactory()
    JourneyStep.objects.create(journey=journey, course=course, order=1)
    rule = IssuanceRuleFactory(course=None, journey=journey)
    assert issuance.matching_rules(make_record(journey=journey)) == [rule]
    assert issuance.matching_rules(make_record(course=course)) == []


def test_a_rule_whose_accreditation_is_not_in_force_on_the_completion_date_does_not_match():
    course = CourseFactory()
    suspended = AccreditationFactory(course=course, status=AccreditationStatus.SUSPENDED)
    lapsed = AccreditationFactory(course=course, valid_until=date(2021, 12, 31))
    current = AccreditationFactory(course=course)
    for accreditation in (suspended, lapsed, current):
        IssuanceRuleFactory(course=course, accreditation=accreditation)
    rules = issuance.matching_rules(make_record(course=course))
    assert [r.accreditation for r in rules] == [current]


def test_accredited_and_more_demanding_rules_come_first():
    course = CourseFactory()
    plain = IssuanceRuleFactory(course=course)
    demanding = IssuanceRuleFactory(course=course, minimum_score=Decimal("0.6"))
    accredited = IssuanceRuleFactory(
        course=course, accreditation=AccreditationFactory(course=course)
    )
    record = make_record(course=course, score=Decimal("0.9"))
    assert issuance.matching_rules(record) == [accredited, demanding, plain]


# --- a completion earns its certificate -----------------------------------------------------------


@pytest.fixture
def accredited_course():
    """A link course, accredited for 12.5 points, aligned to two competences, with a rule."""
    course = course_with_link(
        title={"en": "Child protection", "ro": "Protecția copilului și îngrijirea alternativă"},
        cpd_hours=Decimal("4.00"),
    )
    body = AccreditingBodyFactory(
        name="Colegiul Național al Asistenților Sociali", cpd_unit=CpdUnit.POINTS
    )
    accreditation = AccreditationFactory(
        body=body,
        course=course,
        reference="CNAS-2026-17",
        cpd_value=Decimal("12.50"),
        learning_outcomes={"en": "Assess risk\nPlan", "ro": "Evaluează riscul\nPlanifică"},
    )
    framework = FrameworkFactory(title="Cadrul național", levels=["Aware", "Able", "Skilled"])
    assess = CompetenceFactory(
        framework=framework,
        human_coding_scheme="A.1",
        full_statement={"en": "Assesses risk", "ro": "Evaluează riscul"},
    )
    plan = CompetenceFactory(
        framework=framework, human_coding_scheme="A.2", full_statement={"en": "Plans safety"}
    )
    Alignment.objects.create(competence=assess, course=course, level=2)
    unit = CourseUnit.objects.get(course=course)
    Alignment.objects.create(competence=assess, unit=unit, level=3)  # the highest level counts
    Alignment.objects.create(competence=plan, unit=unit)
    template = CertificateTemplateFactory(
        heading={"en": "Certificate of CPD", "ro": "Certificat de formare continuă"},
        signatories=[{"name": "Maria Popescu", "title": {"en": "President", "ro": "Președinte"}}],
    )
    return IssuanceRuleFactory(
        course=course, accreditation=accreditation, template=template, validity_months=24
    )


@pytest.mark.smoke
def test_completing_a_course_issues_its_certificate_with_a_frozen_snapshot(
    accredited_course, django_capture_on_commit_callbacks
):
    rule = accredited_course
    course = rule.course
    learner = UserFactory(display_name="Ștefan Țurcanu", preferred_language="ro")
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, course)

    record = CompletionRecord.objects.get(learner=learner, course=course)
    certificate = Certificate.objects.get(record=record)
    snapshot = certificate.snapshot
    assert (certificate.learner, certificate.rule, certificate.accreditation) == (
        learner,
        rule,
        rule.accreditation,
    )
    assert certificate.status == CertificateStatus.VALID
    assert certificate.issued_by is None
    assert SERIAL.match(certificate.serial)
    assert re.fullmatch(r"[a-z2-7]{32}", certificate.verification_code)
    assert certificate.language == "ro"
    assert snapshot["recipient"] == {"name": "Ștefan Țurcanu", "public_id": str(learner.public_id)}
    assert snapshot["achievement"]["title"] == "Protecția copilului și îngrijirea alternativă"
    assert snapshot["achievement"]["kind"] == "course"
    assert snapshot["body"]["name"] == "Colegiul Național al Asistenților Sociali"
    assert snapshot["body"]["country"] == "RO"
    assert snapshot["body"]["country_name"] == "România"
    assert snapshot["accreditation"]["reference"] == "CNAS-2026-17"
    assert snapshot["cpd"] == {"value": "12.50", "unit": "points"}
    assert snapshot["learning_outcomes"] == ["Evaluează riscul", "Planifică"]
    assert [(c["code"], c["statement"], c["level"], c["level_name"], c["framework"])
            for c in snapshot["competences"]] == [
        ("A.1", "Evaluează riscul", 3, "Skilled", "Cadrul național"),
        ("A.2", "Plans safety", 1, "Aware", "Cadrul național"),
    ]  # fmt: skip
    assert snapshot["competences"][0]["identifier"]
    assert snapshot["heading"] == "Certificat de formare continuă"
    assert snapshot["signatories"] == [{"name": "Maria Popescu", "title": "Președinte"}]
    assert snapshot["serial"] == certificate.serial
    assert snapshot["verification_url"] == (
        f"http://testserver/verify/{certificate.verification_code}"
    )
    assert snapshot["completed_on"] == timezone.localdate(record.completed_at).isoformat()
    assert snapshot["issued_on"] == timezone.localdate(certificate.issued_at).isoformat()
    assert snapshot["expires_on"] == timezone.localdate(certificate.expires_at).isoformat()
    assert certificate.expires_at == issuance.add_months(certificate.issued_at, 24)

    data = pdf_bytes(certificate)
    assert hashlib.sha256(data).hexdigest() == certificate.pdf_sha256
    text = pdf_text(certificate)
    assert "Ștefan Țurcanu" in text
    assert certificate.serial in text
    # The code to type, in groups of four, and where (the QR code holds the whole URL).
    groups = "-".join(certificate.verification_code.upper()[i : i + 4] for i in range(0, 32, 4))
    assert groups in text
    assert "http://testserver/verify/" in text
    # Not guessable from the serial alone: media may be served without access checks.
    assert re.search(rf"/{certificate.serial}-[0-9a-f]{{16}}\.pdf$", certificate.pdf.name)


def test_a_completion_that_meets_no_rule_gets_no_certificate(django_capture_on_commit_callbacks):
    course = course_with_link()
    IssuanceRuleFactory(course=course, minimum_score=Decimal("0.5"))  # link units give no score
    with django_capture_on_commit_callbacks(execute=True):
        complete(UserFactory(), course)
    assert CompletionRecord.objects.filter(course=course).count() == 1
    assert not Certificate.objects.exists()


def test_completing_a_journey_issues_its_certificate_with_the_required_courses_hours(
    django_capture_on_commit_callbacks,
):
    first = course_with_link(cpd_hours=Decimal("4.00"))
    second = course_with_link(cpd_hours=Decimal("2.50"))
    optional = course_with_link(cpd_hours=Decimal("3.00"))
    journey = JourneyFactory(title={"en": "Foundations of child protection"})
    JourneyStep.objects.create(journey=journey, course=first, order=1)
    JourneyStep.objects.create(journey=journey, course=second, order=2)
    JourneyStep.objects.create(journey=journey, course=optional, order=3, required=False)
    framework = FrameworkFactory()
    journeys_own = CompetenceFactory(framework=framework)
    Alignment.objects.create(competence=journeys_own, journey=journey)
    Alignment.objects.create(competence=CompetenceFactory(framework=framework), course=second)
    Alignment.objects.create(competence=CompetenceFactory(framework=framework), course=optional)
    rule = IssuanceRuleFactory(course=None, journey=journey)
    learner = UserFactory()
    enrol_in_journey(learner=learner, journey=journey)
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, first)
        complete(learner, second)

    certificate = Certificate.objects.get()  # the courses have no rule of their own
    assert certificate.rule == rule
    assert certificate.record.journey == journey
    assert certificate.snapshot["achievement"] == {
        **certificate.snapshot["achievement"], "kind": "journey",
        "title": "Foundations of child protection",
    }  # fmt: skip
    assert certificate.snapshot["cpd"] == {"value": "6.50", "unit": "hours"}
    # A journey's record proves the journey's own alignments; its courses' records prove theirs
    # (decision 0008, frameworks.api.competences_proven_by).
    assert [c["identifier"] for c in certificate.snapshot["competences"]] == [
        str(journeys_own.identifier)
    ]
    assert certificate.snapshot["body"] is None
    assert certificate.snapshot["accreditation"] is None


def test_the_signal_handler_queues_the_task_once_connected(django_capture_on_commit_callbacks):
    from progress.api import completion_recorded

    receivers = [
        r for r in completion_recorded.receivers if r[0][0] == "certificates.issue_on_completion"
    ]
    assert len(receivers) == 1


# --- idempotency and the constraint ---------------------------------------------------------------


def test_the_task_run_twice_issues_one_certificate():
    rule = IssuanceRuleFactory()
    record = make_record(course=rule.course)
    first = tasks.issue_certificate.delay(record.pk).get()
    second = tasks.issue_certificate.delay(record.pk).get()
    assert first == second
    assert Certificate.objects.filter(record=record).count() == 1
    assert SerialCounter.objects.get().last == 1


def test_the_task_returns_quietly_for_a_record_that_does_not_exist():
    assert tasks.issue_certificate.delay(987654321).get() is None
    assert not Certificate.objects.exists()


def test_a_drawn_status_index_already_taken_is_drawn_again(monkeypatch):
    taken = issuance.issue_certificate(record=make_record(course=IssuanceRuleFactory().course))
    free = (taken.status_index + 1) % 131_072
    draws = iter([taken.status_index, taken.status_index, free])
    monkeypatch.setattr(issuance.secrets, "randbelow", lambda _capacity: next(draws))
    assert issuance._free_status_index() == free


def test_the_database_refuses_a_second_standing_certificate_for_a_record():
    rule = IssuanceRuleFactory()
    record = make_record(course=rule.course)
    certificate = issuance.issue_certificate(record=record)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            serial="PRA-2000-000001", verification_code="x" * 32, record=record,
            learner=record.learner, issued_at=timezone.now(), language="en", snapshot={},
            status_index=certificate.status_index + 1,
        )  # fmt: skip
    # A replaced one may sit beside the standing one (a reissue).
    Certificate.objects.create(
        serial="PRA-2000-000002", verification_code="y" * 32, record=record,
        learner=record.learner, issued_at=timezone.now(), language="en", snapshot={},
        status_index=certificate.status_index + 2, status=CertificateStatus.REPLACED,
    )  # fmt: skip


def test_when_the_check_misses_a_certificate_the_constraint_returns_the_standing_one(monkeypatch):
    """The race of two workers: both looked, saw nothing, and numbered one each. The second
    insert is refused by the database; its serial is given back and the first is returned."""
    rule = IssuanceRuleFactory()
    record = make_record(course=rule.course)
    existing = issuance.issue_certificate(record=record)
    real = issuance.standing_certificate
    calls = []

    def missed_once(record):
        calls.append(record)
        return None if len(calls) == 1 else real(record)

    monkeypatch.setattr(issuance, "standing_certificate", missed_once)
    assert issuance.issue_certificate(record=record) == existing
    assert len(calls) == 2  # the look before, and the look after the refused insert
    assert Certificate.objects.filter(record=record).count() == 1
    assert SerialCounter.objects.get().last == 1  # the second serial was given back


@pytest.mark.django_db(transaction=True)
def test_two_workers_issuing_at_once_give_one_certificate():
    rule = IssuanceRuleFactory()
    record = make_record(course=rule.course)
    start = threading.Barrier(2)
    serials: list[str] = []
    errors: list[BaseException] = []

    def issue():
        from django.db import connections

        try:
            start.wait()
            certificate = issuance.issue_certificate(
                record=CompletionRecord.objects.get(pk=record.pk)
            )
            serials.append(certificate.serial)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(serials) == 2
    assert serials[0] == serials[1]
    assert Certificate.objects.filter(record=record).count() == 1
    assert SerialCounter.objects.get().last == 1


# --- serials --------------------------------------------------------------------------------------


def test_serials_carry_the_year_and_status_indexes_are_unique():
    year = timezone.localdate().year
    SerialCounter.objects.create(year=year - 1, last=57)  # last year's count does not carry over
    rule = IssuanceRuleFactory()
    certificates = [
        issuance.issue_certificate(record=make_record(course=rule.course)) for _ in range(3)
    ]
    assert all(SERIAL.match(c.serial) for c in certificates)
    assert {c.serial.split("-")[1] for c in certificates} == {str(year)}
    assert len({c.serial for c in certificates}) == 3
    indexes = [c.status_index for c in certificates]
    assert len(set(indexes)) == 3
    assert all(0 <= index < 131_072 for index in indexes)
    # Random, not in issuing order (three in a row by chance: about 1 in 10^10).
    assert sorted(indexes) != list(range(min(indexes), min(indexes) + 3))
    assert len({c.verification_code for c in certificates}) == 3
    assert SerialCounter.objects.get(year=year - 1).last == 57


def test_the_serial_prefix_comes_from_the_settings(settings):
    settings.CERTIFICATE_SERIAL_PREFIX = "CPD"
    rule = IssuanceRuleFactory()
    certificate = issuance.issue_certificate(record=make_record(course=rule.course))
    assert certificate.serial.startswith(f"CPD-{timezone.localdate().year}-")


# --- staff issue by hand --------------------------------------------------------------------------


def test_staff_may_issue_without_a_rule():
    staff = UserFactory(is_staff=True)
    record = make_record(course=CourseFactory(cpd_hours=Decimal("3.00")))
    assert issuance.issue_certificate(record=record) is None
    certificate = issuance.issue_certificate(record=record, by=staff)
    assert (certificate.rule, certificate.accreditation, certificate.issued_by) == (
        None,
        None,
        staff,
    )
    assert certificate.expires_at is None
    assert certificate.snapshot["cpd"] == {"value": "3.00", "unit": "hours"}
    assert certificate.snapshot["heading"] == ""


def test_staff_may_apply_a_rule_the_completion_does_not_meet_but_not_another_courses():
    staff = UserFactory(is_staff=True)
    rule = IssuanceRuleFactory(minimum_score=Decimal("0.9"))
    record = make_record(course=rule.course, score=Decimal("0.5"))
    with pytest.raises(ValidationError) as refused:
        issuance.issue_certificate(record=record, rule=IssuanceRuleFactory(), by=staff)
    assert "rule" in refused.value.error_dict
    assert issuance.issue_certificate(record=record, rule=rule, by=staff).rule == rule


# --- revocation -----------------------------------------------------------------------------------


@pytest.fixture
def certificate():
    rule = IssuanceRuleFactory(validity_months=12)
    learner = UserFactory(display_name="Olena Kovalenko")
    return issuance.issue_certificate(record=make_record(course=rule.course, learner=learner))


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_revocation_needs_a_reason(certificate, reason):
    with pytest.raises(ValidationError) as refused:
        issuance.revoke_certificate(certificate=certificate, reason=reason, by=UserFactory())
    assert "reason" in refused.value.error_dict
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID


def test_a_revoked_certificate_says_when_and_why_and_cannot_be_revoked_again(certificate):
    staff = UserFactory(is_staff=True)
    revoked = issuance.revoke_certificate(
        certificate=certificate, reason="  Completion obtained by fraud.  ", by=staff
    )
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED == revoked.status
    assert certificate.revocation_reason == "Completion obtained by fraud."
    assert timezone.now() - certificate.revoked_at < timedelta(minutes=1)
    assert certificate_state(certificate) == "revoked"
    with pytest.raises(ValidationError, match="already revoked"):
        issuance.revoke_certificate(certificate=certificate, reason="Again", by=staff)
    # Issuing again for the record returns the revoked one: no fresh certificate replaces it.
    assert issuance.issue_certificate(record=certificate.record) == certificate


# --- reissue --------------------------------------------------------------------------------------


def test_a_reissue_replaces_the_certificate_with_the_learners_corrected_name(certificate):
    old_bytes = pdf_bytes(certificate)
    learner = certificate.learner
    learner.display_name = "Olena Kovalenko-Shevchenko"
    learner.save()
    staff = UserFactory(is_staff=True)

    new = issuance.reissue_certificate(certificate=certificate, by=staff)

    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REPLACED
    assert certificate.replaced_by == new
    assert new.status == CertificateStatus.VALID
    assert (new.record, new.rule, new.accreditation, new.learner) == (
        certificate.record,
        certificate.rule,
        certificate.accreditation,
        learner,
    )
    assert new.serial != certificate.serial
    assert new.verification_code != certificate.verification_code
    assert new.issued_by == staff
    assert new.expires_at == issuance.add_months(new.issued_at, 12)
    assert new.snapshot["recipient"]["name"] == "Olena Kovalenko-Shevchenko"
    assert new.snapshot["serial"] == new.serial
    assert "Olena Kovalenko-Shevchenko" in pdf_text(new)
    # The old certificate, its snapshot and its PDF stay exactly as issued.
    assert certificate.snapshot["recipient"]["name"] == "Olena Kovalenko"
    assert pdf_bytes(certificate) == old_bytes
    assert hashlib.sha256(old_bytes).hexdigest() == certificate.pdf_sha256
    assert Certificate.objects.filter(record=certificate.record).count() == 2
    assert issuance.standing_certificate(certificate.record) == new


def test_only_a_valid_certificate_can_be_reissued(certificate):
    staff = UserFactory(is_staff=True)
    issuance.reissue_certificate(certificate=certificate, by=staff)
    with pytest.raises(ValidationError):
        issuance.reissue_certificate(certificate=certificate, by=staff)  # now replaced
    revoked = issuance.standing_certificate(certificate.record)
    issuance.revoke_certificate(certificate=revoked, reason="Error", by=staff)
    with pytest.raises(ValidationError):
        issuance.reissue_certificate(certificate=revoked, by=staff)
    with pytest.raises(ValidationError, match="replaced"):
        issuance.revoke_certificate(certificate=certificate, reason="Error", by=staff)


def test_later_edits_do_not_change_an_issued_certificate(accredited_course):
    rule = accredited_course
    learner = UserFactory(display_name="Ana Popa", preferred_language="en")
    certificate = issuance.issue_certificate(
        record=make_record(course=rule.course, learner=learner)
    )
    snapshot, data = certificate.snapshot, pdf_bytes(certificate)

    rule.template.heading = {"en": "A new heading"}
    rule.template.signatories = [{"name": "Someone Else", "title": "Director"}]
    rule.template.save()
    rule.course.title = {"en": "A renamed course"}
    rule.course.save()
    rule.accreditation.reference = "CHANGED-1"
    rule.accreditation.save()
    learner.display_name = "Ana Ionescu"
    learner.save()

    certificate = Certificate.objects.get(pk=certificate.pk)
    assert certificate.snapshot == snapshot
    assert pdf_bytes(certificate) == data
    assert issuance.issue_certificate(record=certificate.record) == certificate
    # A later completion shows the new heading.
    later = issuance.issue_certificate(record=make_record(course=rule.course))
    assert later.snapshot["heading"] == "A new heading"
    assert later.snapshot["accreditation"]["reference"] == "CHANGED-1"


# --- expiry and renewal reminders -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime(2026, 1, 31, 9, 15, tzinfo=UTC), 1, datetime(2026, 2, 28, 9, 15, tzinfo=UTC)),
        (datetime(2028, 1, 31, 9, 15, tzinfo=UTC), 1, datetime(2028, 2, 29, 9, 15, tzinfo=UTC)),
        (datetime(2028, 2, 29, 0, 0, tzinfo=UTC), 12, datetime(2029, 2, 28, 0, 0, tzinfo=UTC)),
        (datetime(2026, 12, 15, 0, 0, tzinfo=UTC), 1, datetime(2027, 1, 15, 0, 0, tzinfo=UTC)),
        (datetime(2026, 11, 30, 0, 0, tzinfo=UTC), 15, datetime(2028, 2, 29, 0, 0, tzinfo=UTC)),
        (datetime(2026, 5, 31, 0, 0, tzinfo=UTC), 36, datetime(2029, 5, 31, 0, 0, tzinfo=UTC)),
    ],
)
def test_expiry_adds_calendar_months_keeping_to_the_months_last_day(start, months, expected):
    assert issuance.add_months(start, months) == expected


def test_a_certificate_without_validity_never_expires_and_one_past_its_date_shows_expired():
    rule = IssuanceRuleFactory(validity_months=None)
    certificate = issuance.issue_certificate(record=make_record(course=rule.course))
    assert certificate.expires_at is None
    assert certificate.snapshot["expires_on"] is None
    assert certificate_state(certificate) == "valid"
    certificate.expires_at = timezone.now() - timedelta(seconds=1)
    assert certificate_state(certificate) == "expired"
    assert certificate.status == CertificateStatus.VALID  # computed, never stored


def _expiring_in(days, **kwargs):
    rule = IssuanceRuleFactory(validity_months=12, course=course_with_link(
        title={"en": "Safeguarding basics", "ro": "Bazele protecției"}))  # fmt: skip
    certificate = issuance.issue_certificate(
        record=make_record(course=rule.course, learner=UserFactory(**kwargs))
    )
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() + timedelta(days=days)
    )
    certificate.refresh_from_db()
    return certificate


def test_learners_are_reminded_once_of_a_certificate_expiring_soon(
    settings, django_capture_on_commit_callbacks
):
    settings.CERTIFICATE_RENEWAL_REMINDER_DAYS = 30
    soon = _expiring_in(10, email="soon@example.org", display_name="Ion Popescu")
    later = _expiring_in(45)
    gone = _expiring_in(-1)
    revoked = _expiring_in(5)
    issuance.revoke_certificate(certificate=revoked, reason="Error", by=UserFactory())
    assert list(certificates_expiring(30)) == [soon]

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_renewal_reminders.delay().get() == 1
    (message,) = mail.outbox
    assert message.to == ["soon@example.org"]
    assert "Hello Ion Popescu," in message.body
    assert soon.serial in message.body
    assert "Safeguarding basics" in message.body
    assert soon.snapshot["verification_url"] in message.body
    assert f"/courses/{soon.record.course.slug}/" in message.body
    soon.refresh_from_db()
    assert soon.renewal_reminded_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        assert issuance.send_renewal_reminders() == 0
    assert len(mail.outbox) == 1
    for certificate in (later, gone, revoked):
        certificate.refresh_from_db()
        assert certificate.renewal_reminded_at is None


def test_the_reminder_is_written_in_the_learners_language(django_capture_on_commit_callbacks):
    _expiring_in(3, preferred_language="ro")
    with django_capture_on_commit_callbacks(execute=True):
        issuance.send_renewal_reminders()
    (message,) = mail.outbox
    assert "Bazele protecției" in message.body
    # Dates follow the language: the medium style, the month in lower case (lms/formats/ro).
    expires = timezone.localdate(timezone.now() + timedelta(days=3))
    with translation.override("ro"):
        assert format_date(expires) in message.subject
        assert format_date(expires).split()[1].islower()


def test_the_renewal_reminders_run_daily_on_beat(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["certificate-renewal-reminders"]
    assert (
        schedule["task"]
        == tasks.send_renewal_reminders.name
        == "certificates.send_renewal_reminders"
    )


# --- the catalogue's accreditation lookup ---------------------------------------------------------


def test_the_catalogue_lists_as_accredited_the_courses_with_an_accreditation_in_force_today(client):
    today = timezone.localdate()
    current = AccreditationFactory().course
    AccreditationFactory(course=current, reference="OLD", valid_until=date(2021, 1, 1))
    suspended = AccreditationFactory(status=AccreditationStatus.SUSPENDED).course
    lapsed = AccreditationFactory(valid_until=today - timedelta(days=1)).course
    future = AccreditationFactory(valid_from=today + timedelta(days=1)).course
    AccreditationFactory(course=None, journey=JourneyFactory())  # a journey's: not a course id
    plain = CourseFactory()

    assert set(accreditations().accredited_course_ids().values_list("course_id", flat=True)) == {
        current.pk
    }

    def slugs(answer):
        return {entry.slug for entry in answer.context["entries"]}

    catalogue = reverse("courses:catalogue")
    assert slugs(client.get(catalogue, {"accredited": "yes"})) == {current.slug}
    assert slugs(client.get(catalogue, {"accredited": "no"})) == {
        suspended.slug,
        lapsed.slug,
        future.slug,
        plain.slug,
    }


# --- admin actions --------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_admin_asks_for_a_reason_then_revokes(admin_client, certificate):
    url = reverse("admin:certificates_certificate_changelist")
    ask = admin_client.post(
        url, {"action": "revoke", "_selected_action": [certificate.pk], "index": 0}
    )
    assert ask.status_code == 200
    assert "Reason" in ask.content.decode()
    assert certificate.serial in ask.content.decode()

    missing = admin_client.post(url, {"action": "revoke", "_selected_action": [certificate.pk],
                                      "apply": "yes", "reason": ""})  # fmt: skip
    assert missing.status_code == 200
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID

    done = admin_client.post(url, {"action": "revoke", "_selected_action": [certificate.pk],
                                   "apply": "yes", "reason": "Issued by mistake"})  # fmt: skip
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert (certificate.status, certificate.revocation_reason) == (
        CertificateStatus.REVOKED,
        "Issued by mistake",
    )


def test_the_admin_reissues_and_shows_certificates_read_only(admin_client, certificate):
    url = reverse("admin:certificates_certificate_changelist")
    response = admin_client.post(
        url, {"action": "reissue", "_selected_action": [certificate.pk], "index": 0}, follow=True
    )
    new = issuance.standing_certificate(certificate.record)
    assert new != certificate
    assert f"{certificate.serial} replaced by {new.serial}." in response.content.decode()
    change = admin_client.get(reverse("admin:certificates_certificate_change", args=[new.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    for name in ("accreditation", "certificatetemplate", "issuancerule"):
        assert admin_client.get(reverse(f"admin:certificates_{name}_add")).status_code == 200


def test_serials_do_not_count_certificates():
    """Issue 17: a serial that counted up told anyone holding two how many were issued in
    between; the random part says nothing and stays short and readable."""
    staff = UserFactory(is_staff=True)
    serials = [issuance.issue_certificate(record=make_record(), by=staff).serial for _ in range(5)]
    assert all(SERIAL.match(s) for s in serials)
    tails = [s.rsplit("-", 2)[1] + s.rsplit("-", 2)[2] for s in serials]
    assert len(set(tails)) == 5
    assert not any(int(t, 36) + 1 == int(u, 36) for t, u in itertools.pairwise(tails))
    assert not set("ILOU") & set("".join(tails))
