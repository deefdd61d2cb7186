"""The frameworks app."""
