"""The public face of the certificates app for the apps above it."""

from certificates.access_log import access_log_for_learners, log_personal_export
from certificates.cpd import registrations_for, standings_for
from certificates.cpd_types import Standing
from certificates.rounds import LearnerOutcome, decided_samples_of, outcomes, outcomes_for_learners
from certificates.selectors import certificates_in_force
from certificates.services import add_accreditor

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
