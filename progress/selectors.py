"""Reads of the progress app: statements by id and by query (Communication §2.1.3)."""

import base64
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from progress.models import Activity, Attachment, LRSClient, Statement, StatementIndex
from progress.xapi.keys import digest

MAX_LIMIT = 500


@dataclass(frozen=True)
class StatementQuery:
    """The filters of a GET statements request, already validated."""

    keys: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 0
    ascending: bool = False
    after: int | None = None  # the cursor: the last row id already returned
    client: LRSClient | None = None  # only the statements this client stored (read/mine)


@dataclass(frozen=True)
class StatementRow:
    id: int
    payload: str
    stored: datetime
    attachment_hashes: list[str]


def get_statement(
    statement_id: uuid.UUID, *, voided: bool, client: LRSClient | None = None
) -> StatementRow | None:
    """One statement by id. A voided statement is found only by voidedStatementId (§2.1.4)."""
    qs = Statement.objects.filter(statement_id=statement_id, voided=voided)
    if client is not None:
        qs = qs.filter(client=client)
    row = qs.values_list("id", "payload", "stored", "attachment_hashes").first()
    return StatementRow(*row) if row else None


def query_statements(query: StatementQuery) -> tuple[list[StatementRow], bool]:
    """A page of statements matching ``query``, newest first unless ascending; and whether more
    remain. Each filter is a semi-join on the filter index; paging is on the row id (stable)."""
    qs: QuerySet[Statement] = Statement.objects.filter(voided=False)
    for key in query.keys:
        qs = qs.filter(id__in=StatementIndex.objects.filter(key=key).values("statement_id"))
    if query.since is not None:
        qs = qs.filter(stored__gt=query.since)
    if query.until is not None:
        qs = qs.filter(stored__lte=query.until)
    if query.client is not None:
        qs = qs.filter(client=query.client)
    if query.after is not None:
        qs = qs.filter(id__gt=query.after) if query.ascending else qs.filter(id__lt=query.after)
    limit = min(query.limit or MAX_LIMIT, MAX_LIMIT)
    rows = list(
        qs.order_by("id" if query.ascending else "-id").values_list(
            "id", "payload", "stored", "attachment_hashes"
        )[: limit + 1]
    )
    return [StatementRow(*r) for r in rows[:limit]], len(rows) > limit


def encode_cursor(row_id: int) -> str:
    return base64.urlsafe_b64encode(str(row_id).encode()).decode().rstrip("=")


def decode_cursor(value: str) -> int:
    padded = value + "=" * (-len(value) % 4)
    return int(base64.urlsafe_b64decode(padded.encode()).decode())


def attachments_by_hash(hashes: set[str]) -> list[Attachment]:
    return list(Attachment.objects.filter(sha2__in=hashes))


def activity_definitions(iris: set[str]) -> dict[str, dict[str, Any]]:
    keys = [digest("iri", iri) for iri in iris]
    return dict(Activity.objects.filter(key__in=keys).values_list("iri", "definition"))


def get_activity(iri: str) -> dict[str, Any] | None:
    """The activity as the LRS knows it (Communication §2.5), or None if it never saw it."""
    activity = (
        Activity.objects.filter(key=digest("iri", iri)).values_list("definition", flat=True).first()
    )
    if activity is not None:
        return (
            {"objectType": "Activity", "id": iri, "definition": activity}
            if activity
            else {"objectType": "Activity", "id": iri}
        )
    if StatementIndex.objects.filter(key=digest("activity+", iri)).exists():
        return {"objectType": "Activity", "id": iri}
    return None
