"""Forms of the learner's CPD pages (``cpd.views``): an activity in the ledger, a registration
with a body's rule set, and a peer's answer to a discussion.

They only validate input; the writes, and the rules they keep (no future date, more than 0
hours, a discussion is with someone else...), are ``cpd.services``'. Labels and help texts come
from the model's fields, so the pages say what the admin says."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certificates.cpd.models import CpdEntry, CpdRegistration, RequirementRuleSet
from certificates.cpd.services import COMMENT_MAX_LENGTH, EVIDENCE_EXTENSIONS, REFLECTION_FIELDS
from lms.api import DAY_VALIDATORS, KeptUploadsForm, User

TEXTAREA_ROWS = 4


def _model_field(model: Any, name: str, **options: Any) -> forms.Field:
    """The form field of a model field, with its label, help text, length and choices."""
    field = model._meta.get_field(name).formfield(**options)
    assert field is not None  # noqa: S101 - only editable fields are asked for
    return field


def _entry_field(name: str, **options: Any) -> forms.Field:
    return _model_field(CpdEntry, name, **options)


def _evidence_help() -> str:
    """Formatted when shown, in the language of the request (not when the module loads)."""
    return gettext("Optional: a certificate of attendance, notes, slides (%(kinds)s).") % {
        "kinds": ", ".join(sorted(EVIDENCE_EXTENSIONS))
    }


class ActivityForm(KeptUploadsForm):
    """An external activity in the learner's ledger (all its fields), or a certificate's entry
    (only the reflection and the discussion: the rest is what the certificate says). A valid
    evidence file is kept when another field fails (``lms.uploads``)."""

    kept_upload_fields = ("evidence",)

    title = _entry_field("title")
    kind = _entry_field("kind")
    provider = _entry_field("provider")
    participatory = _entry_field("participatory")
    structured = _entry_field("structured")
    date = _entry_field(
        "date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=DAY_VALIDATORS,
    )
    hours = _entry_field("hours")
    learning = _entry_field("learning", widget=forms.Textarea(attrs={"rows": TEXTAREA_ROWS}))
    impact = _entry_field("impact", widget=forms.Textarea(attrs={"rows": TEXTAREA_ROWS}))
    discussion_with = forms.EmailField(
        label=_("Discussed with (their e-mail address)"),
        required=False,
        help_text=_(
            "Optional: a peer or supervisor. We ask them by e-mail to confirm the discussion "
            "here (with an account at this address), and only they can."
        ),
    )
    discussion_notes = _entry_field(
        "discussion_notes", widget=forms.Textarea(attrs={"rows": TEXTAREA_ROWS})
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=lazy(_evidence_help, str)(),
    )
    remove_evidence = forms.BooleanField(label=_("Remove the file kept now"), required=False)

    def __init__(
        self,
        *args: Any,
        learner: User,
        entry: CpdEntry | None = None,
        reflection_only: bool = False,
        **kwargs: Any,
    ) -> None:
        if "initial" not in kwargs:
            kwargs["initial"] = initial_for(entry) if entry else {"date": timezone.localdate()}
        super().__init__(*args, **kwargs)
        self.learner = learner
        self.entry = entry
        if reflection_only:
            for name in list(self.fields):
                if name not in REFLECTION_FIELDS:
                    del self.fields[name]
        elif entry is None or not entry.evidence:
            del self.fields["remove_evidence"]
        self.fields["learning"].help_text = _("What you learnt from the activity.")
        self.fields["impact"].help_text = _("How it changes, or will change, your practice.")
        if "date" in self.fields:
            self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.keep_uploads_for(str(learner.pk))

    def clean_discussion_with(self) -> str:
        """The address of the person named (not the learner's own). Whether it has an account
        is not said here: that would tell anyone who has one (cpd_services asks the person)."""
        email = User.objects.normalize_email(
            (self.cleaned_data.get("discussion_with") or "").strip()
        )
        if email and email.casefold() == (self.learner.email or "").casefold():
            raise ValidationError(
                _("Name someone else: a discussion is with a peer."), code="yourself"
            )
        return email

    def changes(self) -> dict[str, Any]:
        """The cleaned values as ``cpd_services.update_activity`` takes them: ``evidence`` only
        when a file was uploaded (the new one) or the kept one is to be removed (None)."""
        values = {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in {"evidence", "remove_evidence", "evidence_kept"}
        }
        if "discussion_with" in values:  # an address: the service finds the account, if any
            values["discussion_email"] = values.pop("discussion_with")
        if self.cleaned_data.get("evidence"):
            values["evidence"] = self.cleaned_data["evidence"]
        elif self.cleaned_data.get("remove_evidence"):
            values["evidence"] = None
        return values

    def add_service_errors(self, error: ValidationError) -> None:
        """A service's ``ValidationError`` shown on the fields it names (else above the form);
        a valid evidence file is kept for the next submit."""
        add_errors(self, error)
        self.keep_valid_uploads()


def initial_for(entry: CpdEntry) -> dict[str, Any]:
    """The form's values for an entry as stored (the peer by their e-mail address)."""
    initial: dict[str, Any] = {
        name: getattr(entry, name)
        for name in (
            "title", "kind", "provider", "participatory", "structured", "date", "hours",
            "learning", "impact", "discussion_notes",
        )
    }  # fmt: skip
    initial["discussion_with"] = entry.discussion_email
    return initial


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: on the fields it names that the form
    shows, the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class RegistrationForm(forms.Form):
    """Report CPD to a body: which of its rule sets, since when, and the learner's number."""

    rule_set = forms.ModelChoiceField(
        label=_("Accrediting body and rule set"),
        queryset=RequirementRuleSet.objects.none(),
        to_field_name="slug",
        empty_label=None,
        # No body is preselected: registering shares the learner's CPD with its auditors.
        error_messages={"required": _("Choose the body and rule set you report to.")},
    )
    registered_on = _model_field(
        CpdRegistration,
        "registered_on",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=DAY_VALIDATORS,
        help_text=_(
            "When you registered with the body; for a body whose cycles start at registration, "
            "your cycles count from this day."
        ),
    )
    number = _model_field(
        CpdRegistration,
        "number",
        help_text=_("Optional: your membership or licence number, printed on the transcript."),
    )

    def __init__(self, *args: Any, rule_sets: QuerySet[RequirementRuleSet], **kwargs: Any) -> None:
        """``rule_sets``: those the learner may choose (a choice is checked against them)."""
        kwargs.setdefault("initial", {"registered_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        field = self.fields["rule_set"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = rule_sets
        self.has_choices = False

    def list_choices(self, rule_sets: list[RequirementRuleSet]) -> None:
        """What the select lists: the rule sets already read (with their bodies), so rendering
        makes no query of its own."""
        self.fields["rule_set"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose a body")),
            *((rule_set.slug, f"{rule_set.body.name}: {rule_set.name}") for rule_set in rule_sets),
        ]
        self.has_choices = bool(rule_sets)


class AnswerForm(forms.Form):
    """A peer's answer to a discussion they were named in."""

    answer = forms.ChoiceField(
        choices=[("confirm", _("Confirm")), ("decline", _("Decline"))],
        label=_("Answer"),
    )
    comment = forms.CharField(
        label=_("Your comment (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CycleForm(forms.Form):
    """Which cycle's transcript: any day in it, and the format."""

    cycle = forms.DateField(
        label=_("A day in the cycle"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=DAY_VALIDATORS,
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("pdf", "PDF"), ("csv", "CSV"), ("jwt", _("Signed record (CLR)"))],
    )
