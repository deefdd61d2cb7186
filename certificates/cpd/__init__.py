"""The CPD ledger: entries, rule sets, standing, transcripts, the CLR and peer discussions (see
certificates/README.md)."""
