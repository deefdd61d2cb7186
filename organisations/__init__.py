"""The organisations app."""
