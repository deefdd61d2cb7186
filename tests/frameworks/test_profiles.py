"""Competence profiles from completion records, evidence across crosswalks and versions, gap
analysis against role profiles, the team matrix; each in a bounded number of queries."""

import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from courses.models import CourseUnit, JourneyStep, UnitKind
from courses.ports import lrs
from courses.services import enrol_learner
from frameworks.models import Alignment, AlignmentRelation
from frameworks.selectors import (
    competence_profile,
    crosswalk,
    gap_analysis,
    map_level,
    team_matrix,
)
from frameworks.services import align, set_role_profile
from progress.models import CompletionRecord
from tests.courses.factories import CourseFactory, JourneyFactory
from tests.frameworks.factories import (
    EXACT,
    RELATED,
    REPLACED,
    CompetenceFactory,
    FrameworkFactory,
    complete,
    course_with_link,
    link,
)
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    """A four-level framework with three competences."""
    framework = FrameworkFactory(title="Home framework")
    return framework, [
        CompetenceFactory(framework=framework, human_coding_scheme=code) for code in "ABC"
    ]


def test_a_completed_course_is_evidence_at_its_level(home):
    framework, (a, b, _) = home
    course = course_with_link()
    align(competence=a, course=course, level=3)
    align(competence=b, course=course, level=1, relation=AlignmentRelation.ASSESSES)
    learner = UserFactory()
    assert competence_profile(learner, framework).entries == []
    complete(learner, course)
    record = CompletionRecord.objects.get(learner=learner)
    profile = competence_profile(learner, framework)
    levels = {e.competence.human_coding_scheme: e.level for e in profile.entries}
    assert levels == {"A": 3, "B": 1}
    entry = profile.entries[0]
    assert entry.achieved_at == record.completed_at
    assert [e.record for e in entry.evidence] == [record.public_id]
    assert entry.evidence[0].via == ""
    assert profile.level_name(3, "en") == "Skilled"
    # Someone else's records are not theirs.
    assert competence_profile(UserFactory(), framework).entries == []


def test_the_highest_level_wins_and_its_first_date_is_kept(home):
    framework, (a, *_) = home
    first, second, third = course_with_link(), course_with_link(), course_with_link()
    align(competence=a, course=first, level=2)
    align(competence=a, course=second, level=4)
    align(competence=a, course=third, level=4)
    learner = UserFactory()
    for course in (first, second, third):
        complete(learner, course)
    entry = competence_profile(learner, framework).entries[0]
    assert entry.level == 4
    second_record = CompletionRecord.objects.get(course=second)
    assert entry.achieved_at == second_record.completed_at
    assert len(entry.evidence) == 3
    assert [e.level for e in entry.evidence] == [4, 4, 2]


def test_an_enrolment_without_completion_is_no_evidence(home):
    framework, (a, *_) = home
    course = course_with_link()
    align(competence=a, course=course, level=2)
    learner = UserFactory()
    enrol_learner(learner=learner, course=course)
    assert competence_profile(learner, framework).entries == []


def test_a_unit_alignment_counts_when_that_unit_was_done(home):
    framework, (a, b, _) = home
    course = CourseFactory()
    done = CourseUnit.objects.create(
        course=course, index=0, kind=UnitKind.LINK, activity_iri="urn:u:0",
        title={"en": "Read"}, url="https://example.org/0", move_on="Completed",
    )  # fmt: skip
    optional = CourseUnit.objects.create(
        course=course, index=1, kind=UnitKind.LINK, activity_iri="urn:u:1",
        title={"en": "Extra"}, url="https://example.org/1", move_on="NotApplicable",
    )  # fmt: skip
    align(competence=a, unit=done, level=2)
    align(competence=b, unit=optional, level=2)
    learner = UserFactory()
    enrolment = enrol_learner(learner=learner, course=course)
    lrs().record_platform_unit(enrolment=enrolment, unit=done, done=True)
    assert CompletionRecord.objects.filter(learner=learner).exists()
    codes = [
        e.competence.human_coding_scheme for e in competence_profile(learner, framework).entries
    ]
    assert codes == ["A"]


def test_a_journey_alignment_counts_when_the_journey_is_completed(home):
    framework, (_, _, c) = home
    course = course_with_link()
    journey = JourneyFactory()
    JourneyStep.objects.create(journey=journey, course=course, order=1)
    align(competence=c, journey=journey, level=2)
    learner = UserFactory()
    from courses.services import enrol_in_journey

    enrol_in_journey(learner=learner, journey=journey)
    complete(learner, course)
    assert CompletionRecord.objects.filter(journey=journey, learner=learner).exists()
    entry = competence_profile(learner, framework).entries[0]
    assert (entry.competence, entry.level) == (c, 2)


