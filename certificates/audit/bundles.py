"""Evidence bundles: a ZIP an accrediting body can check offline, without trusting Practica.

Contents (``manifest.json`` lists every other file with its SHA-256):

- ``records.csv`` — the selected completion records, one row each, with their audit flags, the
  certificate (serial, status) and the hash of the record's chain entry;
- ``statements/<registration>.json`` — the learner's xAPI statements of each record's
  registration, as the LRS stored them, in the order it stored them;
- ``certificates/<serial>.pdf`` and ``.jwt`` — each certificate's frozen PDF and signed Open
  Badges 3.0 credential;
- ``manifest.json`` — the accreditation, the selection, the chain entries of the records and of
  their certificates' events (canonical content, content hash, previous hash, entry hash) and
  the chain head when the bundle was made;
- ``README.txt`` and ``check_bundle.py`` — how to check it, and a script (Python standard
  library only) that recomputes every hash.

Small selections are built in the request; large ones (more than ``EVIDENCE_BUNDLE_INLINE_MAX``
records) by the ``certificates.build_evidence_bundle`` task, with progress. The scope is decided
again when the bundle is built: an accreditor who lost the accreditation gets no file. Every
record included is written to the access log.
"""

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from certificates.audit import selectors as audit
from certificates.audit.access_log import log_access
from certificates.audit.models import AccessAction, AuditRound, AuditSample, EvidenceBundle
from certificates.audit.scope import accreditations_for_user
from certificates.credentials.models import Accreditation, Certificate
from lms.api import JobUnavailableError, Progress, User, decimal_text, guard_formula, run_file_job
from progress.models import ChainEntry

FORMAT = "practica-evidence-bundle/1"
CHUNK = 200  # records read together (statements, certificates, chain entries)
CHECKER = Path(__file__).with_name("bundle_check.py")


RECORD_COLUMNS = (
    "record",
    "learner",
    "learner_name",
    "course_or_journey",
    "registration",
    "enrolled_at",
    "completed_at",
    "score_scaled",
    "time_spent_seconds",
    "flags",
    "statements",
    "certificate_serial",
    "certificate_status",
    "chain_sequence",
    "chain_entry_hash",
    "audit_decision",
    "audit_notes",
)

README = """Practica evidence bundle
========================

manifest.json   what the bundle holds: the accreditation, the selection, the chain entries of
                the records and certificate events, the chain head when it was made, and the
                SHA-256 of every other file.
records.csv     one row per completion record.
statements/     each record's xAPI statements (one file per registration), as stored.
certificates/   each certificate's PDF and signed credential (a VC-JWT, Open Badges 3.0).

To check it offline, with Python 3.9 or later and nothing else:

    python3 check_bundle.py .

The script recomputes each file's SHA-256, each chain entry's content hash and entry hash, and
compares every record and certificate with its chain entry. An entry's hash is the SHA-256 of
six lines joined by a newline: sequence, kind, subject, content hash, previous entry's hash and
the time it was recorded (ISO 8601), so a changed entry cannot keep its hash. Compare the
chain head in the manifest with the one you saved from the platform's public page
/records/chain-head/ (a later head is fine; the operator's `verify_records --head HASH` proves
that nothing before a saved head changed).
"""


class BundleUnavailableError(JobUnavailableError):
    """The bundle cannot be built (the requester lost the accreditation)."""


@dataclass(frozen=True)
class _Row:
    row: audit.AuditRow
    decision: str = ""
    notes: str = ""


def _selected(bundle: EvidenceBundle) -> list[_Row]:
    """The records of the bundle, newest first, with their audit flags (and, for a round,
    the auditor's decision)."""
    accreditation = bundle.accreditation
    if bundle.audit_round is None:
        start, end = bundle.start, bundle.end
        if start is None or end is None:
            start, end = audit.default_period(accreditation)
        stats = audit.accreditation_statistics(accreditation, start=start, end=end)
        return [_Row(row) for row in stats.rows]
    samples: dict[int, AuditSample] = {
        sample.record_id: sample  # type: ignore[misc]  # record__isnull=False
        for sample in AuditSample.objects.filter(
            round=bundle.audit_round, record__isnull=False
        ).select_related("record")
    }
    if not samples:
        return []
    first = min(sample.record.completed_at for sample in samples.values() if sample.record)
    start = timezone.localdate(first)
    stats = audit.accreditation_statistics(
        accreditation, start=start, end=max(start, timezone.localdate()), only=samples.keys()
    )
    return [
        _Row(row, samples[row.record.pk].get_decision_display(), samples[row.record.pk].notes)
        for row in stats.rows
    ]


