"""The seat pages of an organisation's admins: the pools, one pool (use over time, its seats,
assigning, releasing, revoking, renewing) and a seat's history.

Only the organisation's admins (and staff) see them: anyone else gets 404, as if the
organisation did not exist (``organisations.scope``, ``scope.whole``). Every write is a POST to
its own URL that calls one service of ``seats.py`` and answers with a message; an invalid form
shows the page again with the error next to its field.
"""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lms.api import (
    AuthenticatedHttpRequest,
    bar_chart,
    confirmation_page,
    format_date,
    line_chart,
)
from organisations.core.models import Organisation
from organisations.core.scope import Scope, get_scope_for_user
from organisations.seats import selectors as seat_selectors
from organisations.seats import services as seats
from organisations.seats.forms import AssignSeatsForm, RenewPoolForm, RevokeSeatForm
from organisations.seats.models import Seat, SeatPool


def _managed(request: AuthenticatedHttpRequest, public_id: UUID) -> Organisation:
    """The organisation, if the user administers it; otherwise 404."""
    scope: Scope = get_scope_for_user(request.user, public_id)
    if not scope.whole:
        raise Http404
    return scope.organisation


def _pool(organisation: Organisation, public_id: UUID) -> SeatPool:
    found = seat_selectors.get_pool(organisation, public_id)
    if found is None:
        raise Http404
    found.organisation = organisation  # fetched already: no second query
    return found


def _seat(pool: SeatPool, seat_id: int) -> Seat:
    found = seat_selectors.get_seat(pool, seat_id)
    if found is None:
        raise Http404
    return found


def _back_to(pool: SeatPool) -> HttpResponse:
    return redirect("organisations:seat-pool", pool.organisation.public_id, pool.public_id)


@login_required
@require_GET
def seat_pools(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """Every pool of the organisation: seats, used, free, validity, scope, price, order; a bar
    per pool. A fixed number of queries, however many pools."""
    organisation = _managed(request, public_id)
    rows = seat_selectors.pools_for_organisation(organisation)
    chart = bar_chart(
        title=_("Seats used and free, by pool"),
        labels=[_pool_label(row) for row in rows],
        series=[(_("Used"), [row.used for row in rows]), (_("Free"), [row.free for row in rows])],
        description=_("One bar per pool: the seats used, then the seats free."),
    )
    return render(
        request,
        "organisations/seats/pools.html",
        {"organisation": organisation, "rows": rows, "chart": chart if rows else ""},
    )


def _pool_label(row: seat_selectors.PoolRow) -> str:
    return _("%(name)s (expired)") % {"name": row.pool.name} if row.expired else row.pool.name


@login_required
@require_GET
def seat_pool(request: AuthenticatedHttpRequest, public_id: UUID, pool: UUID) -> HttpResponse:
    organisation = _managed(request, public_id)
    return _pool_page(request, _pool(organisation, pool))


def _pool_page(
    request: HttpRequest,
    pool: SeatPool,
    *,
    assign_form: AssignSeatsForm | None = None,
    renew_form: RenewPoolForm | None = None,
) -> HttpResponse:
    """The pool's page (with a bound form that did not validate, when given). A fixed number of
    queries, however many seats and events."""
    row = seat_selectors.pool_row(pool)
    seat_rows = seat_selectors.seats_of_pool(pool)
    held = sum(1 for r in seat_rows if r.held)
    points = seat_selectors.utilisation_over_time(pool)
    period, periods = seat_selectors.utilisation_by_period(points)
    context: dict[str, Any] = {
        "organisation": pool.organisation,
        "pool": pool,
        "row": row,
        "seat_rows": seat_rows,
        "held": held,
        "chart": line_chart(
            title=_("Seats of %(pool)s held per day") % {"pool": pool.name},
            points=points,
            ceiling=pool.seats,
            ceiling_label=_("Seats bought"),
            description=_("Seats held at the end of each day; the dashed line: the seats bought."),
        ),
        "period": period,
        "periods": periods,
        "renewal": seat_selectors.renewal_of(pool) if row.renewed else None,
        "assign_form": (assign_form or AssignSeatsForm(pool=pool)) if row.valid else None,
        # A renewed pool offers no renewal; a refused one still shows its errors.
        "renew_form": renew_form
        or (None if row.renewed else RenewPoolForm.following(pool, held=held)),
    }
    return render(request, "organisations/seats/pool.html", context)


@login_required
@require_POST
def assign(request: AuthenticatedHttpRequest, public_id: UUID, pool: UUID) -> HttpResponse:
    """Assign seats to the members ticked (each in its own locked transaction)."""
    seat_pool = _pool(_managed(request, public_id), pool)
    form = AssignSeatsForm(request.POST, pool=seat_pool)
    if not form.is_valid():
        return _pool_page(request, seat_pool, assign_form=form)
    members = list(form.cleaned_data["members"])
    refused = seats.assign_seats(pool=seat_pool, members=members, by=request.user)
    assigned = len(members) - len(refused)
    if assigned:
        messages.success(
            request,
            ngettext("%(count)s seat was assigned.", "%(count)s seats were assigned.", assigned)
            % {"count": assigned},
        )
    if refused:
        messages.warning(
            request,
            ngettext(
                "%(count)s member got no seat: %(reasons)s",
                "%(count)s members got no seat: %(reasons)s",
                len(refused),
            )
            % {"count": len(refused), "reasons": "; ".join(refused)},
        )
    return _back_to(seat_pool)


@login_required
@require_http_methods(["GET", "POST"])
def release(
    request: AuthenticatedHttpRequest, public_id: UUID, pool: UUID, seat_id: int
) -> HttpResponse:
    """The member no longer needs the seat: back to a reusable pool, used up in a consumable
    one. GET asks first."""
    seat_pool = _pool(_managed(request, public_id), pool)
    seat = _seat(seat_pool, seat_id)
    if request.method == "GET":
        if seat.status not in seats.HOLDING:
            return _back_to(seat_pool)
        return confirmation_page(
            request,
            question=_("Release the seat of %(member)s?") % {"member": seat.member},
            consequences=[
                _("%(member)s can no longer use the courses this seat gives.")
                % {"member": seat.member},
                _("The place returns to the pool.")
                if seat_pool.reusable
                else _("This pool is consumable: the place stays used."),
            ],
            confirm=_("Yes, release the seat"),
            back_url=_back_to(seat_pool)["Location"],
        )
    try:
        seats.release_seat(seat=seat, by=request.user)
    except seats.SeatError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The seat of %(member)s was released.") % {"member": seat.member}
        )
    return _back_to(seat_pool)