def test_evidence_carries_across_an_exact_match_and_apart_across_related(home):
    framework, (a, b, _) = home
    abroad = FrameworkFactory(title="Abroad", levels=["Basic", "Advanced"])
    same = CompetenceFactory(framework=abroad, human_coding_scheme="X1")
    near = CompetenceFactory(framework=abroad, human_coding_scheme="X2")
    link(same, EXACT, a)  # the crosswalk is kept in the other framework
    link(near, RELATED, b)
    course = course_with_link()
    align(competence=a, course=course, level=3)
    align(competence=b, course=course, level=4)
    learner = UserFactory()
    complete(learner, course)
    there = competence_profile(learner, abroad)
    assert [(e.competence, e.level) for e in there.reached] == [(same, 2)]  # 3 of 4 is 2 of 2
    assert there.reached[0].evidence[0].via == EXACT
    assert "A (Home framework)" in there.reached[0].evidence[0].aligned_to
    assert [(e.competence, e.level) for e in there.partial_only] == [(near, 0)]
    assert there.partial_only[0].partial[0].via == RELATED
    # And back: evidence aligned abroad counts at home.
    other = course_with_link()
    align(competence=same, course=other, level=1)
    learner2 = UserFactory()
    complete(learner2, other)
    assert [(e.competence, e.level) for e in competence_profile(learner2, framework).reached] == [
        (a, 2)  # 1 of 2 is 2 of 4
    ]


def test_a_new_version_keeps_the_old_versions_alignments(home):
    _framework, (a, *_) = home
    version2 = FrameworkFactory(title="Home framework v2")
    a2 = CompetenceFactory(framework=version2, human_coding_scheme="A")
    link(a, REPLACED, a2)
    course = course_with_link()
    align(competence=a, course=course, level=2)  # aligned to the old version only
    learner = UserFactory()
    complete(learner, course)
    entry = competence_profile(learner, version2).entries[0]
    assert (entry.competence, entry.level, entry.evidence[0].via) == (a2, 2, REPLACED)


def test_crosswalk_chains_are_followed_a_bounded_number_of_hops():
    chain = [CompetenceFactory() for _ in range(6)]
    for older, newer in itertools.pairwise(chain):
        link(older, REPLACED, newer)
    with CaptureQueriesContext(connection) as queries:
        walk = crosswalk([chain[0].identifier])
    assert len(queries) == 3
    assert set(walk.full[chain[0].identifier]) == {c.identifier for c in chain[1:4]}


@pytest.mark.parametrize(
    ("rank", "source", "target", "expected"),
    [(3, 4, 4, 3), (3, 4, 2, 2), (1, 2, 4, 2), (2, 2, 4, 4), (1, 4, 2, 1), (5, 0, 4, 4)],
)
def test_levels_map_between_scales_proportionally(rank, source, target, expected):
    assert map_level(rank, source, target) == expected


def test_the_profile_takes_a_fixed_number_of_queries(home, django_assert_max_num_queries):
    framework, competences = home
    abroad = FrameworkFactory()
    learner = UserFactory()
    for index in range(8):
        course = course_with_link()
        twin = CompetenceFactory(framework=abroad)
        link(twin, EXACT, competences[index % 3])
        align(competence=twin, course=course, level=2)
        align(competence=competences[index % 3], course=course, level=1)
        complete(learner, course)
    with django_assert_max_num_queries(9):
        profile = competence_profile(learner, framework)
    assert len(profile.reached) == 3


def test_alignment_rules_are_enforced(home):
    _, (a, *_) = home
    course = course_with_link()
    with pytest.raises(ValidationError) as error:
        align(competence=a, course=course, level=7)
    assert "level" in error.value.message_dict
    with pytest.raises(ValidationError):
        align(competence=a)
    align(competence=a, course=course, level=2)
    again = align(competence=a, course=course, level=3, relation=AlignmentRelation.ASSESSES)
    assert Alignment.objects.get() == again
    assert again.level == 3
    with pytest.raises(IntegrityError), transaction.atomic():
        Alignment.objects.create(competence=a, course=course, unit=course.units.get())


