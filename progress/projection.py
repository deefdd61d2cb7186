"""cmi5 statements from an AU session: the rules they must keep (cmi5 §9.3), and their
projection into unit and course progress, ``satisfied`` statements and the CompletionRecord.

One transaction per request: the session and the unit's progress rows are locked, every
statement is checked in order against them, the statements are stored, and progress follows.
The cost per statement is a constant number of row look-ups, whatever the size of the LRS.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from courses.models import (
    Block,
    Course,
    CourseUnit,
    Enrolment,
    LaunchMode,
    LaunchSession,
    MoveOn,
    SessionState,
    UnitKind,
)
from progress import services
from progress.chain import log_completion
from progress.journeys import journeys_follow
from progress.models import BlockSatisfaction, CompletionRecord, LRSClient, UnitProgress
from progress.signals import announce_completion
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


@dataclass(frozen=True)
class _Ctx:
    """Who and where an LMS statement is about: a launch session, or a fresh session id when
    the LMS acts outside one (cmi5 §9.3.9: "a unique session ID")."""

    enrolment: Enrolment
    unit: CourseUnit
    session_id: str

    @classmethod
    def of(cls, session: LaunchSession) -> "_Ctx":
        return cls(session.enrolment, session.unit, str(session.public_id))


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


VOIDED = f"{VERBS}voided"


def _check_order(verb: str, session: LaunchSession) -> None:
    if verb == VOIDED:
        # cmi5 §6.3: the LMS MUST NOT give an AU credentials that can void statements.
        raise _refuse("an AU may not void statements.")
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
    if verb in (PASSED, FAILED) and session.judged:
        raise _refuse("a session has at most one passed or failed statement.")


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
        if verb in (PASSED, FAILED):
            session.judged = True
        if verb in (COMPLETED, PASSED, FAILED):
            progress.evidence = [*progress.evidence, statement["id"]]
            # Until terminated says how long the session was, the time it took to complete
            # or pass (§9.5.4) is the best figure.
            progress.open_session_time = max(progress.open_session_time, _duration(statement))
            if (scaled := _scaled(statement)) is not None:
                progress.score_scaled = scaled
    progress.last_activity_at = datetime.now(UTC)


def _apply_xapi(statement: dict[str, Any], unit: CourseUnit, progress: UnitProgress) -> None:
    """A plain xAPI package completes on "completed" or "passed" about its own activity."""
    if statement["object"].get("id") == unit.activity_iri:
        verb = statement["verb"]["id"]
        if verb in (COMPLETED, PASSED):
            progress.completed = progress.completed or verb == COMPLETED
            progress.passed = progress.passed or verb == PASSED
            progress.evidence = [*progress.evidence, statement["id"]]
            progress.time_spent += _duration(statement)
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
    cmi5 = unit.kind == UnitKind.CMI5
    for statement in statements:
        statement.setdefault("id", str(uuid.uuid4()))
        if cmi5:
            _check(statement, session, progress, unit)
            _apply(statement, session, progress)
        else:
            _apply_xapi(statement, unit, progress)
    ids = services.store_statements(
        statements=statements, client=client, version=version, attachments=attachments
    )
    if not was_satisfied and _meets_move_on(unit, progress):
        progress.satisfied = True
        ctx = _Ctx.of(session)
        _satisfied(ctx, unit_object(unit), progress)
        _course_follows(ctx, progress)
    progress.save()
    session.save(update_fields=["state", "judged"])
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


def _satisfied(ctx: _Ctx, obj: dict[str, Any], progress: UnitProgress | None = None) -> str:
    """The LMS's "satisfied" statement (cmi5 §9.3.9), with the launch's session id."""
    from progress.lms_port import lms_client  # noqa: PLC0415

    statement = _lms_statement(ctx, SATISFIED, obj)
    statement["context"]["contextActivities"]["grouping"] = [
        {"objectType": "Activity", "id": ctx.unit.course.activity_iri}
    ]
    services.store_statements(statements=[statement], client=lms_client(), version="1.0.3")
    if progress is not None:
        progress.evidence = [*progress.evidence, statement["id"]]
    return str(statement["id"])


def block_object(block: Block) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": block.lms_activity_iri,
        "definition": {"name": block.title, "type": BLOCK_TYPE},
    }


def _blocks_follow(ctx: _Ctx, rows: dict[int, UnitProgress], units: list[CourseUnit]) -> None:
    """cmi5 §9.3.9: a block whose units all meet their moveOn is satisfied, once."""
    blocks = {b.pk: b for b in Block.objects.filter(course=ctx.unit.course_id)}
    chain, block_id = [], ctx.unit.block_id
    while block_id is not None:
        chain.append(blocks[block_id])
        block_id = blocks[block_id].parent_id
    done = set(
        BlockSatisfaction.objects.filter(enrolment=ctx.enrolment, block__in=chain).values_list(
            "block_id", flat=True
        )
    )
    for block in chain:
        if block.pk in done:
            continue
        inside = [u for u in units if _within(u.block_id, block.pk, blocks)]
        if all(rows.get(u.pk) is not None and _meets_move_on(u, rows[u.pk]) for u in inside):
            statement_id = _satisfied(ctx, block_object(block))
            BlockSatisfaction.objects.create(
                enrolment=ctx.enrolment, block=block, statement_id=statement_id
            )


def _within(block_id: int | None, ancestor: int, blocks: dict[int, Block]) -> bool:
    while block_id is not None:
        if block_id == ancestor:
            return True
        block_id = blocks[block_id].parent_id
    return False


def _course_follows(ctx: _Ctx, current: UnitProgress) -> None:
    """When every active unit of the course meets its moveOn, the course is satisfied: the
    LMS says so and a CompletionRecord is written, once per registration."""
    course = ctx.unit.course
    enrolment = ctx.enrolment
    units = list(course.units.filter(is_active=True))
    rows = {p.unit_id: p for p in UnitProgress.objects.filter(enrolment=enrolment, unit__in=units)}
    rows[ctx.unit.pk] = current  # as it stands in this transaction
    _blocks_follow(ctx, rows, units)
    for unit in units:
        progress = rows.get(unit.pk)
        if progress is None:
            # cmi5 §13.1.4: a NotApplicable AU is satisfied without ever being launched.
            if unit.move_on != MoveOn.NOT_APPLICABLE:
                return
        elif not _meets_move_on(unit, progress):
            return
    if CompletionRecord.objects.filter(course=course, registration=enrolment.registration).exists():
        return
    satisfied_id = _satisfied(ctx, course_object(course))
    evidence = [e for p in rows.values() for e in p.evidence]
    scores = [p.score_scaled for p in rows.values() if p.score_scaled is not None]
    record = CompletionRecord.objects.create(
        learner=enrolment.learner,
        course=course,
        registration=enrolment.registration,
        completed_at=datetime.now(UTC),
        score_scaled=sum(scores) / len(scores) if scores else None,
        time_spent=sum((p.time_spent + p.open_session_time for p in rows.values()), timedelta()),
        evidence=[*evidence, satisfied_id],
    )
    log_completion(record)
    announce_completion(record.pk)
    journeys_follow(learner=enrolment.learner, course_id=course.pk)


ABANDONED = "https://w3id.org/xapi/adl/verbs/abandoned"
WAIVED = "https://w3id.org/xapi/adl/verbs/waived"


def _lms_statement(ctx: _Ctx, verb: str, obj: dict[str, Any], **extra: Any) -> dict[str, Any]:
    from courses.api import learner_agent  # noqa: PLC0415

    return {
        "id": str(uuid.uuid4()),
        "actor": learner_agent(ctx.enrolment.learner),
        "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[1]}},
        "object": obj,
        "context": {
            "registration": str(ctx.enrolment.registration),
            "contextActivities": {
                "grouping": [{"objectType": "Activity", "id": ctx.unit.activity_iri}],
                "category": [{"objectType": "Activity", "id": CMI5_CATEGORY}],
            },
            "extensions": {f"{EXT}sessionid": ctx.session_id},
        },
        "timestamp": services.format_timestamp(datetime.now(UTC)),
        **extra,
    }


@transaction.atomic
def abandon(*, session: LaunchSession) -> None:
    """cmi5 §9.3.6: the LMS records "abandoned" once for a session that ended unterminated."""
    from progress.lms_port import lms_client  # noqa: PLC0415

    session = (
        LaunchSession.objects.select_for_update()
        .select_related("unit", "enrolment__learner")
        .get(pk=session.pk)
    )
    if session.state in (SessionState.TERMINATED, SessionState.ABANDONED):
        return
    statement = _lms_statement(_Ctx.of(session), ABANDONED, unit_object(session.unit))
    services.store_statements(statements=[statement], client=lms_client(), version="1.0.3")
    session.state = SessionState.ABANDONED
    session.save(update_fields=["state"])


REASON = "https://w3id.org/xapi/cmi5/result/extensions/reason"
WAIVE_REASONS = ("Tested Out", "Equivalent AU", "Equivalent Outside Activity", "Administrative")


@transaction.atomic
def waive_unit(*, enrolment: Enrolment, unit: CourseUnit, reason: str) -> bool:
    """cmi5 §9.3.7: staff waive a unit for a learner; "waived" once per registration and unit,
    then "satisfied" as its moveOn is met (§9.3.9). Returns False if it was waived already."""
    from progress.lms_port import lms_client  # noqa: PLC0415

    if reason not in WAIVE_REASONS:
        raise ValueError(f"reason must be one of: {', '.join(WAIVE_REASONS)}.")
    progress, _ = UnitProgress.objects.select_for_update().get_or_create(
        enrolment=enrolment, unit=unit
    )
    if progress.waived:
        return False
    ctx = _Ctx(enrolment, unit, str(uuid.uuid4()))
    statement = _lms_statement(
        ctx,
        WAIVED,
        unit_object(unit),
        result={"completion": True, "success": True, "extensions": {REASON: reason}},
    )
    services.store_statements(statements=[statement], client=lms_client(), version="1.0.3")
    progress.waived = True
    progress.evidence = [*progress.evidence, statement["id"]]
    if not progress.satisfied:
        progress.satisfied = True
        _satisfied(ctx, unit_object(unit), progress)
        _course_follows(ctx, progress)
    progress.save()
    return True


LAUNCHED = f"{VERBS}launched"


@transaction.atomic
def record_platform_unit(*, enrolment: Enrolment, unit: CourseUnit, done: bool) -> None:
    """A link, video or document the platform tracks itself: "launched" when the learner opens
    it, "completed" when they mark it done; progress follows as for any unit."""
    from progress.lms_port import lms_client  # noqa: PLC0415

    progress, _ = UnitProgress.objects.select_for_update().get_or_create(
        enrolment=enrolment, unit=unit
    )
    ctx = _Ctx(enrolment, unit, str(uuid.uuid4()))
    if not done:
        statement = _lms_statement(ctx, LAUNCHED, unit_object(unit))
        services.store_statements(statements=[statement], client=lms_client(), version="1.0.3")
        progress.last_activity_at = datetime.now(UTC)
        progress.save()
        return
    if progress.completed:
        return
    statement = _lms_statement(ctx, COMPLETED, unit_object(unit), result={"completion": True})
    services.store_statements(statements=[statement], client=lms_client(), version="1.0.3")
    progress.completed = True
    progress.evidence = [*progress.evidence, statement["id"]]
    progress.last_activity_at = datetime.now(UTC)
    if not progress.satisfied and _meets_move_on(unit, progress):
        progress.satisfied = True
        _satisfied(ctx, unit_object(unit), progress)
        _course_follows(ctx, progress)
    progress.save()
