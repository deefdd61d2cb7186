"""The site menu folds away on narrow screens (a <details> in base.html, no JavaScript): a test
that follows a menu link on a phone opens it first, as a person would."""


def open_menu(page) -> None:
    """Open the menu when it is folded (narrow screens); on wide screens it is always open."""
    toggle = page.locator("details.menu > summary")
    if toggle.is_visible() and page.locator("details.menu[open]").count() == 0:
        toggle.click()
