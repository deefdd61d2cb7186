"""Forms of the invitation pages: one invitation, a CSV upload, and the upload's confirmation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lms.api import Profession, User
from organisations.core.models import MembershipRole, Organisation, Unit
from organisations.invitations import csv as invitation_csv

CSV_HELP = _(
    "A CSV file (UTF-8) whose first line names the columns: email, name, role, unit, job_title, "
    "profession. Only email is required. Role: member, supervisor or admin (the default is "
    "member). Unit: its name, or its path such as “North / Iasi team”. Profession: for example "
    "social_worker, psychologist, teacher. At most 1 MB and 2,000 rows."
)


class InvitationForm(forms.Form):
    """One invitation. Units are offered by their path, read in one query."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    role = forms.ChoiceField(
        label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER
    )
    unit = forms.ChoiceField(
        label=_("Unit"),
        required=False,
        help_text=_("A supervisor invited to a unit will supervise it."),
    )
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    profession = forms.ChoiceField(
        label=_("Profession"),
        choices=[("", _("(from their own profile)")), *Profession.choices],
        required=False,
    )

    def __init__(self, *args: Any, units: list[tuple[Unit, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {str(unit.public_id): unit for unit, _path in units}
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            ("", _("(none)")),
            *((str(unit.public_id), path) for unit, path in units),
        ]

    def clean_unit(self) -> Unit | None:
        chosen = self.cleaned_data.get("unit") or ""
        return self.units.get(chosen) if chosen else None


class InvitationCsvForm(forms.Form):
    """The upload: the file is read and parsed into a preview here, nothing is stored."""

    file = forms.FileField(label=_("CSV file"), help_text=CSV_HELP)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.text = ""
        self.preview: invitation_csv.CsvPreview | None = None

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > invitation_csv.MAX_CSV_BYTES:
            # Refused before reading it into memory.
            raise ValidationError(_("The file is larger than 1 MB. Split it into smaller files."))
        self.text = invitation_csv.decode_csv(upload.read())
        self.preview = invitation_csv.parse_invitation_csv(
            organisation=self.organisation, data=self.text
        )
        return upload


class InvitationCsvConfirmForm(forms.Form):
    """The confirmation carries the previewed file, signed; a changed or stale one is refused."""

    payload = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, organisation: Organisation, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.user = user
        self.text = ""

    def clean(self) -> dict[str, Any]:
        # Reported as a form error, not the hidden field's (which no one would see).
        cleaned = super().clean() or {}
        self.text = invitation_csv.unsign_csv(
            organisation=self.organisation, user=self.user, payload=cleaned.get("payload", "")
        )
        return cleaned

    @classmethod
    def for_text(
        cls, *, organisation: Organisation, user: User, text: str
    ) -> InvitationCsvConfirmForm:
        payload = invitation_csv.sign_csv(organisation=organisation, user=user, text=text)
        return cls(initial={"payload": payload}, organisation=organisation, user=user)
