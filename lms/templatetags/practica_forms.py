"""The error summary of a form page, and the "Error:" prefix of its title (docs/style.md, Forms).

Both look for the bound forms with errors among the template's context, so every page that
extends ``base.html`` gets them without its view doing anything: a form in the context, or in a
list of rows such as ``[(sample, form, standing), ...]`` (two levels deep). The pattern is the
GOV.UK Design System's error summary and error message components; the links serve WCAG 2.1
SC 3.3.1 (Error Identification) and 3.3.3 (Error Suggestion).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.forms.formsets import BaseFormSet
from django.template.context import Context
from django.utils.translation import gettext

register = template.Library()

# Widgets shown as a group of inputs: their first input is the one to go to (GOV.UK links a
# group's error to its first radio or checkbox).
GROUPED = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.MultiWidget)
MAX_DEPTH = 2


@dataclass(frozen=True)
class SummaryItem:
    message: str
    anchor: str  # the id of the input to go to; "" for an error of the whole form


def _forms_in(value: Any, depth: int) -> Iterator[forms.BaseForm]:
    # type(), not isinstance(): isinstance asks a lazy object (the context's user, csrf_token)
    # its __class__, which would evaluate it.
    kind = type(value)
    if issubclass(kind, forms.BaseForm):
        yield value
    elif issubclass(kind, BaseFormSet):
        yield from value.forms
    elif depth < MAX_DEPTH and issubclass(kind, list | tuple):
        for item in value:
            yield from _forms_in(item, depth + 1)


def forms_with_errors(context: Context) -> list[forms.BaseForm | BaseFormSet]:
    """The bound forms (and formsets) of ``context`` that have errors, each once, in the
    context's order."""
    found: dict[int, forms.BaseForm | BaseFormSet] = {}
    values: list[Any] = list(context.flatten().values())
    for value in values:
        if issubclass(type(value), BaseFormSet) and value.is_bound and value.non_form_errors():
            found.setdefault(id(value), value)
        for form in _forms_in(value, 0):
            if form.is_bound and form.errors:
                found.setdefault(id(form), form)
    return list(found.values())


def field_anchor(field: forms.BoundField) -> str:
    """The id of the input a summary link goes to."""
    if isinstance(field.field.widget, GROUPED):
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id or ""


def _items(found: Iterable[forms.BaseForm | BaseFormSet]) -> list[SummaryItem]:
    items = []
    for form in found:
        if isinstance(form, BaseFormSet):
            items += [SummaryItem(str(message), "") for message in form.non_form_errors()]
            continue
        items += [SummaryItem(str(message), "") for message in form.non_field_errors()]
        # A form may name another target for a field it renders itself (``error_anchors``).
        anchors: dict[str, str] = getattr(form, "error_anchors", {})
        for field in form:
            # A hidden field has nowhere to go: its error is the form's.
            anchor = "" if field.is_hidden else anchors.get(field.name) or field_anchor(field)
            items += [SummaryItem(str(message), anchor) for message in field.errors]
    return items


@register.simple_tag(takes_context=True)
def error_title_prefix(context: Context) -> str:
    """ "Error: " when the page shows a form with errors (GOV.UK: the title starts with it, so
    a screen reader says it first)."""
    if context.get("page_has_errors") or forms_with_errors(context):
        return gettext("Error:") + " "
    return ""


@register.inclusion_tag("lms/includes/error_summary.html", takes_context=True)
def error_summary(context: Context) -> dict[str, object]:
    """The box at the top of the page listing every error, each a link to its field."""
    return {"items": _items(forms_with_errors(context))}


@register.filter
def kept_upload(form: forms.BaseForm, name: str) -> object:
    """The file kept for field ``name`` of ``form`` across a failed submit (``lms.uploads``)."""
    return getattr(form, "kept_uploads", {}).get(name)
