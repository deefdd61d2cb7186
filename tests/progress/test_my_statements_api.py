"""A logged-in learner reads their own statements through the REST API, and nobody else's."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.lms.factories import UserFactory
from tests.progress.conftest import make_statement

pytestmark = pytest.mark.django_db


def _as(user) -> dict:
    return {"objectType": "Agent", "account": user.xapi_account()}


@pytest.fixture
def two_learners(xapi):
    ana, ion = UserFactory(), UserFactory()
    statements = {
        "ana": [make_statement(actor=_as(ana)) for _ in range(3)],
        "ion": [make_statement(actor=_as(ion))],
    }
    xapi.post(statements["ana"] + statements["ion"])
    return ana, ion, statements


def test_a_learner_reads_only_their_own_statements_with_paging(two_learners):
    ana, _ion, statements = two_learners
    api = APIClient()
    api.force_login(ana)
    page = api.get(reverse("progress-api:my-statements"), {"limit": 2}).json()
    assert [s["id"] for s in page["statements"]] == [
        statements["ana"][2]["id"],
        statements["ana"][1]["id"],
    ]
    rest = api.get(page["more"]).json()
    assert [s["id"] for s in rest["statements"]] == [statements["ana"][0]["id"]]
    assert rest["more"] == ""


def test_another_learner_sees_none_of_them(two_learners):
    _ana, ion, statements = two_learners
    api = APIClient()
    api.force_login(ion)
    ids = [s["id"] for s in api.get(reverse("progress-api:my-statements")).json()["statements"]]
    assert ids == [statements["ion"][0]["id"]]


def test_anonymous_is_refused_and_bad_filters_are_400(two_learners):
    ana, *_ = two_learners
    api = APIClient()
    assert api.get(reverse("progress-api:my-statements")).status_code == 401
    api.force_login(ana)
    response = api.get(reverse("progress-api:my-statements"), {"verb": "not an iri"})
    assert response.status_code == 400
    assert "verb" in response.json()
    assert api.get(reverse("progress-api:my-statements"), {"limit": "x"}).status_code == 400
