"""The API shell: root, current user, token authentication, schema and docs."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db


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
