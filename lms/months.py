"""Calendar-month arithmetic, shared by every "by month" figure and every validity period.

Whole months, never a number of days: "the last twelve months" always ends with the current
month, whatever day of it today is, and 31 January plus one month is the last day of February.
"""

import calendar
from datetime import date, datetime
from typing import TypeVar

Day = TypeVar("Day", date, datetime)


def add_months(moment: Day, months: int) -> Day:
    """``moment`` moved by whole calendar months (backwards when negative); a day the target
    month lacks becomes its last day. Times of day and time zones are kept as they are."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def last_months(today: date, count: int) -> list[date]:
    """The first days of the ``count`` calendar months ending with ``today``'s, oldest first."""
    this_month = today.replace(day=1)
    return [add_months(this_month, offset) for offset in range(1 - count, 1)]
