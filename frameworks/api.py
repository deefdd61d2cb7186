"""The public face of the frameworks app for the apps above it (STYLE.md, boundaries)."""

from frameworks.selectors import TeamMatrix, level_names, team_matrix

__all__ = ["TeamMatrix", "level_names", "team_matrix"]
