"""cmi5 statements from an AU session: the rules they must keep (cmi5 §9.3), and their
projection into unit and course progress, ``satisfied`` statements and the CompletionRecord.

One transaction per request: the session and the unit's progress rows are locked, every
statement is checked in order against them, the statements are stored, and progress follows.
The cost per statement is a constant number of row look-ups, whatever the size of the LRS.
"""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from courses.models import Course, CourseUnit, LaunchMode, LaunchSession, MoveOn, SessionState
from progress import services
from progress.models import CompletionRecord, LRSClient, UnitProgress
from progress.xapi.protocol import XAPIError
from progress.xapi.validation import duration_seconds

VERBS = "http://adlnet.gov/expapi/verbs/"
INITIALIZED, COMPLETED, PASSED, FAILED, TERMINATED = (
    f"{VERBS}initialized", f"{VERBS}completed", f"{VERBS}passed", f"{VERBS}failed",
    f"{VERBS}terminated",
)  # fmt: skip
SATISFIED = "https://w3id.org/xapi/adl/verbs/satisfied"
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
EXT = "https://w3id.org/xapi/cmi5/context/extensions/"
COURSE_TYPE = "https://w3id.org/xapi/cmi5/activitytype/course"
BLOCK_TYPE = "https://w3id.org/xapi/cmi5/activitytype/block"


def _refuse(message: str) -> XAPIError:
    # cmi5 §9.3: statements that break the rules are rejected (403: the LMS will not record them).
    return XAPIError(403, f"cmi5: {message}")


def _is_defined(statement: dict[str, Any]) -> bool:
    """A "cmi5 defined" statement carries the cmi5 category (cmi5 §9.6.2.1)."""
    categories = ((statement.get("context") or {}).get("contextActivities") or {}).get("category")
    return any(c.get("id") == CMI5_CATEGORY for c in categories or ())


def _scaled(statement: dict[str, Any]) -> Decimal | None:
    score = (statement.get("result") or {}).get("score") or {}
    return Decimal(str(score["scaled"])) if "scaled" in score else None


def _duration(statement: dict[str, Any]) -> timedelta:
    text = (statement.get("result") or {}).get("duration")
    return timedelta(seconds=duration_seconds(text)) if text else timedelta()


def _check(
    statement: dict[str, Any], session: LaunchSession, progress: UnitProgress, unit: CourseUnit
) -> None:
    """cmi5 §9.3 (order and number of verbs), §9.3.4-9.3.5 (masteryScore), §10.2.2 (launchMode)."""
    _check_order(statement["verb"]["id"], session)
    if _is_defined(statement) and statement["verb"]["id"] in (COMPLETED, PASSED, FAILED):
        _check_result(statement, session, progress, unit)


def _check_order(verb: str, session: LaunchSession) -> None:
    if session.state == SessionState.TERMINATED:
        raise _refuse("the session is terminated; no statement may follow terminated.")
    if session.state == SessionState.ABANDONED:
        raise _refuse("the session was abandoned.")
    if session.state == SessionState.LAUNCHED and verb != INITIALIZED:
        raise _refuse("initialized must be the first statement of a session.")
    if verb == INITIALIZED and session.state != SessionState.LAUNCHED:
        raise _refuse("a session has only one initialized statement.")


def _check_result(
    statement: dict[str, Any], session: LaunchSession, progress: UnitProgress, unit: CourseUnit
) -> None:
    verb = statement["verb"]["id"]
    if session.launch_mode != LaunchMode.NORMAL:
        raise _refuse(f"{verb.rsplit('/', 1)[1]} is not allowed in {session.launch_mode} mode.")
    mastery = unit.mastery_score
    scaled = _scaled(statement)
    if verb == COMPLETED and progress.completed:
        raise _refuse("completed may be sent once per registration.")
    if verb == PASSED:
        if progress.passed:
            raise _refuse("passed may be sent once per registration.")
        if mastery is not None and scaled is not None and scaled < mastery:
            raise _refuse("a passed statement's score must reach the masteryScore.")
    if verb == FAILED:
        if progress.passed:
            raise _refuse("failed must not follow passed.")
        if mastery is not None and scaled is not None and scaled >= mastery:
            raise _refuse("a failed statement's score must be below the masteryScore.")


def _apply(statement: dict[str, Any], session: LaunchSession, progress: UnitProgress) -> None:
    verb = statement["verb"]["id"]
    if verb == INITIALIZED:
        session.state = SessionState.INITIALIZED
    elif verb == TERMINATED:
        # cmi5 §9.5.4: terminated carries the whole session's duration.
        session.state = SessionState.TERMINATED
        progress.time_spent += max(_duration(statement), progress.open_session_time)
        progress.open_session_time = timedelta()
    if _is_defined(statement):
        if verb == COMPLETED:
            progress.completed = True
        elif verb == PASSED:
            progress.passed, progress.failed = True, False
        elif verb == FAILED and not progress.passed:
            progress.failed = True
        if verb in (COMPLETED, PASSED, FAILED):
            progress.evidence = [*progress.evidence, statement["id"]]
            # Until terminated says how long the session was, the time it took to complete
            # or pass (§9.5.4) is the best figure.
            progress.open_session_time = max(progress.open_session_time, _duration(statement))
            if (scaled := _scaled(statement)) is not None:
                progress.score_scaled = scaled
    progress.last_activity_at = datetime.now(UTC)


