"""The home page of each role: a learner's learning, certificates and CPD; a supervisor's and
an accreditor's to-do; the to-do total in the navigation; queries fixed whatever the rows."""

import uuid
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.audit import rounds
from certificates.audit.services import add_accreditor
from certificates.cpd.selectors import today_for
from courses.services import enrol_in_journey
from progress.models import CompletionRecord
from tests.certificates.factories import (
    AccreditationFactory,
    CpdEntryFactory,
    CpdRegistrationFactory,
    RequirementFactory,
)
from tests.certificates.stored import stored_certificate
from tests.lms.factories import UserFactory
from tests.organisations.conftest import mark_done, two_unit_course

pytestmark = pytest.mark.django_db


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_learner_sees_a_course_to_resume_a_completion_a_certificate_and_cpd(
    client, world, learning
):
    mark_done(world.bob, learning.interviewing)  # Bob: Safeguarding half-way, Interviewing done
    certificate = stored_certificate(learner=world.bob)
    registration = CpdRegistrationFactory(learner=world.bob, registered_on=date(2020, 1, 1))
    RequirementFactory(rule_set=registration.rule_set)  # 10 hours in the cycle
    # Today as the rule set counts it (its own time zone): at 23:30 UTC on 31 December it is
    # already the next cycle in Bucharest.
    CpdEntryFactory(learner=world.bob, date=today_for(registration.rule_set))
    html = _home(client, world.bob)
    assert "Resume: Part 1" in html
    assert reverse("courses:launch", args=[learning.safeguarding.slug, 1]) in html
    assert "You have completed 1 course." in html
    assert reverse("verify", args=[certificate.verification_code]) in html
    assert 'max="10.00"' in html
    assert "2 of 10 CPD hours" in html
    assert stored_certificate().serial not in _home(client, world.bob)  # someone else's


def test_a_journey_shows_its_next_step(client, world, learning):
    enrol_in_journey(learner=world.cat, journey=learning.journey)
    html = _home(client, world.cat)
    assert "Next step:" in html
    assert reverse("courses:detail", args=[learning.safeguarding.slug]) in html


def test_a_newcomer_is_pointed_to_the_catalogue(client):
    html = _home(client, UserFactory())
    assert reverse("courses:catalogue") in html
    assert "Nothing waits for you." in html
    assert "To do (" not in html


def test_a_supervisor_sees_overdue_members_and_the_count_in_the_navigation(client, world, learning):
    html = _home(client, world.admin)  # Cat is overdue
    report = reverse("organisations:team-report", args=[world.org.public_id])
    assert f'<a href="{report}">Overdue members in Child Protection Network</a>' in html
    assert f'<a href="{reverse("home")}#todo">To do (1)</a>' in html
    assert "Overdue" not in _home(client, world.other_admin)


def test_an_accreditor_sees_the_open_rounds(client):
    accreditation = AccreditationFactory()
    accreditor = UserFactory()
    add_accreditor(body=accreditation.body, user=accreditor)
    CompletionRecord.objects.create(
        learner=UserFactory(),
        course=accreditation.course,
        registration=uuid.uuid4(),
        completed_at=timezone.now(),
        evidence=[],
    )
    audit_round = rounds.draw_round(accreditation=accreditation, by=accreditor, size=1, seed=1)
    html = _home(client, accreditor)
    assert reverse("audit-round", args=[audit_round.public_id]) in html
    assert "records awaiting your decision" in html
    outsider = UserFactory()
    add_accreditor(body=AccreditationFactory().body, user=outsider)
    assert reverse("audit-round", args=[audit_round.public_id]) not in _home(client, outsider)


def test_the_home_page_takes_the_same_queries_for_more_learning(
    client, world, learning, django_assert_num_queries
):
    client.force_login(world.bob)
    client.get(reverse("home"))
    with django_assert_num_queries(15) as first:  # with the to-do's invitations
        client.get(reverse("home"))
    for slug in ("more-1", "more-2", "more-3"):
        mark_done(world.bob, two_unit_course(slug=slug), units=1)
        stored_certificate(learner=world.bob)
    with django_assert_num_queries(len(first)):
        client.get(reverse("home"))
