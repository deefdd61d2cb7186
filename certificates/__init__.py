"""The certificates app."""
