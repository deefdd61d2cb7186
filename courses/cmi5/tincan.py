"""Reading tincan.xml: a plain xAPI ("Tin Can") package imports as a one-unit course."""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

from lxml import etree

from courses.cmi5.course_xml import _collapse, _iri_problem
from courses.cmi5.schema import _xml_parser
from courses.cmi5.structure import TINCAN_NS, AssignableUnit, CourseStructure, PackageError


def _parse_tincan(data: bytes, *, members: frozenset[str]) -> CourseStructure:
    """A tincan.xml package as a one-unit course: its launchable activity is the unit, which
    completes on "completed" or "passed" for that activity. Same XML safety as cmi5.xml."""
    try:
        root = etree.fromstring(data, _xml_parser())
    except etree.XMLSyntaxError as exc:
        raise PackageError(f"tincan.xml: not well-formed XML ({exc})") from exc
    ns = {"t": TINCAN_NS}
    launchable = root.xpath("//t:activity[t:launch]", namespaces=ns)
    if not launchable:
        raise PackageError("tincan.xml: no activity has a <launch> element")
    activity = launchable[0]
    activity_id = _collapse(activity.get("id"))
    errors = []
    if not activity_id or (problem := _iri_problem(activity_id)):
        errors.append(f"tincan.xml activity/@id: {problem if activity_id else 'missing'}")
    launch = _collapse(activity.xpath("string(t:launch)", namespaces=ns))
    target = posixpath.normpath(launch.split("?")[0].split("#")[0]) if launch else ""
    if not launch or urlsplit(launch).scheme:
        errors.append("tincan.xml activity/launch: a relative URL of a file in the package")
    elif target not in members:
        errors.append(f"tincan.xml activity/launch: {launch!r} is not a file in the package")
    if errors:
        raise PackageError(errors)

    def texts(tag: str) -> dict[str, str]:
        found: dict[str, str] = {}
        for element in activity.xpath(f"t:{tag}", namespaces=ns):
            text = " ".join((element.text or "").split())
            if text:
                found.setdefault(element.get("lang") or "und", text)
        return found

    title = texts("name") or {"und": activity_id}
    unit = AssignableUnit(
        id=activity_id,
        title=title,
        description=texts("description"),
        url=launch,
        launch_method="AnyWindow",
        move_on="CompletedOrPassed",
        mastery_score=None,
        launch_parameters=None,
        entitlement_key=None,
        activity_type=activity.get("type"),
        objectives=(),
    )
    return CourseStructure(
        id=activity_id,
        title=title,
        description=texts("description"),
        children=(unit,),
        objectives={},
    )
