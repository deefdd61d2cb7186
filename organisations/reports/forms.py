"""Forms of the report pages: filters (GET) and course assignment."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from frameworks.models import RoleProfile
from lms.models import Profession
from organisations.core.models import Unit
from organisations.core.scope import Scope
from organisations.reports.models import ReportFormat
from organisations.reports.selectors import TeamFilters


class TeamFilterForm(forms.Form):
    unit: "forms.ModelChoiceField[Unit]" = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),  # set per scope in __init__
        required=False,
        to_field_name="public_id",
        empty_label=_("All units"),
        help_text=_("Includes the units below it."),
    )
    profession = forms.ChoiceField(
        label=_("Profession"),
        required=False,
        choices=[("", _("All professions")), *Profession.choices],
    )
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scope.units().order_by("name")  # type: ignore[attr-defined]
        # Only the countries the members in scope come from: a short list (rendering all 250
        # options through widget templates cost a third of the page's time).
        present = set(
            scope.memberships()
            .exclude(user__country="")
            .values_list("user__country", flat=True)
            .distinct()
        )
        self.fields["country"].choices = [  # type: ignore[attr-defined]
            ("", _("All countries")),
            *((code, name) for code, name in countries if code in present),
        ]

    def team_filters(self) -> TeamFilters:
        if not self.is_valid():
            return TeamFilters()
        data = self.cleaned_data
        return TeamFilters(
            unit=data["unit"], profession=data["profession"], country=data["country"]
        )


class CoverageForm(TeamFilterForm):
    role = forms.ModelChoiceField(
        label=_("Role profile"),
        queryset=RoleProfile.objects.select_related("framework").order_by("slug"),
        to_field_name="slug",
        required=False,
        empty_label=_("Choose a role"),
    )

    field_order = ["role", "unit", "profession", "country"]


def export_format(value: str | None) -> str | None:
    """A known report format, or None."""
    return value if value in ReportFormat.values else None
