"""The accreditor's audit: scope, figures and flags of an accreditation, a record's evidence,
and the access log of what was seen."""

import datetime
import json
import uuid
from decimal import Decimal

import pytest
from django.urls import include, path, reverse
from django.utils import timezone

from certificates.audit import selectors as audit
from certificates.audit.access_log import access_log_for_learners
from certificates.audit.scope import accreditations_for_user, records_in_scope
from certificates.audit.services import add_accreditor
from certificates.models import AccessAction, AccessLogEntry, CpdUnit
from courses.models import CourseUnit, Enrolment
from lms.urls import urlpatterns as site_urlpatterns
from organisations.models import MembershipRole
from progress.models import CompletionRecord, Statement, StatementIndex
from progress.xapi.keys import REGISTRATION, digest
from tests.certificates.factories import AccreditationFactory, AccreditingBodyFactory
from tests.courses.factories import CourseFactory, JourneyFactory
from tests.lms.factories import UserFactory
from tests.organisations.factories import make_member

# The lead includes certificates.urls_audit under /accreditation/; until then, this module does.
urlpatterns = [*site_urlpatterns, path("accreditation/", include("certificates.audit.urls"))]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

UTC = datetime.UTC


def at(*args: int) -> datetime.datetime:
    """A moment in the site's time zone: audits count days and periods there (TIME_ZONE)."""
    return datetime.datetime(*args, tzinfo=timezone.get_current_timezone())


def record(accreditation, *, learner=None, completed_at=None, score=None, minutes=600, course=None):
    """A completion record of the accreditation's course, with its enrolment (made at
    2024-01-01 unless the record is older)."""
    learner = learner or UserFactory()
    course = course or accreditation.course
    completed_at = completed_at or at(2024, 3, 10, 12)
    enrolment = Enrolment.objects.create(course=course, learner=learner)
    Enrolment.objects.filter(pk=enrolment.pk).update(enrolled_at=at(2024, 1, 1))
    return CompletionRecord.objects.create(
        learner=learner,
        course=course,
        registration=enrolment.registration,
        completed_at=completed_at,
        score_scaled=score,
        time_spent=datetime.timedelta(minutes=minutes),
        evidence=[],
    )


@pytest.fixture
def accreditation():
    """4 hours, in force 2024, course with a unit of mastery score 0.8."""
    accreditation = AccreditationFactory(
        cpd_value=Decimal("4"),
        valid_from=datetime.date(2024, 1, 1),
        valid_until=datetime.date(2024, 12, 31),
    )
    CourseUnit.objects.create(
        course=accreditation.course, index=0, activity_iri="https://example.org/au/1",
        title={"en": "Unit"}, url="https://example.org/au.html", mastery_score=Decimal("0.8"),
    )  # fmt: skip
    return accreditation


@pytest.fixture
def accreditor(accreditation):
    user = UserFactory(display_name="Ada Auditor")
    add_accreditor(body=accreditation.body, user=user)
    return user


def audit_url(accreditation, **query):
    url = reverse("audit-accreditation", args=[accreditation.public_id])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# --- scope --------------------------------------------------------------------------------------


def test_accreditor_sees_the_accreditations_of_their_body_only(accreditation, accreditor):
    other = AccreditationFactory()
    assert list(accreditations_for_user(accreditor)) == [accreditation]
    assert other not in accreditations_for_user(accreditor)


def test_records_in_scope_are_those_of_the_accredited_course_only(accreditation):
    ours = record(accreditation)
    record(accreditation, course=CourseFactory())
    assert list(records_in_scope(accreditation)) == [ours]


def test_records_in_scope_of_a_journey_accreditation():
    journey = JourneyFactory()
    accreditation = AccreditationFactory(course=None, journey=journey)
    ours = CompletionRecord.objects.create(
        learner=UserFactory(), journey=journey, registration=uuid.uuid4(),
        completed_at=timezone.now(), evidence=[],
    )  # fmt: skip
    CompletionRecord.objects.create(
        learner=UserFactory(), course=CourseFactory(), registration=uuid.uuid4(),
        completed_at=timezone.now(), evidence=[],
    )  # fmt: skip
    assert list(records_in_scope(accreditation)) == [ours]


