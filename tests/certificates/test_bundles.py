"""Evidence bundles: the ZIP's content read back, its offline check (the shipped script, run as
a body would run it) catching tampering, round selections, scope, the access log, and a fixed
number of queries whatever the number of records."""

import csv
import datetime
import hashlib
import io
import json
import os
import subprocess
import sys
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from kombu import Connection

from certificates.audit import bundles, rounds
from certificates.audit.services import add_accreditor
from certificates.models import (
    AccessAction,
    AccessLogEntry,
    Accreditor,
    AuditDecision,
    BundleStatus,
    Certificate,
    EvidenceBundle,
)
from certificates.tasks import build_evidence_bundle
from courses.models import CourseUnit
from lms.celery import app
from tests.certificates.evidence import completed
from tests.certificates.factories import (
    AccreditationFactory,
    AccreditingBodyFactory,
    IssuanceRuleFactory,
)
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def accreditation():
    accreditation = AccreditationFactory(
        reference="CNASR-2024-17",
        valid_from=datetime.date(2024, 1, 1),
        valid_until=datetime.date(2030, 12, 31),
    )
    IssuanceRuleFactory(course=accreditation.course, accreditation=accreditation)
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


def unpack(content: bytes, into: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        archive.extractall(into)
    return into


def check(directory: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "check_bundle.py", "."],
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
    )


