"""Moodle competency-framework CSV (the format of Moodle's admin/tool/lpimportcsv) to CASE.

The CSV is checked first; each problem names its line (the line where the record starts, as
descriptions span lines). A valid file becomes a CASE CFPackage and goes through the same
import as CASE JSON. Moodle "id numbers" become stable UUIDv5 identifiers, so re-importing
updates; parents become ``isChildOf``, cross references ``isRelatedTo``, the framework's scale
the proficiency levels.
"""

import csv
import io
import re
import uuid
from typing import Any

from frameworks.case import CaseError
from lms.api import NUL

NAMESPACE = uuid.UUID("6f1c2a52-3d0e-4c43-9d2e-7a1f7f0f6a10")  # Practica's, for Moodle ids
REQUIRED = ("Parent id number", "Id number", "Shortname", "Description", "Is framework")
_TAGS = re.compile(r"<[^>]+>")


def _id(framework: str, idnumber: str = "") -> str:
    return str(uuid.uuid5(NAMESPACE, f"moodle:{framework}:{idnumber}"))


def _text(html: str) -> str:
    return " ".join(_TAGS.sub(" ", html).split())


def _records(content: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaseError([f"line 1: not UTF-8 ({exc.reason} at byte {exc.start})"]) from exc
    # newline="": the csv module finds line ends itself (a carriage return alone, say)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration as exc:
        raise CaseError(["line 1: the file is empty"]) from exc
    except csv.Error as exc:
        raise CaseError([f"line {reader.line_num}: {exc}"]) from exc
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CaseError(
            [f"line 1: missing column(s) {', '.join(map(repr, missing))} (a Moodle framework CSV)"]
        )
    rows, start = [], reader.line_num + 1
    try:
        for values in reader:
            if any(NUL in v for v in values):
                rows.append((start, {"__nul__": "1"}))
            elif any(v.strip() for v in values):
                if len(values) != len(header):
                    rows.append((start, {"__width__": str(len(values))}))
                else:
                    rows.append((start, dict(zip(header, values, strict=True))))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise CaseError([f"line {reader.line_num}: {exc}"]) from exc
    return header, rows


# What the columns become, and how long that may be (Moodle's own limits are shorter).
MAX_ID_NUMBER = 100  # humanCodingScheme; in the competence's and the framework's URIs
MAX_SHORTNAME = 500  # the framework's title
MAX_TAXONOMY = 200  # CFItemType


def _too_long(line: int, row: dict[str, str], *, framework: bool) -> list[str]:
    limits = {"Id number": MAX_ID_NUMBER}
    if framework:
        limits |= {"Shortname": MAX_SHORTNAME, "Taxonomy": MAX_TAXONOMY}
    return [
        f"line {line}: '{column}' is longer than {most} characters"
        for column, most in limits.items()
        if len(row.get(column, "").strip()) > most
    ]


def _check(
    header: list[str], rows: list[tuple[int, dict[str, str]]]
) -> tuple[dict[str, str], list[tuple[int, dict[str, str]]]]:
    """The framework row and the competence rows, or CaseError with every problem's line."""
    errors = [
        f"line {line}: {row['__width__']} fields, the header has {len(header)}"
        if "__width__" in row
        else f"line {line}: contains a NUL character (U+0000)"
        for line, row in rows
        if "__width__" in row or "__nul__" in row
    ]
    rows = [(line, row) for line, row in rows if "__width__" not in row and "__nul__" not in row]
    frameworks = [(line, row) for line, row in rows if row["Is framework"].strip() == "1"]
    if len(frameworks) != 1:
        line = frameworks[1][0] if len(frameworks) > 1 else 2
        raise CaseError([*errors, f"line {line}: exactly one row must have 'Is framework' = 1"])
    framework_line, framework = frameworks[0]
    if not framework["Id number"].strip():
        errors.append(f"line {framework_line}: 'Id number' is required")
    errors.extend(_too_long(framework_line, framework, framework=True))
    seen: dict[str, int] = {}
    competences = [(line, row) for line, row in rows if row is not framework]
    for line, row in competences:
        idnumber = row["Id number"].strip()
        if not idnumber:
            errors.append(f"line {line}: 'Id number' is required")
        elif idnumber in seen:
            errors.append(f"line {line}: 'Id number' {idnumber!r} is also on line {seen[idnumber]}")
        else:
            seen[idnumber] = line
        if not row["Shortname"].strip():
            errors.append(f"line {line}: 'Shortname' is required")
        errors.extend(_too_long(line, row, framework=False))
    for line, row in competences:
        parent = row["Parent id number"].strip()
        if parent and parent not in seen:
            errors.append(f"line {line}: parent {parent!r} is not an 'Id number' of this file")
    if errors:
        raise CaseError(errors)
    return framework, competences


def to_case_package(content: bytes) -> dict[str, Any]:
    """The CSV as a CASE CFPackage; CaseError lists every problem with its line."""
    header, rows = _records(content)
    framework, competences = _check(header, rows)
    code = framework["Id number"].strip()
    document_id = _id(code)
    document_node = {
        "title": framework["Shortname"],
        "identifier": document_id,
        "uri": f"urn:moodle:{code}",
    }
    taxonomy = [t.strip() for t in framework.get("Taxonomy", "").split(",") if t.strip()]
    depth: dict[str, int] = {}
    by_id = {row["Id number"].strip(): row for _line, row in competences}

    def level(idnumber: str) -> int:
        if idnumber not in depth:
            parent = by_id[idnumber]["Parent id number"].strip()
            depth[idnumber] = 0 if not parent or parent not in by_id else level(parent) + 1
        return depth[idnumber]

    items: list[tuple[dict[str, Any], int]] = []
    associations: list[dict[str, Any]] = []
    nodes: dict[str, dict[str, str]] = {}
    for order, (_line, row) in enumerate(competences, start=1):
        idnumber = row["Id number"].strip()
        identifier = _id(code, idnumber)
        nodes[idnumber] = {
            "title": row["Shortname"],
            "identifier": identifier,
            "uri": f"urn:moodle:{code}:{idnumber}",
        }
        item: dict[str, Any] = {
            "identifier": identifier,
            "uri": nodes[idnumber]["uri"],
            "fullStatement": row["Shortname"].strip(),
            "humanCodingScheme": idnumber,
        }
        if description := _text(row["Description"]):
            item["notes"] = description
        if taxonomy:
            item["CFItemType"] = taxonomy[min(level(idnumber), len(taxonomy) - 1)]
        items.append((item, order))
    for item, order in items:
        idnumber = item["humanCodingScheme"]
        parent = by_id[idnumber]["Parent id number"].strip()
        associations.append({
            "identifier": _id(code, f"{idnumber}/isChildOf"),
            "associationType": "isChildOf",
            "originNodeURI": nodes[idnumber],
            "destinationNodeURI": nodes[parent] if parent else document_node,
            "sequenceNumber": order,
        })  # fmt: skip
        for other in filter(
            None,
            (
                c.strip()
                for c in by_id[idnumber]
                .get("Cross referenced competency id numbers", "")
                .split(",")
            ),
        ):
            if other in nodes:  # Moodle ignores cross references to competencies it lacks
                associations.append({
                    "identifier": _id(code, f"{idnumber}/isRelatedTo/{other}"),
                    "associationType": "isRelatedTo",
                    "originNodeURI": nodes[idnumber],
                    "destinationNodeURI": nodes[other],
                })  # fmt: skip
    document: dict[str, Any] = {
        "identifier": document_id,
        "uri": document_node["uri"],
        "title": framework["Shortname"].strip(),
        "creator": "Moodle competency framework import",
        "description": _text(framework["Description"]),
        "humanCodingScheme": code,
    }
    scale = [s.strip() for s in framework.get("Scale values", "").split(",") if s.strip()]
    if scale:
        document["proficiencyScale"] = scale
    return {
        "CFDocument": document,
        "CFItems": [i for i, _ in items],
        "CFAssociations": associations,
    }


def _associations(  # noqa: PLR0917 - one call site, all needed
    code: str,
    idnumber: str,
    order: int,
    by_id: dict[str, dict[str, str]],
    nodes: dict[str, dict[str, str]],
    document_node: dict[str, str],
) -> list[dict[str, Any]]:
    parent = by_id[idnumber]["Parent id number"].strip()
    found: list[dict[str, Any]] = [
        {
            "identifier": _id(code, f"{idnumber}/isChildOf"),
            "associationType": "isChildOf",
            "originNodeURI": nodes[idnumber],
            "destinationNodeURI": nodes[parent] if parent else document_node,
            "sequenceNumber": order,
        }
    ]
    references = by_id[idnumber].get("Cross referenced competency id numbers", "")
    for other in (c.strip() for c in references.split(",")):
        if other in nodes:  # Moodle ignores cross references to competencies it lacks
            found.append(
                {
                    "identifier": _id(code, f"{idnumber}/isRelatedTo/{other}"),
                    "associationType": "isRelatedTo",
                    "originNodeURI": nodes[idnumber],
                    "destinationNodeURI": nodes[other],
                }
            )
    return found
