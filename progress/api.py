"""The public face of the progress app for the apps above it (STYLE.md, boundaries)."""

__all__: list[str] = []