def _viewer(kind, accreditation):
    if kind == "accreditor of another body":
        user = UserFactory()
        add_accreditor(body=AccreditingBodyFactory(), user=user)
        return user
    if kind == "organisation admin":
        membership = make_member(user=UserFactory(), role=MembershipRole.ADMIN)
        return membership.user
    if kind == "learner of the course":
        return CompletionRecord.objects.filter(course=accreditation.course).first().learner
    return None


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("accreditor of another body", 404),
        ("organisation admin", 404),
        ("learner of the course", 404),
        ("anonymous", 302),
    ],
)
def test_audit_pages_are_hidden_outside_the_accreditors_scope(client, accreditation, kind, status):
    seen = record(accreditation)
    viewer = _viewer(kind, accreditation)
    if viewer is not None:
        client.force_login(viewer)
    assert client.get(audit_url(accreditation)).status_code == status
    record_url = reverse("audit-record", args=[seen.public_id])
    assert client.get(record_url).status_code == status
    assert not AccessLogEntry.objects.exists()


def test_accreditor_gets_404_for_a_record_of_a_course_their_body_does_not_accredit(
    client, accreditation, accreditor
):
    elsewhere = record(accreditation, course=CourseFactory())
    client.force_login(accreditor)
    assert client.get(reverse("audit-record", args=[elsewhere.public_id])).status_code == 404
    assert client.get(reverse("audit-record", args=[uuid.uuid4()])).status_code == 404


def test_staff_see_every_accreditation(client, accreditation):
    other = AccreditationFactory()
    staff = UserFactory(is_staff=True)
    assert set(accreditations_for_user(staff)) == {accreditation, other}
    client.force_login(staff)
    assert client.get(audit_url(other)).status_code == 200
    seen = record(accreditation)
    assert client.get(reverse("audit-record", args=[seen.public_id])).status_code == 200


# --- figures and flags --------------------------------------------------------------------------


def test_statistics_count_completions_pass_rate_buckets_and_time(accreditation):
    record(accreditation, completed_at=at(2024, 2, 5, 9), score=Decimal("0.9"), minutes=300)
    record(accreditation, completed_at=at(2024, 3, 5, 9), score=Decimal("0.85"), minutes=200)
    record(accreditation, completed_at=at(2024, 3, 6, 9), score=Decimal("0.5"), minutes=60)
    record(accreditation, completed_at=at(2024, 3, 7, 9), score=None, minutes=240)
    stats = audit.accreditation_statistics(
        accreditation, start=datetime.date(2024, 1, 1), end=datetime.date(2024, 4, 30)
    )
    assert stats.completions == 4
    assert [(m.month.month, m.completions) for m in stats.by_month] == [
        (1, 0),
        (2, 1),
        (3, 3),
        (4, 0),
    ]
    assert (stats.scored, stats.passed) == (3, 2)
    assert stats.pass_rate == pytest.approx(2 / 3)
    assert stats.enrolments == 4
    assert [b.count for b in stats.score_buckets] == [0, 0, 0, 0, 0, 1, 0, 0, 1, 1]
    assert stats.nominal_hours == Decimal("4")
    assert stats.median_time == datetime.timedelta(minutes=220)
    assert stats.under_half_nominal == 1  # 60 minutes < 2 hours


def test_statistics_exclude_completions_outside_the_period(accreditation):
    record(accreditation, completed_at=at(2024, 3, 5, 9))
    record(accreditation, completed_at=at(2024, 6, 5, 9))
    stats = audit.accreditation_statistics(
        accreditation, start=datetime.date(2024, 3, 1), end=datetime.date(2024, 3, 31)
    )
    assert stats.completions == 1


def test_nominal_hours_come_from_the_course_when_the_body_counts_points(accreditation):
    accreditation.body.cpd_unit = CpdUnit.POINTS
    accreditation.course.cpd_hours = Decimal("10")
    assert audit.nominal_hours(accreditation) == Decimal("10")


def _flags_of(accreditation, seen):
    stats = audit.accreditation_statistics(
        accreditation, start=datetime.date(2023, 1, 1), end=datetime.date(2025, 12, 31)
    )
    return {row.record.pk: set(row.flags) for row in stats.rows}[seen.pk]


