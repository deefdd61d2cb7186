"""1EdTech CASE 1.0 CFPackage JSON: import (validated, atomic, by identifier) and export.

What breaks a framework is refused with the JSON path and the rule: a missing or malformed
identifier, a missing title or full statement, an unknown association type, a node reference
without an identifier. What real exports get wrong without harm is accepted: a sequenceNumber
sent as a string of digits, CFPackageURI/CFDocumentURI as a string, CFDefinitions missing.
"""

import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import orjson
from django.db import transaction
from django_countries import countries

from frameworks.models import (
    Association,
    AssociationType,
    Competence,
    Framework,
    ProficiencyLevel,
    RoleTarget,
)
from lms.api import InvalidInput, capped, nul_paths

DOCUMENT_FIELDS = {
    "uri": "uri", "title": "title", "creator": "creator", "publisher": "publisher",
    "description": "description", "language": "language", "version": "version",
    "adoptionStatus": "adoption_status", "licenseURI": "licence_uri",
}  # fmt: skip
ITEM_FIELDS = {
    "uri": "uri", "abbreviatedStatement": "abbreviated_statement",
    "humanCodingScheme": "human_coding_scheme", "CFItemType": "item_type",
}  # fmt: skip


class CaseError(InvalidInput, ValueError):
    """The package is refused whole; ``errors`` name the JSON path and the rule."""

    default_field = "file"

    def __init__(self, errors: Iterable[str]) -> None:
        self.errors = capped(list(errors))
        super().__init__("; ".join(self.errors))

    @property
    def messages(self) -> list[str]:
        return self.errors


def _uuid(value: Any, path: str, errors: list[str]) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        errors.append(f"{path}: must be a UUID, not {value!r}")
        return None


def _text(
    data: dict[str, Any], key: str, path: str, errors: list[str], *, required: bool = False
) -> str:
    value = data.get(key)
    if value is None or value == "":
        if required:
            errors.append(f"{path}.{key}: is required")
        return ""
    if not isinstance(value, str):
        errors.append(f"{path}.{key}: must be a string")
        return ""
    return value


def _when(value: Any, path: str, errors: list[str]) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        errors.append(f"{path}: must be an ISO 8601 date-time, not {value!r}")
        return None
    # Some real exports omit the zone; CASE times are UTC then.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


INT_RANGE = range(-(2**31), 2**31)  # an IntegerField on every database


def _fits(data: dict[str, Any], key: str, path: str, errors: list[str], field: Any) -> None:
    """A text the model keeps in ``field``: a string no longer than it holds (fuzz tests: a
    list or an over-long title reached the database)."""
    value = data.get(key)
    if value is None or value == "":
        return
    if not isinstance(value, str):
        errors.append(f"{path}.{key}: must be a string, not {type(value).__name__}")
    elif field.max_length and len(value) > field.max_length:
        errors.append(f"{path}.{key}: longer than {field.max_length} characters")


