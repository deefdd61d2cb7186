"""The public face of the progress app for the apps above it (STYLE.md, boundaries)."""

from progress.signals import completion_recorded

__all__ = ["completion_recorded"]