@login_required
@require_POST
def revoke(
    request: AuthenticatedHttpRequest, public_id: UUID, pool: UUID, seat_id: int
) -> HttpResponse:
    """Take a seat back, with a reason (within the pool's cap on revocations). Without a reason,
    the seat's page asks for one."""
    seat_pool = _pool(_managed(request, public_id), pool)
    seat = _seat(seat_pool, seat_id)
    if seat.status not in seats.HOLDING:  # no form to show the reason's error on
        messages.error(request, _("This seat has already ended."))
        return _back_to(seat_pool)
    form = RevokeSeatForm(request.POST)
    if not form.is_valid():
        return _seat_page(request, seat_pool, seat, revoke_form=form)
    try:
        seats.revoke_seat(seat=seat, by=request.user, note=form.cleaned_data["reason"])
    except seats.SeatError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The seat of %(member)s was revoked.") % {"member": seat.member}
        )
    return _back_to(seat_pool)


@login_required
@require_POST
def renew(request: AuthenticatedHttpRequest, public_id: UUID, pool: UUID) -> HttpResponse:
    """A new period of the pool; the held seats move over. Goes to the new pool's page."""
    seat_pool = _pool(_managed(request, public_id), pool)
    form = RenewPoolForm(request.POST, held=seat_selectors.held_count(seat_pool))
    if not form.is_valid():
        return _pool_page(request, seat_pool, renew_form=form)
    try:
        renewed = seats.renew_pool(pool=seat_pool, by=request.user, **form.cleaned_data)
    except seats.SeatError as error:
        form.add_error(None, str(error))
        return _pool_page(request, seat_pool, renew_form=form)
    messages.success(
        request,
        _("%(pool)s was renewed until %(until)s.")
        % {"pool": renewed.name, "until": format_date(renewed.valid_until)},
    )
    return _back_to(renewed)


@login_required
@require_GET
def seat_history(
    request: AuthenticatedHttpRequest, public_id: UUID, pool: UUID, seat_id: int
) -> HttpResponse:
    """A seat's history: every change, when, by whom, with its note; and, while it is held,
    the release and revoke forms."""
    seat_pool = _pool(_managed(request, public_id), pool)
    return _seat_page(request, seat_pool, _seat(seat_pool, seat_id))


def _seat_page(
    request: HttpRequest, pool: SeatPool, seat: Seat, *, revoke_form: RevokeSeatForm | None = None
) -> HttpResponse:
    return render(
        request,
        "organisations/seats/seat.html",
        {
            "organisation": pool.organisation,
            "pool": pool,
            "seat": seat,
            "held": seat.status in seats.HOLDING,
            "events": seat_selectors.seat_history(seat),
            "form": revoke_form or RevokeSeatForm(),
        },
    )
