"""A learner logs an external activity with a reflection and names a peer; the peer confirms the
discussion on the platform; the learner's cycle is then met. The pages pass axe-core."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from certificates.models import CpdEntry, DiscussionStatus, RequirementKind
from tests.certificates.factories import (
    AccreditingBodyFactory,
    CpdEntryFactory,
    CpdRegistrationFactory,
    RequirementFactory,
    RuleSetFactory,
)
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(UserFactory.default_password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=re.compile("Welcome")).wait_for()


def _open_my_cpd(page):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My CPD").click()
    page.get_by_role("heading", name="My CPD", level=1).wait_for()


def _standing(page):
    return page.get_by_role("region", name=re.compile(": Annual CPD"))


def _people_and_rule_set(in_cycle):
    """A rule set asking for at least two entries a year, one of them with a confirmed peer
    discussion; a learner registered with it, with one entry already; a peer."""
    body = AccreditingBodyFactory(name="Colegiul Psihologilor")
    rule_set = RuleSetFactory(
        body=body, name="Annual CPD", slug="annual-cpd", time_zone="UTC",
        cycle_start=date(2020, 1, 1),
    )  # fmt: skip
    RequirementFactory(rule_set=rule_set, kind=RequirementKind.ENTRIES, amount=Decimal(2))
    RequirementFactory(rule_set=rule_set, kind=RequirementKind.DISCUSSIONS, amount=Decimal(1))
    learner = UserFactory(display_name="Ioana Dumitrescu", preferred_language="en")
    peer = UserFactory(display_name="Mihai Ionescu", email="mihai@example.org")
    CpdRegistrationFactory(learner=learner, rule_set=rule_set)
    CpdEntryFactory(learner=learner, title="Reading on attachment", date=in_cycle)
    return learner, peer


def _fill_activity(page, in_cycle):
    """An external activity with a reflection, naming the peer by e-mail address."""
    page.get_by_label("Activity", exact=True).fill("Supervision of the Popescu case")
    page.get_by_label("Type of activity").select_option("supervision")
    page.get_by_label("Participatory").check()
    page.get_by_label("Date").fill(in_cycle.isoformat())
    page.get_by_label("Hours").fill("1.5")
    page.get_by_label("What I learnt").fill("Naming the risk to the family early.")
    page.get_by_label("Impact on my practice").fill("I write the safety plan with the family.")
    page.get_by_label("Discussed with (their e-mail address)").fill("Mihai@Example.org")
    page.get_by_label("What we discussed").fill("Whether to refer the case to the court.")


def test_a_peer_confirms_a_discussion_and_the_cycle_is_met(page, axe_violations):
    today = timezone.localdate()
    in_cycle = max(today - timedelta(days=1), date(today.year, 1, 1))
    learner, peer = _people_and_rule_set(in_cycle)

    # The learner sees what is missing, and logs an activity naming the peer.
    _log_in(page, learner)
    _open_my_cpd(page)
    assert "Not yet met." in _standing(page).inner_text()
    discussions = _standing(page).get_by_role("row", name=re.compile("peer discussion"))
    assert "Missing: 1 more entry with a confirmed peer discussion" in discussions.inner_text()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Log an activity").click()
    _fill_activity(page, in_cycle)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Add to my ledger").click()
    status = page.get_by_role("status").inner_text()
    assert "We asked Mihai@example.org to confirm your discussion." in status
    row = page.get_by_role("row", name=re.compile("Supervision of the Popescu case"))
    assert "awaiting confirmation" in row.inner_text()
    assert "Not yet met." in _standing(page).inner_text()
    entry = CpdEntry.objects.get(title="Supervision of the Popescu case")
    assert (entry.has_reflection, entry.discussion_with) == (True, peer)
    page.get_by_role("button", name="Log out").click()

    # The peer confirms it.
    _log_in(page, peer)
    _open_my_cpd(page)
    page.get_by_role("link", name="1 discussion awaits your confirmation").click()
    discussion = page.get_by_role("region", name=re.compile("Ioana Dumitrescu"))
    assert "Whether to refer the case to the court." in discussion.inner_text()
    assert "I write the safety plan with the family." in discussion.inner_text()
    assert axe_violations(page) == []
    discussion.get_by_label("Your comment (optional)").fill("We met on Tuesday.")
    discussion.get_by_role("button", name="Confirm the discussion with Ioana Dumitrescu").click()
    assert "You confirmed the discussion" in page.get_by_role("status").inner_text()
    assert "No discussion awaits your answer." in page.content()
    assert axe_violations(page) == []
    entry.refresh_from_db()
    assert entry.discussion_status == DiscussionStatus.CONFIRMED
    page.get_by_role("button", name="Log out").click()

    # The learner's cycle is met.
    _log_in(page, learner)
    _open_my_cpd(page)
    assert "Met: you have done what this cycle requires." in _standing(page).inner_text()
    row = page.get_by_role("row", name=re.compile("Supervision of the Popescu case"))
    assert "confirmed" in row.inner_text()
    assert axe_violations(page) == []
