"""The learner's certificates and CPD standing on their home page (lms.home): the certificates
that stand today, each linked to its page, and, for each rule set they report to, where they
stand in the current cycle with a progress bar. The standing is the CPD engine's
(``selectors.standings_for``), never computed again here."""

from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certificates.cpd import selectors as cpd
from certificates.cpd.models import RequirementKind, RequirementPeriod
from certificates.cpd.types import Standing
from certificates.credentials.selectors import certificates_in_force
from lms.api import AuthenticatedHttpRequest, format_amount, format_number

HOME_CERTIFICATES = 5  # the newest ones; "My certificates" lists them all


@dataclass(frozen=True)
class StandingBar:
    """A standing as a bar: the hours (or points) of the cycle's hours rule when it has one,
    otherwise the requirements met."""

    standing: Standing
    value: Decimal
    maximum: Decimal
    text: str  # what the bar says, e.g. "12 of 35 CPD hours" (translated)


def standing_bar(standing: Standing) -> StandingBar:
    hours = next(
        (
            result
            for result in standing.results
            if result.requirement.kind == RequirementKind.HOURS
            and result.requirement.period == RequirementPeriod.CYCLE
        ),
        None,
    )
    if hours is not None and hours.required > 0:
        return StandingBar(
            standing,
            min(hours.achieved, hours.required),
            hours.required,
            _("%(achieved)s of %(required)s")
            % {
                "achieved": format_number(hours.achieved),
                "required": format_amount(hours.required, standing.unit),
            },
        )
    met = sum(1 for result in standing.results if result.met)
    total = len(standing.results)
    return StandingBar(
        standing,
        Decimal(met),
        Decimal(max(total, 1)),
        ngettext(
            "%(met)s of %(total)s requirement met", "%(met)s of %(total)s requirements met", total
        )
        % {"met": met, "total": total},
    )


def home_section(request: AuthenticatedHttpRequest) -> SafeString:
    """Four queries: the certificates, the registrations, their requirements, the entries."""
    learner = request.user
    certificates = list(
        certificates_in_force().filter(learner=learner).order_by("-issued_at")[:HOME_CERTIFICATES]
    )
    bars = [standing_bar(s) for s in cpd.standings_for(cpd.registrations_for([learner]))]
    if not (certificates or bars):
        return SafeString("")
    return render_to_string(
        "certificates/cpd/home_section.html",
        {"certificates": certificates, "bars": bars},
        request=request,
    )
