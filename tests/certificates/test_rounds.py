"""Audit rounds: a reproducible random sample, exclusions, feedback drawn again, decisions, the
round's report, the learner's outcomes, and the accreditor's scope on every round URL."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import include, path, reverse
from django.utils import timezone

from certificates.audit import rounds
from certificates.audit.services import add_accreditor
from certificates.models import (
    AccessLogEntry,
    AuditDecision,
    AuditRound,
    AuditRoundStatus,
    AuditSample,
)
from lms.urls import urlpatterns as site_urlpatterns
from progress.models import CompletionRecord
from tests.certificates.factories import AccreditationFactory, AccreditingBodyFactory
from tests.lms.factories import UserFactory

# The lead includes these modules under /accreditation/; until then, this module does.
urlpatterns = [
    *site_urlpatterns,
    path("accreditation/", include("certificates.audit.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def make_records(accreditation, count, *, learner=None, joined_days_ago=1000):
    """``count`` completion records of the accreditation's course (one learner unless given)."""
    if learner is None:
        learner = UserFactory()
        learner.date_joined = timezone.now() - datetime.timedelta(days=joined_days_ago)
        learner.save(update_fields=["date_joined"])
    return [
        CompletionRecord.objects.create(
            learner=learner,
            course=accreditation.course,
            registration=uuid.uuid4(),
            completed_at=timezone.now(),
            evidence=[],
        )
        for _ in range(count)
    ]


def sampled_ids(audit_round):
    return sorted(audit_round.samples.values_list("record_id", flat=True))


@pytest.fixture
def accreditation():
    return AccreditationFactory()


@pytest.fixture
def accreditor(accreditation):
    user = UserFactory(display_name="Ada Auditor")
    add_accreditor(body=accreditation.body, user=user)
    return user


@pytest.fixture
def outsider():
    """An accreditor of another body."""
    user = UserFactory()
    add_accreditor(body=AccreditingBodyFactory(), user=user)
    return user


# --- drawing --------------------------------------------------------------------------------


def test_same_seed_and_population_draw_the_same_sample(accreditation, accreditor):
    make_records(accreditation, 40)
    first = rounds.draw_round(accreditation=accreditation, by=accreditor, size=10, seed=1234)
    second = rounds.draw_round(accreditation=accreditation, by=accreditor, size=10, seed=1234)
    assert first.seed == second.seed == 1234
    assert len(sampled_ids(first)) == 10
    assert sampled_ids(first) == sampled_ids(second)


def test_a_different_seed_draws_a_different_sample(accreditation, accreditor):
    make_records(accreditation, 40)
    first = rounds.draw_round(accreditation=accreditation, by=accreditor, size=10, seed=1)
    second = rounds.draw_round(accreditation=accreditation, by=accreditor, size=10, seed=2)
    assert sampled_ids(first) != sampled_ids(second)


def test_the_sample_is_the_documented_function_of_seed_and_population(accreditation, accreditor):
    records = make_records(accreditation, 30)
    audit_round = rounds.draw_round(accreditation=accreditation, by=accreditor, size=7, seed=99)
    expected = rounds.draw([record.pk for record in records], seed=99, k=7)
    assert sampled_ids(audit_round) == sorted(expected)


def test_a_new_round_gets_a_random_seed_when_none_is_given(accreditation, accreditor):
    make_records(accreditation, 3)
    audit_round = rounds.draw_round(accreditation=accreditation, by=accreditor, size=1)
    assert audit_round.seed is not None
    assert 0 <= audit_round.seed < 2**rounds.SEED_BITS


def test_two_and_a_half_percent_of_200_records_is_a_sample_of_5(accreditation, accreditor):
    make_records(accreditation, 200)
    audit_round = rounds.draw_round(
        accreditation=accreditation, by=accreditor, percent=Decimal("2.5"), seed=7
    )
    assert audit_round.samples.count() == 5
    assert audit_round.population == 200


