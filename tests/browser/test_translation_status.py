"""A translator's interface translations on a phone (375 px): the status page, then a PO file
checked and previewed, never scrolling sideways and axe clean."""

import pytest

from tests.browser.fit import assert_no_sideways_scroll
from tests.lms.factories import UserFactory
from tests.lms.test_translation import CATALOGUE, GOOD, make_translator

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_translator_checks_a_po_file_on_a_phone(
    browser, live_server, settings, tmp_path, axe_violations
):
    path = tmp_path / "locale" / "ro" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    path.write_text(CATALOGUE, encoding="utf-8")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    translator = make_translator(["ro"])
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 800}, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(translator.email)
    page.locator("input[name=password]").fill(UserFactory.default_password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()

    page.goto("/translate/interface/")
    assert page.locator("h1").inner_text() == "Interface translations"
    assert page.get_by_text("Out of date", exact=True).count() == 1
    assert_no_sideways_scroll(page)
    assert axe_violations(page) == []

    upload = tmp_path / "ro.po"
    upload.write_text(GOOD, encoding="utf-8")
    page.locator("#id_ro-file").set_input_files(str(upload))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Check your changes"
    assert page.get_by_text("Cursurile tale").count() == 1
    assert_no_sideways_scroll(page)
    assert axe_violations(page) == []
    context.close()
