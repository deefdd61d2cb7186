"""The public face of the courses app for the apps above it (STYLE.md, boundaries)."""

from courses.launch import SESSION_KEY_PREFIX, learner_agent, session_for_credentials
from courses.ports import (
    EnrolmentPolicy,
    EnrolmentRefused,
    LRSPort,
    register_enrolment_policy,
    register_lrs_port,
)
from courses.services import enrol_in_journey, enrol_learner
from courses.signals import journey_joined

__all__ = [
    "SESSION_KEY_PREFIX",
    "EnrolmentPolicy",
    "EnrolmentRefused",
    "LRSPort",
    "enrol_in_journey",
    "enrol_learner",
    "journey_joined",
    "learner_agent",
    "register_enrolment_policy",
    "register_lrs_port",
    "session_for_credentials",
]