def test_a_percentage_rounds_up_and_draws_at_least_one_record():
    assert rounds.sample_size(10, percent=Decimal("2.5")) == 1
    assert rounds.sample_size(41, percent=Decimal("10")) == 5
    assert rounds.sample_size(0, percent=Decimal("50")) == 0
    assert rounds.sample_size(3, size=10) == 3


def test_a_round_needs_a_size_or_a_percentage_but_not_both(accreditation, accreditor):
    with pytest.raises(ValidationError):
        rounds.draw_round(accreditation=accreditation, by=accreditor)
    with pytest.raises(ValidationError):
        rounds.draw_round(accreditation=accreditation, by=accreditor, size=1, percent=Decimal(1))
    assert not AuditRound.objects.exists()


def test_the_database_refuses_a_round_with_both_size_and_percentage(accreditation, accreditor):
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditRound.objects.create(
            accreditation=accreditation, created_by=accreditor, seed=1, size=1, percent=1
        )


def test_people_who_joined_within_the_given_days_are_left_out(accreditation, accreditor):
    old = make_records(accreditation, 4, joined_days_ago=400)
    make_records(accreditation, 6, joined_days_ago=30)
    audit_round = rounds.draw_round(
        accreditation=accreditation, by=accreditor, size=10, exclude_joined_within_days=365, seed=3
    )
    assert audit_round.population == 4
    assert sampled_ids(audit_round) == sorted(record.pk for record in old)


def test_records_of_other_courses_are_never_drawn(accreditation, accreditor):
    ours = make_records(accreditation, 3)
    make_records(AccreditationFactory(), 5)
    audit_round = rounds.draw_round(accreditation=accreditation, by=accreditor, size=10, seed=3)
    assert sampled_ids(audit_round) == sorted(record.pk for record in ours)


def test_last_rounds_records_given_feedback_are_drawn_again_and_marked(accreditation, accreditor):
    make_records(accreditation, 50)
    first = rounds.draw_round(accreditation=accreditation, by=accreditor, size=3, seed=10)
    more, rejected, accepted = first.samples.order_by("id")
    rounds.decide(sample=more, decision="more_information", notes="Send logs", by=accreditor)
    rounds.decide(sample=rejected, decision="rejected", notes="Too fast", by=accreditor)
    rounds.decide(sample=accepted, decision="accepted", notes="", by=accreditor)
    rounds.close_round(audit_round=first, by=accreditor)

    second = rounds.draw_round(accreditation=accreditation, by=accreditor, size=3, seed=11)

    redrawn = set(second.samples.filter(redrawn=True).values_list("record_id", flat=True))
    assert redrawn == {more.record_id, rejected.record_id}
    population = list(rounds.population(accreditation).values_list("id", flat=True))
    fresh = rounds.draw(population, seed=11, k=3)
    assert set(sampled_ids(second)) == set(fresh) | redrawn
    report = rounds.round_report(second)
    assert report.redrawn == 2


def test_only_the_previous_round_counts_for_drawing_again(accreditation, accreditor):
    make_records(accreditation, 20)
    first = rounds.draw_round(accreditation=accreditation, by=accreditor, size=1, seed=1)
    rounds.decide(sample=first.samples.get(), decision="rejected", notes="", by=accreditor)
    rounds.draw_round(accreditation=accreditation, by=accreditor, size=1, seed=2)
    third = rounds.draw_round(accreditation=accreditation, by=accreditor, size=1, seed=3)
    assert not third.samples.filter(redrawn=True).exists()


# --- decisions and report ----------------------------------------------------------------------


def test_a_decision_is_stored_with_the_auditors_notes(accreditation, accreditor):
    make_records(accreditation, 2)
    audit_round = rounds.draw_round(accreditation=accreditation, by=accreditor, size=1, seed=5)
    sample = audit_round.samples.get()
    rounds.decide(
        sample=sample, decision="more_information", notes=" Send the logs ", by=accreditor
    )
    sample.refresh_from_db()
    assert sample.decision == AuditDecision.MORE_INFORMATION
    assert sample.notes == "Send the logs"
    assert sample.decided_by == accreditor
    assert sample.decided_at is not None


