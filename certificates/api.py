"""The public face of the certificates app for the apps above it."""

from certificates.audit.access_log import access_log_for_learners, log_personal_export
from certificates.audit.rounds import (
    LearnerOutcome,
    decided_samples_of,
    outcomes,
    outcomes_for_learners,
)
from certificates.audit.services import add_accreditor
from certificates.cpd.selectors import registrations_for, standings_for
from certificates.cpd.types import Standing
from certificates.credentials.selectors import certificates_in_force

__all__ = [
    "LearnerOutcome",
    "Standing",
    "access_log_for_learners",
    "add_accreditor",
    "certificates_in_force",
    "decided_samples_of",
    "log_personal_export",
    "outcomes",
    "outcomes_for_learners",
    "registrations_for",
    "standings_for",
]
