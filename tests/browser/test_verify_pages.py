"""Verifying a certificate as people do: from the header link, by the serial printed on it (its
state only), then with its code (everything it shows), and by the code alone; on a phone
(375 px) and a desktop (1,280 px), in English and Romanian, never scrolling sideways, axe clean."""

import pytest
from django.conf import settings

from tests.browser.fit import assert_no_sideways_scroll
from tests.browser.menu import open_menu
from tests.certificates.stored import stored_certificate

pytestmark = pytest.mark.django_db(transaction=True)

SERIAL = "PRA-2026-7KQ4-M2XD"
CODE = "22wfbqa3pv65guta2ctaqrqt2nnaqq2t"
PRINTED_CODE = "22WF-BQA3-PV65-GUTA-2CTA-QRQT-2NNA-QQ2T"


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("language", ["en", "ro"])
def test_verify_by_serial_then_code_and_by_code_alone(
    browser, live_server, width, language, axe_violations
):
    stored_certificate(serial=SERIAL, verification_code=CODE)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}, locale=language
    )
    context.set_default_timeout(10_000)
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page = context.new_page()
    seen: list[str] = []

    # Anonymous, from the header.
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == language
    open_menu(page)
    page.locator(".main-nav a[href='/verify/']").click()
    page.wait_for_url("**/verify/")
    assert_no_sideways_scroll(page)
    seen += axe_violations(page)

    # The serial as someone copies it from paper: its state and issue date, no name.
    page.locator("#code").fill("pra 2026 7kq4 m2xd")
    page.locator("form[method=get] button[type=submit]").click()
    page.wait_for_url(f"**/verify/{SERIAL}")
    status = page.get_by_role("status")
    assert status.get_by_role("heading", level=2).inner_text().strip()
    assert SERIAL in page.content()
    assert "Ștefan Țurcanu" not in page.content()
    assert "Protecția copilului" not in page.content()
    assert_no_sideways_scroll(page)
    seen += axe_violations(page)

    # With its code too: everything the certificate shows.
    page.locator("#code").fill(PRINTED_CODE)
    page.locator("form[method=get] button[type=submit]").click()
    page.wait_for_load_state()
    assert "Ștefan Țurcanu" in page.content()
    assert PRINTED_CODE in page.content()
    assert_no_sideways_scroll(page)
    seen += axe_violations(page)

    # The code alone, as printed under the QR code.
    page.goto("/verify/")
    page.locator("#code").fill(PRINTED_CODE)
    page.locator("form[method=get] button[type=submit]").click()
    page.wait_for_url(f"**/verify/{CODE}")
    assert page.get_by_role("status").count() == 1
    assert "Ștefan Țurcanu" in page.content()
    assert_no_sideways_scroll(page)
    seen += axe_violations(page)

    # A serial that does not exist: said plainly, on a page that fits too.
    page.goto("/verify/PRA-2026-ZZZZ-ZZZZ")
    assert page.get_by_role("status").count() == 1
    assert_no_sideways_scroll(page)
    seen += axe_violations(page)
    context.close()
    assert seen == []
