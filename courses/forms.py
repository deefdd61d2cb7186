"""Forms of the courses app."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from courses.models import CourseLevel, Theme
from lms.api import Profession

SORTS = [
    ("newest", _("Newest first")),
    ("cpd", _("Most CPD hours")),
    ("shortest", _("Shortest first")),
]


class CatalogueFilterForm(forms.Form):
    """The catalogue's search and filters (a GET form: works without JavaScript)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), required=False, to_field_name="slug",
        empty_label=_("Any theme"),
    )  # fmt: skip
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *settings.LANGUAGES]
    )
    profession = forms.ChoiceField(
        label=_("Profession"),
        required=False,
        choices=[("", _("Any profession")), *Profession.choices],
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("Any level")), *CourseLevel.choices]
    )
    min_cpd = forms.DecimalField(
        label=_("At least CPD hours"), required=False, min_value=0, max_digits=6, decimal_places=2
    )
    accredited = forms.ChoiceField(
        label=_("Accreditation"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Accredited")), ("no", _("Not accredited"))],
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)


class ImportCourseForm(forms.Form):
    package = forms.FileField(label=_("Package (zip or cmi5.xml)"))
    publish = forms.BooleanField(label=_("Publish it in the catalogue"), required=False)
