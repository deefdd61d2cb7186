"""The form patterns on the certificates pages (docs/style.md, Forms): the audit decision has
no preselected choice and names its error, closing a round asks first, the empty round form
names its fields, and a CPD evidence file survives a submit that failed on another field."""

import re

import pytest
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certificates.audit import rounds
from certificates.audit.services import add_accreditor
from certificates.models import AuditDecision, AuditRound, AuditRoundStatus, CpdEntry
from tests.certificates.factories import AccreditationFactory, RuleSetFactory
from tests.certificates.test_cpd_pages import NEW, activity
from tests.certificates.test_rounds import make_records
from tests.certificates.test_rounds import urlpatterns as rounds_urlpatterns
from tests.lms.factories import UserFactory

urlpatterns = rounds_urlpatterns

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def accreditation():
    return AccreditationFactory()


@pytest.fixture
def accreditor(accreditation):
    user = UserFactory(display_name="Ada Auditor")
    add_accreditor(body=accreditation.body, user=user)
    return user


@pytest.fixture
def open_round(accreditation, accreditor, client):
    make_records(accreditation, 3)
    audit_round = rounds.draw_round(accreditation=accreditation, by=accreditor, size=2, seed=1)
    client.force_login(accreditor)
    return audit_round


# --- the audit decision -------------------------------------------------------------------------


def test_no_decision_is_preselected_on_an_undecided_sample(client, open_round):
    page = client.get(reverse("audit-round", args=[open_round.public_id])).content.decode()
    radios = re.findall(r'<input type="radio"[^>]*name="s\d+-decision"[^>]*>', page)
    assert len(radios) == 2 * (len(AuditDecision.choices) - 1)
    assert not [radio for radio in radios if "checked" in radio]
    assert "<select" not in page.split("Sampled records", 1)[1].split("</table>", 1)[0]


def test_a_decision_is_required_and_its_error_links_to_the_first_choice(client, open_round):
    sample = open_round.samples.order_by("pk").first()
    url = reverse("audit-round-decide", args=[open_round.public_id, sample.pk])
    response = client.post(url, {f"s{sample.pk}-notes": "Looked at it"})
    content = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error:" in content
    assert f'<a href="#id_s{sample.pk}-decision_0">Choose a decision.</a>' in content
    assert f'id="id_s{sample.pk}-decision_0"' in content
    assert "Looked at it" in content  # the notes typed are kept
    sample.refresh_from_db()
    assert sample.decision == AuditDecision.PENDING


def test_a_decided_sample_shows_its_decision_chosen(client, open_round, accreditor):
    sample = open_round.samples.order_by("pk").first()
    rounds.decide(sample=sample, decision="rejected", notes="", by=accreditor)
    page = client.get(reverse("audit-round", args=[open_round.public_id])).content.decode()
    checked = re.findall(rf'<input type="radio"[^>]*name="s{sample.pk}-decision"[^>]*checked', page)
    assert len(checked) == 1
    assert 'value="rejected"' in checked[0]


# --- closing a round ----------------------------------------------------------------------------


def test_closing_a_round_asks_first_then_closes(client, open_round):
    round_url = reverse("audit-round", args=[open_round.public_id])
    close_url = reverse("audit-round-close", args=[open_round.public_id])
    assert f'href="{close_url}"' in client.get(round_url).content.decode()

    confirm = client.get(close_url)
    content = confirm.content.decode()
    assert confirm.status_code == 200
    assert f"Close the audit round of {open_round.created_at.date().isoformat()}?" in content
    assert "0 of 2 sampled are decided." in content
    assert "stay undecided" in content
    assert f'<form method="post" action="{close_url}"' in content
    assert f'href="{round_url}"' in content  # the way back
    open_round.refresh_from_db()
    assert open_round.status == AuditRoundStatus.OPEN  # asking closes nothing

    assert client.post(close_url)["Location"] == round_url
    open_round.refresh_from_db()
    assert open_round.status == AuditRoundStatus.CLOSED
    assert client.get(close_url)["Location"] == round_url  # nothing left to ask


# --- the new round form -------------------------------------------------------------------------


def test_an_empty_round_form_names_the_fields_to_fill(client, accreditation, accreditor):
    client.force_login(accreditor)
    response = client.post(reverse("audit-round-new", args=[accreditation.public_id]), {})
    content = response.content.decode()
    assert "Enter a sample size or a percentage." in content
    assert "not both" not in content
    assert "<title>Error:" in content
    assert not AuditRound.objects.exists()


# --- the CPD evidence file is kept ----------------------------------------------------------------


@pytest.fixture
def learner(client):
    user = UserFactory(email="ioana@example.org")
    client.force_login(user)
    return user


def _kept_reference(content: str) -> str:
    found = re.search(r'name="evidence_kept" value="([^"]+)"', content)
    assert found, "no kept reference on the page"
    return found.group(1)


def test_the_evidence_file_is_kept_when_another_field_fails_and_used_next_time(client, learner):
    upload = SimpleUploadedFile("attendance.pdf", b"%PDF-1.4 attended", "application/pdf")
    failed = client.post(NEW, activity(title="", evidence=upload))
    content = failed.content.decode()
    assert failed.status_code == 400
    assert "Your file attendance.pdf is kept; choose another to replace it." in content
    assert '<a href="#id_title">' in content
    reference = _kept_reference(content)
    assert not CpdEntry.objects.exists()

    done = client.post(NEW, activity(evidence_kept=reference))
    assert done.status_code == 302
    entry = CpdEntry.objects.get()
    assert entry.evidence.name.endswith("-attendance.pdf")
    with entry.evidence.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4 attended"
    path = signing.loads(reference, salt="lms.uploads.kept")["path"]
    assert not default_storage.exists(path)  # the temporary copy is gone once used


def test_a_new_file_replaces_the_kept_one(client, learner):
    first = SimpleUploadedFile("first.txt", b"first")
    reference = _kept_reference(
        client.post(NEW, activity(hours="", evidence=first)).content.decode()
    )
    second = SimpleUploadedFile("second.txt", b"second")
    client.post(NEW, activity(evidence=second, evidence_kept=reference))
    assert CpdEntry.objects.get().evidence.name.endswith("-second.txt")


def test_a_forged_or_someone_elses_kept_file_is_a_clear_error(client, learner):
    other = UserFactory()
    client.force_login(other)
    theirs = _kept_reference(
        client.post(
            NEW, activity(title="", evidence=SimpleUploadedFile("notes.txt", b"x"))
        ).content.decode()
    )
    client.force_login(learner)
    for reference in (theirs, theirs[:-2] + "xx", "junk"):
        response = client.post(NEW, activity(evidence_kept=reference))
        content = response.content.decode()
        assert response.status_code == 400
        assert "The file you chose before can no longer be used" in content
        assert '<a href="#id_evidence">' in content
    assert not CpdEntry.objects.exists()


# --- registering with a body ----------------------------------------------------------------------


def test_no_body_is_preselected_to_report_to(client, learner):
    RuleSetFactory()
    page = client.get(reverse("cpd-ledger")).content.decode()
    select = re.search(r'<select name="rule_set".*?</select>', page, re.S).group(0)
    assert re.search(r'<option value="" selected>Choose a body</option>', select)
    response = client.post(reverse("cpd-register"), {"rule_set": "", "registered_on": "2024-01-01"})
    assert response.status_code == 400
    assert '<a href="#id_rule_set">Choose the body and rule set you report to.</a>' in (
        response.content.decode()
    )
