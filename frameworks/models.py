"""Models of the frameworks app (see frameworks/README.md for what it will own)."""
