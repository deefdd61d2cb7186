"""A form sent with errors, on a phone: the error summary is focused and announced, the title
starts with "Error:", each link takes the keyboard to its field, the page passes axe and does
not scroll sideways (docs/style.md, Forms)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_error_summary_takes_the_keyboard_to_each_field(browser, live_server, axe_violations):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 800}, locale="en-GB"
    )
    page = context.new_page()
    page.goto("/accounts/signup/")
    page.locator("input[name=email]").fill("not an address")
    page.locator("input[name=display_name]").fill("Ilinca Constantinescu-Popa")
    page.locator("input[name=password1]").fill("quiet harbour 1987")
    page.locator("input[name=password2]").fill("another harbour 1988")
    page.locator("form.form button[type=submit]").click()

    summary = page.locator(".error-summary")
    summary.wait_for()
    assert page.title().startswith("Error: ")
    assert summary.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.get_by_role("heading", name="There is a problem").is_visible()

    links = summary.locator("a")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert targets == ["#id_email", "#id_password2"]
    for i, target in enumerate(targets):
        links.nth(i).click()
        focused = f"document.activeElement && document.activeElement.id === '{target[1:]}'"
        page.wait_for_function(focused)
        field = page.locator(target)
        assert field.get_attribute("aria-invalid") == "true"
        described = field.get_attribute("aria-describedby") or ""
        assert f"{target[1:]}_error" in described.split()
        assert page.locator(f"{target}_error").inner_text().startswith("Error:")

    assert axe_violations(page) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow} px too wide"
    context.close()
