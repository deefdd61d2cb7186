"""The public face of the organisations app (the top layer: nothing imports it)."""

from organisations.selectors import memberships_for_user
from organisations.services import end_membership, set_membership

__all__ = ["end_membership", "memberships_for_user", "set_membership"]
