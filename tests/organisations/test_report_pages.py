"""Report pages: what each role sees, filters, downloads in every format, the worker path for
large reports, reminders and the monthly e-mail."""

import csv
import io
import re
from datetime import timedelta

import openpyxl
import pypdf
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from organisations.core import services
from organisations.core.scope import scope_for
from organisations.models import ExportStatus, ReportExport
from organisations.reports.reminders import members_behind, send_monthly_reports
from tests.lms.factories import UserFactory
from tests.organisations.factories import make_member

pytestmark = pytest.mark.django_db


def _url(name, world, *args):
    return reverse(f"organisations:{name}", args=[world.org.public_id, *args])


def test_a_supervisor_sees_their_team_and_nobody_else(client, world, learning):
    client.force_login(world.b_lead)
    html = client.get(_url("team-report", world)).content.decode()
    assert "Bob Petrović" in html
    assert "Ann Ionescu" not in html
    assert "Cat Popa" not in html
    assert "50%" in html  # Bob is half-way through Safeguarding


def test_the_team_page_shows_status_due_dates_and_overdue(client, world, learning):
    client.force_login(world.admin)
    response = client.get(_url("team-report", world))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Overdue" in html
    assert "Completed" in html
    assert "<svg" in html
    assert "<script" not in html


def test_the_team_page_filters_by_unit(client, world, learning):
    client.force_login(world.admin)
    html = client.get(
        _url("team-report", world), {"unit": world.head_office.public_id}
    ).content.decode()
    assert "Cat Popa" in html
    assert "Bob Petrović" not in html


def test_the_team_page_takes_the_same_queries_for_more_members(
    client, world, learning, django_assert_num_queries, django_assert_max_num_queries
):
    client.force_login(world.admin)
    url = _url("team-report", world)
    client.get(url)
    with django_assert_max_num_queries(30) as first:
        client.get(url)
    for _ in range(8):
        services.set_unit_membership(
            unit=world.team_a, user=make_member(world.org, user=UserFactory()).user
        )
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


