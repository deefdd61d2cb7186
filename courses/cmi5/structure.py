"""The course structure a cmi5 package describes (cmi5 §13.1): blocks, assignable units and
objectives, as read from cmi5.xml or tincan.xml; and ``PackageError``, which lists every
problem found in a package."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lms.api import InvalidInput

NAMESPACE = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"

MOVE_ON_VALUES = frozenset(
    {"NotApplicable", "Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed"}
)
LAUNCH_METHODS = frozenset({"AnyWindow", "OwnWindow"})
# The query string parameters the LMS adds to an AU's URL at launch (cmi5 §8.1).
LAUNCH_PARAMETER_NAMES = ("endpoint", "fetch", "actor", "registration", "activityId")

STRUCTURE_NAME = "cmi5.xml"
# A plain xAPI ("Tin Can") package describes its activities in tincan.xml at its root.
TINCAN_NAME = "tincan.xml"
TINCAN_NS = "http://projecttincan.com/tincan.xsd"

# At most this many problems are listed; a hostile zip could otherwise list 20,000.
MAX_REPORTED_ERRORS = 50


class PackageError(InvalidInput, ValueError):
    """The package is refused whole. ``errors`` lists every reason, each naming the element or
    file and the rule, e.g. "au[id=https://x/au1]/url: relative URL 'a.html' needs a zip
    package (cmi5 §14.2, cmi5.xml line 14)". ``str()`` joins them, one a line."""

    errors: list[str]
    default_field = "package"

    def __init__(self, errors: str | Iterable[str]) -> None:
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        if len(self.errors) > MAX_REPORTED_ERRORS:
            more = len(self.errors) - MAX_REPORTED_ERRORS
            self.errors = [*self.errors[:MAX_REPORTED_ERRORS], f"... and {more} more problems"]
        super().__init__("\n".join(self.errors))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.errors,))

    @property
    def messages(self) -> list[str]:
        return self.errors


@dataclass(frozen=True)
class Objective:
    """cmi5 §13.1.3. ``title`` and ``description`` are language maps."""

    id: str
    title: dict[str, str]
    description: dict[str, str]


@dataclass(frozen=True)
class AssignableUnit:
    """cmi5 §13.1.4. ``url`` as written in cmi5.xml (whitespace collapsed): relative to the
    package root, or absolute. ``objectives`` are idrefs into ``CourseStructure.objectives``."""

    id: str
    title: dict[str, str]
    description: dict[str, str]
    url: str
    launch_method: str
    move_on: str
    mastery_score: Decimal | None
    launch_parameters: str | None
    entitlement_key: str | None
    activity_type: str | None
    objectives: tuple[str, ...]


@dataclass(frozen=True)
class Block:
    """cmi5 §13.1.2: a group of AUs and blocks, in course order."""

    id: str
    title: dict[str, str]
    description: dict[str, str]
    children: tuple[Block | AssignableUnit, ...]
    objectives: tuple[str, ...]


@dataclass(frozen=True)
class CourseStructure:
    """cmi5 §13.1.1: the course, its objectives (by id, in document order) and its AUs and
    blocks in course order."""

    id: str
    title: dict[str, str]
    description: dict[str, str]
    children: tuple[Block | AssignableUnit, ...]
    objectives: dict[str, Objective]


def assignable_units(
    structure: CourseStructure,
) -> list[tuple[AssignableUnit, tuple[Block, ...]]]:
    """Every AU, depth-first in course order, with the blocks above it (outermost first)."""
    found: list[tuple[AssignableUnit, tuple[Block, ...]]] = []
    stack: list[tuple[Iterator[Block | AssignableUnit], tuple[Block, ...]]] = [
        (iter(structure.children), ())
    ]
    while stack:
        children, above = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
        elif isinstance(child, Block):
            stack.append((iter(child.children), (*above, child)))
        else:
            found.append((child, above))
    return found
