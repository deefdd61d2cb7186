"""Forms of content translations: one object's texts, and an XLIFF file to import."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.content_translation.selectors import ObjectRow


class TranslationForm(forms.Form):
    """A field per text of one object (``text_<field>``), beside its source."""

    def __init__(self, *args: Any, row: ObjectRow, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row = row
        for text in row.texts:
            name = text.id.rsplit(":", 1)[1]
            field = row.spec.field(name)
            long = bool(field and field.long)
            self.fields[f"text_{name}"] = forms.CharField(
                label=text.field_label,
                required=False,
                initial=text.translation,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 4, "lang": language})
                if long
                else forms.TextInput(attrs={"lang": language}),
            )

    def texts(self) -> dict[str, str]:
        return {name.removeprefix("text_"): value for name, value in self.cleaned_data.items()}


class XliffImportForm(forms.Form):
    file = forms.FileField(
        label=_("XLIFF 2.0 file"),
        help_text=_("A file exported from this page and translated in your tool (.xlf)."),
    )
