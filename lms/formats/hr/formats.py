"""Croatian formats: a medium date ("7. pro. 2026."; a dot after the day and the year, as Croatian
writes them; Django's abbreviations carry their own dot); the month in lower case as Django's
Croatian catalogue abbreviates it, a 24-hour clock, "," decimals and "." between thousands
(Django's Croatian separators). Format letters: Django's ``date`` filter."""

DATE_FORMAT = "j. b Y."
SHORT_DATE_FORMAT = "j. b Y."
DATETIME_FORMAT = "j. b Y., H:i"
SHORT_DATETIME_FORMAT = "j. b Y., H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "b Y."
MONTH_DAY_FORMAT = "j. b"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1  # Monday
