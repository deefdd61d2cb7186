"""Invitations to join an organisation: by e-mail, one at a time or from a CSV file.

An invitation carries a one-time token. Only the token's SHA-256 is stored, so a database leak
gives no working link; the token itself exists in the e-mail alone. Resending makes a new token
(the old link stops working) and a new expiry. A pending invitation past its expiry is shown as
"expired" (no status of its own: time decides it) and cannot be accepted until it is resent.

CSV policy: a file that cannot be read at all (not UTF-8, too big, no header row, no ``email``
column) is refused as a whole; otherwise each row with an error is reported with its line
number and skipped, and the other rows are invited. The admin sees a preview first; the file
travels from the preview to the confirmation signed (not trusted from the client) and is parsed
again on confirmation, since members and invitations may have changed in between.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lms.api import NUL, Profession, User, send_templated_email
from organisations import services
from organisations.models import (
    Invitation,
    InvitationStatus,
    Membership,
    MembershipRole,
    Organisation,
    Unit,
    UnitMembership,
)

logger = logging.getLogger(__name__)

TOKEN_BYTES = 32
PENDING_CONSTRAINT = "organisations_one_pending_invitation"
MAX_CSV_BYTES = 1024 * 1024
MAX_CSV_ROWS = 2000
EMAIL_MAX_LENGTH = 254
CSV_COLUMNS = ("email", "name", "role", "unit", "job_title", "profession")
CSV_SIGNING_SALT = "organisations.invitations.csv-upload"
CSV_PAYLOAD_MAX_AGE = 60 * 60  # seconds between the preview and the confirmation
UNIT_PATH_SEPARATOR = " / "

# Roles are ranked so that accepting an old invitation never lowers the role a member already has.
_ROLE_RANK = {MembershipRole.MEMBER: 0, MembershipRole.SUPERVISOR: 1, MembershipRole.ADMIN: 2}


# --- Tokens and state ------------------------------------------------------------------------


def hash_token(token: str) -> str:
    """The stored form of a token (SHA-256, hex). A 256-bit random token needs no salt or
    stretching: it cannot be guessed, and the unique index finds it in one lookup."""
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def _expiry(now: datetime) -> datetime:
    return now + timedelta(days=settings.INVITATION_EXPIRY_DAYS)


class InvitationState(models.TextChoices):
    """What an admin sees: the stored status, with "expired" for a pending one past its date."""

    PENDING = "pending", gettext_lazy("Pending")
    EXPIRED = "expired", gettext_lazy("Expired")
    ACCEPTED = "accepted", gettext_lazy("Accepted")
    REVOKED = "revoked", gettext_lazy("Revoked")


def is_expired(invitation: Invitation, now: datetime | None = None) -> bool:
    return invitation.status == InvitationStatus.PENDING and invitation.expires_at <= (
        now or timezone.now()
    )


def invitation_state(invitation: Invitation, now: datetime | None = None) -> InvitationState:
    if is_expired(invitation, now):
        return InvitationState.EXPIRED
    return InvitationState(invitation.status)


def normalise_email(email: str) -> str:
    """Addresses are compared without regard to case (as the user table does)."""
    return email.strip().lower()


# --- Errors ----------------------------------------------------------------------------------


class InvitationProblem(StrEnum):
    UNKNOWN = "unknown"
    USED = "used"
    REVOKED = "revoked"
    EXPIRED = "expired"
    WRONG_ACCOUNT = "wrong_account"
    UNVERIFIED = "unverified"
    NOT_PENDING = "not_pending"


class InvitationError(Exception):
    """An invitation that cannot be used or changed; ``message`` says why, for the person
    in front of the page, and ``problem`` lets a view pick the HTTP status."""

    def __init__(self, problem: InvitationProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem
        self.message = message


def _usable(invitation: Invitation | None, now: datetime) -> Invitation:
    """The token's invitation if anyone may still accept it; otherwise InvitationError."""
    if invitation is None:
        raise InvitationError(
            InvitationProblem.UNKNOWN,
            _(
                "This invitation link is not valid. If you were sent the invitation again, "
                "use the link in the latest e-mail."
            ),
        )
    if invitation.status == InvitationStatus.ACCEPTED:
        raise InvitationError(
            InvitationProblem.USED,
            _("This invitation has already been accepted. An invitation link works only once."),
        )
    if invitation.status == InvitationStatus.REVOKED:
        raise InvitationError(
            InvitationProblem.REVOKED,
            _("This invitation was withdrawn by %(organisation)s.")
            % {"organisation": invitation.organisation.name},
        )
    if is_expired(invitation, now):
        raise InvitationError(
            InvitationProblem.EXPIRED,
            _("This invitation has expired. Ask %(organisation)s to send it again.")
            % {"organisation": invitation.organisation.name},
        )
    return invitation