def _role(framework, targets):
    return set_role_profile(
        slug="case-worker", framework=framework, name={"en": "Case worker"}, targets=targets
    )


def test_gap_analysis_ranks_courses_by_competences_closed_per_hour(home):
    framework, (a, b, c) = home
    role = _role(framework, [(a, 2), (b, 2), (c, 3)])
    learner = UserFactory()
    done = course_with_link()
    align(competence=a, course=done, level=2)
    complete(learner, done)
    short = course_with_link(estimated_minutes=30)  # closes B: 2 per hour
    align(competence=b, course=short, level=2)
    long = course_with_link(estimated_minutes=120)  # closes B and C: 1 per hour
    align(competence=b, course=long, level=3)
    align(competence=c, course=long, level=3)
    too_low = course_with_link(estimated_minutes=10)  # C at 2 does not close C at 3
    align(competence=c, course=too_low, level=2)
    draft = course_with_link(status="draft", estimated_minutes=5)
    align(competence=b, course=draft, level=4)
    journey = JourneyFactory()  # the long course inside a journey with a second course
    JourneyStep.objects.create(journey=journey, course=long, order=1)
    JourneyStep.objects.create(
        journey=journey, course=course_with_link(estimated_minutes=60), order=2
    )
    result = gap_analysis(learner, role)
    assert [(g.competence, g.reached, g.target) for g in result.met] == [(a, 2, 2)]
    assert [(g.competence, g.reached, g.target) for g in result.gaps] == [(b, 0, 2), (c, 0, 3)]
    ranked = [(r.kind, r.slug, r.per_hour) for r in result.recommendations]
    assert ranked == [
        ("course", short.slug, Decimal("2.00")),
        ("course", long.slug, Decimal("1.00")),
        ("journey", journey.slug, Decimal("0.67")),
    ]
    assert [x.human_coding_scheme for x in result.recommendations[1].closes] == ["B", "C"]


def test_gaps_close_through_crosswalk_evidence_and_recommend_across_frameworks(home):
    framework, (a, b, _) = home
    role = _role(framework, [(a, 2), (b, 1)])
    abroad = FrameworkFactory()
    twin_a = CompetenceFactory(framework=abroad)
    twin_b = CompetenceFactory(framework=abroad)
    link(twin_a, EXACT, a)
    link(twin_b, EXACT, b)
    learner = UserFactory()
    taken = course_with_link()
    align(competence=twin_a, course=taken, level=3)
    complete(learner, taken)
    offered = course_with_link()
    align(competence=twin_b, course=offered, level=1)
    result = gap_analysis(learner, role)
    assert [g.competence for g in result.met] == [a]
    assert [g.competence for g in result.gaps] == [b]
    assert [r.slug for r in result.recommendations] == [offered.slug]
    # A completed course is never recommended again.
    assert taken.slug not in [r.slug for r in result.recommendations]


def test_gap_analysis_takes_a_fixed_number_of_queries(home, django_assert_max_num_queries):
    framework, competences = home
    extra = [CompetenceFactory(framework=framework) for _ in range(10)]
    role = _role(framework, [(c, 2) for c in [*competences, *extra]])
    learner = UserFactory()
    for competence in [*competences, *extra]:
        course = course_with_link()
        align(competence=competence, course=course, level=2)
        journey = JourneyFactory()
        JourneyStep.objects.create(journey=journey, course=course, order=1)
    complete(learner, course)
    with django_assert_max_num_queries(20):
        result = gap_analysis(learner, role)
    assert len(result.gaps) == 12
    assert len(result.recommendations) == 24


def test_the_team_matrix_is_members_by_competences_in_fixed_queries(
    home, django_assert_max_num_queries
):
    framework, (a, b, c) = home
    role = _role(framework, [(a, 2), (b, 1), (c, 3)])
    course = course_with_link()
    align(competence=a, course=course, level=2)
    align(competence=c, course=course, level=1)
    team = [UserFactory() for _ in range(12)]
    for member in team[:5]:
        complete(member, course)
    with django_assert_max_num_queries(10):
        matrix = team_matrix(team, profile=role)
    assert matrix.columns == (a, b, c)
    assert matrix.targets == (2, 1, 3)
    assert [row.levels for row in matrix.rows] == [(2, 0, 1)] * 5 + [(0, 0, 0)] * 7
    free = team_matrix(team[:2], framework=framework)
    assert free.columns == (a, c)
    with pytest.raises(ValueError, match="role profile or a framework"):
        team_matrix(team)
