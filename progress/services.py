"""Writes of the progress app: storing xAPI statements (Communication §2.1.1, §2.1.2).

One transaction per request: one query finds the ids already stored, one multi-row INSERT stores
the statements, one their filter keys; activity definitions and attachments are written in bulk.
A batch is atomic: if any statement is refused, none is stored.
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from django.db import IntegrityError, connection, transaction

from lms.api import Conflict, InvalidInput
from progress.models import Activity, Attachment, LRSClient, LRSScope, Statement, StatementIndex
from progress.xapi.compare import same_statement
from progress.xapi.keys import digest, statement_keys
from progress.xapi.protocol import VERSION_2

VOIDED = "http://adlnet.gov/expapi/verbs/voided"


@dataclass(frozen=True)
class ReceivedAttachment:
    sha2: str
    content_type: str
    content: bytes


def format_timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with millisecond precision, as xAPI 2.0 asks of stored (Data §2.4.8)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _prepare(
    statement: dict[str, Any], *, client: LRSClient, stored: str, version: str
) -> dict[str, Any]:
    """Complete a received statement with what the LRS sets (Data §2.4.1, 2.4.7 to 2.4.10)."""
    prepared = dict(statement)
    prepared["id"] = statement.get("id") or str(uuid.uuid4())
    prepared.setdefault("timestamp", stored)
    prepared["stored"] = stored
    # Data §2.4.9: the LRS SHOULD* overwrite the authority from the credentials used.
    prepared["authority"] = client.authority()
    prepared.setdefault("version", VERSION_2 if version.startswith("2.") else "1.0.0")
    return prepared


def _collect_definitions(statement: dict[str, Any], found: dict[str, dict[str, Any]]) -> None:
    """Add the statement's activity definitions to ``found``, merged with those already there
    (two statements of one batch may define one activity: Communication §2.5, XAPI-00254)."""

    def visit(activity: Any) -> None:
        if isinstance(activity, dict) and activity.get("definition"):
            iri, definition = activity["id"], activity["definition"]
            found[iri] = _merge_definition(found[iri], definition) if iri in found else definition

    for part in (
        statement,
        statement["object"] if statement["object"].get("objectType") == "SubStatement" else None,
    ):
        if part is None:
            continue
        if part["object"].get("objectType", "Activity") == "Activity":
            visit(part["object"])
        for value in ((part.get("context") or {}).get("contextActivities") or {}).values():
            for activity in value if isinstance(value, list) else [value]:
                visit(activity)


def _merge_definition(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Newer properties win; language maps are merged language by language."""
    merged = dict(old)
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(old.get(key), dict) and key != "extensions":
            merged[key] = {**old[key], **value}
        else:
            merged[key] = value
    return merged


# Activity definitions this process has already written, by IRI: the digest of the
# definition as received. Content repeats the same definition in every statement, so most
# statements need no definition query at all. Bounded; cleared when full.
_seen_definitions: dict[str, str] = {}


def _store_definitions(definitions: dict[str, dict[str, Any]]) -> None:
    fingerprints = {
        iri: hashlib.blake2b(
            orjson.dumps(d, option=orjson.OPT_SORT_KEYS), digest_size=16
        ).hexdigest()
        for iri, d in definitions.items()
    }
    definitions = {
        iri: d for iri, d in definitions.items() if _seen_definitions.get(iri) != fingerprints[iri]
    }
    if not definitions:
        return
    transaction.on_commit(
        lambda: (
            _seen_definitions.update({iri: fingerprints[iri] for iri in definitions})
            if len(_seen_definitions) < 100_000
            else _seen_definitions.clear()
        )
    )
    keys = {digest("iri", iri): iri for iri in definitions}
    existing = {a.key.hex: a for a in Activity.objects.filter(key__in=keys)}
    to_create, to_update = [], []
    for key, iri in keys.items():
        if key in existing:
            activity = existing[key]
            merged = _merge_definition(activity.definition, definitions[iri])
            if merged != activity.definition:
                activity.definition = merged
                to_update.append(activity)
        else:
            to_create.append(Activity(key=key, iri=iri, definition=definitions[iri]))
    Activity.objects.bulk_create(to_create, ignore_conflicts=True)
    if to_update:
        Activity.objects.bulk_update(to_update, ["definition", "updated"])


