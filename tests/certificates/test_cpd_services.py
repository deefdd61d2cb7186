"""Writes of the CPD ledger (certificates.cpd_services): logging, editing and deleting
activities; peer discussions that only the named peer can confirm; registrations; the entry a
certificate makes (issue, revoke, reissue); the reminders before a cycle ends; the admin's
checks; the demo data."""

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from certificates import tasks
from certificates.admin import RequirementForm, RequirementRuleSetForm
from certificates.cpd import selectors as cpd
from certificates.cpd import services as cpd_services
from certificates.credentials import services as issuance
from certificates.models import (
    CertificateStatus,
    CpdActivityKind,
    CpdEntry,
    CpdRegistration,
    CpdSource,
    CpdType,
    CpdUnit,
    CycleKind,
    DiscussionStatus,
    RequirementKind,
    RequirementPeriod,
    RequirementRuleSet,
)
from lms.models import User
from tests.certificates.factories import (
    AccreditationFactory,
    AccreditingBodyFactory,
    CpdEntryFactory,
    CpdRegistrationFactory,
    IssuanceRuleFactory,
    RequirementFactory,
    RuleSetFactory,
    make_record,
)
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - timedelta(days=1)


def log(learner, **fields) -> CpdEntry:
    values = {
        "title": "Workshop on family assessments",
        "kind": CpdActivityKind.WORKSHOP,
        "date": YESTERDAY,
        "hours": "3.5",
        "participatory": True,
        "structured": True,
    }
    return cpd_services.log_activity(learner=learner, **{**values, **fields})


@pytest.fixture
def learner():
    return UserFactory(display_name="Ana Popescu", email="ana@example.org")


@pytest.fixture
def peer():
    return UserFactory(display_name="Mihai Ionescu", email="mihai@example.org")


