"""Reading cmi5.xml (cmi5 §13): well-formed XML valid against the XSD, with every schema error
and its line; then the rules the XSD cannot express: absolute IRIs unique across the structure
(§13.1.1-13.1.4), objective references, AU URLs (§14.1, §14.2) without cmi5 launch parameters
(§8.1, §13.1.4)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from lxml import etree

from courses.cmi5.schema import _schema, _xml_parser
from courses.cmi5.structure import (
    LAUNCH_METHODS,
    LAUNCH_PARAMETER_NAMES,
    MOVE_ON_VALUES,
    NAMESPACE,
    AssignableUnit,
    Block,
    CourseStructure,
    Objective,
    PackageError,
)

_Q = "{" + NAMESPACE + "}"


def _parse_structure(data: bytes, *, members: frozenset[str] | None) -> CourseStructure:
    """Parse and validate cmi5.xml; ``members`` are the zip's files, None for a bare file."""
    parser = _xml_parser()
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        # The parser's own log: the exception's is the thread's, and holds the errors of every
        # file parsed before in this process (another upload's, found by the fuzz tests).
        errors = [
            f"cmi5.xml line {entry.line}: not well-formed XML: {entry.message}"
            for entry in parser.error_log
        ] or [f"cmi5.xml: not well-formed XML: {exc}"]
        raise PackageError(errors) from exc
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise PackageError(
            "cmi5.xml: a DOCTYPE is not allowed (entities could read files or expand without "
            "bound); cmi5.xml is checked against the XSD only (cmi5 §13.2)"
        )
    schema = _schema()
    if not schema.validate(root):
        raise PackageError(
            f"cmi5.xml line {entry.line}: {entry.message.replace(_Q, '')} (XSD, cmi5 §13.2)"
            for entry in schema.error_log
        )
    return _StructureReader(members).read(root)


_IRI_BAD = re.compile(r"[\s\x00-\x1f\x7f<>\"{}|\\^`]")
_URL_BAD = re.compile(r"[\s\x00-\x1f\x7f<>\"\\]")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


def _collapse(value: str | None) -> str:
    """The xs:anyURI / xs:token whitespace rule: trim, and runs of whitespace become one."""
    return " ".join((value or "").split())


def _iri_problem(value: str) -> str | None:
    match = _SCHEME.match(value)
    problem = None
    if not value:
        problem = "is empty"
    elif _IRI_BAD.search(value):
        problem = 'contains a space, a control character or one of <>"{}|\\^`'
    elif not match or len(value) == match.end():
        problem = "has no scheme (it is a relative reference)"
    elif _BAD_PERCENT.search(value):
        problem = "has a '%' that does not start a percent-escape"
    else:
        try:
            parts = urlsplit(value)
            if parts.scheme.lower() in ("http", "https") and not parts.hostname:
                problem = "has no host"
        except ValueError as exc:
            problem = f"is malformed ({exc})"
    return problem


