"""The to-do list: what waits for a person, gathered from the apps that own the work.

lms is the lowest layer, so it cannot ask certificates which discussions await a confirmation or
organisations which members are overdue. Those apps register, in their ``ready()``, a *to-do
provider*: a function that answers, for a user, the items waiting for them (a label, the page
where they act, and how many). The home page lists them and the navigation shows their total;
both read one computation per request (``todo_for_request``).

The total shows on every signed-in page, and asking every provider costs a few queries; so the
navigation reads it from the cache (``todo_count_for_request``), for ``TODO_COUNT_SECONDS`` at
most. The home page always asks the providers, and refreshes the cached total as it does. A
service that obviously changes someone's to-do (an invitation accepted, a discussion to confirm)
calls ``forget_todo_count`` for them after its commit; anything else shows within the minute.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest

from lms.models import User
from lms.navigation import Role, roles_for, roles_for_request


@dataclass(frozen=True)
class TodoItem:
    """Work waiting for someone: what (translated), where they act, and how many."""

    label: str
    url: str
    count: int


@dataclass(frozen=True)
class TodoList:
    items: tuple[TodoItem, ...]

    @property
    def total(self) -> int:
        return sum(item.count for item in self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


TodoProvider = Callable[[User], Iterable[TodoItem]]

# key -> (provider, the roles it serves; none: every signed-in person)
_todo_providers: dict[str, tuple[TodoProvider, frozenset[Role]]] = {}


def register_todo_provider(
    key: str, provider: TodoProvider, *, roles: frozenset[Role] = frozenset()
) -> None:
    """Register (or replace, so that ``ready()`` may run twice) a source of to-do items, asked
    only for users holding one of ``roles`` (every signed-in user when empty). The count shows
    on every page, so a provider answers in a fixed number of queries, and only with the
    user's own work."""
    _todo_providers[key] = (provider, roles)


def todo_for(user: User | AnonymousUser, roles: frozenset[Role] | None = None) -> TodoList:
    """Every item waiting for ``user`` (nothing for anonymous or inactive users), in the order
    the providers were registered; items with nothing to do are left out. ``roles`` are the
    user's, when the caller knows them already."""
    if not isinstance(user, User) or not user.is_active:
        return TodoList(())
    held = roles_for(user) if roles is None else roles
    items = [
        item
        for provider, wanted in _todo_providers.values()
        if not wanted or wanted & held
        for item in provider(user)
        if item.count > 0
    ]
    return TodoList(tuple(items))


_CACHE_ATTRIBUTE = "_practica_todo"

TODO_COUNT_SECONDS = 60  # how long the navigation may show a total that changed
# Part of the cache key: raise it when what the total counts changes, so that no total counted
# by the previous rule is read after a deployment.
_COUNT_VERSION = 1


def _count_key(user_id: int) -> str:
    return f"lms:todo-count:v{_COUNT_VERSION}:{user_id}"


def todo_for_request(request: HttpRequest) -> TodoList:
    """``todo_for`` the request's user, computed once per request (the navigation and the home
    page both show it); its total is cached for the following pages' navigation."""
    found: TodoList | None = getattr(request, _CACHE_ATTRIBUTE, None)
    if found is None:
        found = todo_for(request.user, roles_for_request(request))
        setattr(request, _CACHE_ATTRIBUTE, found)
        if isinstance(request.user, User):
            cache.set(_count_key(request.user.pk), found.total, TODO_COUNT_SECONDS)
    return found


def todo_count_for_request(request: HttpRequest) -> int:
    """The total of the request's user's to-do, for the navigation: this request's list if it
    was computed, else the cached total, else computed (and cached) now."""
    found: TodoList | None = getattr(request, _CACHE_ATTRIBUTE, None)
    if found is not None:
        return found.total
    user = request.user
    if not isinstance(user, User) or not user.is_active:
        return 0
    total: int | None = cache.get(_count_key(user.pk))
    if total is None:
        total = todo_for_request(request).total
    return total


def forget_todo_count(user: User | int) -> None:
    """Drop ``user``'s cached total once the current transaction commits (before that, another
    request would count the old rows again and cache them)."""
    key = _count_key(user if isinstance(user, int) else user.pk)
    transaction.on_commit(lambda: cache.delete(key))
