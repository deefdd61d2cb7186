"""Team pages that read certificates: CPD standings, audit outcomes, the access log."""