def _sequence(value: Any) -> int | None:
    """A sequenceNumber as an integer the database holds, or None if it is not one (an
    integer, or a string of ASCII digits as some exports write it)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    return value if isinstance(value, int) and value in INT_RANGE else None


def _node(value: Any, path: str, errors: list[str]) -> tuple[uuid.UUID | None, dict[str, Any]]:
    if not isinstance(value, dict):
        errors.append(f"{path}: must be a LinkURI object {{title, identifier, uri}}")
        return None, {}
    return _uuid(value.get("identifier"), f"{path}.identifier", errors), value


def _check_document(document: dict[str, Any], errors: list[str]) -> None:
    _uuid(document.get("identifier"), "$.CFDocument.identifier", errors)
    if _text(document, "title", "$.CFDocument", errors, required=True):
        for key, field in DOCUMENT_FIELDS.items():
            _fits(document, key, "$.CFDocument", errors, Framework._meta.get_field(field))
    _when(document.get("lastChangeDateTime"), "$.CFDocument.lastChangeDateTime", errors)
    jurisdiction = document.get("jurisdiction")
    if jurisdiction is not None and str(jurisdiction).upper() not in countries:
        errors.append(
            f"$.CFDocument.jurisdiction: must be an ISO 3166-1 country code, not {jurisdiction!r}"
        )
    scale = document.get("proficiencyScale")
    if scale is not None and (
        not isinstance(scale, list) or not all(isinstance(n, str) and n for n in scale)
    ):
        errors.append("$.CFDocument.proficiencyScale: must be an array of level names")


def parse_package(content: bytes) -> dict[str, Any]:
    """Check the package; return it (parsed) or raise CaseError with every problem."""
    try:
        data = orjson.loads(content)
    except orjson.JSONDecodeError as exc:
        raise CaseError([f"$: not valid JSON ({exc})"]) from exc
    errors: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("CFDocument"), dict):
        raise CaseError(["$.CFDocument: is required (a CASE CFPackage)"])
    if b"\\u0000" in content:  # a NUL escaped in a JSON string: name each place
        errors.extend(f"{path}: contains a NUL character (U+0000)" for path in nul_paths(data, "$"))
    _check_document(data["CFDocument"], errors)
    items = data.get("CFItems") or []
    if not isinstance(items, list):
        errors.append("$.CFItems: must be an array")
        items = []
    seen: set[uuid.UUID] = set()
    for index, item in enumerate(items):
        path = f"$.CFItems[{index}]"
        if not isinstance(item, dict):
            errors.append(f"{path}: must be an object")
            continue
        identifier = _uuid(item.get("identifier"), f"{path}.identifier", errors)
        if identifier in seen:
            errors.append(f"{path}.identifier: {identifier} appears twice")
        seen.add(identifier)  # type: ignore[arg-type]
        _text(item, "fullStatement", path, errors, required=True)
        for key, field in ITEM_FIELDS.items():
            _fits(item, key, path, errors, Competence._meta.get_field(field))
        _when(item.get("lastChangeDateTime"), f"{path}.lastChangeDateTime", errors)
    _check_associations(data.get("CFAssociations") or [], errors)
    if errors:
        raise CaseError(errors)
    return data


def _check_associations(associations: Any, errors: list[str]) -> None:
    if not isinstance(associations, list):
        errors.append("$.CFAssociations: must be an array")
        return
    for index, association in enumerate(associations):
        path = f"$.CFAssociations[{index}]"
        if not isinstance(association, dict):
            errors.append(f"{path}: must be an object")
            continue
        _uuid(association.get("identifier"), f"{path}.identifier", errors)
        kind = association.get("associationType")
        if kind not in AssociationType.values:
            errors.append(f"{path}.associationType: {kind!r} is not a CASE association type")
        _node(association.get("originNodeURI"), f"{path}.originNodeURI", errors)
        _node(association.get("destinationNodeURI"), f"{path}.destinationNodeURI", errors)
        _fits(association, "uri", path, errors, Association._meta.get_field("uri"))
        sequence = association.get("sequenceNumber")
        if sequence is not None and _sequence(sequence) is None:
            errors.append(
                f"{path}.sequenceNumber: must be an integer between {INT_RANGE.start} and "
                f"{INT_RANGE.stop - 1}, not {sequence!r}"
            )


Progress = Callable[[str, int], None]


def silent(stage: str, percent: int) -> None:
    """The progress callback that reports nothing (the default of the imports)."""


@transaction.atomic
def import_package(content: bytes, *, progress: Progress = silent) -> Framework:
    """Import (or update, by identifier) a CASE package; all or nothing. ``progress`` hears
    (stage, percent) as the import goes."""
    progress("checking", 10)
    data = parse_package(content)
    progress("writing the framework", 30)
    document = data["CFDocument"]
    language = document.get("language") or "und"
    framework, _ = Framework.objects.update_or_create(
        identifier=uuid.UUID(document["identifier"]),
        defaults={
            **{field: document.get(key) or "" for key, field in DOCUMENT_FIELDS.items()},
            "last_change": _when(document.get("lastChangeDateTime"), "", []),
            # Practica's extension: the country whose framework it is (CASE has no such field).
            "jurisdiction": str(document.get("jurisdiction") or "").upper(),
            "extra": {
                k: v
                for k, v in document.items()
                if k not in DOCUMENT_FIELDS
                and k not in ("identifier", "lastChangeDateTime", "jurisdiction")
            },
        },
    )
    scale = document.get("proficiencyScale")
    if isinstance(scale, list) and scale:
        # Practica's extension (from a Moodle scale): the ordered proficiency levels.
        # Updated by rank, not replaced: alignments and role targets name levels by rank.
        ProficiencyLevel.objects.filter(framework=framework, rank__gt=len(scale)).delete()
        ProficiencyLevel.objects.bulk_create(
            [
                ProficiencyLevel(framework=framework, rank=rank, name={language: str(name)})
                for rank, name in enumerate(scale, start=1)
            ],
            update_conflicts=True,
            unique_fields=["framework", "rank"],
            update_fields=["name"],
        )
    _write_competences(data, framework, language, progress)
    _write_associations(data, framework, progress)
    progress("done", 100)
    return framework


def _write_competences(
    data: dict[str, Any], framework: Framework, language: str, progress: Progress
) -> None:
    items = data.get("CFItems") or []
    identifiers = [uuid.UUID(i["identifier"]) for i in items]
    existing = {c.identifier: c for c in Competence.objects.filter(identifier__in=identifiers)}
    # The tree and the order come from isChildOf (origin: the child, destination: the parent).
    parent_of: dict[uuid.UUID, uuid.UUID] = {}
    order_of: dict[uuid.UUID, int] = {}
    for association in data.get("CFAssociations") or []:
        if association["associationType"] == AssociationType.IS_CHILD_OF:
            child = uuid.UUID(association["originNodeURI"]["identifier"])
            parent_of[child] = uuid.UUID(association["destinationNodeURI"]["identifier"])
            if (sequence := association.get("sequenceNumber")) is not None:
                order_of[child] = _sequence(sequence) or 0
    wanted = set(identifiers)
    competences: dict[uuid.UUID, Competence] = {}
    changed: list[Competence] = []
    fields = ["framework", "full_statement", *ITEM_FIELDS.values(), "education_level",
              "last_change", "extra", "parent", "order"]  # fmt: skip
    for item, identifier in zip(items, identifiers, strict=True):
        competence = existing.get(identifier) or Competence(identifier=identifier)
        before = {
            f: getattr(competence, f"{f}_id" if f in ("framework", "parent") else f) for f in fields
        }
        competence.framework = framework
        competence.full_statement = {language: item["fullStatement"]}
        for key, field in ITEM_FIELDS.items():
            setattr(competence, field, item.get(key) or "")
        levels = item.get("educationLevel") or []
        competence.education_level = levels if isinstance(levels, list) else [levels]
        competence.last_change = _when(item.get("lastChangeDateTime"), "", [])
        competence.extra = {
            k: v
            for k, v in item.items()
            if k not in ITEM_FIELDS
            and k
            not in (
                "identifier",
                "fullStatement",
                "educationLevel",
                "lastChangeDateTime",
                "CFDocumentURI",
            )
        }
        competence.order = order_of.get(identifier, 0)
        competences[identifier] = competence
        competence._before = before  # type: ignore[attr-defined]
    progress("writing competences", 45)
    # New competences are created level by level, each with its parent already saved: a few
    # INSERTs and no UPDATE, whatever the size (cycles or unknown parents end at the root).
    pending = {i for i, c in competences.items() if c.pk is None}
    while pending:
        level = [
            i for i in pending
            if parent_of.get(i) not in wanted or parent_of[i] not in pending or parent_of[i] == i
        ]  # fmt: skip
        if not level:  # a cycle: create the rest without parents
            level = list(pending)
        for identifier in level:
            parent = competences.get(parent_of.get(identifier))  # type: ignore[arg-type]
            competences[identifier].parent = parent if parent is not None and parent.pk else None
        Competence.objects.bulk_create([competences[i] for i in level])
        pending -= set(level)
    progress("building the tree", 65)
    for identifier, competence in competences.items():
        if competence._before["framework"] is None:  # type: ignore[attr-defined]
            continue  # created just now, parent set
        parent = competences.get(parent_of.get(identifier))  # type: ignore[arg-type]
        competence.parent = parent
        after = {
            f: getattr(competence, f"{f}_id" if f in ("framework", "parent") else f) for f in fields
        }
        if after != competence._before:  # type: ignore[attr-defined]
            changed.append(competence)
    # Only what changed is updated (a re-import of the same file updates nothing).
    Competence.objects.bulk_update(changed, fields, batch_size=500)
    # Items the new file drops go, unless alignments or role profiles still name them: those
    # stay resolvable (a new version says where they went with replacedBy).
    Competence.objects.filter(framework=framework).exclude(identifier__in=identifiers).filter(
        alignments__isnull=True
    ).exclude(pk__in=RoleTarget.objects.values("competence_id")).delete()


def _write_associations(data: dict[str, Any], framework: Framework, progress: Progress) -> None:
    progress("writing associations", 85)
    rows = []
    for association in data.get("CFAssociations") or []:
        origin = association["originNodeURI"]
        destination = association["destinationNodeURI"]
        sequence = association.get("sequenceNumber")
        rows.append(
            Association(
                identifier=uuid.UUID(association["identifier"]),
                framework=framework,
                uri=association.get("uri") or "",
                association_type=association["associationType"],
                origin_identifier=uuid.UUID(origin["identifier"]),
                origin=origin,
                destination_identifier=uuid.UUID(destination["identifier"]),
                destination=destination,
                sequence_number=_sequence(sequence) if sequence is not None else None,
                last_change=_when(association.get("lastChangeDateTime"), "", []),
            )
        )
    Association.objects.filter(framework=framework).exclude(
        identifier__in=[r.identifier for r in rows]
    ).delete()
    Association.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["identifier"],
        update_fields=[
            "framework",
            "uri",
            "association_type",
            "origin_identifier",
            "origin",
            "destination_identifier",
            "destination",
            "sequence_number",
            "last_change",
        ],
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_package(framework: Framework) -> dict[str, Any]:
    """The framework as a CASE CFPackage (three queries)."""
    language = framework.language or "und"
    document: dict[str, Any] = {
        "identifier": str(framework.identifier),
        **{
            key: getattr(framework, field)
            for key, field in DOCUMENT_FIELDS.items()
            if getattr(framework, field)
        },
        **framework.extra,
    }
    if framework.last_change:
        document["lastChangeDateTime"] = _iso(framework.last_change)
    if framework.jurisdiction:
        document["jurisdiction"] = str(framework.jurisdiction.code)  # type: ignore[attr-defined]
    items = []
    for competence in framework.competences.all().order_by("id"):
        item: dict[str, Any] = {
            "identifier": str(competence.identifier),
            "fullStatement": competence.full_statement.get(language)
            or next(iter(competence.full_statement.values()), ""),
            **{
                key: getattr(competence, field)
                for key, field in ITEM_FIELDS.items()
                if getattr(competence, field)
            },
            **competence.extra,
        }
        if competence.education_level:
            item["educationLevel"] = competence.education_level
        if competence.last_change:
            item["lastChangeDateTime"] = _iso(competence.last_change)
        items.append(item)
    associations = []
    for association in framework.associations.all().order_by("id"):
        row: dict[str, Any] = {
            "identifier": str(association.identifier),
            "associationType": association.association_type,
            "originNodeURI": association.origin,
            "destinationNodeURI": association.destination,
        }
        if association.uri:
            row["uri"] = association.uri
        if association.sequence_number is not None:
            row["sequenceNumber"] = association.sequence_number
        if association.last_change:
            row["lastChangeDateTime"] = _iso(association.last_change)
        associations.append(row)
    return {"CFDocument": document, "CFItems": items, "CFAssociations": associations}
