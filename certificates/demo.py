"""Demo data of the certificates app: an accrediting body and its accreditor."""

from certificates import services
from certificates.models import AccreditingBody
from lms.api import Role
from lms.demo import DemoContext


def load(context: DemoContext) -> None:
    body, _created = AccreditingBody.objects.update_or_create(
        slug="demo-cpd-council",
        defaults={"name": "CPD Council (demo)", "country": "RO", "website": "https://example.org/"},
    )
    services.add_accreditor(body=body, user=context.users[Role.ACCREDITOR])
