"""The PO upload: the file, checked against the catalogue into a preview."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lms.translation import catalogues

MAX_BYTES = 5 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("PO file"),
        help_text=_(
            "A PO file for this language, as downloaded here or saved by your translation tool "
            "(UTF-8, at most 5 MB). Empty translations leave the catalogue's as they are."
        ),
    )

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        kwargs["prefix"] = language
        super().__init__(*args, **kwargs)
        self.language = language
        self.data_bytes = b""
        self.preview: catalogues.UploadPreview | None = None

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."))
        self.data_bytes = upload.read()
        self.preview = catalogues.preview_upload(language=self.language, data=self.data_bytes)
        return upload


class ApplyForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
