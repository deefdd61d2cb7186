"""Template filters of the formats kit (``{% load practica %}``), so that pages and e-mails
show dates, numbers, hours and durations as the PDFs and spreadsheets do (docs/style.md,
"Formats"): ``|date_medium``, ``|datetime_medium``, ``|month``, ``|number`` (``|number:1``),
``|hours``, ``|duration`` and ``|amount:unit``."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django import template

from lms.kits import formats

register = template.Library()


def _blank(value: Any) -> bool:
    return value is None or value == ""


@register.filter
def date_medium(value: date | str | None) -> str:
    """ "7 Dec 2026" ("7 dec 2026"); a datetime shows its day in the site's time zone."""
    return "" if _blank(value) else formats.format_date(value)


@register.filter
def datetime_medium(value: datetime | None, precision: str = "") -> str:
    """ "7 Dec 2026, 14:05", in the site's time zone; ``|datetime_medium:"seconds"`` adds the
    seconds ("14:05:09")."""
    if _blank(value):
        return ""
    return formats.format_datetime(value, seconds=precision == "seconds")


@register.filter
def month(value: date | None) -> str:
    """ "Dec 2026" ("dec 2026")."""
    return "" if value is None or value == "" else formats.format_month(value)


@register.filter
def number(value: int | float | Decimal | str | None, decimals: int | None = None) -> str:
    """A number with the language's separator; ``|number:1`` fixes one decimal place."""
    return "" if value is None or value == "" else formats.format_number(value, decimals)


@register.filter
def hours(value: int | float | Decimal | str | None) -> str:
    """ "1 hour", "1.5 hours", "20 de ore"."""
    return "" if value is None or value == "" else formats.format_hours(value)


@register.filter
def duration(value: timedelta | int | float | None) -> str:
    """ "52 s", "12 min 05 s", "1 h 05 min": time spent, never a raw timedelta."""
    return "" if _blank(value) else formats.format_duration(value)


@register.filter
def amount(value: int | float | Decimal | str | None, unit: str = "hours") -> str:
    """ "1 CPD hour", "2 CPD points": a CPD amount with its unit in the right plural."""
    return "" if value is None or value == "" else formats.format_amount(value, unit)
