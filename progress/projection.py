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
from progress.clients import lms_client
from progress.cmi5 import (
    ABANDONED,
    CMI5_CATEGORY,
    COMPLETED,
    FAILED,
    INITIALIZED,
    LAUNCHED,
    MOVEON_CATEGORY,
    PASSED,
    SATISFIED,
    SESSION_ID,
    TERMINATED,
    WAIVED,
    Cmi5RuleError,
    Launch,
    check_au_statement,
    is_defined,
)
from progress.journeys import journeys_follow
from progress.models import BlockSatisfaction, CompletionRecord, LRSClient, UnitProgress
from progress.signals import announce_completion
from progress.xapi.validation import duration_seconds

COURSE_TYPE = "https://w3id.org/xapi/cmi5/activitytype/course"
BLOCK_TYPE = "https://w3id.org/xapi/cmi5/activitytype/block"


@dataclass(frozen=True)
class _Ctx:
    """Whose registration and which session an LMS statement belongs to: a launch session's id,
    or a fresh one when the LMS acts outside a session (cmi5 §9.3.9: "a unique session ID")."""

    enrolment: Enrolment
    course: Course
    session_id: str

    @classmethod
    def of(cls, session: LaunchSession) -> "_Ctx":
        return cls(session.enrolment, session.unit.course, str(session.public_id))

    @classmethod
    def outside_a_session(cls, enrolment: Enrolment) -> "_Ctx":
        return cls(enrolment, enrolment.course, str(uuid.uuid4()))


def _refuse(section: str, message: str, path: str) -> Cmi5RuleError:
    # cmi5 §9.3: statements that break the rules are rejected (403: the LMS will not record them).
    return Cmi5RuleError(section, message, path=path)


def _scaled(statement: dict[str, Any]) -> Decimal | None:
    score = (statement.get("result") or {}).get("score") or {}
    return Decimal(str(score["scaled"])) if "scaled" in score else None


def _duration(statement: dict[str, Any]) -> timedelta:
    text = (statement.get("result") or {}).get("duration")
    return timedelta(seconds=duration_seconds(text)) if text else timedelta()


def _check(
    statement: dict[str, Any],
    session: LaunchSession,
    progress: UnitProgress,
    launch: Launch,
    path: str,
) -> None:
    """The statement's own rules (``progress.cmi5``), then those of the session and the
    registration so far: cmi5 §9.3 (order and number of verbs), §10.2.2 (launchMode), §11."""
    check_au_statement(statement, launch, path=path)
    verb = statement["verb"]["id"]
    _check_order(verb, session, path)
    if is_defined(statement) and verb in (COMPLETED, PASSED, FAILED):
        _check_result(verb, session, progress, path)


def _check_order(verb: str, session: LaunchSession, path: str) -> None:
    if session.state in (SessionState.TERMINATED, SessionState.ABANDONED):
        # cmi5 §9.3.6, §9.3.8: nothing is recorded for a session after it ended (the session's
        # credentials stop working too: progress.xapi.auth).
        raise _refuse("9.3.8", "the session has ended; no statement may follow it", path)
    if session.state == SessionState.LAUNCHED and verb != INITIALIZED:
        raise _refuse("9.3.2", "initialized must be the first statement of a session", path)
    if verb == INITIALIZED:
        if session.state != SessionState.LAUNCHED:
            raise _refuse("9.3.2", "a session has only one initialized statement", path)
        if not session.preferences_read:
            # cmi5 §11: the AU reads the learner preferences on startup, before initialized.
            raise _refuse(
                "11.0", "read the cmi5LearnerPreferences agent profile before initialized", path
            )