def test_a_completion_in_under_a_quarter_of_the_nominal_hours_is_flagged_fast(accreditation):
    assert "fast" in _flags_of(accreditation, record(accreditation, minutes=59))
    assert "fast" not in _flags_of(accreditation, record(accreditation, minutes=60))


def test_a_score_below_the_mastery_score_is_flagged(accreditation):
    assert "low_score" in _flags_of(accreditation, record(accreditation, score=Decimal("0.79")))
    assert "low_score" not in _flags_of(accreditation, record(accreditation, score=Decimal("0.8")))


def test_a_completion_before_the_enrolment_is_flagged(accreditation):
    assert "before_enrolment" in _flags_of(
        accreditation, record(accreditation, completed_at=at(2023, 12, 31, 23))
    )


def test_a_completion_after_the_accreditation_expired_is_flagged(accreditation):
    assert "after_expiry" in _flags_of(
        accreditation, record(accreditation, completed_at=at(2025, 1, 1, 10))
    )
    assert "after_expiry" not in _flags_of(
        accreditation, record(accreditation, completed_at=at(2024, 12, 31, 10))
    )


def test_five_completions_in_one_day_across_the_bodys_accreditations_are_flagged(accreditation):
    learner = UserFactory()
    others = [AccreditationFactory(body=accreditation.body) for _ in range(4)]
    seen = record(accreditation, learner=learner, completed_at=at(2024, 5, 1, 8))
    for index, other in enumerate(others[:3]):
        record(other, learner=learner, completed_at=at(2024, 5, 1, 9 + index))
    assert "burst" not in _flags_of(accreditation, seen)
    record(others[3], learner=learner, completed_at=at(2024, 5, 1, 15))
    assert "burst" in _flags_of(accreditation, seen)


def test_completions_for_another_body_do_not_count_towards_a_burst(accreditation):
    learner = UserFactory()
    seen = record(accreditation, learner=learner, completed_at=at(2024, 5, 1, 8))
    for hour in range(9, 13):
        record(AccreditationFactory(), learner=learner, completed_at=at(2024, 5, 1, hour))
    assert "burst" not in _flags_of(accreditation, seen)


# --- the accreditation page ---------------------------------------------------------------------


