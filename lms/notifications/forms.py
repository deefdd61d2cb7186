"""The preferences form: one choice per registered kind."""

from typing import Any

from django import forms

from lms.notifications.models import Delivery
from lms.notifications.selectors import Choice


class PreferencesForm(forms.Form):
    def __init__(self, *args: Any, choices: list[Choice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for choice in choices:
            self.fields[choice.kind.key] = forms.ChoiceField(
                label=choice.kind.label,
                help_text=choice.kind.description,
                choices=Delivery.choices,
                initial=choice.delivery,
                widget=forms.RadioSelect,
            )
