"""Types for views that require log-in: their request's ``user`` is a ``User``, never an
``AnonymousUser``, so mypy needs no ignore comment where a view hands it to a service.

Annotate the ``request`` argument of a ``login_required`` view (or the ``request`` attribute of a
class-based view behind ``LoginRequiredMixin`` or ``IsAuthenticated``) with one of these; they
are only annotations (Django and DRF still build their own request). A view that serves
anonymous visitors too keeps ``HttpRequest`` and narrows with ``isinstance(request.user, User)``.
"""

from django.http import HttpRequest
from rest_framework.request import Request

from lms.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """Django's request of a view behind ``login_required`` or ``LoginRequiredMixin``."""

    user: User


class AuthenticatedRequest(Request):
    """DRF's request of a view whose permissions include ``IsAuthenticated``."""

    user: User
