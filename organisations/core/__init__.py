"""Organisations, members, units, memberships and scope: what the rest of the app stands on."""
