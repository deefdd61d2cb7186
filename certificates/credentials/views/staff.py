"""Staff pages of the certificates app: issuing a certificate by hand for a completion record
(with or without a rule; revocation and reissue are admin actions). Staff find the learner by
name or e-mail and pick one of their completions not yet certified."""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certificates.credentials import selectors
from certificates.credentials import services as issuance
from certificates.credentials.models import IssuanceRule
from lms.api import AuthenticatedHttpRequest
from progress.models import CompletionRecord


class LearnerSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Learner's name or e-mail"), max_length=200, required=False
    )


class IssueForm(forms.Form):
    # The page lists the completions itself, in a fieldset that the error summary goes to.
    error_anchors = {"record": "records"}

    record = forms.ModelChoiceField(
        label=gettext_lazy("Completion"),
        queryset=selectors.uncertified_completions().select_related("learner", "course", "journey"),
        to_field_name="public_id",
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose the completion to certify."),
            "invalid_choice": gettext_lazy(
                "This completion has a certificate already, or no longer exists: search again."
            ),
        },
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


@login_required
def issue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Staff issue the certificate of a completion record (the one already issued is kept)."""
    if not request.user.is_staff:
        raise Http404
    form = IssueForm(request.POST or None)
    if request.method == "POST":
        query = request.POST.get("q", "")
        if form.is_valid():
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
                return redirect(f"{reverse('certificates:issue')}?{urlencode({'q': query})}")
    else:
        query = request.GET.get("q", "")
    search = LearnerSearchForm({"q": query})
    query = search.cleaned_data["q"] if search.is_valid() else ""
    found, more = selectors.learners_with_uncertified_completions(query)
    language = translation.get_language() or "en"
    learners = [
        (
            entry.learner,
            [
                (record, (record.course or record.journey).title_in(language))  # type: ignore[union-attr]
                for record in entry.records
            ],
        )
        for entry in found
    ]
    chosen = str(form["record"].value() or "")
    return render(
        request,
        "certificates/issue.html",
        {
            "search": search,
            "query": query,
            "learners": learners,
            "more": more,
            "form": form,
            "chosen": chosen,
            "has_records": any(entry.records for entry in found),
        },
    )


def _add_errors(form: IssueForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