def check_account(invitation: Invitation, user: User) -> None:
    """Only the invited address may accept: a forwarded link does not make someone else a member."""
    if normalise_email(user.email) != invitation.email:
        raise InvitationError(
            InvitationProblem.WRONG_ACCOUNT,
            _(
                "This invitation was sent to %(email)s, and you are signed in as %(you)s. "
                "Sign in with the invited address to accept it."
            )
            % {"email": invitation.email, "you": user.email},
        )
    if not user.email_verified:
        # Anyone may sign up with an address: only its owner, who opened the link we sent to
        # it, may accept what was sent to it (issue 17).
        raise InvitationError(
            InvitationProblem.UNVERIFIED,
            _(
                "Confirm your e-mail address first: open the link we sent to %(email)s (or ask "
                "for a new one on your profile page), then accept the invitation."
            )
            % {"email": user.email},
        )


# --- Reads -----------------------------------------------------------------------------------


def get_invitation_for_token(token: str) -> Invitation:
    """The invitation a link points to, if it can still be accepted; it is not consumed (mail
    scanners follow links). Raises :class:`InvitationError` saying why not."""
    invitation = (
        Invitation.objects.select_related("organisation", "unit")
        .filter(token_hash=hash_token(token))
        .first()
    )
    return _usable(invitation, timezone.now())


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


# --- Writes ----------------------------------------------------------------------------------


def _accept_url(token: str) -> str:
    return settings.SITE_URL + reverse("organisations:invitation-accept", args=[token])


