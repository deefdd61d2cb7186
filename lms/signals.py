"""Signals the lms app announces to the apps above it (docs/style.md, "Boundaries between
apps")."""

from django.dispatch import Signal

# Sent (on commit) when a person has verified their e-mail address: ``user``. certificates
# links the CPD discussions that named the address.
email_verified = Signal()
