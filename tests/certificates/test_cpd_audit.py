"""Audits of CPD profiles, as regulators run them: a reproducible sample of the people who report
to a rule set (2.5 %, exclusions, feedback drawn again), each profile readable with its entries
and evidence files, a decision on each, the outcome shown to the person and their organisation,
scope and the access log."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from certificates.audit import rounds
from certificates.audit.services import add_accreditor
from certificates.cpd.selectors import today_for
from certificates.models import (
    AccessAction,
    AccessLogEntry,
    AuditDecision,
    DiscussionStatus,
    RequirementKind,
)
from tests.certificates.factories import (
    AccreditingBodyFactory,
    CpdEntryFactory,
    CpdRegistrationFactory,
    RequirementFactory,
    RuleSetFactory,
)
from tests.lms.factories import UserFactory
from tests.organisations.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule_set():
    rule_set = RuleSetFactory(name="Psychologists' CPD", body__name="Colegiul Psihologilor")
    RequirementFactory(rule_set=rule_set, kind=RequirementKind.HOURS, amount=Decimal("10"))
    return rule_set


@pytest.fixture
def auditor(rule_set):
    user = UserFactory(display_name="Ada Auditor")
    add_accreditor(body=rule_set.body, user=user)
    return user


def registrations(rule_set, count, *, registered_on=datetime.date(2020, 1, 1)):
    return [
        CpdRegistrationFactory(rule_set=rule_set, registered_on=registered_on) for _ in range(count)
    ]


def sampled(audit_round):
    return sorted(audit_round.samples.values_list("registration_id", flat=True))


def test_two_and_a_half_percent_of_200_profiles_is_a_reproducible_sample_of_5(rule_set, auditor):
    registrations(rule_set, 200)
    first = rounds.draw_round(rule_set=rule_set, by=auditor, percent=Decimal("2.5"), seed=99)
    again = rounds.draw_round(rule_set=rule_set, by=auditor, percent=Decimal("2.5"), seed=99)
    assert first.population == 200
    assert len(sampled(first)) == 5
    assert sampled(first) == sampled(again)
    other = rounds.draw_round(rule_set=rule_set, by=auditor, percent=Decimal("2.5"), seed=100)
    assert sampled(other) != sampled(first)
    assert all(s.record_id is None for s in first.samples.all())


def test_recent_registrations_are_left_out_and_feedback_is_drawn_again(rule_set, auditor):
    old = registrations(rule_set, 6)
    recent = registrations(rule_set, 4, registered_on=today_for(rule_set))
    audit_round = rounds.draw_round(
        rule_set=rule_set, by=auditor, size=10, exclude_joined_within_days=365, seed=1
    )
    assert set(sampled(audit_round)) == {r.pk for r in old}
    assert not set(sampled(audit_round)) & {r.pk for r in recent}
    flagged = audit_round.samples.get(registration=old[2])
    rounds.decide(sample=flagged, decision=AuditDecision.MORE_INFORMATION, notes="", by=auditor)
    later = rounds.draw_round(rule_set=rule_set, by=auditor, size=1, seed=5)
    redrawn = later.samples.filter(redrawn=True)
    assert [s.registration_id for s in redrawn] == [old[2].pk]


@pytest.fixture
def profile(rule_set, auditor):
    learner = UserFactory(display_name="Ioana Mihai")
    registration = CpdRegistrationFactory(learner=learner, rule_set=rule_set, number="CPR-0042")
    peer = UserFactory(display_name="Petra Peer")
    today = today_for(rule_set)  # the body's day, in its time zone
    entry = CpdEntryFactory(
        learner=learner, title="Supervision group", hours=Decimal("6"), date=today,
        learning="Structured case discussion", impact="I plan home visits differently",
        discussion_with=peer, discussion_status=DiscussionStatus.CONFIRMED,
        discussion_response="We met twice",
    )  # fmt: skip
    entry.evidence.save("attendance.pdf", ContentFile(b"%PDF-1.4 attendance"), save=True)
    CpdEntryFactory(learner=learner, title="Last year's conference", date=today.replace(day=1)
                    - datetime.timedelta(days=400))  # fmt: skip
    audit_round = rounds.draw_round(rule_set=rule_set, by=auditor, size=1, seed=3)
    return audit_round, audit_round.samples.get(registration=registration), entry


def test_the_round_and_the_profile_show_standing_entries_and_evidence(client, profile, auditor):
    audit_round, sample, entry = profile
    client.force_login(auditor)
    page = client.get(reverse("audit-round", args=[audit_round.public_id])).content.decode()
    assert "Ioana Mihai" in page
    assert "requirements not yet met" in page  # 6 of 10 hours
    url = reverse("audit-cpd-profile", args=[audit_round.public_id, sample.pk])
    html = client.get(url).content.decode()
    for text in (
        "Supervision group", "Structured case discussion", "I plan home visits differently",
        "Petra Peer", "confirmed", "We met twice", "CPR-0042", "4 more hours",
    ):  # fmt: skip
        assert text in html, text
    assert "Last year" not in html  # another cycle
    evidence = reverse(
        "audit-cpd-evidence", args=[audit_round.public_id, sample.pk, entry.public_id]
    )
    assert evidence in html
    response = client.get(evidence)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 attendance"
    logged = AccessLogEntry.objects.filter(action=AccessAction.VIEW_PROFILE, user=auditor)
    assert {e.learner for e in logged} == {entry.learner}
    assert logged.count() == 3  # the round, the profile, the evidence file


def test_the_previous_cycle_can_be_read(client, profile, auditor):
    audit_round, sample, _entry = profile
    client.force_login(auditor)
    url = reverse("audit-cpd-profile", args=[audit_round.public_id, sample.pk])
    previous = client.get(url).context["previous"]
    html = client.get(url, {"cycle": previous.start.isoformat()}).content.decode()
    assert "Supervision group" not in html
    assert client.get(url, {"cycle": "not-a-date"}).status_code == 200


def test_another_bodys_accreditor_and_the_learner_get_404(client, profile, rule_set):
    audit_round, sample, entry = profile
    stranger = UserFactory()
    add_accreditor(body=AccreditingBodyFactory(), user=stranger)
    urls = [
        reverse("audit-cpd-round-new", args=[rule_set.public_id]),
        reverse("audit-round", args=[audit_round.public_id]),
        reverse("audit-cpd-profile", args=[audit_round.public_id, sample.pk]),
        reverse("audit-cpd-evidence", args=[audit_round.public_id, sample.pk, entry.public_id]),
    ]
    for user in (stranger, entry.learner):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    assert not AccessLogEntry.objects.exists()


def test_an_entry_of_someone_else_is_not_served_through_a_sample(client, profile, auditor):
    audit_round, sample, _entry = profile
    elsewhere = CpdEntryFactory(title="Not sampled")
    elsewhere.evidence.save("other.pdf", ContentFile(b"other"), save=True)
    client.force_login(auditor)
    url = reverse(
        "audit-cpd-evidence", args=[audit_round.public_id, sample.pk, elsewhere.public_id]
    )
    assert client.get(url).status_code == 404


def test_the_decision_reaches_the_person_and_their_organisation(client, profile, auditor):
    audit_round, sample, entry = profile
    client.force_login(auditor)
    client.post(
        reverse("audit-round-decide", args=[audit_round.public_id, sample.pk]),
        {f"s{sample.pk}-decision": "more_information", f"s{sample.pk}-notes": "Add the agenda"},
    )
    admin = make_member(role="admin").user
    make_member(admin.memberships.get().organisation, user=entry.learner)
    client.force_login(entry.learner)
    mine = client.get(reverse("my-certificates:list")).content.decode()
    assert "CPD profile: Psychologists" in mine
    assert "Add the agenda" in mine
    client.force_login(admin)
    organisation = admin.memberships.get().organisation
    page = client.get(reverse("organisations:audit-outcomes", args=[organisation.public_id]))
    assert "Add the agenda" in page.content.decode()
    assert "Ioana Mihai" in page.content.decode()


def test_the_workspace_lists_the_bodys_rule_sets(client, rule_set, auditor):
    RuleSetFactory(name="Another body's rules")
    client.force_login(auditor)
    html = client.get(reverse("certificates:workspace")).content.decode()
    assert "Psychologists" in html
    assert "Another body" not in html
    response = client.post(
        reverse("audit-cpd-round-new", args=[rule_set.public_id]), {"size": 2, "seed": 4}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("count", [2, 12])
def test_the_cpd_round_page_makes_a_fixed_number_of_queries(
    client, rule_set, auditor, django_assert_num_queries, count
):
    for registration in registrations(rule_set, count):
        CpdEntryFactory(learner=registration.learner, date=today_for(rule_set))
    audit_round = rounds.draw_round(rule_set=rule_set, by=auditor, size=count, seed=1)
    client.force_login(auditor)
    # session, user, round, samples, log insert, standings (rule set, body, requirements,
    # entries), the report, navigation's two, the first page's to-do count (its invitations')
    with django_assert_num_queries(16):
        response = client.get(reverse("audit-round", args=[audit_round.public_id]))
    assert len(response.context["rows"]) == count


@pytest.mark.parametrize("count", [1, 8])
def test_the_profile_page_makes_a_fixed_number_of_queries(
    client, rule_set, auditor, django_assert_num_queries, count
):
    registration = CpdRegistrationFactory(rule_set=rule_set)
    for _ in range(count):
        CpdEntryFactory(
            learner=registration.learner, date=today_for(rule_set),
            discussion_with=UserFactory(), discussion_status=DiscussionStatus.PENDING,
        )  # fmt: skip
    audit_round = rounds.draw_round(rule_set=rule_set, by=auditor, size=1, seed=1)
    sample = audit_round.samples.get()
    client.force_login(auditor)
    url = reverse("audit-cpd-profile", args=[audit_round.public_id, sample.pk])
    # session, user, round, sample, the rule set's requirements, entries with their peers, the
    # log insert, the learner's answers, navigation's two, the first page's to-do count (its
    # invitations')
    with django_assert_num_queries(14):
        response = client.get(url)
    assert len(response.context["standing"].lines) == count
