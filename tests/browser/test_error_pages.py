"""The page a refused action lands on (lms.middleware.ApplicationErrorMiddleware): on a phone
and a desktop, in English and Romanian, it says what happened in the reader's language, offers
the way home, fits the screen and passes axe."""

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import path

import lms.urls
from lms.errors import Conflict, Gone, NotAllowed, Unavailable
from tests.browser.fit import assert_no_sideways_scroll

KINDS = {kind.__name__: kind for kind in (Conflict, Gone, NotAllowed, Unavailable)}


def refused(request: HttpRequest, kind: str) -> HttpResponse:
    raise KINDS[kind]()  # the kind's own message, translated


urlpatterns = [path("refused/<str:kind>", refused), *lms.urls.urlpatterns]

SAID = {
    "en": {"Conflict": "Not possible now", "Gone": "No longer available"},
    "ro": {"Conflict": "Nu este posibil acum", "Gone": "Nu mai este disponibil"},
}
HOME = {"en": "Go to the home page", "ro": "Mergi la pagina principală"}


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("language", ["en", "ro"])
@override_settings(ROOT_URLCONF=__name__)
def test_an_error_page_on_a_phone_and_a_desktop_in_two_languages(
    browser, live_server, width, language, axe_violations
):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}, locale=language
    )
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page = context.new_page()
    seen = []
    for kind, status in (("Conflict", 409), ("Gone", 410)):
        response = page.goto(f"/refused/{kind}")
        assert response.status == status
        page.get_by_role("heading", name=SAID[language][kind]).wait_for()
        assert page.get_by_role("link", name=HOME[language]).count() == 1
        assert_no_sideways_scroll(page)
        seen += axe_violations(page)
    context.close()
    assert seen == []
