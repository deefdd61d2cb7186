"""The public face of the certificates app for the apps above it."""

from certificates.services import add_accreditor

__all__ = ["add_accreditor"]
