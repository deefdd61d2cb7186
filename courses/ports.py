"""What courses needs from the LRS, which sits above it (docs/architecture.md, "Layers").

The launch writes xAPI data on the learner's behalf (the ``launched`` statement, the
``LMS.LaunchData`` state document, the learner preferences profile). courses may not import
progress, so it defines this protocol; progress implements it and registers it in ``ready()``.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Protocol

from django.utils.safestring import SafeString

from lms.api import NotAllowed


class LRSPort(Protocol):
    def record_statement(self, *, statement: dict[str, Any]) -> str:
        """Store one statement as the LMS (its authority) and return its id."""

    def put_state(
        self,
        *,
        activity_iri: str,
        agent: dict[str, Any],
        registration: str,
        state_id: str,
        document: dict[str, Any],
    ) -> None:
        """Write a JSON state document (xAPI Communication §2.3)."""

    def put_agent_profile(
        self, *, agent: dict[str, Any], profile_id: str, document: dict[str, Any]
    ) -> None:
        """Write a JSON agent profile document, keeping one already there (cmi5 §11)."""

    def record_platform_unit(self, *, enrolment: Any, unit: Any, done: bool) -> None:
        """A link, video or document: record "launched" (opened) or "completed" (done)."""

    def abandon_session(self, *, session: Any) -> bool:
        """Record that a session ended without terminated (cmi5 §9.3.6): one statement.
        False when the session had ended already."""

    def start_registration(self, *, enrolment: Any) -> None:
        """A registration begins (cmi5 §9.6.1): evaluate moveOn (NotApplicable units)."""


_port: LRSPort | None = None


def register_lrs_port(port: LRSPort) -> None:
    global _port  # noqa: PLW0603 - one registration at start-up
    _port = port


def lrs() -> LRSPort:
    if _port is None:
        raise RuntimeError("No LRS is registered: is the progress app installed?")
    return _port


class EnrolmentRefused(NotAllowed):
    """A learner may not enrol (a paid course without a seat for them); the message says why."""


class EnrolmentPolicy(Protocol):
    def check(self, *, learner: Any, course: Any) -> None:
        """Raise EnrolmentRefused if ``learner`` may not enrol in ``course``; for a paid
        course, take the seat they enrol with (organisations implements this, issue 6)."""


class _NoSeats:
    """Until an app that sells seats registers its policy, paid courses are closed."""

    def check(self, *, learner: Any, course: Any) -> None:
        if course.is_paid:
            raise EnrolmentRefused(
                "This course needs a seat from your organisation, and none is available to you."
            )


_policy: EnrolmentPolicy = _NoSeats()


def register_enrolment_policy(policy: EnrolmentPolicy) -> None:
    global _policy  # noqa: PLW0603 - one registration at start-up
    _policy = policy


def enrolment_policy() -> EnrolmentPolicy:
    return _policy


class AccreditationLookup(Protocol):
    def accredited_course_ids(self) -> Any:
        """The ids of courses with a current accreditation, as a queryset of ids (so that
        the catalogue filters in SQL). certificates implements this (issue 7)."""


class _NoAccreditations:
    def accredited_course_ids(self) -> Any:
        from courses.models import Course  # noqa: PLC0415

        return Course.objects.none().values("id")


_accreditations: AccreditationLookup = _NoAccreditations()


def register_accreditation_lookup(lookup: AccreditationLookup) -> None:
    global _accreditations  # noqa: PLW0603 - one registration at start-up
    _accreditations = lookup


def accreditations() -> AccreditationLookup:
    return _accreditations


@dataclass(frozen=True)
class UnitState:
    """Where a learner stands in a unit, as the course page shows it."""

    label: str  # "Completed", "In progress"... in the request's language
    done: bool  # completed, passed or waived: the unit can be reviewed (cmi5 §10.2.2)
    score: Decimal | None = None  # scaled, 0 to 1, when the unit reported one
    time_spent: timedelta | None = None  # when the unit reported any

    @property
    def minutes(self) -> int | None:
        """The time spent in whole minutes, at least one once any time was reported."""
        if not self.time_spent:
            return None
        return max(1, round(self.time_spent.total_seconds() / 60))


class UnitStates(Protocol):
    def __call__(self, *, enrolment: Any) -> dict[int, UnitState]:
        """The learner's state in each unit of the enrolment's course, by unit id (units not
        started are left out). progress implements it from the statements' projection."""


def _no_states(*, enrolment: Any) -> dict[int, UnitState]:
    return {}


_unit_states: UnitStates = _no_states


def register_unit_states(states: UnitStates) -> None:
    global _unit_states  # noqa: PLW0603 - one registration at start-up
    _unit_states = states


def unit_states(*, enrolment: Any) -> dict[int, UnitState]:
    return _unit_states(enrolment=enrolment)


class CoursePageSection(Protocol):
    def __call__(self, *, request: Any, course: Any) -> SafeString:
        """A rendered template shown on the course's page."""


_course_sections: dict[str, CoursePageSection] = {}


def register_course_section(key: str, section: CoursePageSection) -> None:
    """Higher apps add to the course page (frameworks: the competences it develops); by key,
    so that ``ready()`` may run twice."""
    _course_sections[key] = section


def course_sections(*, request: Any, course: Any) -> list[SafeString]:
    return [section(request=request, course=course) for section in _course_sections.values()]


@dataclass(frozen=True)
class CourseStanding:
    """A learner's status in a course, as the course page shows it (progress decides it: the
    one rule of progress/status.py)."""

    state: str  # "not_started", "in_progress" or "completed"
    units_done: int
    units_total: int
    completed_on: date | None = None  # local date
    score: Decimal | None = None


class CourseStandings(Protocol):
    def __call__(self, *, enrolment: Any) -> CourseStanding:
        """The enrolment's status; progress implements it."""


def _not_started(*, enrolment: Any) -> CourseStanding:
    return CourseStanding("not_started", 0, 0)


_course_standing: CourseStandings = _not_started


def register_course_standing(standing: CourseStandings) -> None:
    global _course_standing  # noqa: PLW0603 - one registration at start-up
    _course_standing = standing


def course_standing(*, enrolment: Any) -> CourseStanding:
    return _course_standing(enrolment=enrolment)


@dataclass(frozen=True)
class CertificateLink:
    """A completed course's certificate: its URL, or "" while it is being issued."""

    url: str = ""

    @property
    def issued(self) -> bool:
        return bool(self.url)


class CertificateLookup(Protocol):
    def certificates_for(
        self, *, learner: Any, course_ids: Iterable[int]
    ) -> dict[int, CertificateLink]:
        """For the learner's completed courses among ``course_ids``: the certificate, or a
        link without URL when one is due but not issued yet; courses that give none are left
        out. A fixed number of queries. certificates implements it."""


class _NoCertificates:
    def certificates_for(
        self, *, learner: Any, course_ids: Iterable[int]
    ) -> dict[int, CertificateLink]:
        return {}


_certificates: CertificateLookup = _NoCertificates()


def register_certificate_lookup(lookup: CertificateLookup) -> None:
    global _certificates  # noqa: PLW0603 - one registration at start-up
    _certificates = lookup


def certificate_lookup() -> CertificateLookup:
    return _certificates
