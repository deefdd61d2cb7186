"""The to-do list: what waits for a person, gathered from the apps that own the work.

lms is the lowest layer, so it cannot ask certificates which discussions await a confirmation or
organisations which members are overdue. Those apps register, in their ``ready()``, a *to-do
provider*: a function that answers, for a user, the items waiting for them (a label, the page
where they act, and how many). The home page lists them and the navigation shows their total;
both read one computation per request (``todo_for_request``).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
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


def todo_for_request(request: HttpRequest) -> TodoList:
    """``todo_for`` the request's user, computed once per request (the navigation and the home
    page both show it)."""
    found: TodoList | None = getattr(request, _CACHE_ATTRIBUTE, None)
    if found is None:
        found = todo_for(request.user, roles_for_request(request))
        setattr(request, _CACHE_ATTRIBUTE, found)
    return found
