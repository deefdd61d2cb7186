"""The learner's CPD pages (issue 9): where they stand with each body they report to, their
ledger, the activities they log, the discussions peers named them in, and the transcripts of a
cycle (PDF, CSV, and a signed CLR 2.0 credential).

Views are thin: they read through ``certificates.cpd`` and write through
``certificates.cpd.services``. An entry or a discussion that is not the user's to see is a 404,
as if it did not exist (the services refuse too: ``NotAllowed``)."""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from certificates.cpd import selectors as cpd
from certificates.cpd import services as cpd_services
from certificates.cpd.clr import ClrUnavailableError, clr_filename, sign_clr
from certificates.cpd.forms import (
    ActivityForm,
    AnswerForm,
    CycleForm,
    RegistrationForm,
    add_errors,
)
from certificates.cpd.models import (
    CpdEntry,
    CpdRegistration,
    CpdSource,
    DiscussionStatus,
    RequirementKind,
    RequirementRuleSet,
)
from certificates.cpd.transcript import transcript_csv, transcript_filename, transcript_pdf
from certificates.cpd.types import Cycle, RequirementResult, Standing
from lms.api import (
    AuthenticatedHttpRequest,
    NotAllowed,
    User,
    confirmation_page,
    format_amount,
    format_hours,
    format_number,
    parse_day,
    unit_label,
)

PAGE_SIZE = 20
PREVIOUS_CYCLES = 5  # previous cycles with transcript links on the ledger page
ANSWERED_SHOWN = 20
ONE_DAY = timedelta(days=1)
FORMATS = ("pdf", "csv", "jwt")


# --- the ledger page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    """One requirement as the page shows it."""

    label: str
    progress: str  # "3.5 of 10", or for the longest gap "longest gap: 40 days"
    met: bool
    missing: str
    period: Cycle | None
    due: date | None


@dataclass(frozen=True)
class PastCycle:
    cycle: Cycle
    query: str  # "cycle=YYYY-MM-DD", a day in it
    has_certificate: bool


@dataclass(frozen=True)
class StandingView:
    """A registration's standing in its current cycle, with the links the page offers."""

    standing: Standing
    total: str
    total_hours: str
    unit: str  # "CPD hours" or "CPD points"
    results: list[ResultRow]
    has_certificate: bool  # a certificate counts in the cycle: the CLR can be offered
    previous: list[PastCycle]
    cycle_form: CycleForm


def _result_row(result: RequirementResult) -> ResultRow:
    if result.requirement.kind == RequirementKind.MAX_GAP:
        days = int(result.achieved)
        progress = ngettext("longest gap: %(days)s day", "longest gap: %(days)s days", days) % {
            "days": days
        }
    else:
        progress = _("%(achieved)s of %(required)s") % {
            "achieved": format_number(result.achieved),
            "required": format_number(result.required),
        }
    return ResultRow(
        label=result.label,
        progress=progress,
        met=result.met,
        missing=result.missing,
        period=result.period,
        due=result.due,
    )


def _previous_cycles(registration: CpdRegistration, current: Cycle) -> list[Cycle]:
    """Up to ``PREVIOUS_CYCLES`` cycles before ``current``, newest first, back to the one the
    learner registered in (a one-off cycle has none)."""
    rule_set = registration.rule_set
    found: list[Cycle] = []
    cycle = current
    while len(found) < PREVIOUS_CYCLES:
        before = cpd.cycle_containing(
            rule_set, cycle.start - ONE_DAY, registered_on=registration.registered_on
        )
        if before == cycle or before.end < registration.registered_on:
            break
        found.append(before)
        cycle = before
    return found


def _standing_views(
    standings: list[Standing], certificate_entries: list[CpdEntry]
) -> list[StandingView]:
    views = []
    for standing in standings:
        rule_set = standing.rule_set
        days = {cpd.local_day(entry, rule_set) for entry in certificate_entries}
        previous = [
            PastCycle(
                cycle=cycle,
                query=urlencode({"cycle": cycle.start.isoformat()}),
                has_certificate=any(day in cycle for day in days),
            )
            for cycle in _previous_cycles(standing.registration, standing.cycle)
        ]
        views.append(
            StandingView(
                standing=standing,
                total=format_amount(standing.total, standing.unit),
                total_hours=format_hours(standing.total_hours),
                unit=unit_label(standing.unit),
                results=[_result_row(result) for result in standing.results],
                has_certificate=any(
                    line.entry.source == CpdSource.CERTIFICATE for line in standing.lines
                ),
                previous=previous,
                cycle_form=CycleForm(initial={"format": "pdf"}, auto_id=f"id_{rule_set.slug}_%s"),
            )
        )
    return views


