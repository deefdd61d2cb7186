"""The days a person may name: dates between 1900 and 2999.

Cycles, months and periods are computed by calendar arithmetic, which the ends of Python's
calendar (year 1, year 9999) overflow; no learning record is that old or that far off. Forms
take ``DAY_VALIDATORS``; request parameters go through ``parse_day``.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
DAY_VALIDATORS = [
    MinValueValidator(FIRST_DAY, _("Give a date in 1900 or later.")),
    MaxValueValidator(LAST_DAY, _("Give a date before the year 3000.")),
]


def parse_day(text: str) -> date | None:
    """A day named in a request (``YYYY-MM-DD``), or None when it is not a date between
    FIRST_DAY and LAST_DAY."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def check_day(day: date, field: str) -> None:
    """Refuse a day outside FIRST_DAY..LAST_DAY, naming the field (services' own check)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError({field: _("Give a date between 1900 and 2999.")})
