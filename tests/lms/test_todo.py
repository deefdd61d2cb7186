"""The to-do registry (lms.todo): providers by key, items with nothing to do left out, nothing
for anonymous visitors, one computation per request."""

import pytest
from django.test import RequestFactory

from lms import todo
from lms.todo import TodoItem, register_todo_provider, todo_for, todo_for_request
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def providers(monkeypatch):
    monkeypatch.setattr(todo, "_todo_providers", {})
    calls = []

    def provider(user):
        calls.append(user)
        return [TodoItem("Two things", "/two", 2), TodoItem("Nothing", "/none", 0)]

    register_todo_provider("test", provider)
    return calls


def test_items_with_nothing_to_do_are_left_out_and_the_total_adds_up(providers):
    found = todo_for(UserFactory())
    assert [item.label for item in found.items] == ["Two things"]
    assert found.total == 2


def test_registering_again_replaces(providers):
    register_todo_provider("test", lambda user: [TodoItem("One", "/one", 1)])
    assert todo_for(UserFactory()).total == 1


def test_anonymous_and_inactive_users_have_nothing_to_do(providers):
    from django.contrib.auth.models import AnonymousUser

    assert not todo_for(AnonymousUser())
    assert not todo_for(UserFactory(is_active=False))
    assert providers == []


def test_the_list_is_computed_once_per_request(providers):
    request = RequestFactory().get("/")
    request.user = UserFactory()
    assert todo_for_request(request) is todo_for_request(request)
    assert len(providers) == 1