def test_accreditation_page_shows_figures_flagged_records_and_links(
    client, accreditation, accreditor
):
    flagged = record(
        accreditation, score=Decimal("0.3"), learner=UserFactory(display_name="Low Lia")
    )
    record(accreditation, score=Decimal("0.95"), learner=UserFactory(display_name="Fine Finn"))
    client.force_login(accreditor)
    response = client.get(audit_url(accreditation, start="2024-01-01", end="2024-12-31"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Low Lia" in html
    assert "Fine Finn" in html
    assert reverse("audit-record", args=[flagged.public_id]) in html
    assert str(audit.FLAG_LABELS["low_score"]) in html
    assert "Mar 2024" in html  # the month of the completions table


def test_accreditation_page_refuses_nothing_on_bad_dates_and_uses_the_default_period(
    client, accreditation, accreditor
):
    client.force_login(accreditor)
    response = client.get(audit_url(accreditation, start="not-a-date", end="2024-01-01"))
    assert response.status_code == 200
    response = client.get(audit_url(accreditation, start="2024-05-01", end="2024-01-01"))
    assert "The start of the period is after its end." in response.content.decode()


def test_accreditation_page_paginates_records_by_50(client, accreditation, accreditor):
    for _ in range(51):
        record(accreditation, score=Decimal("0.9"))
    client.force_login(accreditor)
    first = client.get(audit_url(accreditation, start="2024-01-01", end="2024-12-31"))
    assert first.context["page"].paginator.num_pages == 2
    assert len(first.context["page"].object_list) == 50
    second = client.get(audit_url(accreditation, start="2024-01-01", end="2024-12-31", page=2))
    assert len(second.context["page"].object_list) == 1


@pytest.mark.parametrize("count", [3, 30])
def test_accreditation_page_makes_a_fixed_number_of_queries(
    client, accreditation, accreditor, django_assert_num_queries, count
):
    for index in range(count):
        record(accreditation, score=Decimal("0.5") if index % 2 else Decimal("0.9"))
    client.force_login(accreditor)
    url = audit_url(accreditation, start="2024-01-01", end="2024-12-31")
    # session, user, accreditation, mastery, records, busy days, enrolments, log insert, the
    # accreditor's recent bundles, the site navigation's two (accreditor role, memberships), and
    # the first page's to-do count (lms.todo: its invitations' query; cached afterwards)
    with django_assert_num_queries(15):
        response = client.get(url)
    assert response.status_code == 200
    assert AccessLogEntry.objects.filter(action=AccessAction.VIEW_ACCREDITATION).count() == count


# --- the record page ----------------------------------------------------------------------------


def store_statement(registration, *, stored, verb, display=None, result=None, other=False):
    statement_id = uuid.uuid4()
    verb_json = {"id": f"http://adlnet.gov/expapi/verbs/{verb}"}
    if display:
        verb_json["display"] = display
    payload = {
        "id": str(statement_id),
        "actor": {"account": {"homePage": "https://learn.example.org", "name": "x"}},
        "verb": verb_json,
        "object": {"id": "https://example.org/au/1",
                   "definition": {"name": {"en": "Safe practice"}}},
        "context": {"registration": str(uuid.uuid4() if other else registration)},
        "timestamp": stored.isoformat(),
        **({"result": result} if result else {}),
    }  # fmt: skip
    statement = Statement.objects.create(
        statement_id=statement_id, payload=json.dumps(payload), stored=stored, version="1.0.3"
    )
    StatementIndex.objects.create(
        key=uuid.UUID(digest(REGISTRATION, str(registration).lower())), statement=statement
    )
    return statement


def test_record_page_shows_the_registrations_statements_in_stored_order(
    client, accreditation, accreditor
):
    seen = record(accreditation, learner=UserFactory(display_name="Rita Record"))
    store_statement(
        seen.registration, stored=at(2024, 3, 1, 10), verb="completed",
        result={"completion": True, "success": True, "score": {"scaled": 0.91}, "duration": "PT2H"},
    )  # fmt: skip
    store_statement(
        seen.registration, stored=at(2024, 3, 1, 9), verb="launched", display={"en": "Launched"}
    )
    store_statement(seen.registration, stored=at(2024, 3, 1, 11), verb="strayed", other=True)
    client.force_login(accreditor)
    response = client.get(reverse("audit-record", args=[seen.public_id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Rita Record" in html
    assert [line.verb for line in response.context["statements"]] == ["Launched", "completed"]
    assert "Safe practice" in html
    assert "0.91" in html
    assert "PT2H" in html
    assert "strayed" not in html
    assert "<details>" in html
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.record, entry.learner, entry.user) == (
        AccessAction.VIEW_RECORD, seen, seen.learner, accreditor,
    )  # fmt: skip


# --- access log ---------------------------------------------------------------------------------


def test_viewing_an_accreditation_logs_each_learner_seen(client, accreditation, accreditor):
    seen = [record(accreditation) for _ in range(3)]
    client.force_login(accreditor)
    client.get(audit_url(accreditation, start="2024-01-01", end="2024-12-31"))
    entries = AccessLogEntry.objects.all()
    assert {e.learner_id for e in entries} == {r.learner_id for r in seen}
    assert {(e.user_id, e.accreditation_id) for e in entries} == {(accreditor.pk, accreditation.pk)}


def test_access_log_for_learners_returns_entries_about_those_learners_only(
    client, accreditation, accreditor
):
    ours, theirs = record(accreditation), record(accreditation)
    client.force_login(accreditor)
    client.get(reverse("audit-record", args=[ours.public_id]))
    client.get(reverse("audit-record", args=[theirs.public_id]))
    entries = list(access_log_for_learners([ours.learner_id]))
    assert [e.record for e in entries] == [ours]
    assert entries[0].user == accreditor


@pytest.mark.parametrize("count", [1, 8])
def test_record_page_makes_a_fixed_number_of_queries(
    client, accreditation, accreditor, django_assert_num_queries, count
):
    seen = record(accreditation)
    for minute in range(count):
        store_statement(seen.registration, stored=at(2024, 3, 1, 9, minute), verb="progressed")
    client.force_login(accreditor)
    # session, user, record, accreditation, statements, log insert, the learner's answers to
    # requests, navigation's two, and the first page's to-do count (its invitations' query)
    with django_assert_num_queries(13):
        response = client.get(reverse("audit-record", args=[seen.public_id]))
    assert len(response.context["statements"]) == count
