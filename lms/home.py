"""Sections of a signed-in person's home page, contributed by the apps above lms.

The home page belongs to lms, but what fills it (courses in progress, certificates, CPD
standing) belongs to progress and certificates. Each registers, in its ``ready()``, a section: a
function that renders its part of the page for the request (an empty string when it has
nothing to show). Sections appear in ``order``, then by key.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import SafeString

from lms.types import AuthenticatedHttpRequest

HomeSectionRenderer = Callable[[AuthenticatedHttpRequest], SafeString]


@dataclass(frozen=True)
class HomeSection:
    key: str
    render: HomeSectionRenderer
    order: int = 50


_home_sections: dict[str, HomeSection] = {}


def register_home_section(key: str, render: HomeSectionRenderer, *, order: int = 50) -> None:
    """Register (or replace, so that ``ready()`` may run twice) a part of the home page."""
    _home_sections[key] = HomeSection(key, render, order)


def home_sections(request: AuthenticatedHttpRequest) -> list[SafeString]:
    """The rendered sections for ``request``'s user, those with something to show."""
    ordered = sorted(_home_sections.values(), key=lambda section: (section.order, section.key))
    return [html for section in ordered if (html := section.render(request))]
