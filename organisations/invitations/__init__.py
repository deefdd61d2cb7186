"""Invitations to join an organisation: by e-mail, one at a time or from a CSV file."""
