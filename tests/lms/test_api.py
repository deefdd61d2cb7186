"""The API shell: root, current user, token authentication, schema and docs."""

from importlib import import_module

import pytest
from django.conf import settings
from django.urls import reverse
from django_countries.fields import CountryField
from django_countries.serializer_fields import CountryField as CountrySerializerField
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"lms", "courses", "progress", "frameworks", "certificates", "organisations"}


@pytest.fixture
def api():
    return APIClient()


def test_api_root_lists_the_entry_points(api):
    body = api.get("/api/").json()
    assert set(body) == {"me", "schema", "docs", "health"}


def test_me_needs_authentication(api):
    response = api.get(reverse("api:me"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_me_with_session_returns_the_profile_without_secrets(api, user, django_assert_num_queries):
    api.force_login(user)
    with django_assert_num_queries(2):  # session, user
        body = api.get(reverse("api:me")).json()
    assert body["public_id"] == str(user.public_id)
    assert body["xapi_account"]["name"] == str(user.public_id)
    assert "password" not in body


@pytest.mark.parametrize("country", ["", "MK"])
def test_me_answers_with_or_without_a_country(api, country):
    api.force_login(UserFactory(country=country))
    response = api.get(reverse("api:me"))
    assert response.status_code == 200
    assert response.json()["country"] == country


def test_every_serializer_writes_a_country_as_its_code():
    """A model's CountryField read by a ModelSerializer must be django-countries' serializer
    field: DRF's own choice field hands the ``Country`` object to the JSON renderer (a 500)."""
    import_module(settings.ROOT_URLCONF)  # every API module, and so every serializer

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    checked = 0
    for serializer_class in subclasses(serializers.ModelSerializer):
        model = getattr(getattr(serializer_class, "Meta", None), "model", None)
        if model is None or serializer_class.__module__.split(".")[0] not in PROJECT_APPS:
            continue
        for name, field in serializer_class().fields.items():
            source = getattr(model, field.source, None) if field.source != "*" else None
            model_field = getattr(source, "field", None)
            if isinstance(model_field, CountryField):
                assert isinstance(field, CountrySerializerField), (serializer_class, name)
                checked += 1
    assert checked >= 1  # the profile's country, at least


def test_me_with_a_token(api):
    user = UserFactory()
    token = Token.objects.create(user=user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get(reverse("api:me")).json()["email"] == user.email


def test_a_forged_token_is_refused(api):
    api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = api.get(reverse("api:me"))
    assert response.status_code == 401
    assert "Invalid token" in response.json()["detail"]


def test_patch_me_changes_the_profile(api, user):
    api.force_login(user)
    response = api.patch(reverse("api:me"), {"display_name": "Via API", "country": "BG"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.display_name, user.country.code) == ("Via API", "BG")


def test_patch_me_with_bad_input_is_400_naming_the_field(api, user):
    api.force_login(user)
    response = api.patch(reverse("api:me"), {"profession": "astronaut", "email": "x@example.org"})
    assert response.status_code == 400
    assert set(response.json()) == {"profession"}
    user.refresh_from_db()
    assert user.profession == "social_worker"


def test_read_only_fields_cannot_be_changed(api, user):
    api.force_login(user)
    before = (user.email, user.public_id)
    api.patch(reverse("api:me"), {"email": "new@example.org", "public_id": "x"})
    user.refresh_from_db()
    assert (user.email, user.public_id) == before


@pytest.mark.smoke
def test_schema_is_an_openapi_3_document(client):
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/me/" in schema["paths"]


def test_docs_page_renders_the_operations_without_javascript(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "GET /api/me/" in html
    assert "PATCH /api/me/" in html
    assert "<script" not in html
