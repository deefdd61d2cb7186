"""Staff pages of the certificates app: issuing a certificate by hand for a completion record
(with or without a rule; revocation and reissue are admin actions)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certificates.credentials import services as issuance
from certificates.credentials.models import IssuanceRule
from lms.api import AuthenticatedHttpRequest
from progress.models import CompletionRecord


class IssueForm(forms.Form):
    record = forms.UUIDField(
        label=gettext_lazy("Completion record (public identifier)"),
        help_text=gettext_lazy("As shown in the administration of completion records."),
    )
    rule = forms.ModelChoiceField(
        label=gettext_lazy("Issuance rule"),
        queryset=IssuanceRule.objects.select_related("course", "journey").order_by("id"),
        required=False,
        empty_label=gettext_lazy("The first matching rule, or none"),
        help_text=gettext_lazy(
            "Empty: the first rule the completion meets; without one, a certificate of "
            "completion without accreditation."
        ),
    )

    def clean_record(self) -> CompletionRecord:
        record = (
            CompletionRecord.objects.select_related("learner", "course", "journey")
            .filter(public_id=self.cleaned_data["record"])
            .first()
        )
        if record is None:
            raise ValidationError(_("No completion record has this identifier."))
        return record


@login_required
def issue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Staff issue the certificate of a completion record (the one already issued is kept)."""
    if not request.user.is_staff:
        raise Http404
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record: CompletionRecord = form.cleaned_data["record"]
        before = issuance.standing_certificate(record)
        try:
            certificate = issuance.issue_certificate(
                record=record,
                rule=form.cleaned_data["rule"],
                by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            assert certificate is not None  # noqa: S101 - staff always get one
            values: dict[str, Any] = {"serial": certificate.serial}
            if before is not None:
                messages.info(
                    request, _("This completion already has certificate %(serial)s.") % values
                )
            else:
                messages.success(request, _("Certificate %(serial)s issued.") % values)
            return redirect("certificates:issue")
    return render(request, "certificates/issue.html", {"form": form})


def _add_errors(form: IssueForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
