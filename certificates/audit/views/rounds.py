"""The accreditor's audit rounds: open a round (draw its sample), decide on each sampled record
or CPD profile, close the round and read its report; read a sampled CPD profile and its evidence
files. Every round is reached through the accreditations or rule sets of the user's scope
(``audit.scope``): outside it, every URL answers 404."""

from datetime import timedelta
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certificates.audit import rounds
from certificates.audit.access_log import log_access, log_profile_access
from certificates.audit.answers import answers_of
from certificates.audit.models import (
    AccessAction,
    AuditDecision,
    AuditRound,
    AuditRoundStatus,
    AuditSample,
)
from certificates.audit.scope import (
    accreditations_for_user,
    get_accreditation_for_user,
    get_rule_set_for_user,
    rule_sets_for_user,
)
from certificates.cpd import selectors as cpd
from certificates.cpd.models import CpdEntry
from lms.api import AuthenticatedHttpRequest, User, confirmation_page, parse_day

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
        max_value=rounds.MAX_JOINED_DAYS,
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
        size, percent = cleaned.get("size"), cleaned.get("percent")
        if "size" in self.errors or "percent" in self.errors:
            return cleaned  # the field's own error says it
        if size is None and percent is None:
            raise forms.ValidationError(
                _("Enter a sample size or a percentage."), code="no_sample_size"
            )
        if size is not None and percent is not None:
            raise forms.ValidationError(
                _("Give either a sample size or a percentage, not both."), code="both"
            )
        return cleaned


class DecisionForm(forms.Form):
    # Radios with none chosen until the accreditor chooses (no risky default: a select would
    # show, and send, its first choice, "accepted").
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[c for c in AuditDecision.choices if c[0] != AuditDecision.PENDING],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision.")},
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea({"rows": 2}))


def _decision_form(sample: AuditSample) -> DecisionForm:
    decision = "" if sample.decision == AuditDecision.PENDING else sample.decision
    initial = {"decision": decision, "notes": sample.notes}
    return DecisionForm(initial=initial, prefix=f"s{sample.pk}")


def get_round_for_user(user: User, round_id: UUID) -> AuditRound:
    """The round, if its accreditation or rule set is in ``user``'s scope; 404 otherwise."""
    try:
        return AuditRound.objects.select_related(
            "accreditation__body", "rule_set__body", "created_by"
        ).get(
            Q(accreditation__in=accreditations_for_user(user))
            | Q(rule_set__in=rule_sets_for_user(user)),
            public_id=round_id,
        )
    except AuditRound.DoesNotExist:
        raise Http404 from None


