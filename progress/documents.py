"""Documents of the State, Activity Profile and Agent Profile resources (Communication §2.2-§2.7).

Every document belongs to a *scope*, a digest of what identifies its set: the kind and the
activity, agent and registration the resource is about. A single document is found by the unique
(scope, document_id) index, a list by the (scope, updated) index; nothing else is scanned.

Writes are keyword-only service functions, each one transaction that locks the document's row
(``SELECT ... FOR UPDATE``) before checking the request's preconditions (§3.1 Concurrency), so
that two writers cannot both pass an ``If-Match`` check on the same version and lose an update.
Reads are selector functions. Refusals are raised as the error kinds of ``lms.api``
(``InvalidInput``, ``NotAllowed``, ``Conflict``, ``PreconditionFailed``); the LRS answers each
with its status.
"""

import enum
import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from lms.api import Conflict, InvalidInput, NotAllowed, PreconditionFailed
from progress.models import Document, DocumentKind
from progress.xapi.keys import agent_ifi, digest

JSON = "application/json"
DEFAULT_CONTENT_TYPE = "application/octet-stream"
ANY = "*"


@dataclass(frozen=True)
class Scope:
    """What a set of documents is about; ``key`` is the digest stored in ``Document.scope``."""

    kind: DocumentKind
    key: uuid.UUID
    activity_iri: str = ""
    agent: dict[str, Any] | None = None
    registration: uuid.UUID | None = None


def state_scope(
    *, activity_iri: str, agent: dict[str, Any], registration: uuid.UUID | None
) -> Scope:
    """§2.3: state is kept per activity, agent and (optional) registration. Documents stored
    without a registration form their own set, distinct from those of any registration."""
    value = f"{activity_iri}\x1f{agent_ifi(agent) or ''}\x1f{registration or ''}"
    return Scope(
        kind=DocumentKind.STATE,
        key=uuid.UUID(digest(DocumentKind.STATE.value, value)),
        activity_iri=activity_iri,
        agent=agent,
        registration=registration,
    )


def activity_profile_scope(*, activity_iri: str) -> Scope:
    """§2.7: profile documents of an activity."""
    return Scope(
        kind=DocumentKind.ACTIVITY_PROFILE,
        key=uuid.UUID(digest(DocumentKind.ACTIVITY_PROFILE.value, activity_iri)),
        activity_iri=activity_iri,
    )


def agent_profile_scope(*, agent: dict[str, Any]) -> Scope:
    """§2.6: profile documents of an agent, by its normalised IFI (Data §2.4.2.3)."""
    return Scope(
        kind=DocumentKind.AGENT_PROFILE,
        key=uuid.UUID(digest(DocumentKind.AGENT_PROFILE.value, agent_ifi(agent) or "")),
        agent=agent,
    )


@dataclass(frozen=True)
class Preconditions:
    """The entity tags of a request's If-Match and If-None-Match headers (RFC 2616 §14.24,
    §14.26); ``None`` when the header is absent. ``("*",)`` matches any current document."""

    if_match: tuple[str, ...] | None = None
    if_none_match: tuple[str, ...] | None = None

    @property
    def given(self) -> bool:
        return self.if_match is not None or self.if_none_match is not None


class PutPolicy(enum.Enum):
    """What a PUT without If-Match or If-None-Match may do (§3.1 LRS Requirements)."""

    # §3.1.s3: "The State Resource will permit PUT, POST and DELETE requests without
    # concurrency headers" (xAPI 1.0.x).
    UNCONDITIONAL = "unconditional"
    # §3.1.s4.b13-b15: 409 Conflict when the document already exists. Applied to the State
    # Resource under xAPI 2.0, as the ADL conformance suite (v2_0/4.1.4-Concurrency.js) expects.
    NO_BLIND_OVERWRITE = "no_blind_overwrite"
    # Agent and Activity Profile: as above, and §3.1.s3.b1 (a client MUST send one of the two
    # headers) answered with 400 when the document does not exist yet, as the suite expects
    # (v1_0_3/H.Communication2.6 and 2.7, "PUT ... without ETag header", XAPI-00273).
    REQUIRED = "required"


@dataclass(frozen=True)
class StoredDocument:
    content: bytes
    content_type: str
    etag: str
    updated: datetime


# ---------------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------------