def selection_size(
    accreditation: Accreditation,
    *,
    start: date | None = None,
    end: date | None = None,
    audit_round: AuditRound | None = None,
) -> int:
    if audit_round is not None:
        return AuditSample.objects.filter(round=audit_round).count()
    since, until = audit._day_bounds(*_period(accreditation, start, end))
    return (
        audit.records_in_scope(accreditation)
        .filter(completed_at__gte=since, completed_at__lt=until)
        .count()
    )


def _period(
    accreditation: Accreditation, start: date | None, end: date | None
) -> tuple[date, date]:
    default_start, default_end = audit.default_period(accreditation)
    return start or default_start, end or default_end


@transaction.atomic
def request_bundle(
    *,
    accreditation: Accreditation,
    by: User,
    start: date | None = None,
    end: date | None = None,
    audit_round: AuditRound | None = None,
) -> EvidenceBundle:
    """Record a bundle; build it now when small, else in the worker once committed."""
    if audit_round is None:
        start, end = _period(accreditation, start, end)
    elif audit_round.accreditation_id != accreditation.pk:
        raise ValueError("The audit round is of another accreditation.")
    bundle = EvidenceBundle.objects.create(
        accreditation=accreditation,
        audit_round=audit_round,
        start=start if audit_round is None else None,
        end=end if audit_round is None else None,
        requested_by=by,
    )
    size = selection_size(accreditation, start=start, end=end, audit_round=audit_round)
    if size <= settings.EVIDENCE_BUNDLE_INLINE_MAX:
        run_bundle(bundle.pk)
    else:
        transaction.on_commit(lambda: build_evidence_bundle.delay(bundle.pk))
    bundle.refresh_from_db()
    return bundle


def run_bundle(bundle_id: int) -> None:
    """Build a queued bundle (idempotent: a finished or running one is left alone)."""

    def build(bundle: EvidenceBundle, progress: Progress) -> tuple[bytes, str, dict[str, Any]]:
        if not accreditations_for_user(bundle.requested_by).filter(pk=bundle.accreditation_id):
            raise BundleUnavailableError(_("You no longer audit this accreditation."))
        content, count = build_bundle(bundle, progress)
        fields = {"sha256": hashlib.sha256(content).hexdigest(), "records": count}
        return content, bundle_filename(bundle), fields

    run_file_job(
        EvidenceBundle,
        bundle_id,
        build,
        select_related=(
            "accreditation__body",
            "accreditation__course",
            "accreditation__journey",
            "audit_round",
            "requested_by",
        ),
        failure=lambda: _("The bundle could not be built. Please try again later."),
    )


def bundle_filename(bundle: EvidenceBundle) -> str:
    reference = slugify(bundle.accreditation.reference)[:40] or "accreditation"
    return f"evidence-{reference}-{bundle.requested_at:%Y-%m-%d}.zip"


def _chunks(rows: list[_Row]) -> Iterator[list[_Row]]:
    for at in range(0, len(rows), CHUNK):
        yield rows[at : at + CHUNK]


def _iso(moment: Any) -> str:
    return moment.isoformat() if moment is not None else ""


def _chain_entry(entry: ChainEntry) -> dict[str, Any]:
    return {
        "sequence": entry.sequence,
        "kind": entry.kind,
        "subject": str(entry.subject),
        "content": entry.content,
        "content_hash": entry.content_hash,
        "previous_hash": entry.previous_hash,
        "entry_hash": entry.entry_hash,
        "recorded_at": entry.recorded_at.isoformat(),
    }


def _accreditation(accreditation: Accreditation) -> dict[str, Any]:
    target = accreditation.course or accreditation.journey
    return {
        "id": str(accreditation.public_id),
        "reference": accreditation.reference,
        "body": accreditation.body.name,
        "target": str(target),
        "target_id": str(target.public_id) if target is not None else None,
        "cpd_value": str(accreditation.cpd_value),
        "cpd_unit": accreditation.body.cpd_unit,
        "valid_from": accreditation.valid_from.isoformat(),
        "valid_until": _iso(accreditation.valid_until),
    }


def _selection(bundle: EvidenceBundle) -> dict[str, Any]:
    if bundle.audit_round is not None:
        return {
            "kind": "audit_round",
            "round": str(bundle.audit_round.public_id),
            "seed": bundle.audit_round.seed,
            "drawn_at": bundle.audit_round.created_at.isoformat(),
        }
    return {"kind": "period", "start": _iso(bundle.start), "end": _iso(bundle.end)}


