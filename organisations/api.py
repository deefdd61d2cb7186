"""The public face of the organisations app (the top layer: nothing imports it)."""

from organisations.core.selectors import memberships_for_user
from organisations.core.services import end_membership, set_membership

__all__ = ["end_membership", "memberships_for_user", "set_membership"]
