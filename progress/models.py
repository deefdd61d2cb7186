"""Models of the progress app (see progress/README.md for what it will own)."""