def test_the_csv_download_has_a_row_per_member(client, world, learning):
    client.force_login(world.b_lead)
    response = client.get(_url("team-report", world), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    text = "\n".join(",".join(r) for r in rows)
    assert "Bob Petrović" in text
    assert "Ann Ionescu" not in text


def test_the_xlsx_download_opens_and_lists_the_members(client, world, learning):
    client.force_login(world.admin)
    response = client.get(_url("team-report", world), {"format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = [c for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "Cat Popa" in values
    assert "Bob Petrović" in values


def test_the_pdf_download_has_the_members_names(client, world, learning):
    client.force_login(world.admin)
    response = client.get(_url("team-report", world), {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "Bob Petrović" in text


def test_a_large_report_is_built_by_the_worker_and_downloaded_by_its_requester(
    client, world, learning, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_INLINE_MAX_MEMBERS = 2
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(_url("team-report", world), {"format": "xlsx"})
    export = ReportExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("report-export", world, export.public_id)
    assert (export.status, export.progress) == (ExportStatus.DONE, 100)
    page = client.get(response["Location"]).content.decode()
    assert "The report is ready." in page
    download = client.get(_url("report-export-download", world, export.public_id))
    assert re.search(r"/[0-9a-f]{32}-team-", export.file.name)  # not guessable in media
    assert 'filename="team-' in download["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert "Cat Popa" in [c for row in book.active.iter_rows(values_only=True) for c in row]
    client.force_login(world.north_lead)  # someone else, even with a scope, gets nothing
    assert client.get(_url("report-export", world, export.public_id)).status_code == 404
    assert client.get(_url("report-export-download", world, export.public_id)).status_code == 404


def test_a_queued_report_page_refreshes_itself_and_shows_progress(client, world, learning):
    export = ReportExport.objects.create(
        organisation=world.org, requested_by=world.admin, kind="team", format="pdf", progress=40
    )
    client.force_login(world.admin)
    html = client.get(_url("report-export", world, export.public_id)).content.decode()
    assert 'http-equiv="refresh"' in html
    assert 'value="40"' in html
    assert client.get(_url("report-export-download", world, export.public_id)).status_code == 404


def test_an_export_for_someone_who_lost_their_scope_fails_without_a_file(world, learning):
    from organisations.reports.exports import run_export

    export = ReportExport.objects.create(
        organisation=world.org, requested_by=world.b_lead, kind="team", format="csv"
    )
    services.set_unit_membership(unit=world.team_b, user=world.b_lead, supervises=False)
    run_export(export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert not export.file


def test_running_an_export_twice_builds_it_once(world, learning):
    from organisations.reports.exports import run_export

    export = ReportExport.objects.create(
        organisation=world.org, requested_by=world.admin, kind="summary", format="csv"
    )
    run_export(export.pk)
    export.refresh_from_db()
    first_file = export.file.name
    run_export(export.pk)
    export.refresh_from_db()
    assert (export.status, export.file.name) == (ExportStatus.DONE, first_file)


def test_the_summary_is_for_admins_only(client, world, learning):
    client.force_login(world.north_lead)
    assert client.get(_url("summary-report", world)).status_code == 404
    client.force_login(world.admin)
    html = client.get(_url("summary-report", world)).content.decode()
    assert "Course safeguarding" in html
    for fmt in ("csv", "xlsx", "pdf"):
        response = client.get(_url("summary-report", world), {"format": fmt})
        assert response.status_code == 200, fmt
        assert "attachment" in response["Content-Disposition"]


def test_reminders_go_to_members_who_are_behind(
    client, world, learning, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    assert [b.user for b in members_behind(scope_for(world.admin, world.org))] == [world.cat]
    services.assign_course(
        organisation=world.org, members=[world.ann], course=learning.interviewing,
        due_on=today + timedelta(days=3),
    )  # fmt: skip
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("team-remind", world))
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.ann.email, world.cat.email])
    cat_mail = next(m for m in mail.outbox if m.to == [world.cat.email])
    assert "overdue" in cat_mail.body
    assert "Course safeguarding" in cat_mail.body


def test_a_supervisor_reminds_only_their_own_team(
    client, world, learning, django_capture_on_commit_callbacks
):
    client.force_login(world.b_lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("team-remind", world))
    assert mail.outbox == []  # Cat is behind, but outside Bea's team


def test_the_monthly_report_goes_to_admins_and_supervisors(
    world, learning, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_monthly_reports()
    recipients = {m.to[0] for m in mail.outbox}
    assert sent == 4  # two admins (one per organisation), two supervisors
    assert {world.admin.email, world.north_lead.email, world.b_lead.email} <= recipients
    assert world.plain_supervisor.email not in recipients
    b_mail = next(m for m in mail.outbox if m.to == [world.b_lead.email])
    assert "2 people" in b_mail.body
    assert "/reports/team/" in b_mail.body


def test_coverage_needs_a_role_and_lists_the_scope(client, world, learning):
    from frameworks.models import RoleProfile, RoleTarget
    from tests.frameworks.factories import CompetenceFactory

    competence = CompetenceFactory()
    profile = RoleProfile.objects.create(
        slug="worker", framework=competence.framework, name={"en": "Worker"}
    )
    RoleTarget.objects.create(profile=profile, competence=competence, level=1)
    client.force_login(world.b_lead)
    assert "Choose a role profile" in client.get(_url("coverage-report", world)).content.decode()
    html = client.get(_url("coverage-report", world), {"role": "worker"}).content.decode()
    assert "Bob Petrović" in html
    assert "Ann Ionescu" not in html
    response = client.get(_url("coverage-report", world), {"role": "worker", "format": "csv"})
    assert "Bob Petrović" in response.content.decode("utf-8-sig")


def test_recipients_who_see_the_same_people_share_one_computation(
    world, learning, monkeypatch, django_capture_on_commit_callbacks
):
    from organisations.reports import reminders
    from tests.organisations.factories import make_member

    for _ in range(3):  # three more admins of the network: the same scope as Ada's
        make_member(world.org, role="admin")
    computed = []
    real = reminders.team_progress

    def counting(scope, **kwargs):
        computed.append((scope.organisation.pk, scope.whole, scope.unit_ids))
        return real(scope, **kwargs)

    monkeypatch.setattr(reminders, "team_progress", counting)
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_monthly_reports()
    assert sent == 7
    assert len(computed) == len(set(computed)) == 4  # two whole organisations, two unit scopes
    network = [m for m in mail.outbox if "Child Protection Network" in m.subject]
    assert len(network) == 6  # four admins, two supervisors
    admins = [m for m in network if "the 10 people you follow" in m.body]
    assert len(admins) == 4  # each admin got the shared figures, under their own name
    assert len({m.body.split("\n", 1)[0] for m in admins}) == 4


def test_a_built_file_closes_when_someone_in_it_leaves_the_requesters_sight(client, world):
    """Issue 17: the download is checked against the requester's scope as it is now, and the
    access log names the people the file holds."""
    from certificates.models import AccessLogEntry
    from organisations.reports.exports import run_export

    export = ReportExport.objects.create(
        organisation=world.org, requested_by=world.b_lead, kind="team", format="csv"
    )
    run_export(export.pk)
    export.refresh_from_db()
    assert set(export.member_ids) == {world.b_lead.pk, world.bob.pk}
    url = reverse(
        "organisations:report-export-download", args=[world.org.public_id, export.public_id]
    )
    client.force_login(world.b_lead)
    response = client.get(url)
    assert response.status_code == 200
    assert "Bob Petrović" in b"".join(response.streaming_content).decode("utf-8-sig")
    for close in response._resource_closers:  # not close(): it would end the DB connection
        close()
    logged = AccessLogEntry.objects.filter(user=world.b_lead).values_list("learner_id", flat=True)
    assert set(logged) == {world.b_lead.pk, world.bob.pk}
    # Bob moves to the head office, out of Bea's team: the file with his name closes.
    services.remove_from_unit(unit=world.team_b, user=world.bob)
    services.set_unit_membership(unit=world.head_office, user=world.bob)
    assert client.get(url).status_code == 404
    assert AccessLogEntry.objects.filter(user=world.b_lead).count() == 2
