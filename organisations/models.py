"""Every model of the organisations app, for Django and for the apps above: each is defined in
the sub-package that owns it (``core``, ``seats``, ``invitations``, ``reports``) and re-exported
here, so the app label stays ``organisations`` and no migration changes. Code inside the app
imports the owner's ``models`` module, not this one."""

from organisations.core.models import (
    CourseAssignment,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    Unit,
    UnitKind,
    UnitMembership,
)
from organisations.invitations.models import Invitation, InvitationStatus
from organisations.reports.models import ExportStatus, ReportExport, ReportFormat, ReportKind
from organisations.seats.models import HOLDING, Seat, SeatEvent, SeatPool, SeatScope, SeatStatus

__all__ = [
    "HOLDING",
    "CourseAssignment",
    "ExportStatus",
    "Invitation",
    "InvitationStatus",
    "Membership",
    "MembershipRole",
    "Organisation",
    "OrganisationKind",
    "ReportExport",
    "ReportFormat",
    "ReportKind",
    "Seat",
    "SeatEvent",
    "SeatPool",
    "SeatScope",
    "SeatStatus",
    "Unit",
    "UnitKind",
    "UnitMembership",
]