def _chain_keys(statement_id: uuid.UUID, *, depth: int = 0) -> set[str]:
    """The filter keys of a statement and, recursively, of the statements it targets,
    recomputed from their payloads (StatementIndex has no index by statement)."""
    row = (
        Statement.objects.filter(statement_id=statement_id)
        .values_list("payload", flat=True)
        .first()
    )
    if row is None or depth > 32:  # unknown yet, or an absurd chain
        return set()
    statement = orjson.loads(row)
    keys = statement_keys(statement)
    obj = statement["object"]
    if obj.get("objectType") == "StatementRef":
        keys |= _chain_keys(uuid.UUID(obj["id"]), depth=depth + 1)
    return keys


def _propagate_references(new: list[Statement]) -> None:
    """Communication §2.1.3 (Filter Conditions for StatementRefs): a statement that targets
    another matches every non-time filter its target matches, recursively. Give the targeting
    statement its target's keys, in whichever order the two arrive."""
    pending: list[Statement] = [s for s in new if s.object_statement_id is not None]
    new_pks = {s.pk for s in new}
    pending += list(
        Statement.objects.filter(object_statement_id__in=[s.statement_id for s in new]).exclude(
            pk__in=new_pks
        )
    )
    seen: set[int] = set()
    while pending:
        referrer = pending.pop(0)
        if referrer.pk in seen or referrer.object_statement_id is None:
            continue
        seen.add(referrer.pk)
        keys = _chain_keys(referrer.object_statement_id)
        if not keys:
            continue
        StatementIndex.objects.bulk_create(
            [StatementIndex(key=key, statement_id=referrer.pk) for key in keys],
            ignore_conflicts=True,
        )
        # Whoever targets the referrer now matches more too.
        pending += list(Statement.objects.filter(object_statement_id=referrer.statement_id))


def _apply_voiding(new: list[Statement]) -> None:
    """Data §2.3.2: a statement is voided iff it is not itself voiding and a voiding statement
    targets it. Voiding a statement not stored yet is accepted (§2.3.2.s2.b5)."""
    targets = [s.object_statement_id for s in new if s.is_voiding and s.object_statement_id]
    if targets:
        Statement.objects.filter(statement_id__in=targets, is_voiding=False).update(voided=True)
    already_voided = {
        target
        for target in Statement.objects.filter(
            is_voiding=True, object_statement_id__in=[s.statement_id for s in new]
        ).values_list("object_statement_id", flat=True)
        if target is not None
    }
    if already_voided:
        Statement.objects.filter(
            statement_id__in=already_voided, is_voiding=False, voided=False
        ).update(voided=True)


_STATEMENT_COLUMNS = (
    "id", "statement_id", "payload", "stored", "version", "client_id", "object_statement_id",
    "is_voiding", "voided", "attachment_hashes",
)  # fmt: skip


SMALL_BATCH = 10


def _insert_small(rows: list[Statement], keys_by_row: list[set[str]], jsonb: Any) -> None:
    """One round trip for a few statements: the rows and their keys in one statement."""
    placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(rows))
    values: list[Any] = []
    for row in rows:
        values += [
            row.pk, row.statement_id, row.payload, row.stored, row.version, row.client_id,
            row.object_statement_id, row.is_voiding, row.voided, jsonb(row.attachment_hashes),
        ]  # fmt: skip
    keys = [key for keys in keys_by_row for key in keys]
    pks = [row.pk for row, keys in zip(rows, keys_by_row, strict=True) for _ in keys]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH new_rows AS (INSERT INTO {Statement._meta.db_table} "  # noqa: S608
            f"({', '.join(_STATEMENT_COLUMNS)}) VALUES {placeholders}) "
            f"INSERT INTO {StatementIndex._meta.db_table} (key, statement_id) "
            "SELECT * FROM UNNEST(%s::uuid[], %s::bigint[])",
            [*values, keys, pks],
        )