def _round_new(request: AuthenticatedHttpRequest, subject: dict[str, Any]) -> HttpResponse:
    form = RoundForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            audit_round = rounds.draw_round(by=request.user, **subject, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("audit-round", round_id=audit_round.public_id)
    earlier = AuditRound.objects.filter(**subject).select_related("created_by")
    return render(
        request,
        "certificates/audit/round_new.html",
        {**subject, "form": form, "rounds": earlier},
    )


@login_required
def round_new(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """The form of a new round of an accreditation's records (GET) and the drawing of it (POST),
    with the earlier rounds."""
    return _round_new(
        request, {"accreditation": get_accreditation_for_user(request.user, public_id)}
    )


@login_required
def cpd_round_new(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """The same for the CPD profiles of the people who report to a rule set."""
    return _round_new(request, {"rule_set": get_rule_set_for_user(request.user, public_id)})


@login_required
def round_detail(request: AuthenticatedHttpRequest, round_id: UUID) -> HttpResponse:
    """The round: its seed and parameters, each sampled record (or CPD profile, with where it
    stands in its current cycle) with a decision form, its report."""
    return _render_round(request, get_round_for_user(request.user, round_id))


def _render_round(
    request: AuthenticatedHttpRequest,
    audit_round: AuditRound,
    failed: DecisionForm | None = None,
    failed_sample: int | None = None,
) -> HttpResponse:
    """The round's page; ``failed`` is a submitted decision form shown again with its errors
    in the row of ``failed_sample``."""
    samples = list(rounds.samples_of_round(audit_round))
    standings = {}
    if audit_round.rule_set is not None:
        registrations = [sample.registration for sample in samples]
        log_profile_access(
            user=request.user,
            learners=[registration.learner for registration in registrations],  # type: ignore[union-attr]
            detail=f"audit round {audit_round.public_id}",
        )
        standings = {
            standing.registration.pk: standing
            for standing in cpd.standings_for(registrations)  # type: ignore[arg-type]
        }
    else:
        log_access(
            user=request.user,
            action=AccessAction.VIEW_ACCREDITATION,
            accreditation=audit_round.accreditation,
            records=[sample.record for sample in samples],  # type: ignore[misc]
            detail=f"audit round {audit_round.public_id}",
        )
    rows = [
        (
            sample,
            failed if failed is not None and sample.pk == failed_sample else _decision_form(sample),
            standings.get(sample.registration_id),  # type: ignore[arg-type]
        )
        for sample in samples
    ]
    awaiting = {
        sample.pk
        for sample in samples
        if sample.decision == AuditDecision.MORE_INFORMATION and getattr(sample, "answered", False)
    }
    return render(
        request,
        "certificates/audit/round.html",
        {
            "round": audit_round,
            "accreditation": audit_round.accreditation,
            "rule_set": audit_round.rule_set,
            "rows": rows,
            "awaiting": awaiting,
            "report": rounds.round_report(audit_round),
            "is_open": audit_round.status == AuditRoundStatus.OPEN,
        },
        status=400 if failed is not None else 200,
    )


def _profile_sample(
    request: AuthenticatedHttpRequest, round_id: UUID, sample_id: int
) -> AuditSample:
    audit_round = get_round_for_user(request.user, round_id)
    return get_object_or_404(
        AuditSample.objects.select_related(
            "round__rule_set__body", "registration__learner", "registration__rule_set__body"
        ).prefetch_related("registration__rule_set__requirements"),
        pk=sample_id,
        round=audit_round,
        registration__isnull=False,
    )


@login_required
def cpd_profile(request: AuthenticatedHttpRequest, round_id: UUID, sample_id: int) -> HttpResponse:
    """A sampled CPD profile: where the person stands in a cycle (the current one, or the cycle
    containing ``?cycle=YYYY-MM-DD``, e.g. the last one ended) and every entry in it with its
    reflection, peer discussion and evidence file."""
    sample = _profile_sample(request, round_id, sample_id)
    registration = sample.registration
    rule_set = registration.rule_set  # type: ignore[union-attr]
    today = cpd.today_for(rule_set)
    wanted = parse_day(request.GET.get("cycle", ""))
    day = min(wanted, today) if wanted is not None else today
    cycle = cpd.cycle_containing(rule_set, day, registered_on=registration.registered_on)  # type: ignore[union-attr]
    standing = cpd.standing(registration, today=min(cycle.end, today))  # type: ignore[arg-type]
    previous = cpd.cycle_containing(
        rule_set,
        cycle.start - timedelta(days=1),
        registered_on=registration.registered_on,  # type: ignore[union-attr]
    )
    log_profile_access(
        user=request.user,
        learners=[registration.learner],  # type: ignore[union-attr]
        detail=f"audit round {sample.round.public_id}: {cycle.start}..{cycle.end}",
    )
    return render(
        request,
        "certificates/audit/cpd_profile.html",
        {
            "sample": sample,
            "round": sample.round,
            "registration": registration,
            "standing": standing,
            "previous": previous,
            "current": cycle.end >= today,
            "answers": list(answers_of([sample])),
            "decision_form": _decision_form(sample),
            "is_open": sample.round.status == AuditRoundStatus.OPEN,
        },
    )


@login_required
def cpd_evidence(
    request: AuthenticatedHttpRequest, round_id: UUID, sample_id: int, entry_id: UUID
) -> FileResponse:
    """An evidence file of an entry of a sampled CPD profile."""
    sample = _profile_sample(request, round_id, sample_id)
    entry = get_object_or_404(
        CpdEntry,
        public_id=entry_id,
        learner_id=sample.registration.learner_id,  # type: ignore[union-attr]
    )
    if not entry.evidence:
        raise Http404
    log_profile_access(
        user=request.user,
        learners=[sample.registration.learner],  # type: ignore[union-attr]
        detail=f"evidence file of {entry.public_id}",
    )
    return FileResponse(
        entry.evidence.open("rb"),
        as_attachment=True,
        filename=(entry.evidence.name or "").rsplit("/", 1)[-1],
    )


@login_required
def round_decide(request: AuthenticatedHttpRequest, round_id: UUID, sample_id: int) -> HttpResponse:
    """Store the decision on one sampled record, then back to the round."""
    audit_round = get_round_for_user(request.user, round_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        sample = AuditSample.objects.get(pk=sample_id, round=audit_round)
    except AuditSample.DoesNotExist:
        raise Http404 from None
    form = DecisionForm(request.POST, prefix=f"s{sample.pk}")
    if form.is_valid():
        try:
            rounds.decide(sample=sample, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Decision saved."))
            return redirect("audit-round", round_id=audit_round.public_id)
    # Shown again in its row, with the error summary at the top of the page.
    return _render_round(request, audit_round, failed=form, failed_sample=sample.pk)


@login_required
def round_close(request: AuthenticatedHttpRequest, round_id: UUID) -> HttpResponse:
    """Ask before closing the round (GET: what closing does), close it (POST). Scope first, so
    that outside it even a GET is a 404."""
    audit_round = get_round_for_user(request.user, round_id)
    if request.method == "POST":
        rounds.close_round(audit_round=audit_round, by=request.user)
        messages.success(request, _("The round is closed."))
        return redirect("audit-round", round_id=audit_round.public_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    back = reverse("audit-round", kwargs={"round_id": audit_round.public_id})
    if audit_round.status != AuditRoundStatus.OPEN:
        return redirect(back)
    report = rounds.round_report(audit_round)
    consequences = [
        gettext("Its decisions become final: nobody can change them after."),
        gettext("%(decided)s of %(sampled)s sampled are decided.")
        % {"decided": report.decided, "sampled": report.sampled},
    ]
    if report.decided < report.sampled:
        consequences.append(gettext("The others stay undecided for good."))
    return confirmation_page(
        request,
        question=gettext("Close the audit round of %(date)s?")
        % {"date": audit_round.created_at.date().isoformat()},
        consequences=consequences,
        confirm=gettext("Yes, close the round"),
        back_url=back,
    )
