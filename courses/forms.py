"""Forms of the courses app."""

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from courses.models import Course, CourseLevel, CourseStatus, Theme
from courses.selectors import content_languages
from lms.api import Profession, language_name

SORTS = [
    ("newest", _("Newest first")),
    ("cpd", _("Most CPD hours")),
    ("shortest", _("Shortest first")),
]


class ThemeChoiceField(forms.ModelChoiceField):
    """Themes named in the page's language (falling back as ``pick_text`` does)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name_in(translation.get_language() or "en")) or obj.slug


class CatalogueFilterForm(forms.Form):
    """The catalogue's search and filters (a GET form: works without JavaScript)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    theme = ThemeChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), required=False, to_field_name="slug",
        empty_label=_("Any theme"),
    )  # fmt: skip
    # The languages courses are written in, not only the site's (see __init__).
    language = forms.ChoiceField(label=_("Language"), required=False)
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(code, str(name)) for code, name in settings.LANGUAGES]
        known = {code for code, _name in choices}
        for code in content_languages():
            if code not in known:
                choices.append((code, language_name(code)))
                known.add(code)
        self.fields["language"].choices = [("", _("Any language")), *choices]  # type: ignore[attr-defined]


class ImportCourseForm(forms.Form):
    """A new course is imported as a draft: it is published from its settings page, once its
    CPD hours and details are set (a new version keeps its course's status)."""

    package = forms.FileField(label=_("Package (zip or cmi5.xml)"))


COURSE_IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
COURSE_IMAGE_MAX_BYTES = 2 * 1024 * 1024


class CourseSettingsForm(forms.Form):
    """What staff set on a course after its import. Title and summary have a field per site
    language (``title_en``, ``summary_ro``...); publishing a course without CPD hours needs
    ``no_cpd_confirmed``."""

    cpd_hours = forms.DecimalField(
        label=_("CPD hours"), min_value=0, max_digits=6, decimal_places=2,
        help_text=_("The hours of continuing professional development the course carries."),
    )  # fmt: skip
    level = forms.ChoiceField(label=_("Level"), choices=CourseLevel.choices)
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    professions = forms.MultipleChoiceField(
        label=_("Professions"), choices=Profession.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    image = forms.ImageField(
        label=_("Image"), required=False,
        help_text=_("JPEG, PNG or WebP, up to 2 MB."),
    )  # fmt: skip
    clear_image = forms.BooleanField(label=_("Remove the current image"), required=False)
    price = forms.DecimalField(
        label=_("Price of a seat"), min_value=0, max_digits=10, decimal_places=2,
        help_text=_("Shown in the catalogue; 0 when free."),
    )  # fmt: skip
    is_paid = forms.BooleanField(
        label=_("Paid course: a learner needs a seat from an organisation"), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=CourseStatus.choices, widget=forms.RadioSelect,
        help_text=_("Published: in the catalogue, open to enrolment. Draft and archived: hidden."),
    )  # fmt: skip
    no_cpd_confirmed = forms.BooleanField(
        label=_("This course carries no CPD hours"), required=False,
        help_text=_("Needed to publish a course with 0 CPD hours."),
    )  # fmt: skip

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        initial = {
            "cpd_hours": course.cpd_hours,
            "level": course.level,
            "themes": list(course.themes.all()),
            "professions": list(course.target_professions),
            "price": course.price,
            "is_paid": course.is_paid,
            "status": course.status,
            **{f"title_{code}": course.title.get(code, "") for code, _name in settings.LANGUAGES},
            **{
                f"summary_{code}": course.summary.get(code, "")
                for code, _name in settings.LANGUAGES
            },
        }
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.course = course
        texts: dict[str, forms.Field] = {}
        for code, name in settings.LANGUAGES:
            texts[f"title_{code}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name},
                required=False, max_length=300,
            )  # fmt: skip
        for code, name in settings.LANGUAGES:
            texts[f"summary_{code}"] = forms.CharField(
                label=_("Summary (%(language)s)") % {"language": name},
                required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
            )  # fmt: skip
        self.fields = {**texts, **self.fields}
        if not course.image:
            del self.fields["clear_image"]

    def language_map(self, prefix: str) -> dict[str, str]:
        return {
            code: self.cleaned_data.get(f"{prefix}_{code}", "").strip()
            for code, _name in settings.LANGUAGES
        }

    def clean_image(self) -> UploadedFile | None:
        image = self.cleaned_data.get("image")
        if not image:
            return None
        if image.size is not None and image.size > COURSE_IMAGE_MAX_BYTES:
            raise ValidationError(_("The image is larger than 2 MB."), code="too_big")
        kind = getattr(getattr(image, "image", None), "format", None)
        if kind not in COURSE_IMAGE_TYPES:
            raise ValidationError(_("The image must be a JPEG, PNG or WebP file."), code="type")
        return image

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(self.language_map("title").values()):
            first = settings.LANGUAGES[0][0]
            self.add_error(f"title_{first}", _("Give the course a title in one language at least."))
        hours = data.get("cpd_hours")
        publishing = data.get("status") == CourseStatus.PUBLISHED
        was_live_without_hours = (
            self.course.status == CourseStatus.PUBLISHED and self.course.cpd_hours == 0
        )
        if (
            publishing
            and hours == Decimal(0)
            and not was_live_without_hours
            and not data.get("no_cpd_confirmed")
        ):
            self.add_error(
                "no_cpd_confirmed",
                _(
                    "This course has 0 CPD hours. Set its CPD hours, or confirm that it "
                    "carries none, before you publish it."
                ),
            )
        return data
