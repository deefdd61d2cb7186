"""Models of the courses app (see courses/README.md for what it will own)."""
