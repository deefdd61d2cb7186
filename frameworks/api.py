"""The public face of the frameworks app for the apps above it (docs/style.md, "Boundaries
between apps")."""

from frameworks.evidence import ProvenCompetence, competences_proven_by
from frameworks.selectors import TeamMatrix, level_names, team_matrix

__all__ = ["ProvenCompetence", "TeamMatrix", "competences_proven_by", "level_names", "team_matrix"]