def test_a_closed_round_refuses_decisions(accreditation, accreditor):
    make_records(accreditation, 2)
    audit_round = rounds.draw_round(accreditation=accreditation, by=accreditor, size=1, seed=5)
    closed = rounds.close_round(audit_round=audit_round, by=accreditor)
    assert closed.status == AuditRoundStatus.CLOSED
    assert closed.closed_at is not None
    with pytest.raises(ValidationError):
        rounds.decide(
            sample=audit_round.samples.get(), decision="accepted", notes="", by=accreditor
        )


def test_the_report_counts_each_decision_and_shows_the_parameters(accreditation, accreditor):
    make_records(accreditation, 10)
    audit_round = rounds.draw_round(
        accreditation=accreditation, by=accreditor, percent=Decimal("30"), seed=42,
        exclude_joined_within_days=365,
    )  # fmt: skip
    first, second, _third = audit_round.samples.order_by("id")
    rounds.decide(sample=first, decision="accepted", notes="", by=accreditor)
    rounds.decide(sample=second, decision="rejected", notes="", by=accreditor)
    report = rounds.round_report(audit_round)
    assert (report.seed, report.percent, report.size) == (42, Decimal("30.00"), None)
    assert report.exclude_joined_within_days == 365
    assert report.population == 10
    assert report.sampled == 3
    assert report.decided == 2
    assert report.by_decision == {
        "pending": 1, "accepted": 1, "more_information": 0, "rejected": 1,
    }  # fmt: skip


# --- what the learner sees ---------------------------------------------------------------------


def test_outcomes_for_learner_are_only_their_decided_samples(accreditation, accreditor):
    learner, other = UserFactory(), UserFactory()
    mine = make_records(accreditation, 2, learner=learner)
    make_records(accreditation, 2, learner=other)
    audit_round = rounds.draw_round(accreditation=accreditation, by=accreditor, size=4, seed=1)
    for sample in audit_round.samples.all():
        if sample.record_id == mine[1].pk:
            continue  # left pending: not shown
        rounds.decide(sample=sample, decision="rejected", notes="Too fast", by=accreditor)

    outcomes = rounds.outcomes_for_learner(learner)

    assert [(o.learner, o.completed_at) for o in outcomes] == [(learner, mine[0].completed_at)]
    assert outcomes[0].subject == str(accreditation.course)
    assert outcomes[0].decision == "rejected"
    assert outcomes[0].notes == "Too fast"
    assert outcomes[0].reference == accreditation.reference
    assert outcomes[0].round_date == audit_round.created_at


# --- pages ---------------------------------------------------------------------------------


def test_accreditor_draws_a_round_from_the_form_and_sees_its_page(
    client, accreditation, accreditor
):
    make_records(accreditation, 5)
    client.force_login(accreditor)
    url = reverse("audit-round-new", args=[accreditation.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"size": "2", "seed": "77", "exclude_joined_within_days": "365"})
    audit_round = AuditRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("audit-round", args=[audit_round.public_id])
    assert (audit_round.seed, audit_round.size, audit_round.created_by) == (77, 2, accreditor)

    page = client.get(response["Location"])
    content = page.content.decode()
    assert page.status_code == 200
    assert "<code>77</code>" in content
    for sample in audit_round.samples.select_related("record"):
        assert reverse("audit-record", args=[sample.record.public_id]) in content
        assert reverse("audit-round-decide", args=[audit_round.public_id, sample.pk]) in content
    assert reverse("audit-round-close", args=[audit_round.public_id]) in content
    assert AccessLogEntry.objects.filter(user=accreditor).count() == 2


