"""Writes of invitations: invite by e-mail, one at a time or from a CSV file (parsed in
``csv``), resend, revoke, accept. Resending makes a new token (the old link stops working) and a
new expiry; tokens and states are in ``tokens``.
"""

from __future__ import annotations

import logging
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.api import User, forget_todo_count, notify, send_templated_email
from organisations.core import services
from organisations.core.models import Membership, MembershipRole, Organisation, Unit, UnitMembership
from organisations.invitations.csv import CsvPreview, parse_invitation_csv
from organisations.invitations.models import Invitation, InvitationStatus
from organisations.invitations.notifications import INVITATION_ACCEPTED
from organisations.invitations.tokens import (
    InvitationError,
    InvitationNotPendingError,
    InvitationProblem,
    check_account,
    expiry,
    hash_token,
    new_token,
    normalise_email,
    usable,
)

logger = logging.getLogger(__name__)

PENDING_CONSTRAINT = "organisations_one_pending_invitation"

# Roles are ranked so that accepting an old invitation never lowers the role a member already has.
_ROLE_RANK = {MembershipRole.MEMBER: 0, MembershipRole.SUPERVISOR: 1, MembershipRole.ADMIN: 2}


def _accept_url(token: str) -> str:
    return settings.SITE_URL + reverse("organisations:invitation-accept", args=[token])


def _send_invitation_email(invitation: Invitation, token: str, by: User | None) -> None:
    """Queue the e-mail (sent once the transaction commits). It is the only place the token
    is ever written down, so it stays a plain e-mail, not a notification: a notification would
    keep the link in the database (only the token's hash is kept), and a person who turned the
    kind off would get no link at all."""
    send_templated_email(
        "organisations/email/invitation",
        to=[invitation.email],
        context={
            "invitation": invitation,
            "inviter": (by.display_name or by.email) if by else invitation.organisation.name,
            "url": _accept_url(token),
            "expires_on": timezone.localdate(invitation.expires_at),
        },
        # The language of whoever sent it: the invitee has no preference on record yet.
        language=translation.get_language(),
    )


def _pending_exists_error() -> ValidationError:
    return ValidationError(
        {"email": _("This address already has a pending invitation: resend it instead.")},
        code="pending",
    )


@transaction.atomic
def invite(
    *,
    organisation: Organisation,
    email: str,
    name: str = "",
    role: str = MembershipRole.MEMBER,
    job_title: str = "",
    profession: str = "",
    unit: Unit | None = None,
    by: User | None,
) -> tuple[Invitation, str]:
    """Invite ``email`` to ``organisation`` and e-mail the link. Returns the invitation and its
    token (never stored). Raises ValidationError naming the field at fault."""
    email = normalise_email(email)
    if unit is not None and unit.organisation_id != organisation.pk:
        raise ValidationError({"unit": _("This unit belongs to another organisation.")})
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("This person is already a member of the organisation.")}, code="member"
        )
    now = timezone.now()
    token, token_hash = new_token()
    invitation = Invitation(
        organisation=organisation,
        email=email,
        name=name.strip(),
        role=role,
        job_title=job_title.strip(),
        profession=profession,
        unit=unit,
        token_hash=token_hash,
        expires_at=expiry(now),
        invited_by=by,
        sent_count=1,
        last_sent_at=now,
    )
    # The partial unique constraint, not a prior exists(), decides "one pending invitation".
    invitation.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as exc:
        if PENDING_CONSTRAINT in str(exc):
            raise _pending_exists_error() from exc
        raise
    _send_invitation_email(invitation, token, by)
    return invitation, token


def _locked(invitation: Invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=invitation.pk)
    )


def _not_pending() -> InvitationError:
    return InvitationNotPendingError(
        InvitationProblem.NOT_PENDING,
        _("Only a pending or expired invitation can be resent or withdrawn."),
    )


@transaction.atomic
def resend_invitation(*, invitation: Invitation, by: User | None) -> str:
    """Send a pending (or expired) invitation again with a new token and a new expiry; the old
    link stops working. Returns the new token."""
    locked = _locked(invitation)
    if locked.status != InvitationStatus.PENDING:
        raise _not_pending()
    now = timezone.now()
    token, locked.token_hash = new_token()
    locked.expires_at = expiry(now)
    locked.sent_count += 1
    locked.last_sent_at = now
    locked.save(update_fields=["token_hash", "expires_at", "sent_count", "last_sent_at"])
    _send_invitation_email(locked, token, by)
    _refresh(invitation, locked)
    return token


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, by: User | None) -> None:
    """Withdraw a pending invitation: its link then says so. The address may be invited again."""
    locked = _locked(invitation)
    if locked.status != InvitationStatus.PENDING:
        raise _not_pending()
    locked.status = InvitationStatus.REVOKED
    locked.save(update_fields=["status"])
    logger.info("Invitation %s revoked by user %s", locked.public_id, by.pk if by else None)
    _refresh(invitation, locked)