def _check_result(verb: str, session: LaunchSession, progress: UnitProgress, path: str) -> None:
    if session.launch_mode != LaunchMode.NORMAL:
        raise _refuse("10.2.2", f"{_name(verb)} is not allowed in {session.launch_mode} mode", path)
    if verb == COMPLETED and progress.completed:
        raise _refuse("9.3", "completed may be sent once per registration", path)
    if verb == PASSED and progress.passed:
        raise _refuse("9.3", "passed may be sent once per registration", path)
    if verb == FAILED and progress.passed:
        raise _refuse("9.3", "failed must not follow passed in a registration", path)
    if verb in (PASSED, FAILED) and session.judged:
        raise _refuse("9.3", "a session has at most one passed or failed statement", path)


def _name(verb: str) -> str:
    return verb.rsplit("/", 1)[-1]


def _apply(statement: dict[str, Any], session: LaunchSession, progress: UnitProgress) -> None:
    verb = statement["verb"]["id"]
    if verb == INITIALIZED:
        session.state = SessionState.INITIALIZED
    elif verb == TERMINATED:
        # cmi5 §9.5.4: terminated carries the whole session's duration.
        session.state = SessionState.TERMINATED
        progress.time_spent += max(_duration(statement), progress.open_session_time)
        progress.open_session_time = timedelta()
    if is_defined(statement):
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
    single: bool = False,
) -> list[str]:
    """Check, store and project the statements an AU sends in one request: all or none."""
    session = (
        LaunchSession.objects.select_for_update()
        .select_related("unit__course", "enrolment__learner", "enrolment__course")
        .get(pk=session.pk)
    )
    unit = session.unit
    progress, _ = UnitProgress.objects.select_for_update().get_or_create(
        enrolment=session.enrolment, unit=unit
    )
    was_satisfied = progress.satisfied
    cmi5 = unit.kind == UnitKind.CMI5
    launch = Launch.of(session, unit)
    for index, statement in enumerate(statements):
        if cmi5:
            path = "statement" if single else f"statements[{index}]"
            _check(statement, session, progress, launch, path)
            _apply(statement, session, progress)
        else:
            statement.setdefault("id", str(uuid.uuid4()))
            _apply_xapi(statement, unit, progress)
    ids = services.store_statements(
        statements=statements, client=client, version=version, attachments=attachments
    )
    session.last_statement_at = datetime.now(UTC)
    if not was_satisfied and _meets_move_on(unit, progress):
        # cmi5 §9.4: the LMS says "satisfied" of blocks and the course, not of an AU.
        progress.satisfied = True
        _course_follows(_Ctx.of(session), progress)
    progress.save()
    session.save(update_fields=["state", "judged", "last_statement_at"])
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


def block_object(block: Block) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": block.lms_activity_iri,
        "definition": {"name": block.title, "type": BLOCK_TYPE},
    }


def _satisfied(ctx: _Ctx, obj: dict[str, Any], publisher_id: str) -> str:
    """The LMS's "satisfied" statement about a block or the course (cmi5 §9.3.9, §9.4), with
    the session id it follows from and the block's or course's publisher id in its grouping
    (§9.6.2.3)."""

    statement = _lms_statement(ctx, SATISFIED, obj, publisher_id=publisher_id)
    services.store_statements(statements=[statement], client=lms_client(), version="1.0.3")
    return str(statement["id"])


def _blocks_follow(ctx: _Ctx, rows: dict[int, UnitProgress], units: list[CourseUnit]) -> None:
    """cmi5 §9.3.9: a block whose units all meet their moveOn is satisfied, once (a unit never
    started meets it only when its moveOn is NotApplicable)."""
    blocks = {b.pk: b for b in Block.objects.filter(course=ctx.course)}
    if not blocks:
        return
    done = set(
        BlockSatisfaction.objects.filter(enrolment=ctx.enrolment).values_list("block_id", flat=True)
    )
    # Inner blocks first, so that an outer block's statement follows its inner blocks'.
    for block in sorted(blocks.values(), key=lambda b: -_depth(b.pk, blocks)):
        if block.pk in done:
            continue
        inside = [u for u in units if _within(u.block_id, block.pk, blocks)]
        if inside and all(_unit_met(u, rows.get(u.pk)) for u in inside):
            statement_id = _satisfied(ctx, block_object(block), block.block_iri)
            BlockSatisfaction.objects.create(
                enrolment=ctx.enrolment, block=block, statement_id=statement_id
            )