def compute_etag(content: bytes) -> str:
    """§3.1.s4.b2 and b4: the quoted, lowercase hexadecimal SHA-1 digest of the contents."""
    return f'"{hashlib.sha1(content, usedforsecurity=False).hexdigest()}"'


def media_type(content_type: str) -> str:
    """The media type of a Content-Type header value, without parameters, lowercased."""
    return content_type.partition(";")[0].strip().lower()


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _json_object(content: bytes) -> dict[str, Any] | None:
    """The JSON object in ``content``, or None if it is not one. Parsed with the standard
    library, which keeps integers of any size exactly (documents are the client's data)."""
    try:
        value = json.loads(content.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _dump_json(value: dict[str, Any]) -> bytes:
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate escaped in the input: keep it escaped
        return json.dumps(value, separators=(",", ":")).encode("ascii")


def _check_preconditions(existing: Document | None, preconditions: Preconditions) -> None:
    """§3.1.s4.b5-b12: If-Match and If-None-Match as RFC 2616 §14.24 and §14.26 describe them,
    If-Match first (RFC 7232 §6). A failed precondition is 412 and changes nothing."""
    current = existing.etag if existing is not None else None
    if preconditions.if_match is not None and (
        current is None
        or (ANY not in preconditions.if_match and current not in preconditions.if_match)
    ):
        raise PreconditionFailed(
            "If-Match: the document does not exist."
            if current is None
            else "If-Match: the document has changed since that ETag; fetch it again.",
        )
    if (
        preconditions.if_none_match is not None
        and current is not None
        and (ANY in preconditions.if_none_match or current in preconditions.if_none_match)
    ):
        raise PreconditionFailed("If-None-Match: the document already exists.")


@dataclass(frozen=True)
class Writer:
    """Who writes: ``key`` is kept on the documents it creates; with ``own_only``, it may change
    or delete only those (the cmi5 content of a course, progress.cmi5)."""

    key: str = ""
    own_only: bool = False

    def check(self, existing: Document | None) -> None:
        if self.own_only and existing is not None and existing.writer != self.key:
            raise NotAllowed("These credentials may not change a document another wrote.")


ANYONE = Writer()


def _lock(scope: Scope, document_id: str, *, with_content: bool = False) -> Document | None:
    """The document's row, locked until the transaction ends; its content only if asked."""
    qs = Document.objects.select_for_update().filter(scope=scope.key, document_id=document_id)
    if not with_content:
        qs = qs.only("id", "etag", "writer")
    return qs.first()


def _write(
    scope: Scope,
    document_id: str,
    decide: Callable[[Document | None], tuple[bytes, str]],
    *,
    writer: Writer,
    with_content: bool = False,
) -> None:
    """Lock the document, let ``decide`` check it and return the new content and type (or
    raise), then store. Two requests creating the same document at once: the second insert
    violates the unique (scope, document_id) constraint and is retried once, now finding the
    first's document and deciding against it (e.g. If-None-Match: * then fails with 412)."""
    for attempt in range(2):
        try:
            with transaction.atomic():
                existing = _lock(scope, document_id, with_content=with_content)
                writer.check(existing)
                content, content_type = decide(existing)
                fields = {
                    "content": content,
                    "content_type": content_type,
                    "etag": compute_etag(content),
                    "updated": timezone.now(),
                }
                if existing is None:
                    Document.objects.create(
                        kind=scope.kind,
                        scope=scope.key,
                        document_id=document_id,
                        activity_iri=scope.activity_iri,
                        agent=scope.agent,
                        registration=scope.registration,
                        writer=writer.key,
                        **fields,
                    )
                else:
                    for name, value in fields.items():
                        setattr(existing, name, value)
                    existing.save(update_fields=list(fields))
            return
        except IntegrityError:
            if attempt:
                raise


# ---------------------------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------------------------


def put_document(
    *,
    scope: Scope,
    document_id: str,
    content: bytes,
    content_type: str,
    preconditions: Preconditions,
    policy: PutPolicy,
    writer: Writer = ANYONE,
) -> None:
    """Store ``content`` as the document, replacing any (§2.3.s3, §2.6.s3, §2.7.s3). Documents
    can have any content type (§1.5.b1); the type is kept and returned by GET."""
    content_type = content_type.strip() or DEFAULT_CONTENT_TYPE

    def decide(existing: Document | None) -> tuple[bytes, str]:
        if not preconditions.given and policy is not PutPolicy.UNCONDITIONAL:
            if existing is not None:
                # §3.1.s4.b13-b15.
                raise Conflict(
                    "The document already exists and the request has neither If-Match nor "
                    "If-None-Match: check the document's current state (GET) and send its "
                    "ETag in If-Match to replace it.",
                )
            if policy is PutPolicy.REQUIRED:
                # §3.1.s3.b1.
                raise InvalidInput(
                    "A PUT to a profile resource must have an If-Match or If-None-Match header "
                    '(If-None-Match: "*" to create a document).'
                )
        _check_preconditions(existing, preconditions)
        return content, content_type

    _write(scope, document_id, decide, writer=writer)


def post_document(
    *,
    scope: Scope,
    document_id: str,
    content: bytes,
    content_type: str,
    preconditions: Preconditions,
    writer: Writer = ANYONE,
) -> None:
    """§2.2.s7: merge a posted JSON object into the stored one, top-level property by property;
    a document not stored yet is stored as posted. §2.2.s8.b1: the posted and any stored
    document must both be ``application/json`` and parse as JSON objects; otherwise 400 and
    nothing changes."""
    if media_type(content_type) != JSON:
        raise InvalidInput(
            "POST merges JSON documents: the Content-Type must be application/json, "
            f"not {content_type.strip() or 'missing'!r}. Use PUT to store other content."
        )
    posted = _json_object(content)
    if posted is None:
        raise InvalidInput("POST merges JSON documents: the body is not a JSON object.")

    def decide(existing: Document | None) -> tuple[bytes, str]:
        _check_preconditions(existing, preconditions)
        if existing is None:
            return content, JSON
        if media_type(existing.content_type) != JSON:
            raise InvalidInput(
                "POST merges JSON documents: the stored document is of type "
                f"{existing.content_type!r}, not application/json. Use PUT to replace it."
            )
        stored = _json_object(bytes(existing.content))
        if stored is None:
            raise InvalidInput(
                "POST merges JSON documents: the stored document is not a JSON object. "
                "Use PUT to replace it."
            )
        return _dump_json({**stored, **posted}), JSON

    _write(scope, document_id, decide, writer=writer, with_content=True)


def delete_document(
    *, scope: Scope, document_id: str, preconditions: Preconditions, writer: Writer = ANYONE
) -> None:
    """Delete one document (§2.3.s3, §2.6.s3, §2.7.s3), with If-Match honoured (§3.1.s4.b7).
    Deleting a document that does not exist (and is not required to by If-Match) is a no-op:
    DELETE is idempotent."""
    with transaction.atomic():
        if writer.own_only:
            writer.check(_lock(scope, document_id))
        if not preconditions.given:
            Document.objects.filter(scope=scope.key, document_id=document_id).delete()
            return
        existing = _lock(scope, document_id)
        _check_preconditions(existing, preconditions)
        if existing is not None:
            existing.delete()


def delete_documents(*, scope: Scope) -> int:
    """§2.3.s5: delete every state document of the activity, agent (and registration)."""
    deleted, _ = Document.objects.filter(scope=scope.key).delete()
    return deleted


# ---------------------------------------------------------------------------------------------
# Selectors
# ---------------------------------------------------------------------------------------------


def get_document(*, scope: Scope, document_id: str) -> StoredDocument | None:
    """One document, by the unique (scope, document_id) index: one query."""
    row = (
        Document.objects.filter(scope=scope.key, document_id=document_id)
        .values_list("content", "content_type", "etag", "updated")
        .first()
    )
    if row is None:
        return None
    content, content_type, etag, updated = row
    return StoredDocument(
        content=bytes(content), content_type=content_type, etag=etag, updated=updated
    )


def list_document_ids(*, scope: Scope, since: datetime | None) -> tuple[list[str], datetime | None]:
    """The ids of the scope's documents updated after ``since`` (exclusive; §2.3.s4, §2.6.s4,
    §2.7.s4), oldest first, and when the newest of them was updated (for Last-Modified,
    §2.2.s6.b2). By the (scope, updated) index: one query."""
    qs = Document.objects.filter(scope=scope.key)
    if since is not None:
        qs = qs.filter(updated__gt=since)
    rows = list(qs.order_by("updated", "document_id").values_list("document_id", "updated"))
    return [document_id for document_id, _ in rows], max((u for _, u in rows), default=None)
