"""Invitation pages: the admins' list with single and CSV invitations (preview, then confirm),
resend and revoke; the page behind the e-mailed link, where the invited person accepts; and a
signed-in person's own invitations (from the to-do), accepted there with a button.

The admin pages are for the organisation's admins only (anyone else: 404, as if the
organisation did not exist). The accept page never consumes the token on GET, since mail
scanners and link previews follow links; only its POST button accepts.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lms.api import AuthenticatedHttpRequest, format_date, suggest_signup_email
from organisations.core.scope import Scope, get_scope_for_user
from organisations.invitations import selectors
from organisations.invitations import services as invitations
from organisations.invitations.csv import template_csv
from organisations.invitations.forms import (
    InvitationCsvConfirmForm,
    InvitationCsvForm,
    InvitationForm,
)
from organisations.invitations.models import Invitation
from organisations.invitations.tokens import InvitationError, InvitationProblem, check_account

PAGE_SIZE = 50
# How many skipped line numbers a message lists before it says "…".
LINES_SHOWN = 20


def _admin_scope(request: AuthenticatedHttpRequest, public_id: UUID) -> Scope:
    """The organisation's scope for one of its admins; 404 for anyone else."""
    scope = get_scope_for_user(request.user, public_id)
    if not scope.whole:
        raise Http404
    return scope


