"""The invitation CSV (``email,name,role,unit,job_title,profession``; comma, semicolon or tab;
UTF-8): reading an uploaded file into a preview, and carrying it signed from the preview to the
confirmation.

CSV policy: a file that cannot be read at all (not UTF-8, too big, no header row, no ``email``
column) is refused as a whole; otherwise each row with an error is reported with its line
number and skipped, and the other rows are invited. The admin sees a preview first; the file
travels from the preview to the confirmation signed (not trusted from the client) and is parsed
again on confirmation, since members and invitations may have changed in between.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.api import NUL, Profession, User
from organisations.core.models import Membership, MembershipRole, Organisation, Unit
from organisations.invitations.models import Invitation, InvitationStatus
from organisations.invitations.selectors import unit_paths
from organisations.invitations.tokens import normalise_email

MAX_CSV_BYTES = 1024 * 1024
MAX_CSV_ROWS = 2000
EMAIL_MAX_LENGTH = 254
CSV_COLUMNS = ("email", "name", "role", "unit", "job_title", "profession")
CSV_SIGNING_SALT = "organisations.invitations.csv-upload"
CSV_PAYLOAD_MAX_AGE = 60 * 60  # seconds between the preview and the confirmation


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


def template_csv() -> str:
    """A file to start from: the header row and one example row the parser accepts (its unit
    left empty, since units differ from one organisation to another)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerow(
        ["ana.popescu@example.org", "Ana Popescu", MembershipRole.MEMBER.value, "",
         "Case worker", Profession.SOCIAL_WORKER.value]
    )  # fmt: skip
    return out.getvalue()


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
