"""Issuing and credentials: certificates, their PDF, Open Badges credentials, signing keys, the
chain events and public verification (see certificates/README.md)."""
