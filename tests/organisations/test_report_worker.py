"""A real Celery worker builds a report too large for the request (its progress is kept on the
export row, which the status page shows), and the requester downloads it."""

import io
import os
import time

import openpyxl
import pytest
from django.urls import reverse
from kombu import Connection

from courses.models import Enrolment
from lms.celery import app
from lms.models import User
from organisations.models import ExportStatus, Membership, MembershipRole, ReportExport
from organisations.tasks import build_report
from tests.courses.factories import CourseFactory
from tests.organisations.factories import OrganisationFactory, make_member

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

MEMBERS = 1200


def test_a_worker_builds_a_large_report_that_its_requester_downloads(client, worker_queue):
    organisation = OrganisationFactory(name="Large organisation")
    admin = make_member(organisation, role=MembershipRole.ADMIN).user
    people = User.objects.bulk_create(
        [User(email=f"p{i}@large.test", display_name=f"Person {i:04d}") for i in range(MEMBERS)]
    )
    Membership.objects.bulk_create([Membership(organisation=organisation, user=p) for p in people])
    course = CourseFactory(title={"en": "Safeguarding"})
    Enrolment.objects.bulk_create([Enrolment(course=course, learner=p) for p in people])
    export = ReportExport.objects.create(
        organisation=organisation, requested_by=admin, kind="team", format="xlsx"
    )

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with Connection(os.environ["TEST_CELERY_BROKER_URL"]) as broker:
            build_report.apply_async(args=[export.pk], queue=worker_queue, connection=broker)
    finally:
        app.conf.task_always_eager = previous

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        export.refresh_from_db()
        if export.status in (ExportStatus.DONE, ExportStatus.FAILED):
            break
        time.sleep(0.05)
    assert (export.status, export.progress, export.error) == (ExportStatus.DONE, 100, "")

    client.force_login(admin)
    page = client.get(
        reverse("organisations:report-export", args=[organisation.public_id, export.public_id])
    )
    assert "The report is ready." in page.content.decode()
    download = client.get(
        reverse(
            "organisations:report-export-download",
            args=[organisation.public_id, export.public_id],
        )
    )
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    names = {row[0] for row in book.worksheets[0].iter_rows(values_only=True)}
    assert {f"Person {i:04d}" for i in range(MEMBERS)} <= names
