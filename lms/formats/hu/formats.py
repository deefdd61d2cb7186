"""Hungarian formats: a medium date ("2026. dec. 7."; the year first, as Hungarian writes it), the
month in lower case as Django's Hungarian catalogue abbreviates it, a 24-hour clock, "," decimals
and a no-break space between thousands (Django's Hungarian separators). Format letters: Django's
``date`` filter."""

DATE_FORMAT = "Y. b. j."
SHORT_DATE_FORMAT = "Y. b. j."
DATETIME_FORMAT = "Y. b. j. H:i"
SHORT_DATETIME_FORMAT = "Y. b. j. H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "Y. b."
MONTH_DAY_FORMAT = "b. j."
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1  # Monday