def _insert_rows(rows: list[Statement], keys_by_row: list[set[str]]) -> None:
    """Insert statements and their filter keys. On PostgreSQL the ids are already allocated
    (``_allocate``): a few rows go in one statement, a batch in two COPYs, several times faster
    than multi-row INSERTs."""
    if connection.vendor != "postgresql":
        Statement.objects.bulk_create(rows)
        StatementIndex.objects.bulk_create(
            [
                StatementIndex(key=key, statement_id=row.pk)
                for row, keys in zip(rows, keys_by_row, strict=True)
                for key in keys
            ]
        )
        return
    from psycopg.types.json import Jsonb  # noqa: PLC0415 - PostgreSQL only

    statement_table = Statement._meta.db_table
    index_table = StatementIndex._meta.db_table
    if len(rows) <= SMALL_BATCH:
        _insert_small(rows, keys_by_row, Jsonb)
        return
    # The raw psycopg cursor: wrap_database_errors turns its errors into Django's, so that a
    # unique violation (a racing request stored the same id) is the IntegrityError retried above.
    with connection.cursor() as wrapper, connection.wrap_database_errors:
        cursor = wrapper.cursor
        with cursor.copy(
            f"COPY {statement_table} ({', '.join(_STATEMENT_COLUMNS)}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(
                    (
                        row.pk, row.statement_id, row.payload, row.stored, row.version,
                        row.client_id, row.object_statement_id, row.is_voiding, row.voided,
                        Jsonb(row.attachment_hashes),
                    )
                )  # fmt: skip
        with cursor.copy(f"COPY {index_table} (key, statement_id) FROM STDIN") as copy:
            for row, keys in zip(rows, keys_by_row, strict=True):
                for key in keys:
                    copy.write_row((key, row.pk))


@dataclass
class _Prepared:
    """What the database says before a batch is written."""

    existing: dict[uuid.UUID, str]  # payloads already stored under ids the client chose
    targeted: set[uuid.UUID]  # of those ids, the ones a stored statement targets
    pks: list[int | None]  # row ids for the new statements, in order
    stored_at: datetime  # their stored time, to the millisecond


def _look_up_and_allocate(ids: list[uuid.UUID], count: int) -> _Prepared:
    """One round trip on PostgreSQL: the statements already stored under the client's ids,
    those a stored statement targets (so keys or voiding must follow them), and ``count`` row
    ids with their stored time, allocated together (migration 0002 says why). An id the LRS
    assigns is unknown to everyone, so it needs no look-up; ids of duplicates go unused."""
    if connection.vendor != "postgresql":
        existing = dict(
            Statement.objects.filter(statement_id__in=ids).values_list("statement_id", "payload")
        )
        targets = Statement.objects.filter(object_statement_id__in=ids).values_list(
            "object_statement_id", flat=True
        )
        now = datetime.now(UTC)
        return _Prepared(
            existing=existing,
            targeted={t for t in targets if t is not None},
            pks=[None] * count,
            stored_at=now.replace(microsecond=now.microsecond // 1000 * 1000),
        )
    table = Statement._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 2, NULL::uuid, NULL::text, id, stored "  # noqa: S608
            "FROM progress_allocate_statements(%s) "
            f"UNION ALL SELECT 0, statement_id, payload, NULL, NULL FROM {table} "
            "WHERE statement_id = ANY(%s) "
            "UNION ALL SELECT DISTINCT 1, object_statement_id, NULL::text, NULL::bigint, "
            f"NULL::timestamptz FROM {table} "
            "WHERE object_statement_id = ANY(%s)",
            [count, ids, ids],
        )
        rows = cursor.fetchall()
    allocated = sorted((pk, stored) for kind, _, _, pk, stored in rows if kind == 2)
    return _Prepared(
        existing={uuid.UUID(str(i)): p for kind, i, p, _, _ in rows if kind == 0},
        targeted={uuid.UUID(str(i)) for kind, i, _, _, _ in rows if kind == 1},
        pks=[pk for pk, _ in allocated],
        stored_at=allocated[0][1],
    )


