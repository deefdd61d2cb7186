"""The public face of the lms app for the apps above it (docs/style.md, "Boundaries between
apps")."""

from lms.days import DAY_VALIDATORS, check_day, parse_day
from lms.demo import DEMO_LANGUAGES, DemoContext, DemoStage, DemoText
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
from lms.home import register_home_section
from lms.jobs import JobStatus, JobUnavailableError, Progress, run_file_job
from lms.kits.charts import bar_chart, line_chart, nice_ticks
from lms.kits.language import pick_language
from lms.kits.pdf import (
    FONT,
    FONT_BOLD,
    HEADER_BACKGROUND,
    NumberedCanvas,
    format_date,
    format_number,
    paragraph,
    register_fonts,
    table_style,
    unit_label,
)
from lms.models import Profession, User
from lms.months import add_months, last_months
from lms.navigation import NavItem, Role, register_nav_item, register_role_provider, roles_for
from lms.services import register_user, update_profile
from lms.signals import email_verified
from lms.spreadsheet import decimal_text, guard_formula
from lms.text import NUL, capped, nul_paths
from lms.todo import TodoItem, forget_todo_count, register_todo_provider
from lms.types import AuthenticatedHttpRequest, AuthenticatedRequest

__all__ = [
    "DAY_VALIDATORS",
    "DEMO_LANGUAGES",
    "FONT",
    "FONT_BOLD",
    "HEADER_BACKGROUND",
    "NUL",
    "ApplicationError",
    "AuthenticatedHttpRequest",
    "AuthenticatedRequest",
    "Conflict",
    "DemoContext",
    "DemoStage",
    "DemoText",
    "Gone",
    "InvalidInput",
    "JobStatus",
    "JobUnavailableError",
    "NavItem",
    "NotAllowed",
    "NotFound",
    "NumberedCanvas",
    "PreconditionFailed",
    "Profession",
    "Progress",
    "Role",
    "TodoItem",
    "Unavailable",
    "User",
    "add_months",
    "bar_chart",
    "capped",
    "check_day",
    "code_for_status",
    "decimal_text",
    "email_verified",
    "forget_todo_count",
    "format_date",
    "format_number",
    "guard_formula",
    "last_months",
    "line_chart",
    "nice_ticks",
    "nul_paths",
    "paragraph",
    "parse_day",
    "pick_language",
    "register_fonts",
    "register_home_section",
    "register_nav_item",
    "register_role_provider",
    "register_todo_provider",
    "register_user",
    "roles_for",
    "run_file_job",
    "send_templated_email",
    "table_style",
    "unit_label",
    "update_profile",
]