def _refresh(stale: Invitation, fresh: Invitation) -> None:
    for field in ("token_hash", "expires_at", "sent_count", "last_sent_at", "status"):
        setattr(stale, field, getattr(fresh, field))


@transaction.atomic
def accept_invitation(*, token: str, user: User) -> Membership:
    """Make ``user`` a member on the terms of the invitation behind ``token`` (the e-mailed
    link). The row is locked first, so a double submit accepts once."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "unit")
        .filter(token_hash=hash_token(token))
        .first()
    )
    return _accept(invitation, user)


@transaction.atomic
def accept_invitation_for_user(*, invitation_id: UUID, user: User) -> Membership:
    """Accept, signed in, an invitation addressed to ``user``'s own address (their list of
    invitations, reached from the to-do): the invitation is found by its public id *and* the
    address, so another person's invitation is unknown (404), never accepted."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "unit")
        .filter(public_id=invitation_id, email=normalise_email(user.email))
        .first()
    )
    return _accept(invitation, user)


def _accept(invitation: Invitation | None, user: User) -> Membership:
    """Accepting never takes anything away from someone already a member: a higher role and a
    unit's supervision stay, and so do their job title and profession where the invitation
    gives none. ``invitation`` is locked by the caller's transaction."""
    now = timezone.now()
    invitation = usable(invitation, now)
    check_account(invitation, user)

    organisation = invitation.organisation
    current = Membership.objects.filter(organisation=organisation, user=user).first()
    role, job_title, profession = invitation.role, invitation.job_title, invitation.profession
    if current is not None:
        if _ROLE_RANK[MembershipRole(current.role)] > _ROLE_RANK[MembershipRole(role)]:
            role = current.role
        job_title = job_title or current.job_title
        profession = profession or current.profession
    membership = services.set_membership(
        organisation=organisation,
        user=user,
        role=role,
        job_title=job_title,
        profession=profession,
    )
    if invitation.unit is not None:
        supervises_already = UnitMembership.objects.filter(
            unit=invitation.unit, user=user, supervises=True
        ).exists()
        services.set_unit_membership(
            unit=invitation.unit,
            user=user,
            supervises=supervises_already or invitation.role == MembershipRole.SUPERVISOR,
        )
        membership.refresh_from_db()
    invitation.status = InvitationStatus.ACCEPTED
    invitation.accepted_by = user
    invitation.accepted_at = now
    invitation.save(update_fields=["status", "accepted_by", "accepted_at"])
    _tell_accepted(invitation, user)
    forget_todo_count(user)  # one invitation fewer, and maybe a role with work of its own
    return membership


def _tell_accepted(invitation: Invitation, user: User) -> None:
    """Whoever sent the invitation hears that it was accepted; when nobody did (or they are
    gone), the organisation's admins. The new member is never told of their own acceptance."""
    organisation = invitation.organisation
    sender = invitation.invited_by
    if sender is not None and sender.is_active:
        recipients = [sender]
    else:
        recipients = list(
            User.objects.filter(
                memberships__organisation=organisation,
                memberships__role=MembershipRole.ADMIN,
                is_active=True,
            )
        )
    path = reverse("organisations:detail", args=[organisation.public_id])
    for person in recipients:
        if person.pk == user.pk:
            continue
        notify(
            INVITATION_ACCEPTED,
            recipient=person,
            template="organisations/email/invitation_accepted",
            url=path,
            context={
                "person": person,
                "member": user,
                "organisation": organisation,
                "url": settings.SITE_URL.rstrip("/") + path,
            },
        )


@transaction.atomic
def invite_from_csv(
    *, organisation: Organisation, data: bytes | str, by: User | None
) -> tuple[list[Invitation], CsvPreview]:
    """Invite the valid rows of a file (parsed again: things may have changed since the
    preview) in one transaction and e-mail each. Returns the invitations and the preview
    whose invalid rows were skipped."""
    preview = parse_invitation_csv(organisation=organisation, data=data)
    now = timezone.now()
    tokens: list[str] = []
    invitations: list[Invitation] = []
    for row in preview.valid:
        token, token_hash = new_token()
        tokens.append(token)
        invitations.append(
            Invitation(
                organisation=organisation,
                email=row.email,
                name=row.name,
                role=row.role,
                job_title=row.job_title,
                profession=row.profession,
                unit=row.unit,
                token_hash=token_hash,
                expires_at=expiry(now),
                invited_by=by,
                sent_count=1,
                last_sent_at=now,
            )
        )
    try:
        with transaction.atomic():
            Invitation.objects.bulk_create(invitations)
    except IntegrityError as exc:
        if PENDING_CONSTRAINT in str(exc):
            # Someone invited one of these addresses between the parse and the insert.
            raise ValidationError(
                _("Some of these addresses were invited meanwhile. Upload the file again."),
                code="pending",
            ) from exc
        raise
    for invitation, token in zip(invitations, tokens, strict=True):
        _send_invitation_email(invitation, token, by)
    return invitations, preview
