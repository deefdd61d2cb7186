"""What audits mean for an organisation: its admins and supervisors see the audit decisions on
their members' records (each only their scope), its admins read the access log of who saw or
exported those records, and every export of personal data by a supervisor or admin is logged."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.audit import rounds
from certificates.audit.access_log import log_access
from certificates.audit.services import add_accreditor
from certificates.models import AccessAction, AccessLogEntry, AuditDecision
from organisations.models import ExportStatus, ReportExport
from organisations.reports import exports
from progress.models import CompletionRecord
from tests.certificates.factories import AccreditationFactory
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def audited(world):
    """An accreditor's round decided on Ann's (Team A), Bob's (Team B) and Dan's (the other
    organisation) records."""
    accreditation = AccreditationFactory(reference="CNASR-17")
    auditor = UserFactory(display_name="Ada Auditor")
    add_accreditor(body=accreditation.body, user=auditor)
    records = {
        person: CompletionRecord.objects.create(
            learner=getattr(world, person),
            course=accreditation.course,
            registration=uuid.uuid4(),
            completed_at=timezone.now() - datetime.timedelta(days=5),
            evidence=[],
        )
        for person in ("ann", "bob", "dan")
    }
    audit_round = rounds.draw_round(accreditation=accreditation, by=auditor, size=3, seed=1)
    notes = {"ann": "Well evidenced", "bob": "Send the attendance sheet", "dan": "Other org"}
    decisions = {
        "ann": AuditDecision.ACCEPTED,
        "bob": AuditDecision.MORE_INFORMATION,
        "dan": AuditDecision.REJECTED,
    }
    for sample in audit_round.samples.select_related("record"):
        person = next(p for p, r in records.items() if r.pk == sample.record_id)
        rounds.decide(sample=sample, decision=decisions[person], notes=notes[person], by=auditor)
    log_access(
        user=auditor, action=AccessAction.VIEW_RECORD, accreditation=accreditation,
        records=records.values(),
    )  # fmt: skip
    return accreditation


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", {"Well evidenced", "Send the attendance sheet"}),
        ("north_lead", {"Well evidenced", "Send the attendance sheet"}),
        ("b_lead", {"Send the attendance sheet"}),
        ("other_admin", set()),  # a 404 on this organisation
    ],
)
def test_audit_outcomes_show_the_decisions_on_the_members_in_scope(
    client, world, audited, role, expected
):
    client.force_login(getattr(world, role))
    response = client.get(reverse("organisations:audit-outcomes", args=[world.org.public_id]))
    if not expected:
        assert response.status_code == 404
        return
    html = response.content.decode()
    shown = {n for n in ("Well evidenced", "Send the attendance sheet", "Other org") if n in html}
    assert shown == expected
    assert "CNASR-17" in html
    assert "more information requested" in html


def test_the_learner_sees_the_decision_on_their_own_record(client, world, audited):
    client.force_login(world.bob)
    html = client.get(reverse("my-certificates:list")).content.decode()
    assert "Audits of your records" in html
    assert "Send the attendance sheet" in html
    assert "Well evidenced" not in html


def test_the_access_log_shows_accreditors_and_own_exports_not_other_organisations(
    client, world, audited, learning
):
    client.force_login(world.admin)
    client.get(reverse("organisations:team-report", args=[world.org.public_id]), {"format": "csv"})
    client.force_login(world.other_admin)
    client.get(
        reverse("organisations:team-report", args=[world.other.public_id]), {"format": "csv"}
    )
    AccessLogEntry.objects.filter(learner=world.dan, context__startswith="organisation:").update(
        learner=world.ann  # as if Ann were a member of the other organisation too
    )
    client.force_login(world.admin)
    response = client.get(reverse("organisations:access-log", args=[world.org.public_id]))
    entries = list(response.context["page"].object_list)
    audits = [e for e in entries if e.action == AccessAction.VIEW_RECORD]
    exported = [e for e in entries if e.action == AccessAction.EXPORT_PERSONAL]
    assert {e.learner for e in audits} == {world.ann, world.bob}  # not Dan
    assert {e.user for e in exported} == {world.admin}  # not the other organisation's admin
    assert {e.learner.display_name for e in exported} == {
        "Ada Admin", "Nora North", "Bea Lead", "Ann Ionescu", "Bob Petrović", "Cat Popa",
        "Sam Unitless",
    }  # fmt: skip
    html = response.content.decode()
    assert "Ada Auditor" in html
    assert "Exported personal data" in html


def test_only_admins_read_the_access_log(client, world):
    for role in ("north_lead", "ann", "other_admin"):
        client.force_login(getattr(world, role))
        url = reverse("organisations:access-log", args=[world.org.public_id])
        assert client.get(url).status_code == 404, role


def test_a_supervisors_export_logs_the_people_in_the_file_and_the_summary_logs_none(
    client, world, learning
):
    client.force_login(world.b_lead)
    client.get(reverse("organisations:team-report", args=[world.org.public_id]), {"format": "csv"})
    logged = AccessLogEntry.objects.filter(action=AccessAction.EXPORT_PERSONAL)
    assert {e.learner for e in logged} == {world.b_lead, world.bob}
    assert {(e.user, e.context, e.detail) for e in logged} == {
        (world.b_lead, f"organisation:{world.org.public_id}", "team report (csv)")
    }
    client.force_login(world.admin)
    client.get(
        reverse("organisations:summary-report", args=[world.org.public_id]), {"format": "csv"}
    )
    assert AccessLogEntry.objects.filter(user=world.admin).count() == 0


def test_downloading_a_built_export_logs_it(client, world, learning, settings):
    export = ReportExport.objects.create(
        organisation=world.org, requested_by=world.north_lead, kind="team", format="csv"
    )
    exports.run_export(export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    assert not AccessLogEntry.objects.exists()  # built, not yet taken
    client.force_login(world.north_lead)
    response = client.get(
        reverse(
            "organisations:report-export-download", args=[world.org.public_id, export.public_id]
        )
    )
    assert "Bob Petrović" in b"".join(response.streaming_content).decode("utf-8-sig")
    logged = AccessLogEntry.objects.filter(action=AccessAction.EXPORT_PERSONAL)
    assert {e.learner for e in logged} == {world.north_lead, world.b_lead, world.ann, world.bob}


def test_the_access_log_page_makes_a_fixed_number_of_queries(
    client, world, audited, django_assert_max_num_queries
):
    client.force_login(world.admin)
    # The first page after signing in counts the menu's to-do (lms.todo), its invitations too.
    with django_assert_max_num_queries(18):
        response = client.get(reverse("organisations:access-log", args=[world.org.public_id]))
    assert len(response.context["page"].object_list) == 2