def _send_invitation_email(invitation: Invitation, token: str, by: User | None) -> None:
    """Queue the e-mail (sent once the transaction commits). It is the only place the token
    is ever written down."""
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
    token, token_hash = _new_token()
    invitation = Invitation(
        organisation=organisation,
        email=email,
        name=name.strip(),
        role=role,
        job_title=job_title.strip(),
        profession=profession,
        unit=unit,
        token_hash=token_hash,
        expires_at=_expiry(now),
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
    return InvitationError(
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
    token, locked.token_hash = _new_token()
    locked.expires_at = _expiry(now)
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
    """Make ``user`` a member on the invitation's terms. The row is locked first, so a double
    submit accepts once. Accepting never takes anything away from someone already a member:
    a higher role and a unit's supervision stay, and so do their job title and profession where
    the invitation gives none."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "unit")
        .filter(token_hash=hash_token(token))
        .first()
    )
    now = timezone.now()
    invitation = _usable(invitation, now)
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
    return membership


# --- CSV -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvRow:
    """One data row of an uploaded file: what was read (``*_input``), what it resolves to, and
    its problems (none: it will be invited)."""

    line: int
    email: str
    name: str
    role: str
    role_input: str
    unit: Unit | None
    unit_input: str
    unit_path: str
    job_title: str
    profession: str
    profession_input: str
    errors: tuple[str, ...]

    @property
    def error(self) -> str | None:
        return " ".join(self.errors) if self.errors else None

    @property
    def role_shown(self) -> str:
        return str(MembershipRole(self.role).label) if self.role else self.role_input

    @property
    def profession_shown(self) -> str:
        return str(Profession(self.profession).label) if self.profession else self.profession_input

    @property
    def unit_shown(self) -> str:
        return self.unit_path or self.unit_input


@dataclass(frozen=True)
class CsvPreview:
    rows: tuple[CsvRow, ...]

    @property
    def valid(self) -> list[CsvRow]:
        return [row for row in self.rows if not row.errors]

    @property
    def invalid(self) -> list[CsvRow]:
        return [row for row in self.rows if row.errors]


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="unreadable")


def decode_csv(data: bytes) -> str:
    """The file's text; refuses a file too big or not UTF-8 (a byte-order mark is allowed)."""
    if len(data) > MAX_CSV_BYTES:
        raise _refuse(_("The file is larger than 1 MB. Split it into smaller files."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refuse(
            _(
                "The file is not UTF-8 text (the problem is at byte %(position)s). "
                "Save it as “CSV UTF-8” and upload it again."
            )
            % {"position": exc.start + 1}
        ) from exc


def _delimiter(header_line: str) -> str:
    """Spreadsheets in many locales save CSV with semicolons (or tabs); the header tells which."""
    for candidate in (",", ";", "\t"):
        if candidate in header_line:
            return candidate
    return ","


def _header(cells: Sequence[str]) -> list[str]:
    columns = [cell.strip().lower().replace(" ", "_").replace("-", "_") for cell in cells]
    expected = ", ".join(CSV_COLUMNS)
    if "email" not in columns:
        raise _refuse(
            _(
                "The first line must be a header row with an “email” column. "
                "The columns are: %(columns)s."
            )
            % {"columns": expected}
        )
    # A trailing delimiter (common in spreadsheet exports) makes an empty, ignored column.
    unknown = [c for c in columns if c and c not in CSV_COLUMNS]
    if unknown:
        raise _refuse(
            _("Unknown columns in the header row: %(unknown)s. The columns are: %(columns)s.")
            % {"unknown": ", ".join(f"“{c}”" for c in unknown), "columns": expected}
        )
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:
        raise _refuse(
            _("These columns appear twice in the header row: %(columns)s.")
            % {"columns": ", ".join(repeated)}
        )
    return columns


def _read_rows(text: str) -> list[tuple[int, dict[str, str], bool]]:
    """(line, values by column, too many cells) for each non-blank data row; the header is
    line 1 and a quoted cell spanning lines counts each of them."""
    if len(text.encode()) > MAX_CSV_BYTES:
        raise _refuse(_("The file is larger than 1 MB. Split it into smaller files."))
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise _refuse(_("The file is empty."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n")[0]))
    try:
        columns = _header(next(reader))
        rows: list[tuple[int, dict[str, str], bool]] = []
        previous_end = reader.line_num
        for cells in reader:
            line, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == MAX_CSV_ROWS:
                raise _refuse(
                    _("The file has more than %(most)s rows. Split it into smaller files.")
                    % {"most": f"{MAX_CSV_ROWS:,}"}
                )
            values = {column: cell.strip() for column, cell in zip(columns, cells, strict=False)}
            rows.append((line, values, len(cells) > len(columns)))
    except csv.Error as exc:
        raise _refuse(
            _("The file is not valid CSV (line %(line)s): %(problem)s")
            % {"line": reader.line_num, "problem": exc}
        ) from exc
    return rows


def _labels(choices: type[models.TextChoices], current_language: str) -> dict[str, str]:
    """Value by lower-cased value, English label and label in the current language."""
    found: dict[str, str] = {}
    for language in ("en", current_language):
        with translation.override(language):
            for value, label in choices.choices:
                found.setdefault(str(label).lower(), value)
    for value in choices.values:
        found[value.lower()] = value
    return found


class _UnitLookup:
    """Units by path ("Parent / Child") or by name when only one unit has it (no query)."""

    def __init__(self, units: list[Unit]) -> None:
        paths = unit_paths(units)
        self.by_path = {self._key(paths[u.pk]): u for u in units}
        self.by_name: dict[str, list[Unit]] = defaultdict(list)
        for unit in units:
            self.by_name[self._key(unit.name)].append(unit)
        self.paths = paths

    @staticmethod
    def _key(label: str) -> str:
        """Case and spacing do not matter: "north / Iasi  team" finds "North / Iasi team"."""
        return "/".join(" ".join(part.split()) for part in label.lower().split("/"))

    def find(self, label: str) -> tuple[Unit | None, str | None]:
        key = self._key(label)
        if key in self.by_path:
            return self.by_path[key], None
        named = self.by_name.get(key, [])
        if len(named) == 1:
            return named[0], None
        if named:
            return None, _(
                "Several units are named “%(unit)s”: write its path, for example “%(path)s”."
            ) % {"unit": label, "path": self.paths[named[0].pk]}
        return None, _("Unknown unit “%(unit)s”.") % {"unit": label}


def _address_problems(
    email: str, as_written: str, lines_by_email: dict[str, list[int]], line: int
) -> list[str]:
    if not email:
        return [_("The e-mail address is missing.")]
    problems = []
    try:
        validate_email(email)
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
    except ValidationError:
        problems.append(_("“%(email)s” is not a valid e-mail address.") % {"email": as_written})
    others = [n for n in lines_by_email[email] if n != line]
    if others:
        problems.append(
            ngettext(
                "The address is also on line %(lines)s.",
                "The address is also on lines %(lines)s.",
                len(others),
            )
            % {"lines": ", ".join(str(n) for n in others)}
        )
    return problems


def _length_problems(*, name: str, job_title: str) -> list[str]:
    """The limits of the model's fields, checked here so that one long cell skips its row
    rather than failing the whole insert."""
    problems = []
    for label, value, field_name in (
        (_("The name"), name, "name"),
        (_("The job title"), job_title, "job_title"),
    ):
        most = Invitation._meta.get_field(field_name).max_length or 0  # type: ignore[union-attr]
        if len(value) > most:
            problems.append(
                _("%(field)s is longer than %(most)s characters.") % {"field": label, "most": most}
            )
    return problems


def parse_invitation_csv(*, organisation: Organisation, data: bytes | str) -> CsvPreview:
    """Read an uploaded file into a preview: every data row with its line number and its
    problems (none: it will be invited). Stores nothing. Raises ValidationError when the file
    as a whole cannot be read. Three queries, whatever the number of rows."""
    text = decode_csv(data) if isinstance(data, bytes) else data
    raw_rows = _read_rows(text)
    language = translation.get_language() or settings.LANGUAGE_CODE
    roles = _labels(MembershipRole, language)
    professions = _labels(Profession, language)
    units = _UnitLookup(list(Unit.objects.filter(organisation=organisation)))

    # A row with a NUL character (an invisible control character; PostgreSQL stores none) is
    # an error of its own: the other rows are read as usual.
    garbled = [any(NUL in value for value in values.values()) for _l, values, _e in raw_rows]
    emails = [
        "" if nul else normalise_email(values.get("email", ""))
        for (_line, values, _extra), nul in zip(raw_rows, garbled, strict=True)
    ]
    lines_by_email: dict[str, list[int]] = defaultdict(list)
    for (line, _values, _extra), email in zip(raw_rows, emails, strict=True):
        if email:
            lines_by_email[email].append(line)
    wanted = list(lines_by_email)
    members = set(
        Membership.objects.filter(organisation=organisation)
        .annotate(address=Lower("user__email"))
        .filter(address__in=wanted)
        .values_list("address", flat=True)
    )
    pending = set(
        Invitation.objects.filter(
            organisation=organisation, status=InvitationStatus.PENDING, email__in=wanted
        ).values_list("email", flat=True)
    )

    rows = []
    for (line, raw, extra), email, nul in zip(raw_rows, emails, garbled, strict=True):
        errors: list[str] = []
        values = {column: value.replace(NUL, "") for column, value in raw.items()} if nul else raw
        if nul:
            errors.append(_("The row holds an invisible control character (NUL): retype it."))
        if extra:
            errors.append(_("The row has more cells than the header row."))
        if not nul:
            errors.extend(_address_problems(email, values.get("email", ""), lines_by_email, line))
        if email in members:
            errors.append(_("Already a member of the organisation."))
        elif email in pending:
            errors.append(_("Already invited (pending): resend that invitation instead."))
        role_input = values.get("role", "")
        role = roles.get(role_input.lower(), "") if role_input else MembershipRole.MEMBER.value
        if not role:
            errors.append(_("Unknown role “%(role)s”.") % {"role": role_input})
        profession_input = values.get("profession", "")
        profession = professions.get(profession_input.lower(), "") if profession_input else ""
        if profession_input and not profession:
            errors.append(
                _("Unknown profession “%(profession)s”.") % {"profession": profession_input}
            )
        unit_input = values.get("unit", "")
        unit, unit_error = units.find(unit_input) if unit_input else (None, None)
        if unit_error:
            errors.append(unit_error)
        name, job_title = values.get("name", ""), values.get("job_title", "")
        errors.extend(_length_problems(name=name, job_title=job_title))
        rows.append(
            CsvRow(
                line=line,
                email=email,
                name=name,
                role=role,
                role_input=role_input,
                unit=unit,
                unit_input=unit_input,
                unit_path=units.paths[unit.pk] if unit else "",
                job_title=job_title,
                profession=profession,
                profession_input=profession_input,
                errors=tuple(errors),
            )
        )
    return CsvPreview(rows=tuple(rows))


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
        token, token_hash = _new_token()
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
                expires_at=_expiry(now),
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


# --- Carrying the file from the preview to the confirmation --------------------------------


def sign_csv(*, organisation: Organisation, user: User, text: str) -> str:
    """The file's text, signed for this organisation and admin, to travel in a hidden field."""
    return signing.dumps(
        {"organisation": str(organisation.public_id), "user": str(user.public_id), "csv": text},
        salt=CSV_SIGNING_SALT,
        compress=True,
    )


def unsign_csv(*, organisation: Organisation, user: User, payload: str) -> str:
    """The text signed by :func:`sign_csv`; refuses a changed, stale or foreign payload."""
    refused = ValidationError(
        _(
            "The uploaded file could not be confirmed: it was changed, or the preview is more "
            "than an hour old. Upload the file again."
        ),
        code="bad_payload",
    )
    try:
        content = signing.loads(payload, salt=CSV_SIGNING_SALT, max_age=CSV_PAYLOAD_MAX_AGE)
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature
        raise refused from exc
    if (
        not isinstance(content, dict)
        or content.get("organisation") != str(organisation.public_id)
        or content.get("user") != str(user.public_id)
        or not isinstance(content.get("csv"), str)
    ):
        raise refused
    return str(content["csv"])
