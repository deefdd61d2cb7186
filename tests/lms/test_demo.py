"""The demo command loads idempotent demo data and prints one log-in per role."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from lms.demo import DEMO_DOMAIN, DEMO_PASSWORD
from lms.models import User

pytestmark = pytest.mark.django_db


ROLE_PARTS = ["learner", "supervisor", "orgadmin", "accreditor", "staff"]


def _counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


@pytest.mark.smoke
def test_demo_twice_doubles_nothing_and_prints_a_log_in_per_role():
    first = StringIO()
    call_command("demo", "--force", stdout=first)
    after_first = _counts()
    call_command("demo", "--force", stdout=StringIO())
    assert _counts() == after_first
    assert after_first["lms.User"] == 17
    output = first.getvalue()
    for role in ["Learner", "Supervisor", "Organisation admin", "Accreditor", "Staff"]:
        assert role in output
    roles = User.objects.filter(email__in=[f"{p}@{DEMO_DOMAIN}" for p in ROLE_PARTS])
    assert len(roles) == len(ROLE_PARTS)
    for user in roles:
        assert user.email in output
    assert "ioana.marin@demo.practica.test" in output  # the members' note
    for user in User.objects.all():
        assert user.check_password(DEMO_PASSWORD)


def test_demo_log_ins_work(client):
    call_command("demo", "--force", stdout=StringIO())
    response = client.post(
        "/accounts/login/",
        {"username": "supervisor@demo.practica.test", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302


def test_demo_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("demo", stdout=StringIO())
    assert not User.objects.exists()


def test_the_demo_supervisor_sees_the_demo_learner_in_the_team_report(client):
    from organisations.models import Organisation

    call_command("demo", "--force", stdout=StringIO())
    organisation = Organisation.objects.get(slug="demo-child-protection-network")
    client.post(
        "/accounts/login/",
        {"username": "supervisor@demo.practica.test", "password": DEMO_PASSWORD},
    )
    page = client.get(f"/organisations/{organisation.public_id}/reports/team/").content.decode()
    learner = User.objects.get(email="learner@demo.practica.test")
    assert learner.display_name in page
    assert "Esențialul protecției (demo)" in page  # the demo supervisor reads Romanian


def test_the_demo_certificate_is_signed_by_someone_other_than_the_learner():
    from certificates.credentials.services import issue_certificate
    from certificates.demo import DEMO_COURSE_IRI
    from courses.models import Course
    from tests.certificates.factories import make_record

    call_command("demo", "--force", stdout=StringIO())
    learner = User.objects.get(email="learner@demo.practica.test")
    course = Course.objects.get(activity_iri=DEMO_COURSE_IRI)
    certificate = issue_certificate(record=make_record(learner=learner, course=course))
    assert certificate is not None  # the demo's rule covers the demo course, today
    signatories = {person["name"] for person in certificate.snapshot["signatories"]}
    assert signatories
    assert not signatories & set(User.objects.values_list("display_name", flat=True))
