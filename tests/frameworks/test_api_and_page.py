"""The frameworks API (list, staff import, CASE export) and the staff upload page."""

import io
import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from frameworks.models import Framework
from tests.lms.factories import UserFactory
from tests.paths import CASE, MOODLE

pytestmark = pytest.mark.django_db

ORDERING = CASE / "Ordering.case.json"
OECD = MOODLE / "lpimportcsv_example_moodle_core_OECD.csv"


def test_staff_import_through_the_api_and_anyone_exports():
    api = APIClient()
    url = reverse("frameworks-api:import")
    api.force_login(UserFactory())
    with ORDERING.open("rb") as upload:
        assert api.post(url, {"file": upload}, format="multipart").status_code == 403
    api.force_login(UserFactory(is_staff=True))
    with ORDERING.open("rb") as upload:
        created = api.post(url, {"file": upload}, format="multipart")
    assert created.status_code == 201
    identifier = created.json()["identifier"]
    with OECD.open("rb") as upload:
        assert api.post(url, {"file": upload}, format="multipart").status_code == 201
    bad = api.post(url, {"file": io.BytesIO(b'{"CFDocument": {}}')}, format="multipart")
    assert bad.status_code == 400
    assert any("$.CFDocument.identifier" in e for e in bad.json()["file"])
    exported = APIClient().get(reverse("frameworks-api:case", args=[identifier])).json()
    assert exported["CFDocument"]["identifier"] == identifier
    assert len(exported["CFItems"]) == len(json.loads(ORDERING.read_text())["CFItems"])
    titles = {f["title"] for f in APIClient().get(reverse("frameworks-api:list")).json()}
    assert titles == {"ACT Holistic Framework, Math", "OECD"}


def test_staff_upload_page(client):
    client.force_login(UserFactory())
    assert client.get(reverse("frameworks:import")).status_code == 404
    client.force_login(UserFactory(is_staff=True))
    with OECD.open("rb") as upload:
        assert client.post(reverse("frameworks:import"), {"file": upload}).status_code == 302
    assert Framework.objects.get().title == "OECD"
    broken = io.BytesIO(b"Id number,Shortname\nx,y\n")
    broken.name = "broken.csv"
    response = client.post(reverse("frameworks:import"), {"file": broken})
    assert response.status_code == 200
    assert response.context["errors"][0].startswith("line 1")
