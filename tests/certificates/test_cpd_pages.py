"""The learner's CPD pages (certificates.views_cpd): the ledger with each body's standing in the
current cycle, logging / editing / removing activities (validation errors on the fields they
are about, evidence files), the discussions only the named peer can answer, registering with a
body, and the transcripts of a cycle as CSV, PDF and a signed CLR credential."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pypdf
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from certificates.cpd import selectors as cpd
from certificates.models import (
    CpdActivityKind,
    CpdEntry,
    CpdRegistration,
    CpdSource,
    DiscussionStatus,
    RequirementKind,
)
from lms import verification
from tests.certificates.factories import (
    CpdEntryFactory,
    CpdRegistrationFactory,
    RequirementFactory,
    RuleSetFactory,
)
from tests.certificates.jose import independently_verified_claims, published_keyset, segments
from tests.certificates.test_transcript import certificate_entry
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db

LEDGER = reverse("cpd-ledger")
NEW = reverse("cpd-entry-new")
CONFIRMATIONS = reverse("cpd-confirmations")


def today() -> date:
    return timezone.localdate()


def this_cycle_day() -> date:
    """A day of the current yearly cycle that is not in the future: yesterday, or today on
    1 January."""
    return max(today() - timedelta(days=1), date(today().year, 1, 1))


def make_rule_set(**fields):
    """Yearly cycles from 1 January, in UTC (the site's zone, so that "today" agrees), asking
    for 10 hours and one confirmed peer discussion."""
    values = {"time_zone": "UTC", "cycle_start": date(2020, 1, 1), "name": "Annual CPD"}
    rule_set = RuleSetFactory(**(values | fields))
    RequirementFactory(
        rule_set=rule_set, kind=RequirementKind.HOURS, amount=Decimal(10), position=1
    )
    RequirementFactory(
        rule_set=rule_set, kind=RequirementKind.DISCUSSIONS, amount=Decimal(1), position=2
    )
    return rule_set


@pytest.fixture
def learner():
    return UserFactory(display_name="Ioana Dumitrescu", email="ioana@example.org")


@pytest.fixture
def peer():
    return UserFactory(display_name="Mihai Ionescu", email="mihai@example.org")


@pytest.fixture
def rule_set():
    return make_rule_set()


@pytest.fixture
def registered(learner, rule_set):
    return CpdRegistrationFactory(
        learner=learner, rule_set=rule_set, registered_on=date(2020, 1, 1), number="CNASR-42"
    )


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def activity(**changes):
    """The POST data of a valid external activity."""
    values = {
        "title": "Workshop on family assessments",
        "kind": CpdActivityKind.WORKSHOP,
        "provider": "Asociația Profesională",
        "participatory": "on",
        "structured": "on",
        "date": this_cycle_day().isoformat(),
        "hours": "3.5",
        "learning": "How to weigh protective factors.",
        "impact": "I now ask about the extended family at the first visit.",
        "discussion_with": "",
        "discussion_notes": "",
    }
    return values | changes


def discussion(learner, peer, **fields):
    values = {
        "learner": learner,
        "title": "Case supervision",
        "date": this_cycle_day(),
        "learning": "Boundaries.",
        "impact": "Clearer contracts with families.",
        "discussion_with": peer,
        "discussion_notes": "We went through the Popescu case.",
        "discussion_status": DiscussionStatus.PENDING,
    }
    return CpdEntryFactory(**(values | fields))


# --- the ledger ---------------------------------------------------------------------------------


def test_ledger_shows_where_the_learner_stands_and_every_entry(signed_in, learner, registered):
    CpdEntryFactory(learner=learner, title="Reading on attachment", date=this_cycle_day())
    certified = certificate_entry(
        learner, title="Child safety at school", day=this_cycle_day(), hours="4"
    )
    CpdEntryFactory(title="Someone else's workshop", date=this_cycle_day())

    response = signed_in.get(LEDGER)

    assert response.status_code == 200
    html = response.content.decode()
    (view,) = response.context["standings"]
    assert view.standing.rule_set == registered.rule_set
    assert not view.standing.met
    assert [row.met for row in view.results] == [False, False]
    assert [row.progress for row in view.results] == ["6 of 10", "0 of 1"]
    assert "Not yet met." in html
    assert "4 more hours" in html
    assert "1 more entry with a confirmed peer discussion" in html
    assert "6 CPD hours from 2 entries so far." in html
    assert "CNASR-42" in html
    cycle = view.standing.cycle
    assert (cycle.start, cycle.end) == (date(today().year, 1, 1), date(today().year, 12, 31))
    # The ledger: both entries, the certificate's by its serial; nobody else's.
    assert "Reading on attachment" in html
    assert f"certificate {certified.certificate.serial}" in html
    assert "Someone else" not in html
    # Transcripts of this cycle (the CLR: a certificate counts) and of previous ones.
    slug = registered.rule_set.slug
    assert f'href="/cpd/{slug}/transcript.pdf"' in html
    assert f'href="/cpd/{slug}/transcript.csv"' in html
    assert f'href="/cpd/{slug}/transcript.jwt"' in html
    assert f'href="/cpd/{slug}/transcript.pdf?cycle={today().year - 1}-01-01"' in html
    assert len(view.previous) == 5


def test_the_signed_record_is_offered_only_when_a_certificate_counts(
    signed_in, learner, registered
):
    CpdEntryFactory(learner=learner, date=this_cycle_day())
    html = signed_in.get(LEDGER).content.decode()
    assert "transcript.pdf" in html
    assert "transcript.jwt" not in html


def test_a_met_cycle_says_so(signed_in, learner, peer, registered):
    discussion(learner, peer, hours=Decimal(10), discussion_status=DiscussionStatus.CONFIRMED)
    response = signed_in.get(LEDGER)
    assert response.context["standings"][0].standing.met
    assert "Met: you have done what this cycle requires." in response.content.decode()


def test_the_ledger_is_paginated_newest_first(signed_in, learner):
    for day in range(25):
        CpdEntryFactory(
            learner=learner, title=f"Day {day}", date=date(2026, 1, 1) + timedelta(days=day)
        )
    first = signed_in.get(LEDGER)
    titles = [entry.title for entry in first.context["page"].object_list]
    assert titles[:2] == ["Day 24", "Day 23"]
    assert len(titles) == 20
    second = signed_in.get(LEDGER, {"page": 2})
    assert [entry.title for entry in second.context["page"].object_list][-1] == "Day 0"
    assert 'rel="next"' in first.content.decode()


def test_awaiting_confirmations_are_counted_on_the_ledger(signed_in, learner):
    for _ in range(2):
        discussion(UserFactory(), learner)
    html = signed_in.get(LEDGER).content.decode()
    assert "2 discussions await your confirmation" in html
    assert f'href="{CONFIRMATIONS}"' in html


# session, user, membership roles, accreditor roles; registrations and their requirements; the
# entries of the standings; the certificate entries' days (previous cycles' signed records);
# the ledger's count and page; the awaiting confirmations; the rule sets one may register with;
# the navigation's to-do count on the first page (lms.todo: invitations, CPD discussions, audit
# requests; cached afterwards).
LEDGER_QUERIES = 15


@pytest.mark.parametrize(("entries", "registrations"), [(3, 1), (30, 1), (3, 3), (30, 3)])
def test_ledger_reads_a_fixed_number_of_queries(
    client, peer, entries, registrations, django_assert_num_queries
):
    learner = UserFactory()
    for _ in range(registrations):
        CpdRegistrationFactory(learner=learner, rule_set=make_rule_set())
    for number in range(entries):
        CpdEntryFactory(
            learner=learner, date=this_cycle_day(), discussion_with=peer if number % 2 else None
        )
    certificate_entry(learner, title="Certified", day=this_cycle_day(), hours="2")
    discussion(UserFactory(), learner)
    make_rule_set()  # one to register with
    client.force_login(learner)
    with django_assert_num_queries(LEDGER_QUERIES):
        response = client.get(LEDGER)
    assert len(response.context["standings"]) == registrations


# --- logging, editing, removing -----------------------------------------------------------------


def test_a_learner_logs_an_activity_with_a_reflection_and_names_a_peer(
    signed_in, learner, peer, registered
):
    response = signed_in.post(
        NEW, activity(discussion_with="MIHAI@example.org", discussion_notes="Risk")
    )

    assert response.status_code == 302
    assert response.url == LEDGER
    entry = CpdEntry.objects.get(learner=learner)
    assert entry.source == CpdSource.EXTERNAL
    assert entry.title == "Workshop on family assessments"
    assert (entry.participatory, entry.structured) == (True, True)
    assert entry.hours == Decimal("3.50")
    assert entry.has_reflection
    assert entry.discussion_with == peer
    assert entry.discussion_status == DiscussionStatus.PENDING
    html = signed_in.get(LEDGER).content.decode()
    assert "We asked MIHAI@example.org to confirm your discussion." in html
    assert "awaiting confirmation" in html


@pytest.mark.parametrize("named", ["no account", "an unconfirmed account"])
def test_naming_an_address_tells_nothing_about_its_account_and_asks_its_owner(
    client, signed_in, learner, named, django_capture_on_commit_callbacks
):
    """Whether the address has an account does not show (issue 17); an unconfirmed account
    (anyone may sign up with any address, the learner too) cannot confirm."""
    if named == "an unconfirmed account":
        second = UserFactory(email="second@example.org", email_verified_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            NEW,
            activity(discussion_with="second@example.org", discussion_notes="Risk"),
            follow=True,
        )
    assert "We asked second@example.org to confirm your discussion." in response.content.decode()
    entry = CpdEntry.objects.get(learner=learner)
    assert (entry.discussion_email, entry.discussion_with) == ("second@example.org", None)
    assert entry.discussion_status == DiscussionStatus.PENDING
    (message,) = [m for m in mail.outbox if m.to == ["second@example.org"]]
    assert "Ioana Dumitrescu" in message.body
    assert "sign up (or log in) with this e-mail address" in message.body
    if named == "an unconfirmed account":
        client.force_login(second)
        assert client.get(CONFIRMATIONS).context["pending"] == []
        url = reverse("cpd-confirmation-answer", args=[entry.public_id])
        assert client.post(url, {"answer": "confirm"}).status_code == 404
        entry.refresh_from_db()
        assert entry.discussion_status == DiscussionStatus.PENDING


def test_the_discussion_waits_for_the_address_owner_once_they_confirm_it(
    client, signed_in, learner, registered, django_capture_on_commit_callbacks
):
    signed_in.post(NEW, activity(discussion_with="Later@example.org", discussion_notes="Risk"))
    entry = CpdEntry.objects.get(learner=learner)
    later = UserFactory(email="later@example.org", email_verified_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        verification.verify_email(user=later)
    entry.refresh_from_db()
    assert entry.discussion_with == later
    client.force_login(later)
    assert client.get(CONFIRMATIONS).context["pending"] == [entry]
    client.post(reverse("cpd-confirmation-answer", args=[entry.public_id]), {"answer": "confirm"})
    entry.refresh_from_db()
    assert entry.discussion_status == DiscussionStatus.CONFIRMED
    # The learner's own second account never gets there: they cannot open its link without
    # the address's mailbox, and the learner's own address is refused outright.
    client.force_login(learner)
    response = client.post(NEW, activity(discussion_with="IOANA@example.org"))
    assert "Name someone else" in response.content.decode()


def test_an_account_that_lost_its_confirmation_cannot_answer(client, learner, peer):
    """Say the address changed and awaits confirmation again: the peer may not vouch."""
    entry = discussion(learner, peer)
    peer.email_verified_at = None
    peer.save(update_fields=["email_verified_at"])
    client.force_login(peer)
    response = client.post(
        reverse("cpd-confirmation-answer", args=[entry.public_id]),
        {"answer": "confirm"},
        follow=True,
    )
    assert "Confirm your e-mail address first" in response.content.decode()
    entry.refresh_from_db()
    assert entry.discussion_status == DiscussionStatus.PENDING


def test_the_entry_form_renders_for_upload(signed_in):
    html = signed_in.get(NEW).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'name="discussion_with"' in html
    assert 'type="date"' in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"hours": "0"}, "hours", "Enter more than 0 hours."),
        ({"hours": "-2"}, "hours", "Enter more than 0 hours."),
        ({"date": "2999-01-01"}, "date", "The date cannot be in the future"),
        ({"discussion_with": "not an address"}, "discussion_with", "Enter a valid email"),
        ({"discussion_with": "Ioana@Example.org"}, "discussion_with", "Name someone else"),
        ({"discussion_notes": "We talked"}, "discussion_with", "Name the person"),
    ],
)
def test_bad_input_is_told_on_its_field_and_nothing_is_logged(
    signed_in, learner, changes, field, message
):
    response = signed_in.post(NEW, activity(**changes))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert message in response.content.decode()
    assert not CpdEntry.objects.filter(learner=learner).exists()


def test_an_evidence_file_is_stored_and_only_its_owner_downloads_it(client, learner):
    client.force_login(learner)
    upload = SimpleUploadedFile("attendance.pdf", b"%PDF-1.4 attendance", "application/pdf")
    response = client.post(NEW, activity(evidence=upload))
    assert response.status_code == 302
    entry = CpdEntry.objects.get(learner=learner)
    assert entry.evidence.name.endswith("-attendance.pdf")
    with entry.evidence.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4 attendance"

    url = reverse("cpd-entry-evidence", args=[entry.public_id])
    download = client.get(url)
    assert b"".join(download.streaming_content) == b"%PDF-1.4 attendance"
    assert "attendance.pdf" in download["Content-Disposition"]
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_an_evidence_file_of_another_kind_is_refused_on_its_field(signed_in, learner):
    upload = SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream")
    response = signed_in.post(NEW, activity(evidence=upload))
    assert response.status_code == 400
    assert "evidence" in response.context["form"].errors
    assert not CpdEntry.objects.filter(learner=learner).exists()


def test_the_owner_edits_an_activity(signed_in, learner, peer):
    entry = CpdEntryFactory(learner=learner, title="Old title", date=this_cycle_day())
    url = reverse("cpd-entry-edit", args=[entry.public_id])
    form = signed_in.get(url).context["form"]
    assert form.initial["title"] == "Old title"

    response = signed_in.post(
        url, activity(title="New title", hours="5", discussion_with=peer.email)
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.hours) == ("New title", Decimal("5.00"))
    assert entry.discussion_status == DiscussionStatus.PENDING
    again = signed_in.get(url).context["form"]
    assert again.initial["discussion_with"] == peer.email


def test_an_edit_with_bad_input_changes_nothing(signed_in, learner):
    entry = CpdEntryFactory(learner=learner, title="Kept", date=this_cycle_day())
    url = reverse("cpd-entry-edit", args=[entry.public_id])
    response = signed_in.post(url, activity(title="Changed", hours="0"))
    assert response.status_code == 400
    assert "hours" in response.context["form"].errors
    entry.refresh_from_db()
    assert entry.title == "Kept"


def test_the_evidence_can_be_replaced_and_removed(signed_in, learner):
    signed_in.post(NEW, activity(evidence=SimpleUploadedFile("a.txt", b"first")))
    entry = CpdEntry.objects.get(learner=learner)
    url = reverse("cpd-entry-edit", args=[entry.public_id])
    signed_in.post(url, activity(evidence=SimpleUploadedFile("b.txt", b"second")))
    entry.refresh_from_db()
    assert entry.evidence.name.endswith("-b.txt")
    signed_in.post(url, activity())  # no file: the kept one stays
    entry.refresh_from_db()
    assert entry.evidence.name.endswith("-b.txt")
    signed_in.post(url, activity(remove_evidence="on"))
    entry.refresh_from_db()
    assert not entry.evidence


def test_a_certificates_entry_takes_only_a_reflection_and_a_discussion(signed_in, learner, peer):
    entry = certificate_entry(learner, title="Child safety", day=this_cycle_day(), hours="4")
    url = reverse("cpd-entry-edit", args=[entry.public_id])
    form = signed_in.get(url).context["form"]
    assert set(form.fields) == {"learning", "impact", "discussion_with", "discussion_notes"}

    response = signed_in.post(
        url,
        activity(title="Renamed", hours="40", learning="Signs", impact="Earlier referrals",
                 discussion_with=peer.email, discussion_notes="Two cases"),
    )  # fmt: skip

    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.hours) == ("Child safety", Decimal("4.00"))
    assert entry.has_reflection
    assert entry.discussion_status == DiscussionStatus.PENDING
    # Nor can it be removed while its certificate stands.
    response = signed_in.post(reverse("cpd-entry-delete", args=[entry.public_id]), follow=True)
    assert CpdEntry.objects.filter(pk=entry.pk).exists()
    assert "it stays while the certificate is valid" in response.content.decode()


def test_the_owner_removes_an_activity(signed_in, learner):
    entry = CpdEntryFactory(learner=learner)
    response = signed_in.post(reverse("cpd-entry-delete", args=[entry.public_id]))
    assert response.status_code == 302
    assert not CpdEntry.objects.filter(pk=entry.pk).exists()


def test_only_the_owner_opens_edits_or_removes_an_entry(client, learner):
    entry = CpdEntryFactory(learner=learner, title="Mine")
    client.force_login(UserFactory())
    edit = reverse("cpd-entry-edit", args=[entry.public_id])
    assert client.get(edit).status_code == 404
    assert client.post(edit, activity(title="Theirs")).status_code == 404
    assert client.post(reverse("cpd-entry-delete", args=[entry.public_id])).status_code == 404
    entry.refresh_from_db()
    assert entry.title == "Mine"


def test_removing_asks_first_and_is_a_post(signed_in, learner):
    entry = CpdEntryFactory(learner=learner, title="Night course")
    url = reverse("cpd-entry-delete", args=[entry.public_id])
    asked = signed_in.get(url)
    content = asked.content.decode()
    assert asked.status_code == 200
    assert "Remove “Night course” from your ledger?" in content
    assert f'<form method="post" action="{url}"' in content
    assert reverse("cpd-entry-edit", args=[entry.public_id]) in content  # the way back
    assert CpdEntry.objects.filter(pk=entry.pk).exists()
    assert signed_in.post(url).status_code == 302
    assert not CpdEntry.objects.filter(pk=entry.pk).exists()


# --- confirmations ------------------------------------------------------------------------------


def test_the_peer_sees_what_awaits_them(client, learner, peer):
    entry = discussion(learner, peer)
    discussion(learner, UserFactory(), title="Someone else's discussion")
    client.force_login(peer)
    response = client.get(CONFIRMATIONS)
    html = response.content.decode()
    assert response.context["pending"] == [entry]
    assert "Ioana Dumitrescu" in html
    assert "Case supervision" in html
    assert "We went through the Popescu case." in html
    assert "Clearer contracts with families." in html
    assert "Someone else" not in html
    assert reverse("cpd-confirmation-answer", args=[entry.public_id]) in html


def test_answering_a_discussion_changes_the_learners_standing(client, learner, peer, registered):
    entry = discussion(learner, peer, hours=Decimal(10))
    client.force_login(learner)
    before = client.get(LEDGER).context["standings"][0]
    assert [row.met for row in before.results] == [True, False]

    client.force_login(peer)
    response = client.post(
        reverse("cpd-confirmation-answer", args=[entry.public_id]),
        {"answer": "confirm", "comment": "Yes, on 3 March."},
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.discussion_status == DiscussionStatus.CONFIRMED
    assert entry.discussion_response == "Yes, on 3 March."
    after_page = client.get(CONFIRMATIONS)
    assert after_page.context["pending"] == []
    assert after_page.context["answered"] == [entry]
    client.force_login(learner)
    after = client.get(LEDGER).context["standings"][0]
    assert [row.met for row in after.results] == [True, True]
    assert after.standing.met


def test_a_peer_may_decline(client, learner, peer):
    entry = discussion(learner, peer)
    client.force_login(peer)
    client.post(reverse("cpd-confirmation-answer", args=[entry.public_id]), {"answer": "decline"})
    entry.refresh_from_db()
    assert entry.discussion_status == DiscussionStatus.DECLINED


@pytest.mark.parametrize("who", ["someone else", "the learner"])
def test_only_the_named_peer_may_answer(client, learner, peer, who):
    entry = discussion(learner, peer)
    client.force_login(UserFactory() if who == "someone else" else learner)
    url = reverse("cpd-confirmation-answer", args=[entry.public_id])
    assert client.post(url, {"answer": "confirm"}).status_code == 404
    entry.refresh_from_db()
    assert entry.discussion_status == DiscussionStatus.PENDING
    assert entry.discussion_answered_at is None


def test_a_discussion_is_answered_once(client, learner, peer):
    entry = discussion(learner, peer)
    client.force_login(peer)
    url = reverse("cpd-confirmation-answer", args=[entry.public_id])
    client.post(url, {"answer": "decline"})
    response = client.post(url, {"answer": "confirm"}, follow=True)
    assert "already answered" in response.content.decode()
    entry.refresh_from_db()
    assert entry.discussion_status == DiscussionStatus.DECLINED


def test_answering_needs_an_answer_and_a_post(client, learner, peer):
    entry = discussion(learner, peer)
    client.force_login(peer)
    url = reverse("cpd-confirmation-answer", args=[entry.public_id])
    assert client.get(url).status_code == 405
    client.post(url, {"answer": "maybe"})
    entry.refresh_from_db()
    assert entry.discussion_status == DiscussionStatus.PENDING


# --- registering --------------------------------------------------------------------------------


def test_a_learner_registers_with_a_rule_set_and_unregisters(signed_in, learner, rule_set):
    inactive = make_rule_set(is_active=False)
    form = signed_in.get(LEDGER).context["registration_form"]
    slugs = [value for value, _label in form.fields["rule_set"].choices]
    assert rule_set.slug in slugs
    assert inactive.slug not in slugs
    assert form.initial["registered_on"] == today()

    response = signed_in.post(
        reverse("cpd-register"),
        {"rule_set": rule_set.slug, "registered_on": "2024-03-01", "number": " CNASR-7 "},
    )

    assert response.status_code == 302
    registration = CpdRegistration.objects.get(learner=learner)
    assert (registration.rule_set, registration.registered_on, registration.number) == (
        rule_set, date(2024, 3, 1), "CNASR-7",
    )  # fmt: skip
    page = signed_in.get(LEDGER)
    assert len(page.context["standings"]) == 1
    assert not page.context["can_register"]  # nothing else to register with

    response = signed_in.post(reverse("cpd-unregister", args=[rule_set.slug]))
    assert response.status_code == 302
    assert not CpdRegistration.objects.filter(learner=learner).exists()
    assert signed_in.post(reverse("cpd-unregister", args=[rule_set.slug])).status_code == 404


def test_registering_with_an_inactive_or_unknown_rule_set_is_refused(signed_in, learner):
    inactive = make_rule_set(is_active=False)
    for slug in (inactive.slug, "no-such-rule-set"):
        response = signed_in.post(
            reverse("cpd-register"), {"rule_set": slug, "registered_on": "2024-03-01"}
        )
        assert response.status_code == 400
        assert "rule_set" in response.context["registration_form"].errors
    assert not CpdRegistration.objects.filter(learner=learner).exists()


# --- transcripts --------------------------------------------------------------------------------


def transcript_url(rule_set, fmt, **query):
    url = reverse("cpd-transcript", kwargs={"slug": rule_set.slug, "fmt": fmt})
    return f"{url}?cycle={query['cycle']}" if query else url


@pytest.fixture
def cycle_entries(learner, registered):
    """An external activity and a certificate this cycle, an activity last cycle."""
    year = today().year
    CpdEntryFactory(learner=learner, title="Peer group", date=this_cycle_day(), hours=3)
    certified = certificate_entry(learner, title="Child safety", day=this_cycle_day(), hours="4")
    CpdEntryFactory(learner=learner, title="Last year's seminar", date=date(year - 1, 5, 5))
    return certified


def test_the_cycles_transcript_as_csv(signed_in, learner, registered, cycle_entries):
    response = signed_in.get(transcript_url(registered.rule_set, "csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    year = today().year
    filename = f"cpd-transcript-{registered.rule_set.slug}-{year}0101-{year}1231.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["Learner", "Ioana Dumitrescu"] in rows
    assert ["Registration number", "CNASR-42"] in rows
    titles = {row[1] for row in rows if len(row) > 1}
    assert {"Peer group", "Child safety"} <= titles
    assert "Last year's seminar" not in titles


def test_the_cycles_transcript_as_pdf(signed_in, registered, cycle_entries):
    response = signed_in.get(transcript_url(registered.rule_set, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = "".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Ioana Dumitrescu" in text
    assert "Child safety" in text


def test_the_cycles_signed_record_verifies_against_the_published_keys(
    signed_in, learner, registered, cycle_entries
):
    response = signed_in.get(transcript_url(registered.rule_set, "jwt"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwt"
    assert response["Content-Disposition"].endswith('.jwt"')
    keyset = published_keyset(signed_in)
    token = response.content.decode()
    assert segments(token)[0]["alg"] == "RS256"  # OB 3.0 §8.2.3
    claims = independently_verified_claims(token, keyset)
    assert "ClrCredential" in claims["type"]
    subject = claims["credentialSubject"]
    assert subject["id"] == learner.public_id.urn
    (nested,) = subject["verifiableCredential"]
    assert nested["id"] == f"data:application/vc+jwt,{cycle_entries.certificate.credential}"


def test_without_a_certificate_there_is_no_signed_record(signed_in, learner, registered):
    CpdEntryFactory(learner=learner, date=this_cycle_day())
    response = signed_in.get(transcript_url(registered.rule_set, "jwt"), follow=True)
    assert response.redirect_chain == [(LEDGER, 302)]
    assert "No certificate from this platform counts in that cycle" in response.content.decode()


def test_a_past_cycles_transcript(signed_in, registered, cycle_entries):
    year = today().year - 1
    response = signed_in.get(transcript_url(registered.rule_set, "csv", cycle=f"{year}-07-01"))
    assert response.status_code == 200
    assert f"-{year}0101-{year}1231.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    titles = {row[1] for row in rows if len(row) > 1}
    assert "Last year's seminar" in titles
    assert "Peer group" not in titles
    # Last cycle had no certificate: no signed record.
    jwt = signed_in.get(transcript_url(registered.rule_set, "jwt", cycle=f"{year}-07-01"))
    assert jwt.status_code == 302


def test_another_cycle_is_picked_with_the_small_form(signed_in, registered):
    url = reverse("cpd-transcript-other", args=[registered.rule_set.slug])
    response = signed_in.get(url, {"cycle": "2023-05-05", "format": "csv"})
    assert response.status_code == 302
    assert response.url == transcript_url(registered.rule_set, "csv", cycle="2023-05-05")
    assert signed_in.get(url, {"cycle": "soon", "format": "csv"}).url == LEDGER


@pytest.mark.parametrize("cycle", ["not-a-date", "2999-01-01"])
def test_a_bad_or_future_cycle_goes_back_to_the_ledger(signed_in, registered, cycle):
    response = signed_in.get(transcript_url(registered.rule_set, "pdf", cycle=cycle))
    assert response.status_code == 302
    assert response.url == LEDGER


@pytest.mark.parametrize("fmt", ["pdf", "csv", "jwt"])
def test_no_transcript_without_a_registration(client, learner, registered, fmt):
    client.force_login(UserFactory())
    assert client.get(transcript_url(registered.rule_set, fmt)).status_code == 404
    client.force_login(learner)
    unregistered = make_rule_set()
    assert client.get(transcript_url(unregistered, fmt)).status_code == 404


def test_an_unknown_format_is_not_found(signed_in, registered):
    assert signed_in.get(f"/cpd/{registered.rule_set.slug}/transcript.xlsx").status_code == 404


# --- signing in ---------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, learner, peer, registered):
    entry = discussion(learner, peer)
    urls = [
        LEDGER,
        NEW,
        CONFIRMATIONS,
        reverse("cpd-entry-edit", args=[entry.public_id]),
        reverse("cpd-entry-evidence", args=[entry.public_id]),
        transcript_url(registered.rule_set, "pdf"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    for url in (
        reverse("cpd-confirmation-answer", args=[entry.public_id]),
        reverse("cpd-entry-delete", args=[entry.public_id]),
        reverse("cpd-register"),
    ):
        assert client.post(url, {"answer": "confirm"}).url.startswith(reverse("login")), url
    entry.refresh_from_db()
    assert entry.discussion_status == DiscussionStatus.PENDING


def test_the_standing_matches_the_engine(signed_in, learner, registered):
    """The page shows what ``certificates.cpd`` computes, not a computation of its own."""
    CpdEntryFactory(learner=learner, date=this_cycle_day(), hours=Decimal("2.25"))
    view = signed_in.get(LEDGER).context["standings"][0]
    engine = cpd.standing(registered)
    assert view.standing.total == engine.total == Decimal("2.25")
    assert [row.missing for row in view.results] == [r.missing for r in engine.results]


def test_the_discussions_awaiting_an_answer_are_paginated_oldest_first(client, peer):
    for n in range(25):
        CpdEntryFactory(
            title=f"Discussion {n:02d}", discussion_with=peer, discussion_status="pending"
        )
    client.force_login(peer)
    first = client.get(CONFIRMATIONS)
    assert [e.title for e in first.context["pending"]] == [f"Discussion {n:02d}" for n in range(20)]
    assert 'rel="next"' in first.content.decode()
    second = client.get(CONFIRMATIONS, {"page": 2})
    assert [e.title for e in second.context["pending"]] == [
        f"Discussion {n:02d}" for n in range(20, 25)
    ]


def test_the_entry_form_speaks_the_learners_language_down_to_the_help_texts(client, settings):
    client.force_login(UserFactory(preferred_language="ro"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ro"
    html = client.get(reverse("cpd-entry-new")).content.decode()
    assert "Opțional: o adeverință de participare, notițe, slide-uri (.docx," in html
