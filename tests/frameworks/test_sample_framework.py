"""The sample CASE framework of the import page: staff download it and the import accepts it."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from frameworks.models import Framework
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("frameworks:sample")


def test_the_sample_framework_imports_from_the_import_page(client):
    client.force_login(UserFactory(is_staff=True))
    assert f'href="{URL}"' in client.get(reverse("frameworks:import")).content.decode()
    response = client.get(URL)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    package = json.loads(response.content)
    assert package["CFDocument"]["title"].endswith("(demo)")
    imported = client.post(
        reverse("frameworks:import"),
        {"file": SimpleUploadedFile("framework.json", response.content, "application/json")},
    )
    assert imported.status_code == 302
    framework = Framework.objects.get()
    assert framework.competences.count() > 10


def test_only_staff_download_the_sample_framework(client):
    assert client.get(URL).status_code == 302
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 404
