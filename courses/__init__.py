"""The courses app."""
