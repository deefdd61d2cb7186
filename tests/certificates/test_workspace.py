"""The accreditor's workspace shows only their own body."""

import pytest
from django.urls import reverse

from certificates.audit.services import add_accreditor
from tests.certificates.factories import AccreditingBodyFactory
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_accreditor_sees_their_body_only(client):
    ours, theirs = (
        AccreditingBodyFactory(name="Our body"),
        AccreditingBodyFactory(name="Their body"),
    )
    accreditor = UserFactory()
    add_accreditor(body=ours, user=accreditor)
    add_accreditor(body=theirs, user=UserFactory())
    client.force_login(accreditor)
    html = client.get(reverse("certificates:workspace")).content.decode()
    assert "Our body" in html
    assert "Their body" not in html


def test_non_accreditors_get_404(client, user):
    client.force_login(user)
    assert client.get(reverse("certificates:workspace")).status_code == 404


def test_adding_an_accreditor_twice_keeps_one_row():
    body, user = AccreditingBodyFactory(), UserFactory()
    assert add_accreditor(body=body, user=user) == add_accreditor(body=body, user=user)
    assert body.accreditors.count() == 1