def _unregistered_rule_sets(learner: User) -> QuerySet[RequirementRuleSet]:
    return (
        RequirementRuleSet.objects.filter(is_active=True)
        .exclude(registrations__learner=learner)
        .select_related("body")
        .order_by("body__name", "name")
    )


def _registration_form(learner: User, data: QueryDict | None = None) -> RegistrationForm:
    """Unbound: its choices read now (one query); bound: they are read only if it is shown
    again (``RegistrationForm.list_choices``)."""
    rule_sets = _unregistered_rule_sets(learner)
    form = RegistrationForm(data, rule_sets=rule_sets)
    if data is None:
        form.list_choices(list(rule_sets))
    return form


def _render_ledger(
    request: AuthenticatedHttpRequest,
    *,
    registration_form: RegistrationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    learner = request.user
    registrations = list(cpd.registrations_for([learner]))
    standings = cpd.standings_for(registrations)
    certificate_entries = (
        list(
            CpdEntry.objects.filter(learner=learner, source=CpdSource.CERTIFICATE).only(
                "date", "occurred_at", "learner_id"
            )
        )
        if registrations
        else []
    )
    ledger = cpd.ledger_for(learner).annotate(certificate_serial=F("certificate__serial"))
    page = Paginator(ledger, PAGE_SIZE).get_page(request.GET.get("page"))
    if registration_form is None:
        registration_form = _registration_form(learner)
    else:  # a bound form shown again with its errors
        registration_form.list_choices(list(_unregistered_rule_sets(learner)))
    return render(
        request,
        "certificates/cpd/ledger.html",
        {
            "standings": _standing_views(standings, certificate_entries),
            "page": page,
            "awaiting": cpd.confirmations_for(learner).count(),
            "registration_form": registration_form,
            "can_register": registration_form.has_choices,
        },
        status=status,
    )


@require_safe
@login_required
def ledger(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Where the learner stands with each body they report to, and their whole ledger."""
    return _render_ledger(request)


# --- registrations ------------------------------------------------------------------------------


@login_required
@require_POST
def register(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Report CPD to a rule set's body."""
    learner = request.user
    form = _registration_form(learner, request.POST)
    if form.is_valid():
        rule_set: RequirementRuleSet = form.cleaned_data["rule_set"]
        try:
            cpd_services.register(
                learner=learner,
                rule_set=rule_set,
                registered_on=form.cleaned_data["registered_on"],
                number=form.cleaned_data["number"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("You now report your CPD to %(body)s (%(rule_set)s).")
                % {"body": rule_set.body.name, "rule_set": rule_set.name},
            )
            return redirect("cpd-ledger")
    return _render_ledger(request, registration_form=form, status=400)


@login_required
@require_POST
def unregister(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Stop reporting to a rule set's body; the ledger stays."""
    rule_set = get_object_or_404(RequirementRuleSet.objects.select_related("body"), slug=slug)
    if not cpd_services.unregister(learner=request.user, rule_set=rule_set):
        raise Http404
    messages.success(
        request,
        _("You no longer report your CPD to %(body)s (%(rule_set)s) here. Your ledger is kept.")
        % {"body": rule_set.body.name, "rule_set": rule_set.name},
    )
    return redirect("cpd-ledger")


# --- entries ------------------------------------------------------------------------------------


def _own_entry(request: AuthenticatedHttpRequest, public_id: UUID) -> CpdEntry:
    """The signed-in learner's entry; anyone else's is a 404."""
    return get_object_or_404(
        CpdEntry.objects.select_related("discussion_with"),
        public_id=public_id,
        learner=request.user,
    )


def _logged_message(request: HttpRequest, entry: CpdEntry, verb: str) -> None:
    text = verb % {"title": entry.title}
    if entry.discussion_status == DiscussionStatus.PENDING and entry.discussion_email:
        # The same words whether the address has an account or not (issue 17).
        text += " " + _("We asked %(address)s to confirm your discussion.") % {
            "address": entry.discussion_email
        }
    messages.success(request, text)


@login_required
def entry_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Log an external activity."""
    learner = request.user
    form = ActivityForm(request.POST or None, request.FILES or None, learner=learner)
    if request.method == "POST" and form.is_valid():
        values = form.changes()
        try:
            entry = cpd_services.log_activity(learner=learner, **values)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            form.discard_used_uploads()
            _logged_message(request, entry, _('"%(title)s" is in your ledger.'))
            return redirect("cpd-ledger")
    return render(
        request,
        "certificates/cpd/entry_form.html",
        {"form": form, "entry": None},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def entry_edit(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """Change an entry of one's own ledger: all of an external activity, only the reflection
    and discussion of a certificate's entry."""
    learner = request.user
    entry = _own_entry(request, public_id)
    reflection_only = entry.source == CpdSource.CERTIFICATE
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        learner=learner,
        entry=entry,
        reflection_only=reflection_only,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = cpd_services.update_activity(entry=entry, by=learner, **form.changes())
        except NotAllowed as error:  # someone else's entry: as if it did not exist
            raise Http404 from error
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            form.discard_used_uploads()
            _logged_message(request, saved, _('"%(title)s" is saved.'))
            return redirect("cpd-ledger")
    return render(
        request,
        "certificates/cpd/entry_form.html",
        {"form": form, "entry": entry, "reflection_only": reflection_only},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """Ask (GET), then remove (POST) an external activity from one's own ledger."""
    entry = _own_entry(request, public_id)
    if request.method == "GET":
        return confirmation_page(
            request,
            question=_("Remove “%(title)s” from your ledger?") % {"title": entry.title},
            consequences=[
                _("The entry, its reflection and its evidence file are deleted for good."),
                _("It no longer counts towards your CPD requirements."),
            ],
            confirm=_("Yes, remove it"),
            back_url=reverse("cpd-entry-edit", args=[entry.public_id]),
        )
    try:
        cpd_services.delete_activity(entry=entry, by=request.user)
    except NotAllowed as error:  # someone else's entry: as if it did not exist
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cpd-entry-edit", public_id=entry.public_id)
    messages.success(
        request, _('"%(title)s" is removed from your ledger.') % {"title": entry.title}
    )
    return redirect("cpd-ledger")


@require_safe
@login_required
@cache_control(private=True, no_store=True)
def entry_evidence(request: AuthenticatedHttpRequest, public_id: UUID) -> FileResponse:
    """The evidence file of one's own entry."""
    entry = _own_entry(request, public_id)
    if not entry.evidence:
        raise Http404
    name = (entry.evidence.name or "evidence").rsplit("/", 1)[-1]
    stored_name = name.split("-", 1)[-1] if "-" in name else name  # without the random prefix
    return FileResponse(entry.evidence.open("rb"), as_attachment=True, filename=stored_name)


# --- confirmations ------------------------------------------------------------------------------


@require_safe
@login_required
def confirmations(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The discussions others named the user in: those awaiting an answer, then the last ones
    answered."""
    user = request.user
    answered = (
        CpdEntry.objects.filter(
            discussion_with=user,
            discussion_status__in=[DiscussionStatus.CONFIRMED, DiscussionStatus.DECLINED],
        )
        .exclude(learner=user)
        .select_related("learner")
        .order_by("-discussion_answered_at", "-id")[:ANSWERED_SHOWN]
    )
    page = Paginator(cpd.confirmations_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "certificates/cpd/confirmations.html",
        {
            "page": page,
            "pending": list(page.object_list),
            "answered": list(answered),
            "comment_max_length": cpd_services.COMMENT_MAX_LENGTH,
        },
    )


@login_required
@require_POST
def confirmation_answer(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """Only the person the learner named may answer; for anyone else the discussion does not
    exist (404)."""
    user = request.user
    entry = (
        CpdEntry.objects.filter(public_id=public_id, discussion_with=user)
        .exclude(learner=user)
        .select_related("learner")
        .first()
    )
    if entry is None:
        raise Http404
    form = AnswerForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return redirect("cpd-confirmations")
    confirm = form.cleaned_data["answer"] == "confirm"
    try:
        cpd_services.answer_discussion(
            entry=entry, by=user, confirm=confirm, comment=form.cleaned_data["comment"]
        )
    except NotAllowed as error:  # someone else's entry: as if it did not exist
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cpd-confirmations")
    values = {"name": entry.learner.display_name, "title": entry.title}
    if confirm:
        messages.success(
            request, _('You confirmed the discussion with %(name)s about "%(title)s".') % values
        )
    else:
        messages.success(
            request, _('You declined the discussion with %(name)s about "%(title)s".') % values
        )
    return redirect("cpd-confirmations")


# --- transcripts --------------------------------------------------------------------------------


def _cycle_standing(registration: CpdRegistration, wanted: date | None) -> Standing | None:
    """The standing in the current cycle, or in the one containing ``wanted`` as it was on its
    last day; None for a cycle that has not begun. Entries come with their certificates, as the
    transcript and the CLR read them."""
    rule_set = registration.rule_set
    today = cpd.today_for(rule_set)
    cycle = cpd.cycle_containing(
        rule_set, wanted or today, registered_on=registration.registered_on
    )
    if cycle.start > today:
        return None
    return cpd.standing(registration, today=min(today, cycle.end))


def _download(content: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@login_required
@cache_control(private=True, no_store=True)
def transcript(request: AuthenticatedHttpRequest, slug: str, fmt: str) -> HttpResponse:
    """A cycle's transcript as PDF or CSV, or the cycle's signed CLR 2.0 credential (``jwt``):
    the current cycle, or the one containing ``?cycle=YYYY-MM-DD``. Only for a rule set the
    learner reports to (404 otherwise)."""
    if fmt not in FORMATS:
        raise Http404
    learner = request.user
    registration = (
        CpdRegistration.objects.select_related("rule_set__body")
        .prefetch_related("rule_set__requirements")
        .filter(learner=learner, rule_set__slug=slug, withdrawn_on__isnull=True)
        .first()
    )
    if registration is None:
        raise Http404
    wanted = None
    if "cycle" in request.GET:
        wanted = parse_day(request.GET["cycle"])
        if wanted is None:
            messages.error(request, _("Give the cycle as a date, for example 2025-06-30."))
            return redirect("cpd-ledger")
    standing = _cycle_standing(registration, wanted)
    if standing is None:
        messages.error(request, _("That cycle has not begun yet."))
        return redirect("cpd-ledger")
    language = translation.get_language() or "en"
    name = learner.display_name or learner.email
    if fmt == "csv":
        text = transcript_csv(standing, learner_name=name, language=language)
        return _download(
            text.encode("utf-8"), "text/csv; charset=utf-8", transcript_filename(standing, "csv")
        )
    if fmt == "pdf":
        pdf = transcript_pdf(standing, learner_name=name, language=language)
        return _download(pdf, "application/pdf", transcript_filename(standing, "pdf"))
    try:
        token = sign_clr(standing, learner=learner, language=language)
    except ClrUnavailableError:
        messages.error(
            request,
            _(
                "No certificate from this platform counts in that cycle: a signed record "
                "bundles certificates, so there is none to make. The PDF and CSV transcripts "
                "hold every activity."
            ),
        )
        return redirect("cpd-ledger")
    return _download(token, "application/jwt", clr_filename(standing))


@require_safe
@login_required
def transcript_pick(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The small form on the ledger page ("another cycle"): to the transcript of the cycle that
    contains the given day, in the given format."""
    form = CycleForm(request.GET)
    if not form.is_valid():
        problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
        # Called outside the f-string: xgettext finds no call inside one, so the message was
        # never in a catalogue and read in English in every language.
        asked = _("Give a day of the cycle and a format.")
        messages.error(request, f"{asked} {problems}")
        return redirect("cpd-ledger")
    url = reverse("cpd-transcript", kwargs={"slug": slug, "fmt": form.cleaned_data["format"]})
    return redirect(f"{url}?{urlencode({'cycle': form.cleaned_data['cycle'].isoformat()})}")
