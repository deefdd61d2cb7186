"""The public face of the frameworks app for the apps above it (docs/style.md, "Boundaries
between apps")."""

from frameworks.selectors import TeamMatrix, level_names, team_matrix

__all__ = ["TeamMatrix", "level_names", "team_matrix"]
