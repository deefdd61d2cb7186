"""The page that asks before an action that cannot be undone (docs/style.md, Forms).

The action's URL answers GET with this page (what will happen, a button that POSTs to the same
URL, a way back) and POST by doing it: a link or a mistaken click changes nothing. GOV.UK
Design System, "Confirm a user's action" (ask only where the action cannot be undone).
"""

from collections.abc import Iterable, Mapping

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext


def confirmation_page(
    request: HttpRequest,
    *,
    question: str,
    consequences: Iterable[str] = (),
    confirm: str,
    back_url: str,
    hidden: Mapping[str, str] | None = None,
) -> HttpResponse:
    """``question`` is the heading ("Delete the unit Iasi?"), ``consequences`` what happens,
    ``confirm`` the button ("Yes, delete it"); ``hidden`` the fields the POST carries."""
    return render(
        request,
        "lms/confirm.html",
        {
            "question": question,
            "consequences": list(consequences),
            "confirm": confirm,
            "back_url": back_url,
            "back": gettext("No, go back"),
            "hidden": dict(hidden or {}),
        },
    )
