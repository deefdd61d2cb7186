"""Accreditor audits: the workspace, audit scope, rounds, evidence bundles and their checker, the
access log (see certificates/README.md)."""