def store_statements(
    *,
    statements: list[dict[str, Any]],
    client: LRSClient,
    version: str,
    attachments: list[ReceivedAttachment] = (),  # type: ignore[assignment]
) -> list[str]:
    """Store validated statements atomically; return their ids in order.

    A statement whose id is already stored with the same content is accepted and not stored
    again; with different content the whole batch is refused with 409 (Communication §2.1.2).
    """
    ids = [s.get("id") for s in statements]
    given = [i.lower() for i in ids if i]
    if len(given) != len(set(given)):
        raise InvalidInput("The batch has two or more statements with the same id.")
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _store(statements, client=client, version=version, attachments=attachments)
        except IntegrityError:
            # Another request stored one of these ids between our check and our insert: the
            # second attempt sees it and compares.
            if attempt:
                raise
    raise AssertionError("unreachable")


def _store(
    statements: list[dict[str, Any]],
    *,
    client: LRSClient,
    version: str,
    attachments: list[ReceivedAttachment],
) -> list[str]:
    given_ids = [uuid.UUID(s["id"]) for s in statements if s.get("id")]
    prepared_db = _look_up_and_allocate(given_ids, len(statements))
    existing, targeted, pks = prepared_db.existing, prepared_db.targeted, prepared_db.pks
    stored_at = prepared_db.stored_at
    stored = format_timestamp(stored_at)
    rows: list[Statement] = []
    keys_by_row: list[set[str]] = []
    definitions: dict[str, dict[str, Any]] = {}
    result: list[str] = []
    may_define = bool({LRSScope.DEFINE, LRSScope.ALL}.intersection(client.scopes))
    received = {a.sha2.lower() for a in attachments}

    for statement in statements:
        statement_id = uuid.UUID(statement["id"]) if statement.get("id") else None
        if statement_id in existing:
            if not same_statement(statement, orjson.loads(existing[statement_id])):
                raise Conflict(
                    f"A different statement with the id {statement_id} is already stored."
                )
            result.append(str(statement_id))
            continue
        prepared = _prepare(statement, client=client, stored=stored, version=version)
        obj = prepared["object"]
        is_ref = obj.get("objectType") == "StatementRef"
        row = Statement(
            pk=pks[len(rows)],
            statement_id=uuid.UUID(prepared["id"]),
            payload=orjson.dumps(prepared).decode(),
            stored=stored_at,
            version=prepared["version"],
            client=client,
            object_statement_id=uuid.UUID(obj["id"]) if is_ref else None,
            is_voiding=is_ref and prepared["verb"]["id"] == VOIDED,
            # The hashes whose data came with the statement (a fileUrl attachment may bring
            # its data too): what a client that reads only its own statements may read back.
            attachment_hashes=[
                a["sha2"]
                for a in prepared.get("attachments", ())
                if not a.get("fileUrl") or a["sha2"].lower() in received
            ],
        )
        rows.append(row)
        keys_by_row.append(statement_keys(prepared))
        if may_define:
            _collect_definitions(prepared, definitions)
        result.append(prepared["id"])

    if rows:
        _insert_rows(rows, keys_by_row)
        if any(r.object_statement_id for r in rows) or any(
            r.statement_id in targeted for r in rows
        ):
            _propagate_references(rows)
            _apply_voiding(rows)
    if attachments:
        Attachment.objects.bulk_create(
            [
                Attachment(sha2=a.sha2, content_type=a.content_type, content=a.content)
                for a in attachments
            ],
            ignore_conflicts=True,
        )
    _store_definitions(definitions)
    return result