def _meets_move_on(unit: CourseUnit, progress: UnitProgress) -> bool:
    """cmi5 §13.1.4 moveOn (NotApplicable counts as met; a waived unit too, §9.3.9)."""
    if progress.waived:
        return True
    return {
        MoveOn.NOT_APPLICABLE: True,
        MoveOn.PASSED: progress.passed,
        MoveOn.COMPLETED: progress.completed,
        MoveOn.COMPLETED_AND_PASSED: progress.completed and progress.passed,
        MoveOn.COMPLETED_OR_PASSED: progress.completed or progress.passed,
    }[MoveOn(unit.move_on)]


@transaction.atomic
def record_au_statements(
    *,
    session: LaunchSession,
    statements: list[dict[str, Any]],
    client: LRSClient,
    version: str,
    attachments: list[services.ReceivedAttachment] = (),  # type: ignore[assignment]
) -> list[str]:
    """Check, store and project the statements an AU sends in one request."""
    session = (
        LaunchSession.objects.select_for_update()
        .select_related("unit__course", "enrolment__learner")
        .get(pk=session.pk)
    )
    unit = session.unit
    progress, _ = UnitProgress.objects.select_for_update().get_or_create(
        enrolment=session.enrolment, unit=unit
    )
    was_satisfied = progress.satisfied
    for statement in statements:
        statement.setdefault("id", str(uuid.uuid4()))
        _check(statement, session, progress, unit)
        _apply(statement, session, progress)
    ids = services.store_statements(
        statements=statements, client=client, version=version, attachments=attachments
    )
    if not was_satisfied and _meets_move_on(unit, progress):
        progress.satisfied = True
        _satisfied(session, unit_object(unit), progress)
        _course_follows(session, progress)
    progress.save()
    session.save(update_fields=["state"])
    return ids


def unit_object(unit: CourseUnit) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": unit.lms_activity_iri,
        "definition": {"name": unit.title},
    }


def course_object(course: Course) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": course.lms_activity_iri,
        "definition": {"name": course.title, "type": COURSE_TYPE},
    }


def _satisfied(
    session: LaunchSession, obj: dict[str, Any], progress: UnitProgress | None = None
) -> str:
    """The LMS's "satisfied" statement (cmi5 §9.3.9), with the launch's session id."""
    from courses.api import learner_agent  # noqa: PLC0415
    from progress.lms_port import lms_client  # noqa: PLC0415

    course = session.unit.course
    statement_id = str(uuid.uuid4())
    statement: dict[str, Any] = {
        "id": statement_id,
        "actor": learner_agent(session.enrolment.learner),
        "verb": {"id": SATISFIED, "display": {"en-US": "satisfied"}},
        "object": obj,
        "context": {
            "registration": str(session.registration),
            "contextActivities": {
                "grouping": [{"objectType": "Activity", "id": course.activity_iri}],
                "category": [{"objectType": "Activity", "id": CMI5_CATEGORY}],
            },
            "extensions": {f"{EXT}sessionid": str(session.public_id)},
        },
        "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }
    services.store_statements(statements=[statement], client=lms_client(), version="1.0.3")
    if progress is not None:
        progress.evidence = [*progress.evidence, statement_id]
    return statement_id


def _course_follows(session: LaunchSession, current: UnitProgress) -> None:
    """When every active unit of the course meets its moveOn, the course is satisfied: the
    LMS says so and a CompletionRecord is written, once per registration."""
    course = session.unit.course
    units = list(course.units.filter(is_active=True))
    rows = {
        p.unit_id: p
        for p in UnitProgress.objects.filter(enrolment=session.enrolment, unit__in=units)
    }
    rows[session.unit_id] = current  # as it stands in this transaction
    for unit in units:
        progress = rows.get(unit.pk)
        if progress is None or not _meets_move_on(unit, progress):
            return
    if CompletionRecord.objects.filter(course=course, registration=session.registration).exists():
        return
    satisfied_id = _satisfied(session, course_object(course))
    evidence = [e for p in rows.values() for e in p.evidence]
    scores = [p.score_scaled for p in rows.values() if p.score_scaled is not None]
    CompletionRecord.objects.create(
        learner=session.enrolment.learner,
        course=course,
        registration=session.registration,
        completed_at=datetime.now(UTC),
        score_scaled=sum(scores) / len(scores) if scores else None,
        time_spent=sum((p.time_spent + p.open_session_time for p in rows.values()), timedelta()),
        evidence=[*evidence, satisfied_id],
    )
