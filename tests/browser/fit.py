"""One check that a page fits its window: nothing sticks out on the right, so nobody scrolls
sideways (WCAG 2.1 SC 1.4.10 Reflow: content at 320 CSS px wide without scrolling in two
directions; the site's tests use a 375 px phone). Every browser test that checks it uses this."""

# How far the page is wider than the window, in CSS pixels (0 or less: it fits).
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"

# The innermost elements that stick out on the right (outside boxes that scroll), for the message.
WIDEST = """() => [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .filter(e => ![...e.children].some(
        c => c.getBoundingClientRect().right > window.innerWidth + 1))
    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""))"""


def sideways_overflow(page) -> tuple[int, list[str]]:
    """How many pixels the page is too wide, and what sticks out (empty when it fits)."""
    overflow = page.evaluate(OVERFLOW)
    return overflow, (page.evaluate(WIDEST) if overflow > 0 else [])


def assert_no_sideways_scroll(page) -> None:
    overflow, culprits = sideways_overflow(page)
    assert overflow <= 0, f"{page.url} is {overflow} px too wide: {culprits}"
