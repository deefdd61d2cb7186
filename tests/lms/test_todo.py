"""The to-do registry (lms.todo): providers by key, items with nothing to do left out, nothing
for anonymous visitors, one computation per request, the navigation's total cached per user."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from lms import todo
from lms.todo import (
    TodoItem,
    forget_todo_count,
    register_todo_provider,
    todo_count_for_request,
    todo_for,
    todo_for_request,
)
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


# --- The navigation's total, cached per user ---------------------------------------------------


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_navigations_total_is_cached_for_the_next_pages(providers):
    user = UserFactory()
    assert todo_count_for_request(_request(user)) == 2
    assert todo_count_for_request(_request(user)) == 2
    assert len(providers) == 1  # the second page read the cache
    assert todo_count_for_request(_request(UserFactory())) == 2  # per user
    assert len(providers) == 2


def test_the_home_page_asks_the_providers_and_refreshes_the_total(providers):
    user = UserFactory()
    todo_count_for_request(_request(user))
    register_todo_provider("test", lambda user: [TodoItem("Five", "/five", 5)])
    assert todo_count_for_request(_request(user)) == 2  # cached
    assert todo_for_request(_request(user)).total == 5  # the home page
    assert todo_count_for_request(_request(user)) == 5


def test_forgetting_drops_the_total_once_the_transaction_commits(
    providers, django_capture_on_commit_callbacks
):
    user = UserFactory()
    todo_count_for_request(_request(user))
    with django_capture_on_commit_callbacks(execute=True):
        forget_todo_count(user)
        assert todo_count_for_request(_request(user)) == 2  # not yet: still cached
    todo_count_for_request(_request(user))
    assert len(providers) == 2


def test_the_total_expires(providers, monkeypatch):
    user = UserFactory()
    todo_count_for_request(_request(user))
    cache.delete(todo._count_key(user.pk))  # as the cache does after TODO_COUNT_SECONDS
    todo_count_for_request(_request(user))
    assert len(providers) == 2
    assert todo.TODO_COUNT_SECONDS <= 60


def test_anonymous_visitors_have_no_total_and_nothing_is_cached(providers):
    from django.contrib.auth.models import AnonymousUser

    assert todo_count_for_request(_request(AnonymousUser())) == 0
    assert providers == []


def test_a_signed_in_page_reads_the_total_from_the_cache(client, django_assert_max_num_queries):
    """Measured on the profile page of a learner: the to-do's providers are asked on the first
    page only."""
    from django.urls import reverse

    user = UserFactory()
    client.force_login(user)
    url = reverse("profile")
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with django_assert_max_num_queries(len(first) - 3):  # CPD, audit requests, invitations
        client.get(url)