def build_bundle(bundle: EvidenceBundle, progress: Progress | None = None) -> tuple[bytes, int]:
    """The ZIP's bytes and the number of records in it; logs the access to each record.
    Queries: the selection's few, then four per ``CHUNK`` records, whatever their number."""
    rows = _selected(bundle)
    files: list[dict[str, Any]] = []
    chain: list[dict[str, Any]] = []
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(path: str, data: bytes) -> None:
            archive.writestr(path, data)
            files.append(
                {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
            )

        table = io.StringIO()
        writer = csv.writer(table, lineterminator="\r\n")
        writer.writerow(RECORD_COLUMNS)
        done = 0
        for chunk in _chunks(rows):
            chain.extend(_write_chunk(chunk, writer, add))
            done += len(chunk)
            if progress is not None:
                progress(done, len(rows))
        add("records.csv", table.getvalue().encode("utf-8"))
        head = ChainEntry.objects.order_by("-sequence").first()
        manifest = {
            "format": FORMAT,
            "generated_at": timezone.now().isoformat(),
            "generated_by": {
                "name": bundle.requested_by.display_name,
                "id": str(bundle.requested_by.public_id),
            },
            "accreditation": _accreditation(bundle.accreditation),
            "selection": _selection(bundle),
            "records": len(rows),
            "chain": {
                "entry_hash": "sha256(sequence \\n kind \\n subject \\n content_hash \\n "
                "previous_hash \\n recorded_at)",
                "head": _chain_entry(head) if head is not None else None,
                "entries": sorted(chain, key=lambda entry: entry["sequence"]),
            },
            "files": files,
        }
        archive.writestr("README.txt", README)
        archive.writestr("check_bundle.py", CHECKER.read_bytes())
        archive.writestr(
            "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
        )
    log_access(
        user=bundle.requested_by,
        action=AccessAction.EXPORT,
        accreditation=bundle.accreditation,
        records=[row.row.record for row in rows],
        detail=f"evidence bundle {bundle.public_id}",
    )
    return out.getvalue(), len(rows)


def _write_chunk(
    chunk: list[_Row], writer: Any, add: Callable[[str, bytes], None]
) -> list[dict[str, Any]]:
    records = [row.row.record for row in chunk]
    statements = audit.statements_by_registration([record.registration for record in records])
    certificates: dict[int, list[Certificate]] = {}
    for certificate in Certificate.objects.filter(record__in=records).order_by("issued_at", "id"):
        certificates.setdefault(certificate.record_id, []).append(certificate)
    subjects = [record.public_id for record in records] + [
        certificate.public_id for found in certificates.values() for certificate in found
    ]
    entries = list(ChainEntry.objects.filter(subject__in=subjects).order_by("sequence"))
    completion = {entry.subject: entry for entry in entries if entry.kind == "completion"}
    for row in chunk:
        record = row.row.record
        registration = str(record.registration).lower()
        add(
            f"statements/{registration}.json",
            json.dumps(statements.get(registration, []), indent=2, ensure_ascii=False).encode(),
        )
        own = certificates.get(record.pk, [])
        for certificate in own:
            if certificate.pdf:
                with certificate.pdf.open("rb") as pdf:
                    add(f"certificates/{certificate.serial}.pdf", pdf.read())
            if certificate.credential:
                add(f"certificates/{certificate.serial}.jwt", certificate.credential.encode())
        standing = own[-1] if own else None
        entry = completion.get(record.public_id)
        writer.writerow(
            [
                record.public_id,
                record.learner.public_id,
                guard_formula(record.learner.display_name),
                guard_formula(str(record.course or record.journey)),
                record.registration,
                _iso(row.row.enrolled_at),
                record.completed_at.isoformat(),
                "" if record.score_scaled is None else decimal_text(record.score_scaled),
                int(record.time_spent.total_seconds()),
                " ".join(row.row.flags),
                len(statements.get(registration, [])),
                standing.serial if standing else "",
                standing.status if standing else "",
                entry.sequence if entry else "",
                entry.entry_hash if entry else "",
                row.decision,
                guard_formula(row.notes),
            ]
        )
    return [_chain_entry(entry) for entry in entries]


@shared_task(
    name="certificates.build_evidence_bundle",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=3,
)
def build_evidence_bundle(bundle_id: int) -> None:
    """Build a queued evidence bundle with visible progress (a finished one is left alone)."""
    run_bundle(bundle_id)
