"""Demo data of the certificates app: an accrediting body (CPD in hours) and its accreditor, the
body's accreditation of the demo course, a template with a signatory and an issuance rule, so
that completing the demo course issues a signed certificate."""

from datetime import date

from certificates import services
from certificates.models import (
    Accreditation,
    AccreditingBody,
    CertificateTemplate,
    CpdUnit,
    IssuanceRule,
)
from courses.models import Course
from lms.api import Role
from lms.demo import DemoContext

DEMO_COURSE_IRI = "urn:practica:demo:course:safeguarding-basics"


def load(context: DemoContext) -> None:
    body, _created = AccreditingBody.objects.update_or_create(
        slug="demo-cpd-council",
        defaults={
            "name": "CPD Council (demo)",
            "country": "RO",
            "website": "https://example.org/",
            "cpd_unit": CpdUnit.HOURS,
        },
    )
    services.add_accreditor(body=body, user=context.users[Role.ACCREDITOR])
    course = Course.objects.filter(activity_iri=DEMO_COURSE_IRI).first()
    if course is None:
        return
    accreditation, _created = Accreditation.objects.update_or_create(
        body=body,
        reference="DEMO-CPD-2026-001",
        defaults={
            "course": course,
            "cpd_value": 1,
            "learning_outcomes": {
                "en": "Recognise signs of abuse and neglect; know whom to tell and how.",
                "ro": "Recunoști semnele abuzului și neglijării; știi cui și cum să le semnalezi.",
            },
            "valid_from": date(2026, 1, 1),
            "valid_until": date(2028, 12, 31),
        },
    )
    template, _created = CertificateTemplate.objects.update_or_create(
        name="Demo certificate",
        defaults={
            "heading": {"en": "Certificate of completion", "ro": "Certificat de absolvire"},
            "signatories": [{"name": "Ana Popescu", "title": "President, CPD Council (demo)"}],
        },
    )
    IssuanceRule.objects.update_or_create(
        course=course,
        accreditation=accreditation,
        defaults={"template": template, "validity_months": 36, "is_active": True},
    )
