"""The public face of the courses app for the apps above it (docs/style.md, "Boundaries
between apps")."""

from courses.launch import SESSION_KEY_PREFIX, learner_agent, session_for_credentials
from courses.ports import (
    AccreditationLookup,
    CertificateLink,
    CourseStanding,
    EnrolmentPolicy,
    EnrolmentRefused,
    LRSPort,
    UnitState,
    certificate_lookup,
    register_accreditation_lookup,
    register_certificate_lookup,
    register_course_section,
    register_course_standing,
    register_enrolment_policy,
    register_lrs_port,
    register_unit_states,
)
from courses.services import enrol_in_journey, enrol_learner
from courses.signals import journey_joined

__all__ = [
    "SESSION_KEY_PREFIX",
    "AccreditationLookup",
    "CertificateLink",
    "CourseStanding",
    "EnrolmentPolicy",
    "EnrolmentRefused",
    "LRSPort",
    "UnitState",
    "certificate_lookup",
    "enrol_in_journey",
    "enrol_learner",
    "journey_joined",
    "learner_agent",
    "register_accreditation_lookup",
    "register_certificate_lookup",
    "register_course_section",
    "register_course_standing",
    "register_enrolment_policy",
    "register_lrs_port",
    "register_unit_states",
    "session_for_credentials",
]