def _depth(block_id: int | None, blocks: dict[int, Block]) -> int:
    depth = 0
    while block_id is not None:
        depth += 1
        block_id = blocks[block_id].parent_id
    return depth


def _unit_met(unit: CourseUnit, progress: UnitProgress | None) -> bool:
    if progress is None:
        # cmi5 §9.6.1: a NotApplicable AU is satisfied without ever being launched.
        return unit.move_on == MoveOn.NOT_APPLICABLE
    return _meets_move_on(unit, progress)


def _within(block_id: int | None, ancestor: int, blocks: dict[int, Block]) -> bool:
    while block_id is not None:
        if block_id == ancestor:
            return True
        block_id = blocks[block_id].parent_id
    return False


def _course_follows(ctx: _Ctx, current: UnitProgress | None = None) -> None:
    """When every active unit of the course meets its moveOn, the course is satisfied: the
    LMS says so and a CompletionRecord is written, once per registration."""
    course = ctx.course
    enrolment = ctx.enrolment
    units = list(course.units.filter(is_active=True))
    rows = {p.unit_id: p for p in UnitProgress.objects.filter(enrolment=enrolment, unit__in=units)}
    if current is not None:
        rows[current.unit_id] = current  # as it stands in this transaction
    _blocks_follow(ctx, rows, units)
    if not units or not all(_unit_met(u, rows.get(u.pk)) for u in units):
        return
    if CompletionRecord.objects.filter(course=course, registration=enrolment.registration).exists():
        return
    satisfied_id = _satisfied(ctx, course_object(course), course.activity_iri)
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


@transaction.atomic
def start_registration(*, enrolment: Enrolment) -> None:
    """cmi5 §9.6.1: moveOn is evaluated when the registration starts. NotApplicable AUs are
    satisfied then, before any launch, and so are the blocks and the course they fill."""
    units = [
        u
        for u in enrolment.course.units.filter(is_active=True)
        if u.move_on == MoveOn.NOT_APPLICABLE
    ]
    if not units:
        return
    UnitProgress.objects.bulk_create(
        [UnitProgress(enrolment=enrolment, unit=u, satisfied=True) for u in units],
        ignore_conflicts=True,
    )
    _course_follows(_Ctx.outside_a_session(enrolment))


