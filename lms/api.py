"""The public face of the lms app for the apps above it (docs/style.md, "Boundaries between
apps")."""

from lms.auth import suggest_signup_email
from lms.confirm import confirmation_page
from lms.content_translation.registry import Kind as TextKind
from lms.content_translation.registry import Translatable, TranslatableField, register_translatable
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
from lms.kits.formats import (
    format_amount,
    format_date,
    format_datetime,
    format_duration,
    format_hours,
    format_month,
    format_number,
    plural_count,
    unit_label,
)
from lms.kits.language import (
    PickedText,
    content_html,
    language_name,
    language_tag,
    pick_language,
    pick_text,
    same_language,
    source_hash,
)
from lms.kits.pdf import (
    FONT,
    FONT_BOLD,
    HEADER_BACKGROUND,
    NumberedCanvas,
    paragraph,
    register_fonts,
    table_style,
)
from lms.models import Profession, User
from lms.months import add_months, last_months
from lms.navigation import NavItem, Role, register_nav_item, register_role_provider, roles_for
from lms.notifications.kinds import register_notification_kind
from lms.notifications.models import Delivery
from lms.notifications.services import NotificationMessage, notify, notify_many
from lms.services import register_user, update_profile
from lms.signals import email_verified
from lms.spreadsheet import decimal_text, guard_formula
from lms.text import NUL, capped, nul_paths
from lms.todo import TodoItem, forget_todo_count, register_todo_provider
from lms.types import AuthenticatedHttpRequest, AuthenticatedRequest
from lms.uploads import KeptUpload, KeptUploadsForm, purge_kept_uploads

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
    "Delivery",
    "DemoContext",
    "DemoStage",
    "DemoText",
    "Gone",
    "InvalidInput",
    "JobStatus",
    "JobUnavailableError",
    "KeptUpload",
    "KeptUploadsForm",
    "NavItem",
    "NotAllowed",
    "NotFound",
    "NotificationMessage",
    "NumberedCanvas",
    "PickedText",
    "PreconditionFailed",
    "Profession",
    "Progress",
    "Role",
    "TextKind",
    "TodoItem",
    "Translatable",
    "TranslatableField",
    "Unavailable",
    "User",
    "add_months",
    "bar_chart",
    "capped",
    "check_day",
    "code_for_status",
    "confirmation_page",
    "content_html",
    "decimal_text",
    "email_verified",
    "forget_todo_count",
    "format_amount",
    "format_date",
    "format_datetime",
    "format_duration",
    "format_hours",
    "format_month",
    "format_number",
    "guard_formula",
    "language_name",
    "language_tag",
    "last_months",
    "line_chart",
    "nice_ticks",
    "notify",
    "notify_many",
    "nul_paths",
    "paragraph",
    "parse_day",
    "pick_language",
    "pick_text",
    "plural_count",
    "purge_kept_uploads",
    "register_fonts",
    "register_home_section",
    "register_nav_item",
    "register_notification_kind",
    "register_role_provider",
    "register_todo_provider",
    "register_translatable",
    "register_user",
    "roles_for",
    "run_file_job",
    "same_language",
    "send_templated_email",
    "source_hash",
    "suggest_signup_email",
    "table_style",
    "unit_label",
    "update_profile",
]
