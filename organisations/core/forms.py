"""Forms of the organisation pages: units, their people, course assignments."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Course, CourseStatus, LearningJourney
from lms.api import DAY_VALIDATORS
from lms.models import User
from organisations.core.models import Membership, Organisation, Unit, UnitKind, UnitMembership
from organisations.core.scope import Scope, subtree


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices, initial=UnitKind.TEAM)
    parent = forms.ModelChoiceField(
        label=_("Part of"),
        queryset=Unit.objects.none(),
        required=False,
        to_field_name="public_id",
        empty_label=_("(top level)"),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Unit.objects.filter(organisation=organisation)  # type: ignore[attr-defined]


class _MemberByEmail:
    organisation: Organisation

    def _member(self, email: str) -> User:
        found = (
            Membership.objects.filter(organisation=self.organisation, user__email__iexact=email)
            .select_related("user")
            .first()
        )
        if found is None:
            raise forms.ValidationError(
                _("%(email)s is not a member of this organisation."), params={"email": email}
            )
        return found.user


class UnitMemberForm(_MemberByEmail, forms.Form):
    member = forms.EmailField(label=_("Member's e-mail address"))
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), to_field_name="public_id"
    )
    supervises = forms.BooleanField(label=_("Supervises the unit"), required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["unit"].queryset = Unit.objects.filter(organisation=organisation)  # type: ignore[attr-defined]

    def clean_member(self) -> User:
        return self._member(self.cleaned_data["member"])


class AssignCourseForm(_MemberByEmail, forms.Form):
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=Course.objects.none(), required=False, to_field_name="slug"
    )
    journey = forms.ModelChoiceField(
        label=_("or learning journey"),
        queryset=LearningJourney.objects.none(),
        required=False,
        to_field_name="slug",
    )
    emails = forms.CharField(
        label=_("Members' e-mail addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, or separated by commas."),
    )
    unit = forms.ModelChoiceField(
        label=_("or everyone in a unit"),
        queryset=Unit.objects.none(),
        required=False,
        to_field_name="public_id",
        help_text=_("Includes the units below it."),
    )
    due_on = forms.DateField(
        label=_("Due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=DAY_VALIDATORS,
    )

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.organisation = scope.organisation
        self.fields["course"].queryset = Course.objects.filter(  # type: ignore[attr-defined]
            status=CourseStatus.PUBLISHED
        ).order_by("slug")
        self.fields["journey"].queryset = LearningJourney.objects.filter(  # type: ignore[attr-defined]
            status=CourseStatus.PUBLISHED
        ).order_by("slug")
        self.fields["unit"].queryset = scope.units()  # type: ignore[attr-defined]
        self._people: list[User] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("course")) == bool(data.get("journey")):
            raise forms.ValidationError(_("Choose a course or a learning journey (one of them)."))
        emails = [e for e in re.split(r"[\s,;]+", data.get("emails") or "") if e]
        if not emails and not data.get("unit"):
            self.add_error("emails", _("List members or choose a unit."))
            return data
        people: dict[int, User] = {}
        errors = []
        for email in emails:
            try:
                person = self._member(email)
            except forms.ValidationError as error:
                errors.append(error)
            else:
                people[person.pk] = person
        if errors:
            self.add_error("emails", errors)
        if data.get("unit"):
            units = list(
                Unit.objects.filter(organisation=self.organisation).only("pk", "parent_id")
            )
            wanted = subtree({data["unit"].pk}, units)
            for unit_membership in UnitMembership.objects.filter(unit__in=wanted).select_related(
                "user"
            ):
                people[unit_membership.user_id] = unit_membership.user
        self._people = list(people.values())
        return data

    def members(self) -> list[User]:
        return self._people
