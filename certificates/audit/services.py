"""Writes of the certificates app."""

from django.db import transaction

from certificates.audit.models import Accreditor
from certificates.credentials.models import AccreditingBody
from lms.api import User


@transaction.atomic
def add_accreditor(*, body: AccreditingBody, user: User) -> Accreditor:
    accreditor, _created = Accreditor.objects.get_or_create(body=body, user=user)
    return accreditor
