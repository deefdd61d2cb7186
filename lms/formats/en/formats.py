"""English formats: a medium date ("7 Dec 2026") in every place, a 24-hour clock, "." decimals.

Django's own English formats mix "Dec. 7, 2026" (DATE_FORMAT) and "12/07/2026"
(SHORT_DATE_FORMAT); one style reads the same on a page, a PDF and an e-mail, and the day
before the month is not ambiguous. Format letters: Django's ``date`` filter.
"""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "M Y"
MONTH_DAY_FORMAT = "j M"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1  # Monday (ISO 8601)
