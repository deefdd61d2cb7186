"""A learner completes an accredited course, downloads the certificate and its credential, and
anyone verifies both on the public page."""

import io
import re
from datetime import date
from pathlib import Path

import pypdf
import pytest

from certificates.models import Accreditation, Certificate, IssuanceRule
from courses.models import CourseUnit, UnitKind
from tests.certificates.factories import AccreditingBodyFactory
from tests.courses.factories import CourseFactory
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _accredited_course():
    course = CourseFactory(slug="child-safety", title={"en": "Child safety at school"})
    CourseUnit.objects.create(
        course=course, index=0, kind=UnitKind.LINK, title={"en": "Reading"},
        activity_iri=f"{course.activity_iri}/0", url="https://example.org/", move_on="Completed",
    )  # fmt: skip
    accreditation = Accreditation.objects.create(
        body=AccreditingBodyFactory(name="Colegiul Psihologilor"), course=course,
        reference="CPR-2026-17", cpd_value=3, valid_from=date(2026, 1, 1),
    )  # fmt: skip
    IssuanceRule.objects.create(course=course, accreditation=accreditation)
    return course


def test_complete_download_and_verify(page, axe_violations):
    _accredited_course()
    learner = UserFactory(display_name="Ioana Dumitrescu", preferred_language="en")
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(learner.email)
    page.get_by_label("Password").fill(UserFactory.default_password)
    page.get_by_role("button", name="Log in").click()
    page.goto("/courses/child-safety/")
    page.get_by_role("button", name="Enrol").click()
    page.get_by_role("button", name="Mark as done: Reading").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My certificates").click()
    certificate = Certificate.objects.get(learner=learner)
    row = page.get_by_role("row", name=re.compile("Child safety at school"))
    assert certificate.serial in row.inner_text()
    assert axe_violations(page) == []
    with page.expect_download() as pdf_download:
        row.get_by_role("link", name=f"PDF of {certificate.serial}").click()
    pdf = Path(pdf_download.value.path()).read_bytes()
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Ioana Dumitrescu" in text
    with page.expect_download() as credential_download:
        row.get_by_role("link", name="Signed credential").click()
    credential = Path(credential_download.value.path())

    # Anyone, signed in or not, checks it on the public page.
    page.get_by_role("button", name="Log out").click()
    page.goto(f"/verify/{certificate.verification_code}")
    assert "Valid" in page.get_by_role("status").inner_text()
    assert "Ioana Dumitrescu" in page.content()
    assert "CPR-2026-17" in page.content()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Verify a credential file").click()
    page.get_by_label("Credential file").set_input_files(str(credential))
    page.get_by_role("button", name="Check the credential").click()
    verdict = page.get_by_role("status").inner_text()
    assert "The signature is valid" in verdict
    assert "state today: Valid" in verdict
    assert axe_violations(page) == []
