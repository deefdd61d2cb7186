"""Browser tests: Playwright (Python) driving Debian's chromium, with axe-core injected.

Playwright's sync API runs an event loop in the test thread, so Django's async-safety guard
would refuse the ORM calls the tests make; it is lifted for browser tests only.
"""

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# axe-core, run as a function in the page: it sets window.axe.
AXE_IN_PAGE = (
    f"() => {{ {AXE.read_text(encoding='utf-8')}\n; window.axe = axe; return true; }}"
    if AXE.exists()
    else ""
)
# WCAG 2.1 A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if not executable:
        pytest.fail("Debian's chromium is missing: run `make browser` (apt-get install chromium).")
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci`.")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def axe_violations():
    """Run axe-core on the page as it is now; return its violations, readable in a failure."""

    def run(page) -> list[str]:
        # Through the DevTools protocol, which the pages' CSP (no script at all) does not
        # govern; a <script> tag would be refused, as it should be.
        page.evaluate(AXE_IN_PAGE)
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            AXE_TAGS,
        )
        return [
            f"{page.url} {v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"])
            for v in result["violations"]
        ]

    return run
