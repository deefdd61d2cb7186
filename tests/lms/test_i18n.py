"""The language switcher and the compiled catalogues."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.mark.smoke
def test_romanian_catalogue_is_compiled_and_used():
    with translation.override("ro"):
        assert translation.gettext("Log in") == "Autentificare"
        assert translation.gettext("Social worker") == "Asistent social"


@pytest.mark.smoke
def test_switching_language_renders_the_page_in_it(client):
    response = client.post(reverse("set_language"), {"language": "ro", "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    assert page.content.decode().count('<html lang="ro">') == 1
    assert "Autentificare" in page.content.decode()


def test_switching_language_while_logged_in_remembers_it(client, user):
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "ro", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "ro"


def test_an_unknown_language_changes_nothing(client, user):
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    user.refresh_from_db()
    assert user.preferred_language == "en"