def _list_page(
    request: HttpRequest,
    scope: Scope,
    *,
    form: InvitationForm | None = None,
    csv_form: InvitationCsvForm | None = None,
    csv_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The admins' page: invitations (one page of them) and both forms. A fixed number of
    queries whatever the number of invitations."""
    organisation = scope.organisation
    units = selectors.organisation_units(organisation)
    paths = {unit.pk: path for unit, path in units}
    page = Paginator(selectors.invitations_of(organisation), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context: dict[str, Any] = {
        "organisation": organisation,
        "page": page,
        "rows": selectors.invitation_rows(page.object_list, paths),
        "form": form or InvitationForm(units=units),
        "csv_form": csv_form or InvitationCsvForm(organisation=organisation),
        "csv_errors": csv_errors or [],
        "expiry_days": settings.INVITATION_EXPIRY_DAYS,
    }
    return render(request, "organisations/invitations/list.html", context, status=status)


def _apply_errors(form: Form, error: ValidationError) -> None:
    """Put a service's errors on the fields they name (others on the form)."""
    if hasattr(error, "error_dict"):
        for field, problems in error.error_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_list(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """The list; a POST invites one person."""
    scope = _admin_scope(request, public_id)
    if request.method != "POST":
        return _list_page(request, scope)
    units = selectors.organisation_units(scope.organisation)
    form = InvitationForm(request.POST, units=units)
    if form.is_valid():
        data = form.cleaned_data
        try:
            invitation, _token = invitations.invite(
                organisation=scope.organisation,
                email=data["email"],
                name=data["name"],
                role=data["role"],
                job_title=data["job_title"],
                profession=data["profession"],
                unit=data["unit"],
                by=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("organisations:invitations", scope.organisation.public_id)
    return _list_page(request, scope, form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def invitations_preview(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """The upload: shows every row and its problems; stores nothing."""
    scope = _admin_scope(request, public_id)
    if request.method != "POST":
        # Reached again by a language switch or a reload: the upload is not kept.
        return redirect("organisations:invitations", scope.organisation.public_id)
    organisation = scope.organisation
    csv_form = InvitationCsvForm(request.POST, request.FILES, organisation=organisation)
    if not csv_form.is_valid() or csv_form.preview is None:
        return _list_page(request, scope, csv_form=csv_form, status=400)
    preview = csv_form.preview
    confirm = InvitationCsvConfirmForm.for_text(
        organisation=organisation, user=request.user, text=csv_form.text
    )
    return render(
        request,
        "organisations/invitations/preview.html",
        {
            "organisation": organisation,
            "preview": preview,
            "valid_count": len(preview.valid),
            "invalid_count": len(preview.invalid),
            "file_name": csv_form.cleaned_data["file"].name,
            "confirm_form": confirm,
        },
    )


def _line_list(lines: list[int]) -> str:
    shown = ", ".join(str(n) for n in lines[:LINES_SHOWN])
    return shown + (", …" if len(lines) > LINES_SHOWN else "")


@login_required
@require_http_methods(["GET", "POST"])
def invitations_confirm(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """Invites the valid rows of the previewed file, parsed again (things may have changed)."""
    scope = _admin_scope(request, public_id)
    if request.method != "POST":
        return redirect("organisations:invitations", scope.organisation.public_id)
    organisation = scope.organisation
    form = InvitationCsvConfirmForm(request.POST, organisation=organisation, user=request.user)
    if not form.is_valid():
        return _list_page(
            request, scope, csv_errors=[str(e) for e in form.non_field_errors()], status=400
        )
    try:
        invited, preview = invitations.invite_from_csv(
            organisation=organisation, data=form.text, by=request.user
        )
    except ValidationError as error:
        return _list_page(request, scope, csv_errors=list(error.messages), status=400)
    messages.success(
        request,
        ngettext("%(count)s invitation was sent.", "%(count)s invitations were sent.", len(invited))
        % {"count": len(invited)},
    )
    if preview.invalid:
        messages.warning(
            request,
            ngettext(
                "%(count)s row with errors was skipped (line %(lines)s).",
                "%(count)s rows with errors were skipped (lines %(lines)s).",
                len(preview.invalid),
            )
            % {
                "count": len(preview.invalid),
                "lines": _line_list([row.line for row in preview.invalid]),
            },
        )
    return redirect("organisations:invitations", organisation.public_id)


def _invitation_in(scope: Scope, invitation_id: UUID) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("organisation"),
        organisation=scope.organisation,
        public_id=invitation_id,
    )


@login_required
@require_POST
def invitation_resend(
    request: AuthenticatedHttpRequest, public_id: UUID, invitation_id: UUID
) -> HttpResponse:
    scope = _admin_scope(request, public_id)
    invitation = _invitation_in(scope, invitation_id)
    try:
        invitations.resend_invitation(invitation=invitation, by=request.user)
    except InvitationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s was sent again; the link works until %(date)s.")
            % {
                "email": invitation.email,
                "date": format_date(invitation.expires_at),
            },
        )
    return redirect("organisations:invitations", scope.organisation.public_id)


@login_required
@require_POST
def invitation_revoke(
    request: AuthenticatedHttpRequest, public_id: UUID, invitation_id: UUID
) -> HttpResponse:
    scope = _admin_scope(request, public_id)
    invitation = _invitation_in(scope, invitation_id)
    try:
        invitations.revoke_invitation(invitation=invitation, by=request.user)
    except InvitationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s was withdrawn; its link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("organisations:invitations", scope.organisation.public_id)


def _accept_page(
    request: HttpRequest,
    *,
    invitation: Invitation | None = None,
    error: InvitationError | None = None,
    wrong_account: str = "",
    unverified: bool = False,
) -> HttpResponse:
    here = request.path
    context = {
        "invitation": invitation,
        "error": error.message if error else "",
        "wrong_account": wrong_account,
        "unverified": unverified,
        "login_url": reverse("login") + "?" + urlencode({"next": here}),
        "signup_url": reverse("signup") + "?" + urlencode({"next": here}),
    }
    # The status of the error's kind (lms/errors.py): 404 unknown, 410 used, 403 refused.
    status = error.status if error else 200
    return render(request, "organisations/invitations/accept.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the invitation (never consumes it); POST, signed in, accepts it."""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        try:
            membership = invitations.accept_invitation(token=token, user=request.user)
        except InvitationError as error:
            return _accept_page(request, error=error)
        messages.success(
            request,
            _("Welcome: you are now a member of %(organisation)s.")
            % {"organisation": membership.organisation.name},
        )
        return redirect("organisations:detail", membership.organisation.public_id)
    try:
        invitation = selectors.get_invitation_for_token(token)
    except InvitationError as error:
        return _accept_page(request, error=error)
    wrong_account, unverified = "", False
    if not request.user.is_authenticated:  # "Create an account" starts with the invited address
        suggest_signup_email(request, invitation.email)
    if request.user.is_authenticated:
        try:
            check_account(invitation, request.user)
        except InvitationError as error:
            wrong_account = error.message
            unverified = error.problem == InvitationProblem.UNVERIFIED
    return _accept_page(
        request, invitation=invitation, wrong_account=wrong_account, unverified=unverified
    )


@login_required
@require_GET
def my_invitations(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The invitations waiting for the signed-in person (their confirmed address only)."""
    return render(
        request,
        "organisations/invitations/mine.html",
        {"invitations": list(selectors.invitations_for_user(request.user))},
    )


@login_required
@require_POST
def my_invitation_accept(request: AuthenticatedHttpRequest, invitation_id: UUID) -> HttpResponse:
    """Accept one of the person's own invitations; another's is unknown (404)."""
    try:
        membership = invitations.accept_invitation_for_user(
            invitation_id=invitation_id, user=request.user
        )
    except InvitationError as error:
        if error.problem == InvitationProblem.UNKNOWN:
            raise  # not theirs, or no such invitation: a 404 (ApplicationErrorMiddleware)
        messages.error(request, error.message)
        return redirect("organisations:my-invitations")
    messages.success(
        request,
        _("Welcome: you are now a member of %(organisation)s.")
        % {"organisation": membership.organisation.name},
    )
    return redirect("organisations:detail", membership.organisation.public_id)


@login_required
@require_GET
def invitation_csv_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The invitation CSV to start from: a header row and one example row."""
    return HttpResponse(
        template_csv(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="invitations.csv"'},
    )
