"""Staff's course to-do (courses.todo): imported courses still in draft, in one query, linked
to the import page that lists them; only staff are asked."""

import pytest
from django.urls import reverse

from courses.models import CourseStatus
from courses.todo import drafts_todo
from lms.todo import todo_for
from tests.courses.factories import CourseFactory
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db

LABEL = "Imported courses waiting to be published"


def test_staff_count_the_drafts_in_one_query(django_assert_num_queries):
    CourseFactory(status=CourseStatus.DRAFT)
    CourseFactory(status=CourseStatus.DRAFT)
    CourseFactory(status=CourseStatus.PUBLISHED)
    CourseFactory(status=CourseStatus.ARCHIVED)
    staff = UserFactory(is_staff=True)
    with django_assert_num_queries(1):
        items = drafts_todo(staff)
    assert [(item.label, item.url, item.count) for item in items] == [
        (LABEL, reverse("courses:import") + "#drafts", 2)
    ]
    assert LABEL in [item.label for item in todo_for(staff).items]


def test_learners_are_never_asked_about_drafts():
    CourseFactory(status=CourseStatus.DRAFT)
    assert LABEL not in [item.label for item in todo_for(UserFactory()).items]


def test_the_import_page_lists_the_drafts_it_links_to(client):
    draft = CourseFactory(status=CourseStatus.DRAFT, title={"en": "Half done"})
    CourseFactory(status=CourseStatus.PUBLISHED, title={"en": "Out there"})
    client.force_login(UserFactory(is_staff=True))
    html = client.get(reverse("courses:import")).content.decode()
    drafts = html[html.index('id="drafts"') :]
    drafts = drafts[: drafts.index("</ul>")]
    assert reverse("courses:settings", args=[draft.slug]) in drafts
    assert "Half done" in drafts
    assert "Out there" not in drafts
