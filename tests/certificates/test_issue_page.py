"""The staff issue page: find a learner by name or e-mail, pick one of their completions not yet
certified, issue its certificate; no identifier to type, and only staff reach it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates.credentials import services as issuance
from certificates.models import Certificate
from organisations.core.models import MembershipRole
from tests.certificates.factories import IssuanceRuleFactory, make_record
from tests.lms.factories import UserFactory
from tests.organisations.factories import make_member

pytestmark = pytest.mark.django_db

URL = reverse("certificates:issue")


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(is_staff=True))
    return client


def test_the_search_lists_learners_with_their_uncertified_completions(staff):
    ana = UserFactory(display_name="Ana Popescu", email="ana@example.org")
    waiting = make_record(learner=ana)
    certified = make_record(learner=ana)
    issuance.issue_certificate(record=certified, by=UserFactory(is_staff=True))
    make_record(learner=UserFactory(display_name="Someone Else", email="else@example.org"))
    for query in ("popescu", "ANA@EXAMPLE"):
        page = staff.get(URL, {"q": query}).content.decode()
        assert "Ana Popescu" in page
        assert f'value="{waiting.public_id}"' in page
        assert str(certified.public_id) not in page
        assert "Someone Else" not in page
    assert "No learner has this name or e-mail." in staff.get(URL, {"q": "nobody"}).content.decode()
    assert 'name="record"' not in staff.get(URL).content.decode()


def test_staff_issue_the_chosen_completion(staff):
    learner = UserFactory(display_name="Ana Popescu")
    record = make_record(learner=learner)
    response = staff.post(URL, {"q": "Popescu", "record": str(record.public_id)}, follow=True)
    certificate = Certificate.objects.get(record=record)
    assert certificate.issued_by is not None
    assert response.redirect_chain == [(f"{URL}?q=Popescu", 302)]
    page = response.content.decode()
    assert f"Certificate {certificate.serial} issued." in page
    # Certified, the completion leaves the list; a second post is refused on its field.
    assert str(record.public_id) not in page
    again = staff.post(URL, {"q": "Popescu", "record": str(record.public_id)})
    assert "has a certificate already" in again.content.decode()
    assert Certificate.objects.filter(record=record).count() == 1


def test_bad_choices_are_named_on_their_fields(staff):
    record = make_record(learner=UserFactory(display_name="Ana Popescu"))
    missing = staff.post(URL, {"q": "Popescu"})
    assert missing.status_code == 200
    assert missing.context["form"].errors["record"] == ["Choose the completion to certify."]
    assert "<title>Error:" in missing.content.decode()
    assert 'href="#records"' in missing.content.decode()
    unknown = staff.post(URL, {"q": "Popescu", "record": "8a0f5f8e-54b5-4d4e-9a55-3f3f1a1d2c3b"})
    assert "record" in unknown.context["form"].errors
    refused = staff.post(
        URL, {"q": "Popescu", "record": str(record.public_id), "rule": IssuanceRuleFactory().pk}
    )
    assert "This rule is for another course or learning journey." in refused.content.decode()
    assert not Certificate.objects.exists()


def test_only_staff_reach_the_page(client):
    record = make_record()
    assert client.get(URL).status_code == 302  # to the log-in page
    supervisor = make_member(role=MembershipRole.SUPERVISOR).user
    for user in (record.learner, supervisor):
        client.force_login(user)
        assert client.get(URL, {"q": record.learner.email}).status_code == 404
        assert client.post(URL, {"record": str(record.public_id)}).status_code == 404
    assert not Certificate.objects.exists()


def test_the_search_takes_the_same_queries_for_more_learners_and_completions(
    staff, django_assert_num_queries
):
    make_record(learner=UserFactory(display_name="Ana Popescu"))
    staff.get(URL, {"q": "popescu"})
    with CaptureQueriesContext(connection) as one:
        staff.get(URL, {"q": "popescu"})
    for n in range(5):
        learner = UserFactory(display_name=f"Ion Popescu {n}")
        make_record(learner=learner)
        make_record(learner=learner)
    with django_assert_num_queries(len(one.captured_queries)):
        staff.get(URL, {"q": "popescu"})
