"""Kits: small, generic helpers every app may use (PDF, SVG charts, language maps), with no
models and no queries. Other apps reach them through ``lms.api``."""
