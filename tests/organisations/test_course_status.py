"""A learner's status in a course is one rule (progress.api.course_statuses): the learner's
dashboard, the report's cells and its column summaries say the same."""

import pytest

from courses.models import CourseUnit
from courses.services import enrol_learner
from organisations.core.scope import scope_for
from organisations.reports.selectors import team_progress
from organisations.reports.types import CellStatus
from progress.api import CourseState, course_statuses
from progress.dashboard import learning_for
from progress.status import course_state
from tests.organisations.conftest import two_unit_course

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("completed", "done", "touched", "state"),
    [
        (False, 0, 0, CourseState.NOT_STARTED),
        (False, 0, 1, CourseState.IN_PROGRESS),  # opened, nothing satisfied yet
        (False, 1, 0, CourseState.IN_PROGRESS),  # satisfied without activity (NotApplicable)
        (True, 0, 0, CourseState.COMPLETED),
        (True, 2, 2, CourseState.COMPLETED),
    ],
)
def test_the_rule(completed, done, touched, state):
    assert course_state(completed=completed, units_done=done, touched=touched) is state


def cells(world, course):
    report = team_progress(scope_for(world.admin, world.org))
    at = [c.title for c in report.columns].index(f"Course {course.slug}")
    return {row.name: row.cells[at] for row in report.rows if row.cells[at]}, report.summaries[at]


def test_the_dashboard_and_the_report_agree(world, learning):
    course = learning.safeguarding
    by_name, summary = cells(world, course)
    for learner in (world.ann, world.bob):
        in_progress, completed = learning_for(learner, "en")
        line = next(line for line in in_progress + completed if line.slug == course.slug)
        cell = by_name[learner.display_name]
        assert (line.percent, line.status.state.value) == (cell.percent, cell.status.value)
        assert line.completed_on == cell.completed_on  # a date; the page formats it
    statuses = course_statuses(learner_ids=[world.ann.pk, world.bob.pk, world.cat.pk])
    states = [s.state for (_, c), s in statuses.items() if c == course.pk]
    assert summary.completed == states.count(CourseState.COMPLETED) == 1
    assert summary.in_progress == states.count(CourseState.IN_PROGRESS) == 1


def test_a_unit_satisfied_without_activity_is_progress_everywhere(world, learning):
    course = two_unit_course(slug="reflective-practice")
    CourseUnit.objects.filter(course=course, index=1).update(move_on="NotApplicable")
    enrol_learner(learner=world.cat, course=course)  # the registration starts: unit 1 satisfied

    by_name, summary = cells(world, course)
    cell = by_name[world.cat.display_name]
    assert (cell.status, cell.percent) == (CellStatus.IN_PROGRESS, 50)
    assert (summary.in_progress, summary.not_started) == (1, 0)
    (line,) = learning_for(world.cat, "en")[0]
    assert (line.status.state, line.percent, line.satisfied_units) == (
        CourseState.IN_PROGRESS, 50, 1,
    )  # fmt: skip


def test_the_dashboard_takes_five_queries_whatever_the_courses(
    world, learning, django_assert_num_queries
):
    for index in range(5):
        enrol_learner(learner=world.ann, course=two_unit_course(slug=f"more-{index}"))
    with django_assert_num_queries(5):
        in_progress, completed = learning_for(world.ann, "en")
    assert (len(in_progress), len(completed)) == (5, 1)
