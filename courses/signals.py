"""Signals the courses app sends to the apps above it (docs/style.md, "Boundaries between apps")."""

from django.dispatch import Signal

# Sent with ``enrolment`` (a JourneyEnrolment) when a learner starts following a journey.
journey_joined = Signal()
