"""The public face of the lms app for the apps above it (docs/style.md, "Boundaries between
apps")."""

from lms.models import Profession, User
from lms.months import add_months, last_months
from lms.navigation import NavItem, Role, register_nav_item, register_role_provider, roles_for
from lms.services import queue_email, register_user, update_profile
from lms.spreadsheet import decimal_text, guard_formula

__all__ = [
    "NavItem",
    "Profession",
    "Role",
    "User",
    "add_months",
    "decimal_text",
    "guard_formula",
    "last_months",
    "queue_email",
    "register_nav_item",
    "register_role_provider",
    "register_user",
    "roles_for",
    "update_profile",
]
