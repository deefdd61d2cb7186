"""The tamper-evident log of completion records and certificate events.

Each fact is appended as a ``ChainEntry``: its canonical JSON, that JSON's SHA-256, and a hash
over (sequence, kind, subject, content hash, previous entry's hash, time). ``verify_chain``
walks the log and names every entry that was edited, deleted or inserted out of order, and
every fact whose live row no longer matches what was logged. Publishing the head (its hash and
time) lets a body that saved it prove later that nothing before it changed.
"""

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from progress.models import ChainEntry, CompletionRecord

GENESIS = "0" * 64
COMPLETION = "completion"
_LOCK_ID = 0x5072_6163_6861_696E  # "Prachain": one appender at a time (PostgreSQL)


def canonical(content: dict[str, Any]) -> str:
    """Keys sorted, no spaces, UTF-8 kept: one text per fact, whatever wrote it."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_digest(
    *,
    sequence: int,
    kind: str,
    subject: str,
    content_hash: str,
    previous_hash: str,
    recorded_at: datetime,
) -> str:
    fields = (str(sequence), kind, subject, content_hash, previous_hash, recorded_at.isoformat())
    return sha256("\n".join(fields))


@transaction.atomic
def append_entry(*, kind: str, subject: Any, content: dict[str, Any]) -> ChainEntry:
    """Append a fact to the chain (serialised: an advisory lock on PostgreSQL; SQLite writes
    one at a time anyway). Call it in the transaction that writes the fact."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID & 0x7FFF_FFFF_FFFF_FFFF])
    last = ChainEntry.objects.order_by("-sequence").only("sequence", "entry_hash").first()
    sequence = last.sequence + 1 if last else 1
    previous = last.entry_hash if last else GENESIS
    text = canonical(content)
    content_hash = sha256(text)
    recorded_at = timezone.now().replace(microsecond=0)
    return ChainEntry.objects.create(
        sequence=sequence,
        kind=kind,
        subject=subject,
        content=text,
        content_hash=content_hash,
        previous_hash=previous,
        recorded_at=recorded_at,
        entry_hash=entry_digest(
            sequence=sequence,
            kind=kind,
            subject=str(subject),
            content_hash=content_hash,
            previous_hash=previous,
            recorded_at=recorded_at,
        ),
    )


def completion_content(record: CompletionRecord) -> dict[str, Any]:
    """What a completion record says, as logged (and as checked against the live row)."""
    return {
        "record": str(record.public_id),
        "learner": str(record.learner.public_id),
        "course": str(record.course.public_id) if record.course is not None else None,
        "journey": str(record.journey.public_id) if record.journey is not None else None,
        "registration": str(record.registration),
        "completed_at": record.completed_at.isoformat(),
        "score_scaled": str(record.score_scaled) if record.score_scaled is not None else None,
        "time_spent": record.time_spent.total_seconds(),
        "evidence": [str(e) for e in record.evidence],
    }


def log_completion(record: CompletionRecord) -> ChainEntry:
    return append_entry(
        kind=COMPLETION, subject=record.public_id, content=completion_content(record)
    )


# Higher apps (certificates) register how to read the live rows behind their kinds of entry:
# subjects → {subject: canonical content now, or None when the row is gone}.
LiveReader = Callable[[Iterable[str]], dict[str, str | None]]
_live_readers: dict[str, LiveReader] = {}


def register_live_reader(kind: str, reader: LiveReader) -> None:
    _live_readers[kind] = reader


def _live_completions(subjects: Iterable[str]) -> dict[str, str | None]:
    wanted = set(subjects)
    found: dict[str, str | None] = dict.fromkeys(wanted)
    for record in CompletionRecord.objects.filter(public_id__in=wanted).select_related(
        "learner", "course", "journey"
    ):
        found[str(record.public_id)] = canonical(completion_content(record))
    return found


register_live_reader(COMPLETION, _live_completions)


@dataclass(frozen=True)
class ChainReport:
    entries: int
    head: ChainEntry | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(*, known_head: str = "") -> ChainReport:
    """Walk the chain in order; name every break. ``known_head``: an entry hash published
    earlier, which must still be in the chain."""
    problems: list[str] = []
    previous, expected, count, head = GENESIS, 1, 0, None
    by_kind: dict[str, dict[str, ChainEntry]] = {}
    for entry in ChainEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        count += 1
        if entry.sequence != expected:
            problems.append(
                f"entries {expected} to {entry.sequence - 1} are missing (deleted)"
                if entry.sequence > expected
                else f"entry {entry.sequence} is out of order"
            )
        if entry.previous_hash != previous:
            problems.append(
                f"entry {entry.sequence} does not follow the entry before it "
                "(inserted, reordered, or the one before was changed)"
            )
        if sha256(entry.content) != entry.content_hash:
            problems.append(f"entry {entry.sequence} ({entry.kind}): its content was edited")
        digest = entry_digest(
            sequence=entry.sequence,
            kind=entry.kind,
            subject=str(entry.subject),
            content_hash=entry.content_hash,
            previous_hash=entry.previous_hash,
            recorded_at=entry.recorded_at,
        )
        if digest != entry.entry_hash:
            problems.append(f"entry {entry.sequence} ({entry.kind}): the entry was edited")
        by_kind.setdefault(entry.kind, {})[str(entry.subject)] = entry
        previous, expected, head = entry.entry_hash, entry.sequence + 1, entry
    problems.extend(_check_live_rows(by_kind))
    problems.extend(_unlogged_completions(set(by_kind.get(COMPLETION, {}))))
    if known_head and not ChainEntry.objects.filter(entry_hash=known_head).exists():
        problems.append(f"the published head {known_head} is no longer in the chain")
    return ChainReport(count, head, tuple(problems))


def _check_live_rows(by_kind: dict[str, dict[str, ChainEntry]]) -> list[str]:
    problems = []
    for kind, entries in by_kind.items():
        reader = _live_readers.get(kind)
        if reader is None:
            continue
        live = reader(entries.keys())
        for subject, entry in entries.items():
            now = live.get(subject)
            if now is None:
                problems.append(f"entry {entry.sequence} ({kind} {subject}): the row was deleted")
            elif sha256(now) != entry.content_hash:
                problems.append(f"entry {entry.sequence} ({kind} {subject}): the row was edited")
    return problems


def _unlogged_completions(logged: set[str]) -> list[str]:
    return [
        f"completion record {public_id} is not in the chain (inserted outside it)"
        for public_id in CompletionRecord.objects.exclude(public_id__in=logged)
        .values_list("public_id", flat=True)
        .iterator()
    ]