def _lms_statement(
    ctx: _Ctx,
    verb: str,
    obj: dict[str, Any],
    *,
    publisher_id: str,
    moves_on: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    """A statement the LMS makes directly in the LRS: cmi5 defined (§9.6.2.1), with the
    publisher id of what it is about (§9.6.2.3) and the session id (§9.6.3.1)."""
    from courses.api import learner_agent  # noqa: PLC0415

    category = [{"objectType": "Activity", "id": CMI5_CATEGORY}]
    if moves_on:
        # cmi5 §9.6.2.2: a result with success or completion carries the moveOn category.
        category.append({"objectType": "Activity", "id": MOVEON_CATEGORY})
    return {
        "id": str(uuid.uuid4()),
        "actor": learner_agent(ctx.enrolment.learner),
        "verb": {"id": verb, "display": {"en-US": _name(verb)}},
        "object": obj,
        "context": {
            "registration": str(ctx.enrolment.registration),
            "contextActivities": {
                "grouping": [{"objectType": "Activity", "id": publisher_id}],
                "category": category,
            },
            "extensions": {SESSION_ID: ctx.session_id},
        },
        "timestamp": services.format_timestamp(datetime.now(UTC)),
        **extra,
    }


@transaction.atomic
def abandon(*, session: LaunchSession) -> bool:
    """cmi5 §9.3.6: the LMS records "abandoned" once for a session that ended unterminated, with
    the session's length (§9.5.4.2: from launched to the AU's last statement). Returns False if
    the session had ended already."""

    session = (
        LaunchSession.objects.select_for_update()
        .select_related("unit__course", "enrolment__learner", "enrolment__course")
        .get(pk=session.pk)
    )
    if session.state in (SessionState.TERMINATED, SessionState.ABANDONED):
        return False
    last = session.last_statement_at or session.launched_at
    length = max(last - session.launched_at, timedelta())
    statement = _lms_statement(
        _Ctx.of(session),
        ABANDONED,
        unit_object(session.unit),
        publisher_id=session.unit.activity_iri,
        result={"duration": format_duration(length)},
    )
    services.store_statements(statements=[statement], client=lms_client(), version="1.0.3")
    session.state = SessionState.ABANDONED
    session.save(update_fields=["state"])
    return True


def format_duration(length: timedelta) -> str:
    """An ISO 8601 duration in seconds, to the hundredth (xAPI Data §4.6)."""
    return f"PT{round(length.total_seconds(), 2):g}S"


REASON = "https://w3id.org/xapi/cmi5/result/extensions/reason"
WAIVE_REASONS = ("Tested Out", "Equivalent AU", "Equivalent Outside Activity", "Administrative")


@transaction.atomic
def waive_unit(*, enrolment: Enrolment, unit: CourseUnit, reason: str) -> bool:
    """cmi5 §9.3.7: staff waive a unit for a learner; "waived" once per registration and unit,
    in a session of its own, then "satisfied" for what it completes (§9.3.9). Returns False if
    it was waived already."""

    if reason not in WAIVE_REASONS:
        raise ValueError(f"reason must be one of: {', '.join(WAIVE_REASONS)}.")
    progress, _ = UnitProgress.objects.select_for_update().get_or_create(
        enrolment=enrolment, unit=unit
    )
    if progress.waived:
        return False
    ctx = _Ctx.outside_a_session(enrolment)
    statement = _lms_statement(
        ctx,
        WAIVED,
        unit_object(unit),
        publisher_id=unit.activity_iri,
        moves_on=True,
        result={"completion": True, "success": True, "extensions": {REASON: reason}},
    )
    services.store_statements(statements=[statement], client=lms_client(), version="1.0.3")
    progress.waived = True
    progress.evidence = [*progress.evidence, statement["id"]]
    if not progress.satisfied:
        progress.satisfied = True
        _course_follows(ctx, progress)
    progress.save()
    return True


@transaction.atomic
def record_platform_unit(*, enrolment: Enrolment, unit: CourseUnit, done: bool) -> None:
    """A link, video or document the platform tracks itself: "launched" when the learner opens
    it, "completed" when they mark it done; progress follows as for any unit."""

    progress, _ = UnitProgress.objects.select_for_update().get_or_create(
        enrolment=enrolment, unit=unit
    )
    ctx = _Ctx.outside_a_session(enrolment)
    if not done:
        statement = _lms_statement(ctx, LAUNCHED, unit_object(unit), publisher_id=unit.activity_iri)
        services.store_statements(statements=[statement], client=lms_client(), version="1.0.3")
        progress.last_activity_at = datetime.now(UTC)
        progress.save()
        return
    if progress.completed:
        return
    statement = _lms_statement(
        ctx,
        COMPLETED,
        unit_object(unit),
        publisher_id=unit.activity_iri,
        moves_on=True,
        result={"completion": True},
    )
    services.store_statements(statements=[statement], client=lms_client(), version="1.0.3")
    progress.completed = True
    progress.evidence = [*progress.evidence, statement["id"]]
    progress.last_activity_at = datetime.now(UTC)
    if not progress.satisfied and _meets_move_on(unit, progress):
        progress.satisfied = True
        _course_follows(ctx, progress)
    progress.save()
