"""Alignments through the API and the course's authoring page, the learner's competences and
gaps (API and page), the framework tree, the course page's competences; scope and query counts."""

import uuid

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm
from rest_framework.test import APIClient

from frameworks.models import Alignment, Competence
from frameworks.services import align, set_role_profile
from tests.courses.factories import JourneyFactory
from tests.frameworks.factories import (
    EXACT,
    CompetenceFactory,
    FrameworkFactory,
    complete,
    course_with_link,
    link,
)
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def competence():
    return CompetenceFactory(human_coding_scheme="1.2", abbreviated_statement="Listening")


def _api(user=None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


# --- API: alignments ------------------------------------------------------------------------


def test_an_author_aligns_a_course_and_anyone_reads_it(competence):
    course = course_with_link()
    author = UserFactory()
    assign_perm("courses.change_course", author, course)
    url = reverse("frameworks-api:alignments")
    body = {"competence": str(competence.identifier), "course": course.slug, "level": 2}
    created = _api(author).post(url, body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["relation"] == "teaches"
    assert created.json()["framework"] == str(competence.framework.identifier)
    # The same competence again changes the alignment, it does not add one.
    again = _api(author).post(url, {**body, "level": 3, "relation": "assesses"}, format="json")
    assert again.status_code == 201
    assert Alignment.objects.get().level == 3
    listed = _api().get(url, {"course": course.slug}).json()
    assert [(a["course"], a["level"], a["relation"]) for a in listed] == [
        (course.slug, 3, "assesses")
    ]
    assert _api().get(url, {"course": "other"}).json() == []


def test_units_and_journeys_are_aligned_too(competence):
    course = course_with_link()
    unit = course.units.get()
    journey = JourneyFactory()
    staff = UserFactory(is_staff=True)
    url = reverse("frameworks-api:alignments")
    ident = str(competence.identifier)
    assert (
        _api(staff).post(url, {"competence": ident, "unit": str(unit.public_id)}, format="json")
    ).status_code == 201
    assert (
        _api(staff).post(url, {"competence": ident, "journey": journey.slug}, format="json")
    ).status_code == 201
    assert _api().get(url, {"course": course.slug}).json()[0]["unit"] == str(unit.public_id)
    assert len(_api().get(url, {"competence": ident}).json()) == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"course": "c"}, "competence"),
        ({"competence": "not-a-uuid", "course": "c"}, "competence"),
        ({"competence": "ID"}, "course"),  # none of course, unit, journey
        ({"competence": "ID", "course": "c", "journey": "j"}, "course"),  # two of them
        ({"competence": "ID", "course": "c", "level": 9}, "level"),  # beyond the scale
        ({"competence": "ID", "course": "c", "relation": "likes"}, "relation"),
        ({"competence": "ID", "course": "nope"}, "course"),
    ],
)
def test_bad_alignments_are_refused_naming_the_field(competence, body, field):
    course = course_with_link(slug="c")
    JourneyFactory(slug="j")
    body = {k: str(competence.identifier) if v == "ID" else v for k, v in body.items()}
    response = _api(UserFactory(is_staff=True)).post(
        reverse("frameworks-api:alignments"), body, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Alignment.objects.filter(course=course).exists()


def test_only_authors_align_and_remove(competence):
    course = course_with_link()
    url = reverse("frameworks-api:alignments")
    body = {"competence": str(competence.identifier), "course": course.slug}
    assert _api().post(url, body, format="json").status_code in (401, 403)
    assert _api(UserFactory()).post(url, body, format="json").status_code == 403
    other_course = course_with_link()
    someone = UserFactory()
    assign_perm("courses.change_course", someone, other_course)  # another course's author
    assert _api(someone).post(url, body, format="json").status_code == 403
    alignment = align(competence=competence, course=course)
    detail = reverse("frameworks-api:alignment", args=[alignment.pk])
    assert _api(someone).delete(detail).status_code == 403
    assert _api(UserFactory(is_staff=True)).delete(detail).status_code == 204
    assert not Alignment.objects.exists()


# --- API: the learner's competences and gaps ----------------------------------------------


def test_my_competences_and_gaps_through_the_api(competence, django_assert_max_num_queries):
    framework = competence.framework
    other = CompetenceFactory(framework=framework, human_coding_scheme="1.3")
    abroad = CompetenceFactory()
    link(abroad, EXACT, competence)
    taken, offered = course_with_link(), course_with_link(estimated_minutes=90)
    align(competence=abroad, course=taken, level=2)
    align(competence=other, course=offered, level=2)
    set_role_profile(
        slug="worker", framework=framework, name={"en": "Worker"},
        targets=[(competence, 2), (other, 2)],
    )  # fmt: skip
    learner = UserFactory()
    complete(learner, taken)
    api = _api(learner)
    mine = api.get(reverse("frameworks-api:my-competences"), {"framework": framework.identifier})
    assert mine.status_code == 200
    [entry] = mine.json()["competences"]
    assert (entry["code"], entry["level"], entry["evidence"][0]["via"]) == ("1.2", 2, EXACT)
    with django_assert_max_num_queries(20):
        gaps = api.get(reverse("frameworks-api:my-gaps"), {"role": "worker"}).json()
    assert [g["code"] for g in gaps["met"]] == ["1.2"]
    assert [g["code"] for g in gaps["gaps"]] == ["1.3"]
    assert [(r["slug"], r["hours"], r["per_hour"]) for r in gaps["recommendations"]] == [
        (offered.slug, "1.50", "0.67")
    ]
    # Someone else sees their own (empty) profile, never this learner's.
    theirs = _api(UserFactory()).get(
        reverse("frameworks-api:my-competences"), {"framework": framework.identifier}
    )
    assert theirs.json()["competences"] == []


def test_my_competences_needs_a_known_framework_and_a_log_in(competence):
    url = reverse("frameworks-api:my-competences")
    assert _api().get(url, {"framework": competence.framework.identifier}).status_code in (401, 403)
    api = _api(UserFactory())
    assert "framework" in api.get(url).json()
    assert api.get(url, {"framework": "x"}).status_code == 400
    assert api.get(url, {"framework": uuid.uuid4()}).status_code == 404
    gaps = reverse("frameworks-api:my-gaps")
    assert "role" in api.get(gaps).json()
    assert api.get(gaps, {"role": "nobody"}).status_code == 404


def test_role_profiles_are_listed_with_their_targets(competence):
    set_role_profile(
        slug="worker", framework=competence.framework, name={"en": "Worker"},
        targets=[(competence, 3)],
    )  # fmt: skip
    [profile] = _api().get(reverse("frameworks-api:role-profiles")).json()
    assert profile["slug"] == "worker"
    assert profile["targets"] == [
        {"competence": str(competence.identifier), "code": "1.2", "level": 3}
    ]


# --- pages ----------------------------------------------------------------------------------


def test_the_authoring_page_finds_aligns_and_removes(client, competence):
    course = course_with_link()
    unit = course.units.get()
    author = UserFactory()
    assign_perm("courses.change_course", author, course)
    client.force_login(author)
    url = reverse("frameworks:course-alignments", args=[course.slug])
    found = client.get(url, {"q": "listen"})
    assert found.status_code == 200
    assert "Listening" in found.content.decode()
    saved = client.post(
        f"{url}?q=listen",
        {"target": str(unit.pk), "competence": competence.pk, "level": "2", "relation": "teaches"},
    )
    assert saved.status_code == 302
    alignment = Alignment.objects.get()
    assert (alignment.unit, alignment.course, alignment.level) == (unit, None, 2)
    refused = client.post(
        url, {"target": "course", "competence": competence.pk, "level": "8", "relation": "teaches"}
    )
    assert refused.status_code == 200
    assert "levels are 1, 2, 3, 4" in refused.content.decode()
    removed = client.post(
        reverse("frameworks:course-alignment-remove", args=[course.slug, alignment.pk])
    )
    assert removed.status_code == 302
    assert not Alignment.objects.exists()


def test_the_authoring_page_is_not_found_for_others(client, competence):
    course = course_with_link()
    alignment = align(competence=competence, course=course)
    client.force_login(UserFactory())
    assert (
        client.get(reverse("frameworks:course-alignments", args=[course.slug])).status_code == 404
    )
    remove = reverse("frameworks:course-alignment-remove", args=[course.slug, alignment.pk])
    assert client.post(remove).status_code == 404
    assert Alignment.objects.exists()


def test_the_course_page_names_the_competences_it_develops(client, competence):
    course = course_with_link()
    align(competence=competence, course=course, level=2)
    page = client.get(reverse("courses:detail", args=[course.slug])).content.decode()
    assert "Competences this course develops" in page
    assert "1.2" in page
    assert "Able" in page
    assert "Edit the competence alignments" not in page
    client.force_login(UserFactory(is_staff=True))
    page = client.get(reverse("courses:detail", args=[course.slug])).content.decode()
    assert "Edit the competence alignments" in page


def test_the_profile_page_shows_levels_evidence_partial_and_gaps(client, competence):
    framework = competence.framework
    near = CompetenceFactory(framework=framework, human_coding_scheme="9.9")
    elsewhere = CompetenceFactory(human_coding_scheme="E1")
    link(elsewhere, "isRelatedTo", near)
    course = course_with_link()
    align(competence=competence, course=course, level=2)
    align(competence=elsewhere, course=course, level=2)
    set_role_profile(
        slug="worker", framework=framework, name={"en": "Worker"},
        targets=[(competence, 3)],
    )  # fmt: skip
    learner = UserFactory()
    complete(learner, course)
    client.force_login(learner)
    page = client.get(
        reverse("frameworks:mine"), {"framework": framework.identifier, "role": "worker"}
    ).content.decode()
    assert "Competences with evidence" in page
    assert "Able" in page
    assert "Partial evidence" in page
    assert "9.9" in page
    assert "You meet 0 of the 1 competences" in page
    assert "No published course closes these gaps yet." in page


def test_the_tree_searches_and_opens_deeper_parts(client):
    framework = FrameworkFactory()
    top = CompetenceFactory(
        framework=framework, human_coding_scheme="1", abbreviated_statement="Safety"
    )
    middle = CompetenceFactory(framework=framework, human_coding_scheme="1.1", parent=top)
    CompetenceFactory(
        framework=framework, human_coding_scheme="1.1.1", parent=middle,
        full_statement={"en": "Listens to the child", "ro": "Ascultă copilul"},
    )  # fmt: skip
    CompetenceFactory(framework=framework, human_coding_scheme="2")
    url = reverse("frameworks:detail", args=[framework.identifier])
    tree = client.get(url).content.decode()
    assert all(code in tree for code in ("1.1.1", "Safety"))
    found = client.get(url, {"q": "listens"})
    html = found.content.decode()
    assert "1 competence matches." in html
    assert 'class="match"' in html
    assert ">2<" not in html
    node = client.get(url, {"node": middle.identifier}).content.decode()
    assert "1.1.1" in node
    assert "Safety" in node
    assert client.get(url, {"node": uuid.uuid4()}).status_code == 404
    assert client.get(url, {"node": "not-a-uuid"}).status_code == 404


def test_a_large_tree_stays_light_in_few_queries(client, django_assert_max_num_queries):
    framework = FrameworkFactory()
    tops = Competence.objects.bulk_create(
        [
            Competence(framework=framework, identifier=uuid.uuid4(), human_coding_scheme=f"{t}",
                       full_statement={"en": f"Domain {t} " + "x" * 60}, order=t)
            for t in range(40)
        ]
    )  # fmt: skip
    Competence.objects.bulk_create(
        [
            Competence(framework=framework, identifier=uuid.uuid4(), parent=top,
                       human_coding_scheme=f"{top.human_coding_scheme}.{i}",
                       full_statement={"en": "An indicator " + "y" * 80}, order=i)
            for top in tops
            for i in range(100)
        ]
    )  # fmt: skip
    url = reverse("frameworks:detail", args=[framework.identifier])
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert len(response.content) < 100_000
    assert "items below" in response.content.decode()


def test_the_framework_list_counts_competences(client, competence, django_assert_max_num_queries):
    CompetenceFactory(framework=competence.framework)
    FrameworkFactory(title="Empty one")
    with django_assert_max_num_queries(4):
        page = client.get(reverse("frameworks:list")).content.decode()
    assert competence.framework.title in page
    assert "Empty one" in page
