"""Roles and the navigation that adapts to them.

lms is the lowest layer, so it cannot ask organisations or certificates who supervises or who
audits. Instead those apps register, in their ``ready()``, a *role provider* (which roles does
this user hold?) and the navigation entries for the roles they own (docs/architecture.md, "Layers").
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    LEARNER = "learner"
    SUPERVISOR = "supervisor"
    ORGANISATION_ADMIN = "organisation_admin"
    ACCREDITOR = "accreditor"
    STAFF = "staff"
    TRANSLATOR = "translator"


ROLE_LABELS: dict[Role, Promise] = {
    Role.LEARNER: _("Learner"),
    Role.SUPERVISOR: _("Supervisor"),
    Role.ORGANISATION_ADMIN: _("Organisation admin"),
    Role.ACCREDITOR: _("Accreditor"),
    Role.STAFF: _("Staff"),
    Role.TRANSLATOR: _("Translator"),
}


@dataclass(frozen=True)
class NavItem:
    """One entry of the main navigation, shown to users holding any of ``roles`` (to every
    visitor, signed in or not, when ``public``)."""

    label: Promise | str
    url_name: str
    roles: frozenset[Role] = frozenset()
    order: int = 50
    public: bool = False

    @property
    def url(self) -> str:
        return reverse(self.url_name)


RoleProvider = Callable[[AbstractBaseUser], Iterable[Role]]

_role_providers: dict[str, RoleProvider] = {}
_nav_items: dict[str, NavItem] = {}


def register_role_provider(key: str, provider: RoleProvider) -> None:
    """Register (or replace, so that ``ready()`` may run twice) a source of roles."""
    _role_providers[key] = provider


def register_nav_item(item: NavItem) -> None:
    _nav_items[item.url_name] = item


def roles_for(user: AbstractBaseUser | AnonymousUser) -> frozenset[Role]:
    """Every role ``user`` holds. Anonymous visitors hold none."""
    if not user.is_authenticated:
        return frozenset()
    roles = {Role.LEARNER}
    if getattr(user, "is_staff", False):
        roles.add(Role.STAFF)
    for provider in _role_providers.values():
        roles.update(provider(user))
    return frozenset(roles)


def roles_for_request(request: HttpRequest) -> frozenset[Role]:
    """``roles_for`` the request's user, computed once per request (the navigation and the
    to-do list both need them)."""
    found: frozenset[Role] | None = getattr(request, "_practica_roles", None)
    if found is None:
        found = roles_for(request.user)
        request._practica_roles = found  # type: ignore[attr-defined]
    return found


def navigation_for(roles: frozenset[Role]) -> list[NavItem]:
    items = [item for item in _nav_items.values() if item.public or item.roles & roles]
    return sorted(items, key=lambda item: (item.order, str(item.label)))