@pytest.fixture
def discussed(learner, peer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        entry = log(learner, discussion_with=peer, discussion_notes="The safety plan.")
    mail.outbox.clear()
    return entry


# --- logging activities -------------------------------------------------------------------------


def test_a_logged_activity_joins_the_learners_ledger(learner):
    entry = log(
        learner,
        title="  Workshop on family assessments ",
        provider="County agency",
        learning="Scoring risk factors",
        impact="I score them at the first visit",
    )
    entry.refresh_from_db()
    assert entry.learner == learner
    assert entry.source == CpdSource.EXTERNAL
    assert entry.certificate is None
    assert entry.title == "Workshop on family assessments"
    assert entry.hours == Decimal("3.50")
    assert (entry.participatory, entry.structured) == (True, True)
    assert entry.has_reflection
    assert entry.discussion_status == DiscussionStatus.NONE
    assert list(cpd.ledger_for(learner)) == [entry]


@pytest.mark.parametrize("hours", ["0", "-1", "abc", "NaN"])
def test_an_activity_needs_more_than_zero_hours(learner, hours):
    with pytest.raises(ValidationError) as error:
        log(learner, hours=hours)
    assert "hours" in error.value.message_dict
    assert not CpdEntry.objects.exists()


def test_an_activity_cannot_be_dated_in_the_future(learner):
    with pytest.raises(ValidationError) as error:
        log(learner, date=timezone.localdate() + timedelta(days=1))
    assert "date" in error.value.message_dict
    assert log(learner, date=timezone.localdate()).date == timezone.localdate()


def test_a_learner_cannot_name_themselves_as_the_peer(learner):
    with pytest.raises(ValidationError) as error:
        log(learner, discussion_with=learner, discussion_notes="With myself")
    assert "discussion_with" in error.value.message_dict
    assert not CpdEntry.objects.exists()


def test_discussion_notes_need_a_person(learner):
    with pytest.raises(ValidationError) as error:
        log(learner, discussion_notes="We talked")
    assert "discussion_with" in error.value.message_dict


def test_naming_a_peer_asks_them_to_confirm_by_e_mail(
    learner, peer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = log(learner, discussion_with=peer, discussion_notes="The safety plan.")
    assert entry.discussion_status == DiscussionStatus.PENDING
    (message,) = mail.outbox
    assert message.to == ["mihai@example.org"]
    assert "Hello Mihai Ionescu," in message.body
    assert "Ana Popescu" in message.body
    assert '"Workshop on family assessments"' in message.body
    assert "The safety plan." in message.body
    assert "http://testserver/cpd/confirmations/" in message.body


def test_evidence_is_stored_under_an_unguessable_name(learner):
    entry = log(learner, evidence=ContentFile(b"%PDF-1.4 certificate", name="attendance.pdf"))
    assert entry.evidence.name.startswith(f"cpd/evidence/{timezone.now():%Y}/")
    assert entry.evidence.name.endswith("-attendance.pdf")
    assert len(entry.evidence.name.rsplit("/", 1)[1]) == len("0123456789abcdef-attendance.pdf")
    with entry.evidence.open("rb") as file:
        assert file.read() == b"%PDF-1.4 certificate"


def test_evidence_of_an_unknown_kind_is_refused(learner):
    with pytest.raises(ValidationError) as error:
        log(learner, evidence=ContentFile(b"<script>", name="page.html"))
    assert "evidence" in error.value.message_dict
    assert not CpdEntry.objects.exists()


# --- peer discussions -------------------------------------------------------------------------


def test_the_named_peer_confirms_and_the_learner_is_told(
    discussed, peer, django_capture_on_commit_callbacks
):
    assert list(cpd.confirmations_for(peer)) == [discussed]
    with django_capture_on_commit_callbacks(execute=True):
        answered = cpd_services.answer_discussion(
            entry=discussed, by=peer, confirm=True, comment=" We did. "
        )
    discussed.refresh_from_db()
    assert discussed.discussion_status == DiscussionStatus.CONFIRMED == answered.discussion_status
    assert discussed.discussion_confirmed
    assert discussed.discussion_response == "We did."
    assert timezone.now() - discussed.discussion_answered_at < timedelta(minutes=1)
    assert list(cpd.confirmations_for(peer)) == []
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    assert "Mihai Ionescu confirmed your discussion" in message.body
    assert "We did." in message.body


def test_the_named_peer_may_decline(discussed, peer):
    cpd_services.answer_discussion(entry=discussed, by=peer, confirm=False)
    discussed.refresh_from_db()
    assert discussed.discussion_status == DiscussionStatus.DECLINED
    assert not discussed.discussion_confirmed


def test_only_the_named_peer_can_answer(discussed, learner):
    for someone in (UserFactory(), UserFactory(is_staff=True, is_superuser=True), learner):
        with pytest.raises(PermissionDenied):
            cpd_services.answer_discussion(entry=discussed, by=someone, confirm=True)
    discussed.refresh_from_db()
    assert discussed.discussion_status == DiscussionStatus.PENDING
    assert discussed.discussion_answered_at is None


def test_a_learner_cannot_confirm_their_own_discussion_even_if_named(learner):
    entry = CpdEntryFactory(
        learner=learner, discussion_with=learner, discussion_status=DiscussionStatus.PENDING
    )
    with pytest.raises(PermissionDenied):
        cpd_services.answer_discussion(entry=entry, by=learner, confirm=True)
    entry.refresh_from_db()
    assert entry.discussion_status == DiscussionStatus.PENDING
    assert list(cpd.confirmations_for(learner)) == []


def test_a_discussion_is_answered_once(discussed, peer):
    cpd_services.answer_discussion(entry=discussed, by=peer, confirm=True)
    with pytest.raises(ValidationError) as error:
        cpd_services.answer_discussion(entry=discussed, by=peer, confirm=False)
    assert error.value.code == "not_pending"
    discussed.refresh_from_db()
    assert discussed.discussion_status == DiscussionStatus.CONFIRMED


def test_an_entry_without_a_discussion_cannot_be_answered(learner):
    entry = log(learner)
    with pytest.raises(PermissionDenied):
        cpd_services.answer_discussion(entry=entry, by=UserFactory(), confirm=True)


# --- editing and deleting -------------------------------------------------------------------------


@pytest.fixture
def confirmed(discussed, peer):
    cpd_services.answer_discussion(entry=discussed, by=peer, confirm=True, comment="Yes")
    mail.outbox.clear()
    discussed.refresh_from_db()
    return discussed


def test_changing_the_notes_after_confirmation_asks_again(
    confirmed, learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        edited = cpd_services.update_activity(
            entry=confirmed, by=learner, discussion_notes="The safety plan, and the school."
        )
    assert edited.discussion_status == DiscussionStatus.PENDING
    assert edited.discussion_response == ""
    assert edited.discussion_answered_at is None
    (message,) = mail.outbox
    assert message.to == ["mihai@example.org"]
    assert "The safety plan, and the school." in message.body


def test_naming_another_person_after_confirmation_asks_them(
    confirmed, learner, django_capture_on_commit_callbacks
):
    other = UserFactory(email="elena@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        edited = cpd_services.update_activity(entry=confirmed, by=learner, discussion_with=other)
    assert edited.discussion_status == DiscussionStatus.PENDING
    assert [m.to for m in mail.outbox] == [["elena@example.org"]]
    with pytest.raises(PermissionDenied):  # the first peer no longer may
        cpd_services.answer_discussion(entry=edited, by=confirmed.discussion_with, confirm=True)


def test_other_edits_keep_the_confirmation(confirmed, learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        edited = cpd_services.update_activity(
            entry=confirmed,
            by=learner,
            hours="4",
            learning="Plans",
            discussion_notes=confirmed.discussion_notes,
            discussion_with=confirmed.discussion_with,
        )
    assert edited.hours == Decimal("4.00")
    assert edited.discussion_status == DiscussionStatus.CONFIRMED
    assert edited.discussion_response == "Yes"
    assert mail.outbox == []


def test_removing_the_person_ends_the_discussion(confirmed, learner):
    edited = cpd_services.update_activity(
        entry=confirmed, by=learner, discussion_with=None, discussion_notes=""
    )
    assert edited.discussion_status == DiscussionStatus.NONE
    assert edited.discussion_response == ""


def test_only_the_learner_edits_or_deletes_their_entry(confirmed, peer):
    with pytest.raises(PermissionDenied):
        cpd_services.update_activity(entry=confirmed, by=peer, hours="10")
    with pytest.raises(PermissionDenied):
        cpd_services.delete_activity(entry=confirmed, by=peer)
    confirmed.refresh_from_db()
    assert confirmed.hours == Decimal("3.50")


def test_an_edit_is_validated_like_a_new_activity(learner):
    entry = log(learner)
    with pytest.raises(ValidationError) as error:
        cpd_services.update_activity(
            entry=entry, by=learner, date=timezone.localdate() + timedelta(days=3)
        )
    assert "date" in error.value.message_dict
    with pytest.raises(ValidationError):
        cpd_services.update_activity(entry=entry, by=learner, discussion_with=learner)
    with pytest.raises(TypeError):
        cpd_services.update_activity(entry=entry, by=learner, learner=UserFactory())
    entry.refresh_from_db()
    assert entry.date == YESTERDAY


def test_replacing_and_removing_evidence(learner, django_capture_on_commit_callbacks):
    entry = log(learner, evidence=ContentFile(b"first", name="first.pdf"))
    storage = entry.evidence.storage
    first = entry.evidence.name
    with django_capture_on_commit_callbacks(execute=True):
        entry = cpd_services.update_activity(
            entry=entry, by=learner, evidence=ContentFile(b"second", name="second.png")
        )
    assert entry.evidence.name.endswith("-second.png")
    assert not storage.exists(first)
    second = entry.evidence.name
    with django_capture_on_commit_callbacks(execute=True):
        entry = cpd_services.update_activity(entry=entry, by=learner, evidence=None)
    entry.refresh_from_db()
    assert not entry.evidence
    assert not storage.exists(second)


def test_deleting_an_activity_removes_it_and_its_file(learner, django_capture_on_commit_callbacks):
    entry = log(learner, evidence=ContentFile(b"x", name="x.pdf"))
    name, storage = entry.evidence.name, entry.evidence.storage
    with django_capture_on_commit_callbacks(execute=True):
        cpd_services.delete_activity(entry=entry, by=learner)
    assert not CpdEntry.objects.exists()
    assert not storage.exists(name)


# --- registrations ------------------------------------------------------------------------------


def test_registering_twice_keeps_one_registration(learner):
    rule_set = RuleSetFactory(time_zone="Pacific/Kiritimati")
    first = cpd_services.register(learner=learner, rule_set=rule_set)
    assert first.registered_on == cpd.today_for(rule_set)
    again = cpd_services.register(
        learner=learner, rule_set=rule_set, registered_on=date(2024, 5, 1), number=" N-1 "
    )
    assert again.pk == first.pk
    again.refresh_from_db()
    assert (again.registered_on, again.number) == (date(2024, 5, 1), "N-1")
    assert CpdRegistration.objects.count() == 1
    assert cpd_services.unregister(learner=learner, rule_set=rule_set)
    assert not cpd_services.unregister(learner=learner, rule_set=rule_set)
    assert not CpdRegistration.objects.exists()


def test_an_inactive_rule_set_takes_no_registrations(learner):
    with pytest.raises(ValidationError):
        cpd_services.register(learner=learner, rule_set=RuleSetFactory(is_active=False))


# --- certificates in the ledger -----------------------------------------------------------------


def certificate_for(learner, *, completed_at, cpd_value="4.00", unit=CpdUnit.HOURS, rate="1"):
    body = AccreditingBodyFactory(cpd_unit=unit, points_per_hour=Decimal(rate))
    accreditation = AccreditationFactory(body=body, cpd_value=Decimal(cpd_value))
    rule = IssuanceRuleFactory(course=accreditation.course, accreditation=accreditation)
    record = make_record(learner=learner, course=rule.course, completed_at=completed_at)
    return issuance.issue_certificate(record=record)


COMPLETED = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)


def test_an_issued_certificate_makes_one_entry(learner):
    certificate = certificate_for(learner, completed_at=COMPLETED)
    entry = CpdEntry.objects.get()
    assert entry.certificate == certificate
    assert entry.learner == learner
    assert entry.source == CpdSource.CERTIFICATE
    assert entry.title == certificate.snapshot["achievement"]["title"]
    assert entry.hours == Decimal("4.00")
    assert (entry.date, entry.occurred_at) == (date(2026, 3, 14), COMPLETED)
    assert (entry.kind, entry.structured, entry.participatory) == (
        CpdActivityKind.COURSE, True, False,
    )  # fmt: skip
    # Syncing again, or issuing again, changes nothing.
    updated_at = entry.updated_at
    assert cpd_services.sync_certificate_entry(certificate) == entry
    assert issuance.issue_certificate(record=certificate.record) == certificate
    entry.refresh_from_db()
    assert CpdEntry.objects.count() == 1
    assert entry.updated_at == updated_at


def test_a_certificate_without_cpd_makes_no_entry(learner):
    rule = IssuanceRuleFactory()  # no accreditation; the course's nominal hours are 0
    certificate = issuance.issue_certificate(
        record=make_record(learner=learner, course=rule.course)
    )
    assert Decimal(certificate.snapshot["cpd"]["value"]) == 0
    assert not CpdEntry.objects.exists()


def test_points_become_hours_and_count_as_the_certificates_points(learner):
    certificate = certificate_for(
        learner, completed_at=COMPLETED, cpd_value="4", unit=CpdUnit.POINTS, rate="1.5"
    )
    entry = CpdEntry.objects.get()
    assert entry.hours == Decimal("2.67")  # 4 / 1.5
    rule_set = RuleSetFactory(body=certificate.accreditation.body)
    RequirementFactory(rule_set=rule_set, kind=RequirementKind.HOURS, amount=10)
    registration = CpdRegistrationFactory(learner=learner, rule_set=rule_set)
    standing = cpd.standing(registration, today=date(2026, 6, 1))
    # The body's own points, not 2.67 * 1.5 = 4.01.
    assert standing.lines[0].value == Decimal("4.00")
    assert standing.results[0].missing == "6 more points"
    other = RuleSetFactory(body=AccreditingBodyFactory(cpd_unit=CpdUnit.POINTS, points_per_hour=3))
    registration = CpdRegistrationFactory(learner=learner, rule_set=other)
    assert cpd.standing(registration, today=date(2026, 6, 1)).lines[0].value == Decimal("8.01")


def test_a_revoked_certificate_leaves_the_ledger(learner):
    certificate = certificate_for(learner, completed_at=COMPLETED)
    issuance.revoke_certificate(certificate=certificate, reason="Fraud", by=UserFactory())
    assert not CpdEntry.objects.exists()
    assert cpd_services.sync_certificate_entry(certificate) is None
    assert not CpdEntry.objects.exists()


def test_a_reissue_moves_the_entry_with_the_learners_reflection(learner, peer):
    old = certificate_for(learner, completed_at=COMPLETED)
    entry = CpdEntry.objects.get()
    entry = cpd_services.update_activity(
        entry=entry, by=learner, learning="Risk", impact="Earlier visits", discussion_with=peer
    )
    cpd_services.answer_discussion(entry=entry, by=peer, confirm=True)
    new = issuance.reissue_certificate(certificate=old, by=UserFactory())
    moved = CpdEntry.objects.get()
    assert moved.pk == entry.pk
    assert moved.certificate == new
    assert (moved.learning, moved.impact) == ("Risk", "Earlier visits")
    assert moved.discussion_status == DiscussionStatus.CONFIRMED
    old.refresh_from_db()
    assert old.status == CertificateStatus.REPLACED
    # Syncing the old one again changes nothing.
    assert cpd_services.sync_certificate_entry(old) == moved
    assert CpdEntry.objects.count() == 1


def test_a_certificates_entry_keeps_what_the_certificate_says(learner):
    certificate_for(learner, completed_at=COMPLETED)
    entry = CpdEntry.objects.get()
    with pytest.raises(ValidationError) as error:
        cpd_services.update_activity(entry=entry, by=learner, hours="40", title="More")
    assert set(error.value.message_dict) == {"hours", "title"}
    with pytest.raises(ValidationError) as error:
        cpd_services.delete_activity(entry=entry, by=learner)
    assert error.value.code == "from_certificate"
    edited = cpd_services.update_activity(entry=entry, by=learner, learning="Risk")
    assert (edited.learning, edited.hours) == ("Risk", Decimal("4.00"))


def test_certificates_issued_before_the_ledger_are_backfilled_once(learner):
    certificate = certificate_for(learner, completed_at=COMPLETED)
    CpdEntry.objects.all().delete()
    assert cpd_services.backfill_certificate_entries() == 1
    assert CpdEntry.objects.get().certificate == certificate
    assert cpd_services.backfill_certificate_entries() == 0


def test_the_backfill_command_shows_progress_and_says_what_it_made(learner):
    certificate_for(learner, completed_at=COMPLETED)
    CpdEntry.objects.all().delete()
    out, err = io.StringIO(), io.StringIO()
    call_command("backfill_cpd_entries", stdout=out, stderr=err)
    assert out.getvalue().strip() == "1 ledger entries made."
    assert "100% 1/1" in err.getvalue()
    assert CpdEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("zone", "cycle_start"),
    [
        ("Europe/Bucharest", date(2027, 1, 1)),
        ("UTC", date(2026, 1, 1)),
        ("America/New_York", date(2026, 1, 1)),
    ],
)
def test_a_certificate_completed_on_new_years_eve_counts_in_the_cycle_of_its_local_day(
    learner, zone, cycle_start
):
    certificate_for(learner, completed_at=datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    rule_set = RuleSetFactory(time_zone=zone)
    RequirementFactory(rule_set=rule_set, kind=RequirementKind.ENTRIES, amount=1)
    CpdRegistrationFactory(learner=learner, rule_set=rule_set)
    registrations = cpd.registrations_for([learner])
    (in_2026,) = cpd.standings_for(registrations, today=date(2026, 12, 31))
    (in_2027,) = cpd.standings_for(registrations, today=date(2027, 1, 1))
    counted = in_2027 if cycle_start.year == 2027 else in_2026
    missed = in_2026 if counted is in_2027 else in_2027
    assert counted.cycle.start == cycle_start
    assert len(counted.lines) == 1
    assert counted.met
    assert missed.lines == ()


# --- reminders ----------------------------------------------------------------------------------


@pytest.fixture
def due(learner):
    """A 3-year cycle ending 31 December 2026 with 35 hours required; 10 logged."""
    rule_set = RuleSetFactory(
        name="Social work register",
        body=AccreditingBodyFactory(name="Colegiul Asistenților Sociali"),
        cycle_years=3,
        cycle_start=date(2024, 1, 1),
    )
    RequirementFactory(rule_set=rule_set, kind=RequirementKind.HOURS, amount=35)
    CpdEntryFactory(learner=learner, date=date(2026, 2, 1), hours=10)
    return CpdRegistrationFactory(learner=learner, rule_set=rule_set)


def remind(today, capture):
    with capture(execute=True):
        return cpd_services.send_cycle_reminders(today=today)


def test_a_reminder_says_what_is_missing_once_per_cycle(
    due, settings, django_capture_on_commit_callbacks
):
    settings.CPD_CYCLE_REMINDER_DAYS = 60
    assert remind(date(2026, 11, 1), django_capture_on_commit_callbacks) == 1
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    assert message.subject == "Your CPD cycle ends on 31 Dec 2026"
    assert "Hello Ana Popescu," in message.body
    assert "Social work register (Colegiul Asistenților Sociali)" in message.body
    assert "in 60 days" in message.body
    assert "- 25 more hours" in message.body
    assert "http://testserver/cpd/" in message.body
    due.refresh_from_db()
    assert due.reminded_for == date(2026, 12, 31)
    assert remind(date(2026, 11, 2), django_capture_on_commit_callbacks) == 0
    assert remind(date(2026, 12, 31), django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1
    # The next cycle gets its own reminder.
    assert remind(date(2029, 12, 1), django_capture_on_commit_callbacks) == 1
    due.refresh_from_db()
    assert due.reminded_for == date(2029, 12, 31)


def test_no_reminder_too_early_or_when_met(
    due, learner, settings, django_capture_on_commit_callbacks
):
    settings.CPD_CYCLE_REMINDER_DAYS = 60
    assert remind(date(2026, 10, 31), django_capture_on_commit_callbacks) == 0  # 61 days before
    CpdEntryFactory(learner=learner, date=date(2026, 3, 1), hours=25)
    assert remind(date(2026, 11, 1), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    due.refresh_from_db()
    assert due.reminded_for is None


def test_no_reminder_for_an_inactive_rule_set_or_a_past_fixed_cycle(
    due, learner, django_capture_on_commit_callbacks
):
    RequirementRuleSet.objects.filter(pk=due.rule_set_id).update(is_active=False)
    fixed = RuleSetFactory(
        cycle_kind=CycleKind.FIXED, cycle_start=date(2025, 1, 1), cycle_end=date(2026, 10, 1)
    )
    RequirementFactory(rule_set=fixed, kind=RequirementKind.ENTRIES, amount=5)
    CpdRegistrationFactory(learner=learner, rule_set=fixed)
    assert remind(date(2026, 11, 1), django_capture_on_commit_callbacks) == 0


def test_reminders_take_a_fixed_number_of_queries(
    due, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    for _ in range(20):
        CpdRegistrationFactory(rule_set=due.rule_set)
    # Registrations, locking them, requirements, entries, the update; a savepoint and its release;
    # the notifications: the people's choices, one insert, their unread counters.
    with django_assert_max_num_queries(10):
        sent = cpd_services.send_cycle_reminders(today=date(2026, 11, 1))
    assert sent == 21


def test_the_reminder_task_runs_the_service(
    due, settings, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(datetime(2026, 11, 1, 9, 0, tzinfo=UTC), tick=True)  # the task's today
    settings.CPD_CYCLE_REMINDER_DAYS = 60
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_cpd_cycle_reminders.delay().get() == 1
    assert len(mail.outbox) == 1
    assert "cpd-cycle-reminders" in settings.CELERY_BEAT_SCHEDULE


# --- the admin ----------------------------------------------------------------------------------


def rule_set_form(**fields):
    data = {
        "body": AccreditingBodyFactory().pk,
        "name": "Register",
        "slug": "register",
        "cycle_kind": CycleKind.ROLLING,
        "cycle_years": 3,
        "cycle_start": "2025-01-01",
        "time_zone": "Europe/Bucharest",
        "is_active": True,
        **fields,
    }
    return RequirementRuleSetForm(data={k: v for k, v in data.items() if v is not None})


def test_the_admin_checks_a_rule_sets_cycle():
    assert rule_set_form().is_valid()
    fixed = rule_set_form(cycle_kind=CycleKind.FIXED)
    assert not fixed.is_valid()
    assert "cycle_end" in fixed.errors
    backwards = rule_set_form(cycle_kind=CycleKind.FIXED, cycle_end="2024-12-31")
    assert "cycle_end" in backwards.errors
    assert rule_set_form(cycle_kind=CycleKind.FIXED, cycle_end="2027-06-30").is_valid()
    assert "cycle_end" in rule_set_form(cycle_end="2027-06-30").errors
    assert "time_zone" in rule_set_form(time_zone="Mars/Olympus").errors


@pytest.mark.parametrize(
    ("fields", "field_in_error"),
    [
        ({"kind": RequirementKind.HOURS_OF_TYPE, "amount": "20"}, "activity_type"),
        ({"kind": RequirementKind.HOURS, "activity_type": CpdType.PLATFORM}, "activity_type"),
        ({"kind": RequirementKind.ENTRIES, "amount": "1.5"}, "amount"),
        ({"kind": RequirementKind.HOURS, "amount": "0"}, "amount"),
        ({"kind": RequirementKind.MAX_GAP, "period": RequirementPeriod.YEAR}, "period"),
        ({"kind": RequirementKind.HOURS_OF_TYPE, "activity_type": CpdType.PARTICIPATORY}, None),
        ({"kind": RequirementKind.ENTRIES, "amount": "2", "period": RequirementPeriod.YEAR}, None),
    ],
)
def test_the_admin_checks_each_rule(fields, field_in_error):
    data = {"position": 0, "amount": "10", "period": RequirementPeriod.CYCLE, **fields}
    form = RequirementForm(data=data)
    if field_in_error is None:
        assert form.is_valid(), form.errors
    else:
        assert field_in_error in form.errors


def test_the_admin_lists_the_ledger_read_only(admin_client, learner):
    entry = log(learner)
    RuleSetFactory()
    for name in ("requirementruleset", "cpdregistration", "cpdentry"):
        assert admin_client.get(f"/admin/certificates/{name}/").status_code == 200
    page = admin_client.get(f"/admin/certificates/cpdentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert 'name="hours"' not in page.content.decode()
    assert admin_client.get("/admin/certificates/cpdentry/add/").status_code == 403


# --- the demo -----------------------------------------------------------------------------------


def test_the_demo_loads_rule_sets_a_registration_and_a_ledger(django_assert_max_num_queries):
    call_command("demo", "--force", stdout=StringIO())
    call_command("demo", "--force", stdout=StringIO())  # idempotent
    learner = User.objects.get(email="learner@demo.practica.test")
    supervisor = User.objects.get(email="supervisor@demo.practica.test")
    hours, reflective = RequirementRuleSet.objects.order_by("slug")
    assert [(r.kind, r.amount, r.activity_type) for r in hours.requirements.all()] == [
        (RequirementKind.HOURS, Decimal(35), ""),
        (RequirementKind.HOURS_OF_TYPE, Decimal(20), CpdType.PARTICIPATORY),
    ]
    assert [(r.kind, r.amount, r.period) for r in reflective.requirements.all()] == [
        (RequirementKind.ENTRIES, Decimal(2), RequirementPeriod.YEAR),
        (RequirementKind.DISCUSSIONS, Decimal(1), RequirementPeriod.YEAR),
    ]
    # Four activities of their own, and the certificate of the demo course they completed.
    assert CpdEntry.objects.filter(learner=learner, source=CpdSource.EXTERNAL).count() == 4
    assert CpdEntry.objects.filter(learner=learner, source=CpdSource.CERTIFICATE).count() == 1
    standings = cpd.standings_for(cpd.registrations_for([learner]))
    assert len(standings) == 2
    assert all(standing.lines for standing in standings)
    assert [e.title for e in cpd.confirmations_for(supervisor)] == [
        "Peer learning group on family assessments"
    ]
    # A colleague awaits the demo learner's confirmation.
    assert [e.title for e in cpd.confirmations_for(learner)] == [
        "Joint home visit with a colleague"
    ]
