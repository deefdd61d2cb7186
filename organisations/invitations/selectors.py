"""Reads of invitations: the invitation a link points to, the invitations waiting for a
signed-in person, the admins' list, and the organisation's units with their paths (for the
forms and the CSV)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from lms.api import User
from organisations.core.models import Organisation, Unit
from organisations.invitations.models import Invitation, InvitationStatus
from organisations.invitations.tokens import (
    InvitationState,
    hash_token,
    invitation_state,
    normalise_email,
    usable,
)

UNIT_PATH_SEPARATOR = " / "


def get_invitation_for_token(token: str) -> Invitation:
    """The invitation a link points to, if it can still be accepted; it is not consumed (mail
    scanners follow links). Raises :class:`InvitationError` saying why not."""
    invitation = (
        Invitation.objects.select_related("organisation", "unit")
        .filter(token_hash=hash_token(token))
        .first()
    )
    return usable(invitation, timezone.now())


def invitations_for_user(user: User) -> QuerySet[Invitation]:
    """The invitations ``user`` may accept now: addressed to their address, pending and not
    expired. Only once the address is confirmed: anyone may sign up with an address, and only
    its owner may learn who invited it (as ``tokens.check_account`` decides for accepting)."""
    if not user.email_verified:
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(
            email=normalise_email(user.email),
            status=InvitationStatus.PENDING,
            expires_at__gt=timezone.now(),
        )
        .select_related("organisation", "unit")
        .order_by("expires_at", "pk")
    )


def unit_paths(units: Iterable[Unit]) -> dict[int, str]:
    """Each unit's path from the top ("Parent / Child"), from all the organisation's units
    (no query)."""
    by_id = {unit.pk: unit for unit in units}
    paths: dict[int, str] = {}

    def path(unit: Unit, seen: frozenset[int] = frozenset()) -> str:
        if unit.pk not in paths:
            parent = by_id.get(unit.parent_id) if unit.parent_id else None
            if parent is None or parent.pk in seen:
                paths[unit.pk] = unit.name
            else:
                paths[unit.pk] = path(parent, seen | {unit.pk}) + UNIT_PATH_SEPARATOR + unit.name
        return paths[unit.pk]

    for unit in by_id.values():
        path(unit)
    return paths


def organisation_units(organisation: Organisation) -> list[tuple[Unit, str]]:
    """The organisation's units with their paths, in path order (one query)."""
    units = list(
        Unit.objects.filter(organisation=organisation).only("pk", "public_id", "parent_id", "name")
    )
    paths = unit_paths(units)
    return sorted(((unit, paths[unit.pk]) for unit in units), key=lambda pair: pair[1].lower())


@dataclass(frozen=True)
class InvitationRow:
    invitation: Invitation
    state: InvitationState
    unit_path: str


def invitations_of(organisation: Organisation) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(organisation=organisation)
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


def invitation_rows(
    invitations: Iterable[Invitation], paths: dict[int, str], now: datetime | None = None
) -> list[InvitationRow]:
    """The rows of the admins' list: the state each invitation is in and its unit's path
    (``paths`` from :func:`unit_paths`; no query)."""
    moment = now or timezone.now()
    return [
        InvitationRow(
            invitation=invitation,
            state=invitation_state(invitation, moment),
            unit_path=paths.get(invitation.unit_id, "") if invitation.unit_id else "",
        )
        for invitation in invitations
    ]
