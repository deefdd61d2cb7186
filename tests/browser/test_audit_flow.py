"""An accreditor signs in, opens an accreditation, draws a sample, opens a record's evidence and
downloads the evidence bundle, whose offline check passes."""

import csv
import datetime
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from certificates.audit.services import add_accreditor
from courses.models import CourseUnit
from tests.certificates.evidence import completed
from tests.certificates.factories import AccreditationFactory, IssuanceRuleFactory
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_accreditor_audits_and_downloads_the_evidence(page, axe_violations):
    accreditation = AccreditationFactory(
        reference="CNASR-2024-17",
        valid_from=datetime.date(2024, 1, 1),
        valid_until=datetime.date(2030, 12, 31),
    )
    IssuanceRuleFactory(course=accreditation.course, accreditation=accreditation)
    CourseUnit.objects.create(
        course=accreditation.course, index=0, activity_iri="https://example.org/au/1",
        title={"en": "Unit"}, url="https://example.org/au.html", mastery_score=Decimal("0.8"),
    )  # fmt: skip
    names = ["Ana Pop", "Dan Radu", "Ioana Mihai", "Mihai Stan"]
    for day, name in enumerate(names, start=3):
        completed(accreditation, name=name, day=day, certify=day == 3)
    accreditor = UserFactory(display_name="Ada Auditor", preferred_language="en")
    add_accreditor(body=accreditation.body, user=accreditor)

    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(accreditor.email)
    page.get_by_label("Password").fill(UserFactory.default_password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Accreditation").click()
    page.get_by_role("link", name="CNASR-2024-17").click()
    assert page.get_by_role("heading", level=1).inner_text().endswith("accreditation CNASR-2024-17")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Audit rounds: draw a sample").click()
    page.get_by_label("Sample size").fill("2")
    page.get_by_label("Seed").fill("2024")
    page.get_by_role("button", name="Draw the sample").click()
    assert "2024" in page.get_by_role("definition").first.inner_text()
    sampled = page.get_by_role("table").get_by_role("link")
    assert sampled.count() == 2
    assert axe_violations(page) == []
    learner = sampled.first.inner_text()
    assert learner in names

    sampled.first.click()
    assert learner in page.content()
    assert page.get_by_role("cell", name="launched").count() == 1
    assert axe_violations(page) == []

    page.go_back()
    page.get_by_role("button", name="Export the sample's evidence (ZIP)").click()
    assert "The bundle is ready: 2 records." in page.get_by_role("status").inner_text()
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the bundle (ZIP)").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    rows = list(csv.DictReader(io.StringIO(archive.read("records.csv").decode())))
    assert learner in {row["learner_name"] for row in rows}
    assert len(rows) == 2
    assert re.fullmatch(
        r"evidence-cnasr-2024-17-\d{4}-\d{2}-\d{2}\.zip", download.value.suggested_filename
    )