def test_the_new_round_form_refuses_both_size_and_percentage(client, accreditation, accreditor):
    client.force_login(accreditor)
    url = reverse("audit-round-new", args=[accreditation.public_id])
    response = client.post(url, {"size": "2", "percent": "2.5"})
    assert response.status_code == 200
    assert "not both" in response.content.decode()
    assert not AuditRound.objects.exists()


def test_accreditor_decides_and_closes_through_the_pages(client, accreditation, accreditor):
    make_records(accreditation, 3)
    audit_round = rounds.draw_round(accreditation=accreditation, by=accreditor, size=1, seed=1)
    sample = audit_round.samples.get()
    client.force_login(accreditor)
    decide = reverse("audit-round-decide", args=[audit_round.public_id, sample.pk])
    response = client.post(
        decide, {f"s{sample.pk}-decision": "rejected", f"s{sample.pk}-notes": "No evidence"}
    )
    assert response.status_code == 302
    sample.refresh_from_db()
    assert (sample.decision, sample.notes) == ("rejected", "No evidence")

    close = reverse("audit-round-close", args=[audit_round.public_id])
    assert client.post(close).status_code == 302
    audit_round.refresh_from_db()
    assert audit_round.status == AuditRoundStatus.CLOSED
    page = client.get(reverse("audit-round", args=[audit_round.public_id])).content.decode()
    assert "No evidence" in page
    assert decide not in page


@pytest.mark.parametrize("count", [1, 8])
def test_the_round_page_makes_a_fixed_number_of_queries(
    client, accreditation, accreditor, django_assert_num_queries, count
):
    for _ in range(count):
        make_records(accreditation, 1)
    audit_round = rounds.draw_round(accreditation=accreditation, by=accreditor, size=count, seed=1)
    for sample in audit_round.samples.all():
        rounds.decide(sample=sample, decision="accepted", notes="", by=accreditor)
    client.force_login(accreditor)
    url = reverse("audit-round", args=[audit_round.public_id])
    client.get(url)  # warm up (session, caches, the navigation's to-do count: lms.todo)
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_accreditor_of_another_body_gets_404_on_every_round_url(
    client, accreditation, accreditor, outsider, method
):
    make_records(accreditation, 2)
    audit_round = rounds.draw_round(accreditation=accreditation, by=accreditor, size=1, seed=1)
    sample = audit_round.samples.get()
    client.force_login(outsider)
    urls = [
        reverse("audit-round-new", args=[accreditation.public_id]),
        reverse("audit-round", args=[audit_round.public_id]),
        reverse("audit-round-decide", args=[audit_round.public_id, sample.pk]),
        reverse("audit-round-close", args=[audit_round.public_id]),
    ]
    data = {"size": "1", f"s{sample.pk}-decision": "rejected"}
    for url in urls:
        response = getattr(client, method)(url, data if method == "post" else None)
        assert response.status_code == 404, url
    assert AuditRound.objects.count() == 1
    sample.refresh_from_db()
    assert sample.decision == AuditDecision.PENDING
    assert AuditRound.objects.get().status == AuditRoundStatus.OPEN
    assert not AccessLogEntry.objects.exists()


def test_a_sample_of_another_round_is_a_404(client, accreditation, accreditor):
    make_records(accreditation, 2)
    one = rounds.draw_round(accreditation=accreditation, by=accreditor, size=1, seed=1)
    two = rounds.draw_round(accreditation=accreditation, by=accreditor, size=1, seed=2)
    client.force_login(accreditor)
    url = reverse("audit-round-decide", args=[one.public_id, two.samples.get().pk])
    assert client.post(url, {}).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, accreditation, accreditor):
    make_records(accreditation, 1)
    audit_round = rounds.draw_round(accreditation=accreditation, by=accreditor, size=1, seed=1)
    assert client.get(reverse("audit-round", args=[audit_round.public_id])).status_code == 302
    assert AuditSample.objects.count() == 1
