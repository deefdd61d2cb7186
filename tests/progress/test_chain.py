"""The tamper-evident chain of completion records and certificate events: every kind of
tampering, done directly in the database, is caught and named; the head is published."""

import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from progress.chain import verify_chain
from progress.models import ChainEntry, CompletionRecord
from tests.frameworks.factories import complete, course_with_link
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_records():
    course = course_with_link()
    return [
        CompletionRecord.objects.get(learner=complete(UserFactory(), course).learner)
        for _ in range(3)
    ]


def _sql(statement, *params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _problems():
    return "\n".join(verify_chain().problems)


def test_each_completion_is_chained_and_the_chain_verifies(three_records):
    entries = list(ChainEntry.objects.order_by("sequence"))
    assert [e.kind for e in entries] == ["completion"] * 3
    assert [e.subject for e in entries] == [r.public_id for r in three_records]
    assert entries[1].previous_hash == entries[0].entry_hash
    report = verify_chain()
    assert (report.ok, report.entries, report.head) == (True, 3, entries[-1])
    out = StringIO()
    call_command("verify_records", stdout=out)
    assert f"3 entries verified; head 3 {entries[-1].entry_hash}" in out.getvalue()


def test_an_edited_record_is_caught(three_records):
    _sql("UPDATE progress_completionrecord SET score_scaled = 1 WHERE id = %s", three_records[1].pk)
    assert f"entry 2 (completion {three_records[1].public_id}): the row was edited" in _problems()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("verify_records", stderr=StringIO())


def test_a_deleted_record_is_caught(three_records):
    _sql("DELETE FROM progress_completionrecord WHERE id = %s", three_records[0].pk)
    assert "entry 1 (completion" in _problems()
    assert "the row was deleted" in _problems()


def test_an_edited_entry_is_caught(three_records):
    _sql("UPDATE progress_chainentry SET content = replace(content, 'evidence', 'evidenc3') "
         "WHERE sequence = 2")  # fmt: skip
    assert "entry 2 (completion): its content was edited" in _problems()


def test_an_entry_rehashed_after_editing_breaks_the_next_link(three_records):
    _sql("UPDATE progress_chainentry SET entry_hash = repeat('a', 64) WHERE sequence = 2")
    problems = _problems()
    assert "entry 2 (completion): the entry was edited" in problems
    assert "entry 3 does not follow the entry before it" in problems


def test_a_deleted_entry_is_caught(three_records):
    _sql("DELETE FROM progress_chainentry WHERE sequence = 2")
    problems = _problems()
    assert "entries 2 to 2 are missing (deleted)" in problems
    assert "entry 3 does not follow the entry before it" in problems
    assert f"completion record {three_records[1].public_id} is not in the chain" in problems


def test_reordered_entries_are_caught(three_records):
    _sql("UPDATE progress_chainentry SET sequence = 100 WHERE sequence = 1")
    _sql("UPDATE progress_chainentry SET sequence = 1 WHERE sequence = 2")
    _sql("UPDATE progress_chainentry SET sequence = 2 WHERE sequence = 100")
    problems = _problems()
    assert "entry 1 does not follow the entry before it" in problems
    assert "entry 2 does not follow the entry before it" in problems


def test_a_record_written_outside_the_chain_is_caught(three_records):
    record = three_records[0]
    CompletionRecord.objects.bulk_create(
        [CompletionRecord(learner=record.learner, course=record.course,
                          registration=uuid.uuid4(), completed_at=timezone.now(), evidence=[])]
    )  # fmt: skip
    assert "is not in the chain (inserted outside it)" in _problems()


def test_a_forged_entry_appended_at_the_end_is_caught(three_records):
    last = ChainEntry.objects.order_by("-sequence").first()
    ChainEntry.objects.create(
        sequence=4, kind="completion", subject=uuid.uuid4(), content="{}",
        content_hash="0" * 64, previous_hash="f" * 64, entry_hash="e" * 64,
        recorded_at=last.recorded_at,
    )  # fmt: skip
    problems = _problems()
    assert "entry 4 does not follow the entry before it" in problems
    assert "entry 4 (completion): its content was edited" in problems


def test_a_published_head_proves_nothing_before_it_changed(three_records):
    head = ChainEntry.objects.order_by("-sequence").first().entry_hash
    assert verify_chain(known_head=head).ok
    _sql("UPDATE progress_chainentry SET entry_hash = repeat('b', 64) WHERE sequence = 3")
    report = verify_chain(known_head=head)
    assert f"the published head {head} is no longer in the chain" in report.problems


def test_the_head_is_published_as_a_page_and_an_api_value(client, three_records):
    head = ChainEntry.objects.order_by("-sequence").first()
    answer = client.get(reverse("chain-head-api")).json()
    assert answer == {
        "sequence": 3, "entry_hash": head.entry_hash, "recorded_at": head.recorded_at.isoformat()
    }  # fmt: skip
    assert head.entry_hash in client.get(reverse("chain-head")).content.decode()


def test_certificate_events_are_chained_and_their_rows_checked(
    django_capture_on_commit_callbacks,
):
    from certificates.credentials import services as issuance
    from tests.certificates.factories import IssuanceRuleFactory

    course = course_with_link()
    IssuanceRuleFactory(course=course)
    learner = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, course)
    certificate = learner.certificates.get()
    staff = UserFactory(is_staff=True)
    issuance.revoke_certificate(certificate=certificate, reason="Issued in error", by=staff)
    assert list(ChainEntry.objects.values_list("kind", flat=True)) == [
        "completion", "certificate.issued", "certificate.revoked",
    ]  # fmt: skip
    assert verify_chain().ok
    _sql("UPDATE certificates_certificate SET status = 'valid', revoked_at = NULL WHERE id = %s",
         certificate.pk)  # fmt: skip
    assert "(certificate.revoked" in _problems()
    assert "the row was edited" in _problems()
