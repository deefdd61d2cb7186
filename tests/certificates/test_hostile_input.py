"""Input at the edges of the calendar and the URL, answered with a clear 4xx or an honest page,
never a 500 (issue 17)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from certificates.audit import rounds
from certificates.audit.services import add_accreditor
from certificates.cpd import services as cpd_services
from certificates.models import AuditRound, CpdRegistration, EvidenceBundle, RequirementKind
from tests.certificates.factories import (
    AccreditationFactory,
    CpdRegistrationFactory,
    RequirementFactory,
    RuleSetFactory,
)
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db

CALENDAR_ENDS = ["0001-01-01", "0001-06-01", "9999-12-31", "2026-02-30", "not-a-date"]


@pytest.fixture
def rule_set():
    rule_set = RuleSetFactory(time_zone="UTC", cycle_start=datetime.date(2020, 1, 1))
    RequirementFactory(rule_set=rule_set, kind=RequirementKind.HOURS, amount=Decimal(10))
    return rule_set


@pytest.fixture
def registered(rule_set):
    return CpdRegistrationFactory(rule_set=rule_set, registered_on=datetime.date(2020, 1, 1))


@pytest.fixture
def auditor(rule_set):
    user = UserFactory()
    add_accreditor(body=rule_set.body, user=user)
    return user


@pytest.mark.parametrize("day", CALENDAR_ENDS)
@pytest.mark.parametrize("fmt", ["pdf", "csv", "jwt"])
def test_a_transcript_for_a_day_at_the_calendars_end_is_told_not_crashed(
    client, registered, day, fmt
):
    client.force_login(registered.learner)
    url = reverse("cpd-transcript", args=[registered.rule_set.slug, fmt])
    response = client.get(url, {"cycle": day}, follow=True)
    assert response.status_code == 200
    assert "Give the cycle as a date" in response.content.decode()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_transcript_form_refuses_a_day_at_the_calendars_end(client, registered, day):
    client.force_login(registered.learner)
    url = reverse("cpd-transcript-other", args=[registered.rule_set.slug])
    response = client.get(url, {"cycle": day, "format": "pdf"}, follow=True)
    assert response.status_code == 200
    assert "Give a date" in response.content.decode()


@pytest.mark.parametrize("day", CALENDAR_ENDS)
def test_an_audited_profile_at_the_calendars_end_shows_the_current_cycle(
    client, registered, auditor, day
):
    audit_round = rounds.draw_round(rule_set=registered.rule_set, by=auditor, size=1, seed=1)
    sample = audit_round.samples.get()
    client.force_login(auditor)
    url = reverse("audit-cpd-profile", args=[audit_round.public_id, sample.pk])
    response = client.get(url, {"cycle": day})
    assert response.status_code == 200


def test_a_learner_sampled_in_an_audit_withdraws_and_the_audit_keeps_the_profile(
    client, registered, auditor
):
    audit_round = rounds.draw_round(rule_set=registered.rule_set, by=auditor, size=1, seed=1)
    client.force_login(registered.learner)
    response = client.post(reverse("cpd-unregister", args=[registered.rule_set.slug]))
    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.withdrawn_on is not None  # kept for the audit, no longer reporting
    assert not cpd_services.cpd.registrations_for([registered.learner]).exists()
    client.force_login(auditor)
    sample = audit_round.samples.get()
    url = reverse("audit-cpd-profile", args=[audit_round.public_id, sample.pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("audit-round", args=[audit_round.public_id])).status_code == 200
    # A later round draws from those still reporting; registering again brings them back.
    assert rounds.profiles(registered.rule_set).count() == 0
    again = cpd_services.register(learner=registered.learner, rule_set=registered.rule_set)
    assert again.pk == registered.pk
    assert again.withdrawn_on is None
    assert rounds.profiles(registered.rule_set).count() == 1


def test_a_learner_never_sampled_withdraws_and_the_registration_goes(client, registered):
    client.force_login(registered.learner)
    client.post(reverse("cpd-unregister", args=[registered.rule_set.slug]))
    assert not CpdRegistration.objects.exists()


@pytest.fixture
def accreditation():
    return AccreditationFactory()


@pytest.fixture
def accreditor(accreditation):
    user = UserFactory()
    add_accreditor(body=accreditation.body, user=user)
    return user


@pytest.mark.parametrize(
    ("start", "end"), [("0001-01-01", "9999-12-31"), ("0001-01-01", ""), ("", "9999-12-31")]
)
def test_an_audit_period_at_the_calendars_ends_is_refused_naming_the_field(
    client, accreditation, accreditor, start, end
):
    client.force_login(accreditor)
    url = reverse("audit-accreditation", args=[accreditation.public_id])
    response = client.get(url, {"start": start, "end": end})
    assert response.status_code == 200  # the default period, with the form's error shown
    assert "Give a date" in response.content.decode()
    bundle = client.post(
        reverse("audit-bundle-new", args=[accreditation.public_id]),
        {"start": start, "end": end},
        follow=True,
    )
    assert bundle.status_code == 200
    assert "Give a date" in bundle.content.decode()
    assert not EvidenceBundle.objects.exists()


@pytest.mark.parametrize("days", ["999999999999", "18301", "0"])
def test_a_huge_exclusion_window_is_refused_naming_the_field(
    client, accreditation, accreditor, days
):
    client.force_login(accreditor)
    url = reverse("audit-round-new", args=[accreditation.public_id])
    response = client.post(url, {"size": "2", "exclude_joined_within_days": days})
    assert response.status_code == 200
    assert 'id="id_exclude_joined_within_days_error"' in response.content.decode()
    assert not AuditRound.objects.exists()


def test_the_service_refuses_a_huge_exclusion_window_too(accreditation, accreditor):
    with pytest.raises(rounds.ValidationError) as refused:
        rounds.draw_round(
            accreditation=accreditation, by=accreditor, size=1, exclude_joined_within_days=10**9
        )
    assert "exclude_joined_within_days" in refused.value.message_dict


@pytest.mark.parametrize("code", ["a/b", "../../etc", "x" * 65, "<script>", "a_b"])
def test_a_verification_code_that_cannot_be_one_is_told(client, code):
    response = client.get(reverse("verify-start"), {"code": code})
    assert response.status_code == 400
    assert "not a serial number or a verification code" in response.content.decode()


def test_a_plausible_code_goes_to_its_page(client):
    """Spaces and dashes are how people group a code: left out, capitals made small."""
    response = client.get(reverse("verify-start"), {"code": "ABC-123 x"})
    assert response.status_code == 302
    assert response.url == reverse("verify", args=["abc123x"])
