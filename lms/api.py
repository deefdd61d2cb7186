"""The public face of the lms app for the apps above it (docs/style.md, "Boundaries between
apps")."""

from lms.days import DAY_VALIDATORS, check_day, parse_day
from lms.email import send_templated_email
from lms.errors import (
    ApplicationError,
    Conflict,
    Gone,
    InvalidInput,
    NotAllowed,
    NotFound,
    PreconditionFailed,
    Unavailable,
    code_for_status,
)
from lms.models import Profession, User
from lms.months import add_months, last_months
from lms.navigation import NavItem, Role, register_nav_item, register_role_provider, roles_for
from lms.services import register_user, update_profile
from lms.signals import email_verified
from lms.spreadsheet import decimal_text, guard_formula
from lms.text import NUL, capped, nul_paths

__all__ = [
    "DAY_VALIDATORS",
    "NUL",
    "ApplicationError",
    "Conflict",
    "Gone",
    "InvalidInput",
    "NavItem",
    "NotAllowed",
    "NotFound",
    "PreconditionFailed",
    "Profession",
    "Role",
    "Unavailable",
    "User",
    "add_months",
    "capped",
    "check_day",
    "code_for_status",
    "decimal_text",
    "email_verified",
    "guard_formula",
    "last_months",
    "nul_paths",
    "parse_day",
    "register_nav_item",
    "register_role_provider",
    "register_user",
    "roles_for",
    "send_templated_email",
    "update_profile",
]