class _StructureReader:
    """Walks a schema-valid courseStructure, building the dataclasses and collecting every
    problem the XSD cannot see."""

    def __init__(self, members: frozenset[str] | None) -> None:
        self.members = members
        self.errors: list[str] = []
        self.ids: dict[str, tuple[str, int]] = {}
        self.objective_ids: set[str] = set()

    def error(self, where: str, message: str, section: str, element: Any) -> None:
        line = element.sourceline
        self.errors.append(f"{where}: {message} (cmi5 §{section}, cmi5.xml line {line})")

    def read(self, root: Any) -> CourseStructure:
        course = root.find(_Q + "course")
        course_id = self.identifier("course", course, "13.1.1")
        objectives: dict[str, Objective] = {}
        declared = root.find(_Q + "objectives")
        if declared is not None:
            for element in declared.iterfind(_Q + "objective"):
                objective_id = self.identifier("objective", element, "13.1.3")
                self.objective_ids.add(objective_id)
                objectives.setdefault(
                    objective_id,
                    Objective(
                        id=objective_id,
                        title=_language_map(element.find(_Q + "title")),
                        description=_language_map(element.find(_Q + "description")),
                    ),
                )
        structure = CourseStructure(
            id=course_id,
            title=_language_map(course.find(_Q + "title")),
            description=_language_map(course.find(_Q + "description")),
            children=self.children(root),
            objectives=objectives,
        )
        if self.errors:
            raise PackageError(self.errors)
        return structure

    def identifier(self, kind: str, element: Any, section: str) -> str:
        value = _collapse(element.get("id"))
        where = f"{kind}[id={value}]"
        problem = _iri_problem(value)
        if problem:
            self.error(
                where, f"id {problem}; an id is an absolute IRI", "3.0, §" + section, element
            )
        earlier = self.ids.get(value)
        if earlier is not None:
            self.error(
                where,
                f"id already used by the {earlier[0]} on line {earlier[1]}; ids are unique "
                "across the course structure",
                section,
                element,
            )
        else:
            self.ids[value] = (kind, element.sourceline)
        return value

    def children(self, parent: Any) -> tuple[Block | AssignableUnit, ...]:
        found: list[Block | AssignableUnit] = []
        for element in parent:
            if element.tag == _Q + "au":
                found.append(self.assignable_unit(element))
            elif element.tag == _Q + "block":
                found.append(self.block(element))
        return tuple(found)

    def block(self, element: Any) -> Block:
        block_id = self.identifier("block", element, "13.1.2")
        return Block(
            id=block_id,
            title=_language_map(element.find(_Q + "title")),
            description=_language_map(element.find(_Q + "description")),
            objectives=self.references(f"block[id={block_id}]", element, "13.1.2"),
            children=self.children(element),
        )

    def references(self, where: str, element: Any, section: str) -> tuple[str, ...]:
        container = element.find(_Q + "objectives")
        if container is None:
            return ()
        idrefs: list[str] = []
        for reference in container.iterfind(_Q + "objective"):
            idref = _collapse(reference.get("idref"))
            if not idref:
                self.error(
                    f"{where}/objectives/objective",
                    "reference without an idref",
                    section,
                    reference,
                )
            elif idref not in self.objective_ids:
                self.error(
                    f"{where}/objectives/objective[idref={idref}]",
                    "idref names no objective declared in courseStructure/objectives",
                    "13.1.3",
                    reference,
                )
            elif idref not in idrefs:
                idrefs.append(idref)
        return tuple(idrefs)

    def assignable_unit(self, element: Any) -> AssignableUnit:
        au_id = self.identifier("au", element, "13.1.4")
        where = f"au[id={au_id}]"
        url_element = element.find(_Q + "url")
        url = _collapse(url_element.text)
        for message, section in self.url_problems(url):
            self.error(f"{where}/url", message, section, url_element)
        move_on = element.get("moveOn", "NotApplicable")
        if move_on not in MOVE_ON_VALUES:  # the XSD says so too
            self.error(
                where, f"moveOn {move_on!r} is not one of the cmi5 values", "13.1.4", element
            )
        launch_method = element.get("launchMethod", "AnyWindow")
        if launch_method not in LAUNCH_METHODS:
            self.error(
                where,
                f"launchMethod {launch_method!r} is not one of the cmi5 values",
                "13.1.4",
                element,
            )
        return AssignableUnit(
            id=au_id,
            title=_language_map(element.find(_Q + "title")),
            description=_language_map(element.find(_Q + "description")),
            url=url,
            launch_method=launch_method,
            move_on=move_on,
            mastery_score=self.mastery_score(where, element),
            launch_parameters=_text(element.find(_Q + "launchParameters")),
            entitlement_key=_text(element.find(_Q + "entitlementKey")),
            activity_type=(element.get("activityType") or "").strip() or None,
            objectives=self.references(where, element, "13.1.4"),
        )

    def mastery_score(self, where: str, element: Any) -> Decimal | None:
        raw = element.get("masteryScore")
        if raw is None:
            return None
        try:
            score = Decimal(raw.strip())
        except InvalidOperation:
            score = None
        if score is None or not score.is_finite() or not 0 <= score <= 1:
            self.error(where, f"masteryScore {raw!r} is not a decimal in [0, 1]", "13.1.4", element)
            return None
        return score

    def url_problems(self, url: str) -> Iterator[tuple[str, str]]:
        if not url:
            yield "empty URL", "13.1.4"
            return
        if _URL_BAD.search(url) or _BAD_PERCENT.search(url):
            yield (
                (
                    f'{url!r} is not a valid URL (a space, a control character, one of <>"\\ '
                    "or a '%' that starts no escape)"
                ),
                "13.1.4",
            )
            return
        try:
            parts = urlsplit(url)
            _ = parts.port  # raises on a port that is not a number in range
        except ValueError as exc:
            yield f"{url!r} is not a valid URL ({exc})", "13.1.4"
            return
        if parts.scheme:
            if parts.scheme.lower() not in ("http", "https"):
                yield f"absolute URL {url!r} is not http or https", "13.1.4"
            elif not parts.hostname:
                yield f"absolute URL {url!r} has no host", "13.1.4"
        elif parts.netloc:
            yield (
                (
                    f"scheme-relative URL {url!r}: write an absolute http(s) URL, or a path "
                    "relative to cmi5.xml"
                ),
                "13.1.4, §14.1",
            )
        elif self.members is None:
            yield (
                (
                    f"relative URL {url!r} needs a zip package; a cmi5.xml on its own needs "
                    "absolute URLs"
                ),
                "14.2",
            )
        else:
            yield from self.member_problems(url, unquote(parts.path))
        names = {name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
        clashes = [name for name in LAUNCH_PARAMETER_NAMES if name in names]
        if clashes:
            yield (
                (
                    f"query string already uses the cmi5 launch parameter(s) {', '.join(clashes)}, "
                    "which the LMS adds at launch"
                ),
                "8.1, §13.1.4",
            )

    def member_problems(self, url: str, path: str) -> Iterator[tuple[str, str]]:
        members = self.members or frozenset()
        if not path or path.startswith("/"):
            yield f"relative URL {url!r} is not a path relative to cmi5.xml", "14.1"
            return
        target = posixpath.normpath(path)
        if target == ".." or target.startswith("../"):
            yield f"relative URL {url!r} leads outside the package", "14.1"
        elif target not in members:
            yield (
                f"relative URL {url!r} names {target!r}, which is not a file in the zip",
                "14.1",
            )


def _language_map(element: Any) -> dict[str, str]:
    """A textType element (cmi5 §13.1: langstrings) as a language map."""
    values: dict[str, str] = {}
    if element is None:
        return values
    for langstring in element.iterfind(_Q + "langstring"):
        language = (langstring.get("lang") or "").strip() or "und"
        values.setdefault(language, (langstring.text or "").strip())
    return values


def _text(element: Any) -> str | None:
    if element is None:
        return None
    return "".join(element.itertext()).strip() or None
