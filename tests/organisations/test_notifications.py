"""What organisations tells people through lms notifications: a seat assigned, an invitation
accepted, assigned learning due soon (once per due date), and the seat alert per admin."""

import uuid
from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.formats import date_format

from lms.api import Delivery
from lms.models import Notification
from lms.notifications.services import set_preferences
from organisations import tasks
from organisations.core import services
from organisations.invitations.services import accept_invitation, invite
from organisations.models import CourseAssignment, MembershipRole
from organisations.reports.reminders import send_due_date_reminders
from organisations.seats.services import assign_seat, take_seat_for_enrolment
from progress.models import CompletionRecord
from tests.courses.factories import CourseFactory, JourneyFactory
from tests.lms.factories import UserFactory
from tests.organisations.factories import OrganisationFactory, make_member
from tests.organisations.test_seats import make_pool

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Salvați Copiii Iași")


@pytest.fixture
def admin(organisation):
    return make_member(organisation, role=MembershipRole.ADMIN).user


# --- seats -----------------------------------------------------------------------------------


def test_a_member_given_a_seat_hears_of_it(organisation, admin, django_capture_on_commit_callbacks):
    member = make_member(organisation).user
    pool = make_pool(organisation, seats=10)
    with django_capture_on_commit_callbacks(execute=True):
        assign_seat(pool=pool, member=member, by=admin)
    (told,) = Notification.objects.filter(kind="seat_assigned")
    assert told.recipient == member
    assert told.url == "/courses/"
    assert "Salvați Copiii Iași" in told.title
    # A daily digest by default: no e-mail now, one tomorrow morning.
    assert told.delivery == Delivery.DAILY
    assert [m for m in mail.outbox if m.to == [member.email]] == []


def test_a_seat_taken_by_enrolling_tells_nobody(organisation):
    member = make_member(organisation).user
    course = CourseFactory(is_paid=True)
    pool = make_pool(organisation, seats=10)
    pool.courses.add(course)
    take_seat_for_enrolment(learner=member, course=course)
    assert not Notification.objects.filter(kind="seat_assigned").exists()


def test_each_admin_hears_of_a_pool_running_out_in_their_language(
    organisation, admin, django_capture_on_commit_callbacks
):
    other_admin = make_member(
        organisation, user=UserFactory(preferred_language="ro"), role=MembershipRole.ADMIN
    ).user
    set_preferences(user=admin, choices={"seat_alert": Delivery.OFF})
    pool = make_pool(organisation, seats=4)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assign_seat(pool=pool, member=make_member(organisation).user)
    alerts = Notification.objects.filter(kind="seat_alert")
    assert {n.recipient for n in alerts} == {admin, other_admin}
    assert [m.to for m in mail.outbox] == [[other_admin.email]]  # the other chose no e-mail
    assert '<html lang="ro"' in mail.outbox[0].alternatives[0][0]


# --- invitations -----------------------------------------------------------------------------


def test_whoever_invited_hears_that_the_invitation_was_accepted(
    organisation, admin, django_capture_on_commit_callbacks
):
    _invitation, token = invite(organisation=organisation, email="ana@example.org", by=admin)
    ana = UserFactory(email="ana@example.org", display_name="Ana Pop")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        accept_invitation(token=token, user=ana)
    (told,) = Notification.objects.filter(kind="invitation_accepted")
    assert told.recipient == admin
    assert "Ana Pop" in told.title
    assert told.url == f"/organisations/{organisation.public_id}/"
    assert [m.to for m in mail.outbox] == [[admin.email]]
    assert not Notification.objects.filter(recipient=ana).exists()


def test_without_an_inviter_the_organisations_admins_hear_of_it(organisation, admin):
    second_admin = make_member(organisation, role=MembershipRole.ADMIN).user
    _invitation, token = invite(organisation=organisation, email="ana@example.org", by=None)
    accept_invitation(token=token, user=UserFactory(email="ana@example.org"))
    told = Notification.objects.filter(kind="invitation_accepted")
    assert {n.recipient for n in told} == {admin, second_admin}


# --- due dates -------------------------------------------------------------------------------


@pytest.fixture
def today():
    return date(2026, 3, 10)


def _assigned(organisation, admin, *, due_on, journey=False):
    member = make_member(organisation).user
    target = {"journey": JourneyFactory()} if journey else {"course": CourseFactory()}
    services.assign_course(
        organisation=organisation, members=[member], due_on=due_on, by=admin, **target
    )
    return member, target


def test_members_hear_once_that_assigned_learning_is_due_soon(
    organisation, admin, today, settings, django_capture_on_commit_callbacks
):
    settings.DUE_DATE_REMINDER_DAYS = 7
    soon, _ = _assigned(organisation, admin, due_on=today + timedelta(days=3))
    journey, _ = _assigned(organisation, admin, due_on=today + timedelta(days=7), journey=True)
    _assigned(organisation, admin, due_on=today + timedelta(days=9))  # not yet
    _assigned(organisation, admin, due_on=today - timedelta(days=1))  # overdue: other reminders
    done, target = _assigned(organisation, admin, due_on=today + timedelta(days=2))
    CompletionRecord.objects.create(
        learner=done,
        registration=uuid.uuid4(),
        completed_at=timezone.now(),
        evidence=[],
        **target,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_date_reminders(today=today) == 2
    told = Notification.objects.filter(kind="due_date")
    assert {n.recipient for n in told} == {soon, journey}
    assert all(n.url == "/learning/" for n in told)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([soon.email, journey.email])
    subject = next(m for m in mail.outbox if m.to == [soon.email]).subject
    assert date_format(today + timedelta(days=3), "DATE_FORMAT") in subject  # the house style

    # Once: the next day's run tells nobody again ...
    assert send_due_date_reminders(today=today + timedelta(days=1)) == 0
    # ... unless the due date moves.
    assignment = CourseAssignment.objects.get(member=soon)
    assignment.due_on = today + timedelta(days=5)
    assignment.save()
    assert send_due_date_reminders(today=today) == 1


def test_a_former_member_is_not_reminded(organisation, admin, today):
    member, _ = _assigned(organisation, admin, due_on=today + timedelta(days=1))
    services.end_membership(organisation=organisation, user=member)
    assert send_due_date_reminders(today=today) == 0


@pytest.mark.parametrize("members", [2, 10])
def test_due_date_reminders_take_the_same_queries_for_more_members(
    organisation, admin, today, members, django_assert_num_queries
):
    for _ in range(members):
        _assigned(organisation, admin, due_on=today + timedelta(days=2))
    # A savepoint; the assignments with their people and learning, locked; the choices, the
    # notifications, the unread counters; marking them; the release.
    with django_assert_num_queries(7):
        assert send_due_date_reminders(today=today) == members


def test_due_date_reminders_run_daily_on_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["due-date-reminders"]
    assert entry["task"] == tasks.send_due_date_reminders.name
    assert tasks.send_due_date_reminders.name == "organisations.send_due_date_reminders"
