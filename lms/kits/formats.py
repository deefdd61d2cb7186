"""The formats kit: dates, times, numbers, hours, durations and CPD amounts as people read them,
in one style on every page, PDF, spreadsheet and e-mail (docs/style.md, "Formats").

Everything goes through Django's localisation in the active language (or ``language``): the
date styles are those of ``lms/formats/<language>/formats.py`` ("7 Dec 2026", "7 dec 2026"),
decimal separators are the language's ("1.5", "1,5"), plurals come from the catalogue's plural
forms (Romanian has three: "1 oră", "2 ore", "20 de ore"). Machine data (xAPI, the API, ISO
columns of a CSV) does not come here. Templates use the same functions through
``{% load practica %}`` (``lms/templatetags/practica.py``).
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TypeVar

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext, pgettext

Number = int | float | Decimal | str
Day = date | str | None
T = TypeVar("T")


def _in(language: str | None, make: Callable[[], T]) -> T:
    """``make()`` in ``language`` when one is given, else in the active language."""
    if not language:
        return make()
    with translation.override(language):
        return make()


def _day(value: date | str) -> date:
    """A day from an ISO text, a date, or an aware moment (its day in the site's time zone)."""
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def format_date(value: Day, language: str | None = None) -> str:
    """A day in the medium style: "7 Dec 2026", "7 dec 2026"; "" for none. Takes a date, an
    aware datetime (its local day) or an ISO text (a certificate's snapshot)."""
    if value is None or value == "":
        return ""
    day = _day(value)
    return _in(language, lambda: formats.date_format(day, "DATE_FORMAT"))


def format_datetime(
    value: datetime | None, language: str | None = None, *, seconds: bool = False
) -> str:
    """A moment in the site's time zone: "7 Dec 2026, 14:05" (with ``seconds``, "14:05:09",
    where auditors compare moments); "" for none."""
    if value is None:
        return ""
    moment = timezone.localtime(value) if timezone.is_aware(value) else value

    def make() -> str:
        style = formats.get_format("DATETIME_FORMAT")
        return formats.date_format(moment, f"{style}:s" if seconds else style)

    return _in(language, make)


def format_month(value: date, language: str | None = None) -> str:
    """A calendar month: "Dec 2026", "dec 2026"."""
    return _in(language, lambda: formats.date_format(value, "YEAR_MONTH_FORMAT"))


def _decimal(value: Number) -> Decimal:
    try:
        return Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        return Decimal(0)


def format_number(value: Number, decimals: int | None = None, language: str | None = None) -> str:
    """A number with the language's decimal separator. ``decimals`` fixes the places (rounded
    half up); without it trailing zeros go: 4.00 → "4", 4.50 → "4.5" (or "4,5")."""
    number = _decimal(value)
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    elif number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    places = max(0, -int(number.as_tuple().exponent))
    return _in(
        language, lambda: str(formats.number_format(number, decimal_pos=places, use_l10n=True))
    )


def plural_count(amount: Number) -> int:
    """The count ngettext picks a plural form by: the number when whole; a fraction takes the
    form of 2 ("1.5 hours", "1,5 ore")."""
    number = _decimal(amount)
    return int(number) if number == number.to_integral_value() else 2


def format_hours(hours: Number, language: str | None = None) -> str:
    """Hours of learning: "1 hour", "1.5 hours", "26.5 hours", "20 de ore"."""

    def make() -> str:
        text = format_number(hours)
        return ngettext("%(amount)s hour", "%(amount)s hours", plural_count(hours)) % {
            "amount": text
        }

    return _in(language, make)


def format_amount(value: Number, unit: str, language: str | None = None) -> str:
    """A CPD amount with its unit, in the right plural: "1 CPD hour", "2.5 CPD points"."""

    def make() -> str:
        text, count = format_number(value), plural_count(value)
        if unit == "points":
            label = npgettext("amount", "%(amount)s CPD point", "%(amount)s CPD points", count)
        else:
            label = npgettext("amount", "%(amount)s CPD hour", "%(amount)s CPD hours", count)
        return label % {"amount": text}

    return _in(language, make)


def unit_label(unit: str) -> str:
    """The unit alone, as a column heading after an amount ("CPD hours"); next to a number use
    ``format_amount``, which agrees with it."""
    if unit == "points":
        return pgettext("after an amount", "CPD points")
    return pgettext("after an amount", "CPD hours")


def _seconds(value: timedelta | Number) -> int:
    if isinstance(value, timedelta):
        value = Decimal(str(value.total_seconds()))
    return int(_decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_duration(value: timedelta | Number | None, language: str | None = None) -> str:
    """Time spent, never a raw ``timedelta``: "52 s", "12 min 05 s", "1 h 05 min" (seconds
    rounded; past an hour they are left out). "" for none. The unit symbols are the SI ones,
    kept translatable for languages that write them otherwise."""
    if value is None or value == "":
        return ""
    total = max(0, _seconds(value))
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)

    def make() -> str:
        if hours:
            return _("%(hours)s h %(minutes)s min") % {
                "hours": format_number(hours),
                "minutes": f"{minutes:02d}",
            }
        if minutes and seconds:
            return _("%(minutes)s min %(seconds)s s") % {
                "minutes": minutes,
                "seconds": f"{seconds:02d}",
            }
        if minutes:
            return _("%(minutes)s min") % {"minutes": minutes}
        return _("%(seconds)s s") % {"seconds": seconds}

    return _in(language, make)
