"""The public face of the progress app for the apps above it (docs/style.md, "Boundaries
between apps")."""

from progress.chain import append_entry as append_chain_entry
from progress.chain import canonical as canonical_json
from progress.chain import register_live_reader
from progress.signals import completion_recorded
from progress.status import (
    CourseState,
    CourseStatus,
    completed_enrolments,
    course_statuses,
    learning_statuses,
    started_enrolments,
)
from progress.xapi.keys import registration_key

__all__ = [
    "CourseState",
    "CourseStatus",
    "append_chain_entry",
    "canonical_json",
    "completed_enrolments",
    "completion_recorded",
    "course_statuses",
    "learning_statuses",
    "register_live_reader",
    "registration_key",
    "started_enrolments",
]