def download(client, bundle) -> bytes:
    response = client.get(reverse("audit-bundle-download", args=[bundle.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return b"".join(response.streaming_content)


def test_accreditor_exports_a_period_and_reads_everything_back(client, accreditation, accreditor):
    first = completed(accreditation, name="Ana Pop", day=10)
    second = completed(accreditation, name="=Bogdan Ionescu", day=12, score="0.55")
    completed(accreditation, name="Outside", day=28)  # after the period
    client.force_login(accreditor)

    response = client.post(
        reverse("audit-bundle-new", args=[accreditation.public_id]),
        {"start": "2024-03-01", "end": "2024-03-20"},
    )
    bundle = EvidenceBundle.objects.get()
    assert response.url == reverse("audit-bundle", args=[bundle.public_id])
    assert (bundle.status, bundle.records, bundle.progress) == (BundleStatus.DONE, 2, 100)
    page = client.get(response.url).content.decode()
    assert "The bundle is ready: 2 records." in page
    content = download(client, bundle)
    assert hashlib.sha256(content).hexdigest() == bundle.sha256

    archive = zipfile.ZipFile(io.BytesIO(content))
    names = set(archive.namelist())
    serials = {Certificate.objects.get(record=r).serial for r in (first, second)}
    assert names == {
        "records.csv",
        "manifest.json",
        "README.txt",
        "check_bundle.py",
        f"statements/{first.registration}.json",
        f"statements/{second.registration}.json",
        *(f"certificates/{serial}.{ext}" for serial in serials for ext in ("pdf", "jwt")),
    }
    rows = list(csv.DictReader(io.StringIO(archive.read("records.csv").decode())))
    assert [row["record"] for row in rows] == [str(second.public_id), str(first.public_id)]
    assert rows[0]["learner_name"] == "'=Bogdan Ionescu"  # a formula made inert
    assert rows[0]["score_scaled"] == "0.55"
    assert rows[0]["flags"] == "low_score"
    assert rows[1]["statements"] == "2"
    assert rows[1]["certificate_serial"] == Certificate.objects.get(record=first).serial
    assert rows[1]["certificate_status"] == "valid"
    statements = json.loads(archive.read(f"statements/{first.registration}.json"))
    assert [s["id"] for s in statements] == first.evidence
    certificate = Certificate.objects.get(record=first)
    pdf = archive.read(f"certificates/{certificate.serial}.pdf")
    assert hashlib.sha256(pdf).hexdigest() == certificate.pdf_sha256
    assert archive.read(f"certificates/{certificate.serial}.jwt").decode() == (
        certificate.credential
    )

    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["accreditation"]["reference"] == "CNASR-2024-17"
    assert manifest["selection"] == {"kind": "period", "start": "2024-03-01", "end": "2024-03-20"}
    kinds = sorted(entry["kind"] for entry in manifest["chain"]["entries"])
    assert kinds == ["certificate.issued"] * 2 + ["completion"] * 2
    listed = {item["path"]: item["sha256"] for item in manifest["files"]}
    for name in names - {"manifest.json", "README.txt", "check_bundle.py"}:
        assert listed[name] == hashlib.sha256(archive.read(name)).hexdigest()
    assert manifest["chain"]["head"]["sequence"] >= max(
        entry["sequence"] for entry in manifest["chain"]["entries"]
    )

    logged = AccessLogEntry.objects.filter(action=AccessAction.EXPORT)
    assert {(e.record_id, e.user_id, e.accreditation_id) for e in logged} == {
        (first.pk, accreditor.pk, accreditation.pk),
        (second.pk, accreditor.pk, accreditation.pk),
    }


@pytest.fixture
def bundle_dir(client, accreditation, accreditor, tmp_path):
    completed(accreditation, name="Ana Pop", day=10)
    completed(accreditation, name="Dan Radu", day=11, certify=False)
    client.force_login(accreditor)
    client.post(reverse("audit-bundle-new", args=[accreditation.public_id]))
    return unpack(download(client, EvidenceBundle.objects.get()), tmp_path / "bundle")


def test_the_shipped_script_finds_an_intact_bundle_intact(bundle_dir):
    result = check(bundle_dir)
    assert result.returncode == 0, result.stdout
    assert "2 records, 1 certificates, 3 chain entries checked" in result.stdout
    assert "OK: the bundle is intact." in result.stdout


def _relist(directory: Path, path: str) -> None:
    """Update the manifest's hash of a file, as a forger would, so only the chain catches it."""
    manifest = json.loads((directory / "manifest.json").read_text())
    for item in manifest["files"]:
        if item["path"] == path:
            item["sha256"] = hashlib.sha256((directory / path).read_bytes()).hexdigest()
    (directory / "manifest.json").write_text(json.dumps(manifest))


def test_the_script_catches_a_file_changed_after_export(bundle_dir):
    text = (bundle_dir / "records.csv").read_text()
    (bundle_dir / "records.csv").write_text(text.replace("0.9", "0.95"))
    result = check(bundle_dir)
    assert result.returncode == 1
    assert "PROBLEM records.csv: its SHA-256 differs from the manifest's" in result.stdout


def test_the_script_catches_a_record_changed_with_its_file_hash_forged(bundle_dir):
    text = (bundle_dir / "records.csv").read_text()
    (bundle_dir / "records.csv").write_text(text.replace(",0.9,", ",0.99,", 1))
    _relist(bundle_dir, "records.csv")
    result = check(bundle_dir)
    assert result.returncode == 1
    assert "records.csv line 2: differs from its chain entry" in result.stdout


def test_the_script_catches_an_edited_chain_entry(bundle_dir):
    manifest = json.loads((bundle_dir / "manifest.json").read_text())
    entry = manifest["chain"]["entries"][0]
    entry["content"] = entry["content"].replace('"score_scaled":"0.9', '"score_scaled":"0.8')
    (bundle_dir / "manifest.json").write_text(json.dumps(manifest))
    result = check(bundle_dir)
    assert result.returncode == 1
    assert f"chain entry {entry['sequence']}: its content does not match its hash" in (
        result.stdout
    )


def test_the_script_catches_a_replaced_certificate_pdf_and_missing_statements(bundle_dir):
    pdf = next((bundle_dir / "certificates").glob("*.pdf"))
    pdf.write_bytes(pdf.read_bytes() + b"%")
    _relist(bundle_dir, f"certificates/{pdf.name}")
    statements = next((bundle_dir / "statements").glob("*.json"))
    statements.write_text("[]")
    _relist(bundle_dir, f"statements/{statements.name}")
    result = check(bundle_dir)
    assert result.returncode == 1
    assert "differs from the PDF the chain logged when it was issued" in result.stdout
    assert "statements behind the record are missing" in result.stdout


def test_a_rounds_bundle_holds_its_sample_with_the_decisions(client, accreditation, accreditor):
    for day in range(1, 7):
        completed(accreditation, name=f"Learner {day}", day=day, certify=False)
    audit_round = rounds.draw_round(accreditation=accreditation, by=accreditor, size=3, seed=7)
    sample = audit_round.samples.first()
    rounds.decide(
        sample=sample, decision=AuditDecision.REJECTED, notes="No evidence", by=accreditor
    )
    client.force_login(accreditor)
    client.post(
        reverse("audit-bundle-new", args=[accreditation.public_id]),
        {"round": str(audit_round.public_id)},
    )
    bundle = EvidenceBundle.objects.get()
    archive = zipfile.ZipFile(io.BytesIO(download(client, bundle)))
    rows = list(csv.DictReader(io.StringIO(archive.read("records.csv").decode())))
    sampled = set(audit_round.samples.values_list("record__public_id", flat=True))
    assert {row["record"] for row in rows} == {str(s) for s in sampled}
    rejected = next(row for row in rows if row["record"] == str(sample.record.public_id))
    assert (rejected["audit_decision"], rejected["audit_notes"]) == ("rejected", "No evidence")
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["selection"]["seed"] == 7


def test_a_round_of_another_accreditation_is_refused(client, accreditation, accreditor):
    other = AccreditationFactory(body=accreditation.body)
    completed(other, certify=False)
    audit_round = rounds.draw_round(accreditation=other, by=accreditor, size=1, seed=1)
    client.force_login(accreditor)
    response = client.post(
        reverse("audit-bundle-new", args=[accreditation.public_id]),
        {"round": str(audit_round.public_id)},
    )
    assert response.status_code == 404
    assert not EvidenceBundle.objects.exists()


def test_bundles_are_hidden_outside_the_scope_and_from_other_accreditors(
    client, accreditation, accreditor
):
    completed(accreditation, certify=False)
    client.force_login(accreditor)
    client.post(reverse("audit-bundle-new", args=[accreditation.public_id]))
    bundle = EvidenceBundle.objects.get()
    colleague = UserFactory()
    add_accreditor(body=accreditation.body, user=colleague)
    stranger = UserFactory()
    add_accreditor(body=AccreditingBodyFactory(), user=stranger)
    for user in (colleague, stranger, UserFactory()):
        client.force_login(user)
        assert client.get(reverse("audit-bundle", args=[bundle.public_id])).status_code == 404
        assert (
            client.get(reverse("audit-bundle-download", args=[bundle.public_id])).status_code == 404
        )
    client.force_login(stranger)
    assert (
        client.post(reverse("audit-bundle-new", args=[accreditation.public_id])).status_code == 404
    )


def test_a_requester_who_lost_the_accreditation_gets_no_file(accreditation, accreditor):
    completed(accreditation, certify=False)
    bundle = EvidenceBundle.objects.create(accreditation=accreditation, requested_by=accreditor)
    Accreditor.objects.filter(user=accreditor).delete()
    bundles.run_bundle(bundle.pk)
    bundle.refresh_from_db()
    assert (bundle.status, bool(bundle.file)) == (BundleStatus.FAILED, False)
    assert "no longer audit" in bundle.error
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("count", [3, 12])
def test_building_a_bundle_takes_a_fixed_number_of_queries(
    accreditation, accreditor, django_assert_num_queries, count
):
    for day in range(1, count + 1):
        completed(accreditation, name=f"Learner {day}", day=day)
    bundle = EvidenceBundle.objects.create(
        accreditation=accreditation,
        requested_by=accreditor,
        start=datetime.date(2024, 3, 1),
        end=datetime.date(2024, 3, 31),
    )
    # statistics (mastery score, records, busy days, enrolments); per chunk: statements,
    # certificates, chain entries; the head; the access log's insert
    with django_assert_num_queries(9):
        content, records = bundles.build_bundle(bundle)
    assert records == count
    assert len(zipfile.ZipFile(io.BytesIO(content)).namelist()) == 4 + 3 * count


def test_a_large_selection_is_queued_and_built_once_committed(
    accreditation, accreditor, settings, django_capture_on_commit_callbacks
):
    settings.EVIDENCE_BUNDLE_INLINE_MAX = 1
    completed(accreditation, day=1, certify=False)
    completed(accreditation, day=2, certify=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        bundle = bundles.request_bundle(accreditation=accreditation, by=accreditor)
    assert bundle.status == BundleStatus.QUEUED
    assert len(callbacks) == 1
    callbacks[0]()  # eager Celery in tests: the task runs here
    bundle.refresh_from_db()
    assert (bundle.status, bundle.records) == (BundleStatus.DONE, 2)


# --- a real worker ---------------------------------------------------------------------------

RECORDS = 30


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_builds_a_bundle_that_its_requester_downloads(
    client, worker_queue, accreditation, accreditor
):
    for day in range(1, RECORDS + 1):
        completed(accreditation, name=f"Learner {day:02d}", day=1 + day % 28, certify=day < 4)
    bundle = EvidenceBundle.objects.create(accreditation=accreditation, requested_by=accreditor)

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with Connection(os.environ["TEST_CELERY_BROKER_URL"]) as broker:
            build_evidence_bundle.apply_async(
                args=[bundle.pk], queue=worker_queue, connection=broker
            )
    finally:
        app.conf.task_always_eager = previous

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        bundle.refresh_from_db()
        if bundle.status in (BundleStatus.DONE, BundleStatus.FAILED):
            break
        time.sleep(0.05)
    assert (bundle.status, bundle.progress, bundle.error) == (BundleStatus.DONE, 100, "")
    assert bundle.records == RECORDS

    client.force_login(accreditor)
    page = client.get(reverse("audit-bundle", args=[bundle.public_id])).content.decode()
    assert "The bundle is ready: 30 records." in page
    response = client.get(reverse("audit-bundle-download", args=[bundle.public_id]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert sum(name.startswith("statements/") for name in names) == RECORDS
    assert sum(name.endswith(".pdf") for name in names) == 3


def test_a_finished_bundle_is_not_built_again(accreditation, accreditor):
    completed(accreditation, certify=False)
    bundle = bundles.request_bundle(accreditation=accreditation, by=accreditor)
    assert bundle.status == BundleStatus.DONE
    bundles.run_bundle(bundle.pk)  # a duplicated task
    again = EvidenceBundle.objects.get(pk=bundle.pk)
    assert (again.file.name, again.finished_at) == (bundle.file.name, bundle.finished_at)
    assert AccessLogEntry.objects.filter(action=AccessAction.EXPORT).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": "2024-03-20", "end": "2024-03-01"}, "The start of the period is after its end."),
        ({"start": "not-a-date"}, "Enter a valid date."),
        ({"round": "not-a-uuid"}, "Enter a valid UUID."),
    ],
)
def test_a_bad_request_for_a_bundle_says_why_and_makes_none(
    client, accreditation, accreditor, data, message
):
    client.force_login(accreditor)
    response = client.post(
        reverse("audit-bundle-new", args=[accreditation.public_id]), data, follow=True
    )
    assert message in response.content.decode()
    assert not EvidenceBundle.objects.exists()


def test_a_built_bundle_closes_when_its_requester_no_longer_audits_the_body(
    client, accreditation, accreditor
):
    """Issue 17: the download is checked against the requester's scope as it is now."""
    from certificates.models import Accreditor

    completed(accreditation, name="Ana Pop", day=10)
    client.force_login(accreditor)
    client.post(
        reverse("audit-bundle-new", args=[accreditation.public_id]),
        {"start": "2024-03-01", "end": "2024-03-20"},
    )
    bundle = EvidenceBundle.objects.get()
    assert download(client, bundle)
    Accreditor.objects.filter(user=accreditor).delete()
    url = reverse("audit-bundle-download", args=[bundle.public_id])
    assert client.get(url).status_code == 404
