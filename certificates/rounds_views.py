"""The accreditor's audit rounds: open a round (draw its sample), decide on each sampled record,
close the round and read its report. Every round is reached through the accreditations of the
user's scope (``audit_scope.accreditations_for_user``): outside it, every URL answers 404."""

from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from certificates import rounds
from certificates.access_log import log_access
from certificates.audit_scope import accreditations_for_user, get_accreditation_for_user
from certificates.models import (
    AccessAction,
    AuditDecision,
    AuditRound,
    AuditRoundStatus,
    AuditSample,
)
from lms.api import User

MAX_SEED = 2**63 - 1


class RoundForm(forms.Form):
    size = forms.IntegerField(
        label=_("Sample size"), required=False, min_value=1, help_text=_("A number of records.")
    )
    percent = forms.DecimalField(
        label=_("Or a percentage"),
        required=False,
        min_value=0.01,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        help_text=_("For example 2.5 (rounded up to whole records)."),
    )
    exclude_joined_within_days = forms.IntegerField(
        label=_("Leave out people who joined in the last (days)"),
        required=False,
        min_value=1,
        help_text=_("For example 365 to leave out people who joined in the last year."),
    )
    seed = forms.IntegerField(
        label=_("Seed"),
        required=False,
        min_value=0,
        max_value=MAX_SEED,
        help_text=_("Leave empty for a new random seed; give a round's seed to draw it again."),
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if (cleaned.get("size") is None) == (cleaned.get("percent") is None):
            raise forms.ValidationError(_("Give either a sample size or a percentage, not both."))
        return cleaned


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[c for c in AuditDecision.choices if c[0] != AuditDecision.PENDING],
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea({"rows": 2}))


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _decision_form(sample: AuditSample) -> DecisionForm:
    initial = {"decision": sample.decision, "notes": sample.notes}
    return DecisionForm(initial=initial, prefix=f"s{sample.pk}")


def _get_round(user: User, round_id: UUID) -> AuditRound:
    """The round, if its accreditation is in ``user``'s scope; 404 otherwise."""
    try:
        return AuditRound.objects.select_related("accreditation__body", "created_by").get(
            public_id=round_id, accreditation__in=accreditations_for_user(user)
        )
    except AuditRound.DoesNotExist:
        raise Http404 from None


@login_required
def round_new(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The form of a new round (GET) and the drawing of it (POST), with the earlier rounds."""
    accreditation = get_accreditation_for_user(_user(request), public_id)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            audit_round = rounds.draw_round(
                accreditation=accreditation, by=_user(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("audit-round", round_id=audit_round.public_id)
    earlier = AuditRound.objects.filter(accreditation=accreditation).select_related("created_by")
    return render(
        request,
        "certificates/audit/round_new.html",
        {"accreditation": accreditation, "form": form, "rounds": earlier},
    )


@login_required
def round_detail(request: HttpRequest, round_id: UUID) -> HttpResponse:
    """The round: its seed and parameters, each sampled record with a decision form, its report."""
    audit_round = _get_round(_user(request), round_id)
    samples = list(rounds.samples_of_round(audit_round))
    log_access(
        user=_user(request),
        action=AccessAction.VIEW_ACCREDITATION,
        accreditation=audit_round.accreditation,
        records=[sample.record for sample in samples],
        detail=f"audit round {audit_round.public_id}",
    )
    rows = [(sample, _decision_form(sample)) for sample in samples]
    return render(
        request,
        "certificates/audit/round.html",
        {
            "round": audit_round,
            "accreditation": audit_round.accreditation,
            "rows": rows,
            "report": rounds.round_report(audit_round),
            "is_open": audit_round.status == AuditRoundStatus.OPEN,
        },
    )


@login_required
def round_decide(request: HttpRequest, round_id: UUID, sample_id: int) -> HttpResponse:
    """Store the decision on one sampled record, then back to the round."""
    audit_round = _get_round(_user(request), round_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        sample = AuditSample.objects.get(pk=sample_id, round=audit_round)
    except AuditSample.DoesNotExist:
        raise Http404 from None
    form = DecisionForm(request.POST, prefix=f"s{sample.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
    else:
        try:
            rounds.decide(sample=sample, by=_user(request), **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Decision saved."))
    return redirect("audit-round", round_id=audit_round.public_id)


@login_required
def round_close(request: HttpRequest, round_id: UUID) -> HttpResponse:
    """Close the round (scope first, so that outside it even a GET is a 404)."""
    audit_round = _get_round(_user(request), round_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    rounds.close_round(audit_round=audit_round, by=_user(request))
    messages.success(request, _("The round is closed."))
    return redirect("audit-round", round_id=audit_round.public_id)
