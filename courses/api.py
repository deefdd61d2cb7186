"""The public face of the courses app for the apps above it (STYLE.md, boundaries)."""

__all__: list[str] = []
