"""The formats kit and its template filters: one medium date style, localised decimals without
trailing zeros, hours and CPD amounts in the right plural (Romanian has three forms), durations
in words, never a raw timedelta; in English and in Romanian."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from lms.api import (
    format_amount,
    format_date,
    format_datetime,
    format_duration,
    format_hours,
    format_month,
    format_number,
    plural_count,
    unit_label,
)
from tests.lms.factories import UserFactory

DAY = date(2026, 12, 7)
MOMENT = datetime(2026, 12, 7, 14, 5, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "day", "moment", "month"),
    [
        ("en", "7 Dec 2026", "7 Dec 2026, 14:05", "Dec 2026"),
        ("ro", "7 dec 2026", "7 dec 2026, 14:05", "dec 2026"),
    ],
)
def test_dates_have_one_medium_style_in_each_language(language, day, moment, month):
    with translation.override(language):
        assert format_date(DAY) == day
        assert format_date("2026-12-07") == day  # a snapshot's ISO text
        assert format_date(MOMENT) == day  # an aware moment: its local day
        assert format_datetime(MOMENT) == moment
        assert format_datetime(MOMENT, seconds=True) == moment + ":09"
        assert format_month(DAY) == month
    assert format_date(DAY, language) == day
    assert format_date(None) == format_date("") == format_datetime(None) == ""


def test_the_date_filter_with_django_names_gives_the_same_style():
    """``|date:"DATE_FORMAT"`` and ``"SHORT_DATE_FORMAT"`` read lms/formats, so a template that
    still names them agrees with the kit (Django's own English would say "Dec. 7, 2026")."""
    template = Template('{{ d|date:"DATE_FORMAT" }}|{{ d|date:"SHORT_DATE_FORMAT" }}')
    for language in ("en", "ro"):
        with translation.override(language):
            text = template.render(Context({"d": DAY}))
            assert text == f"{format_date(DAY)}|{format_date(DAY)}"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["4", "4.5", "12.25", "1234.5", "3.14", "2.0", "0"]),
        ("ro", ["4", "4,5", "12,25", "1234,5", "3,14", "2,0", "0"]),
    ],
)
def test_numbers_lose_trailing_zeros_unless_places_are_fixed(language, expected):
    with translation.override(language):
        got = [
            format_number("4.00"),
            format_number(Decimal("4.50")),
            format_number("12.250"),
            format_number(1234.5),
            format_number(3.14159, 2),
            format_number(2, 1),
            format_number(0),
        ]
    assert got == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["1 hour", "1 hour", "1.5 hours", "2 hours", "20 hours", "26.5 hours"]),
        ("ro", ["1 oră", "1 oră", "1,5 ore", "2 ore", "20 de ore", "26,5 ore"]),
    ],
)
def test_hours_take_the_plural_of_their_number(language, expected):
    with translation.override(language):
        got = [format_hours(h) for h in (1, "1.00", Decimal("1.5"), 2, 20, "26.50")]
    assert got == expected


def test_a_fraction_takes_the_plural_form_of_two():
    assert [plural_count(v) for v in (1, "1.00", "1.5", 20, "0.5")] == [1, 1, 2, 20, 2]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["1 CPD hour", "2 CPD hours", "20 CPD hours", "1 CPD point", "2.5 CPD points"]),
        ("ro", ["1 oră DPC", "2 ore DPC", "20 de ore DPC", "1 punct DPC", "2,5 puncte DPC"]),
    ],
)
def test_cpd_amounts_agree_with_their_unit(language, expected):
    with translation.override(language):
        got = [
            format_amount(1, "hours"),
            format_amount("2.00", "hours"),
            format_amount(20, "hours"),
            format_amount(1, "points"),
            format_amount("2.50", "points"),
        ]
    assert got == expected


def test_the_unit_alone_is_a_heading():
    assert unit_label("hours") == "CPD hours"
    with translation.override("ro"):
        assert unit_label("points") == "puncte DPC"


@pytest.mark.parametrize("language", ["en", "ro"])
def test_durations_are_words_never_a_raw_timedelta(language):
    with translation.override(language):
        got = [
            format_duration(timedelta(seconds=0.86)),
            format_duration(52),
            format_duration(timedelta(minutes=12)),
            format_duration(timedelta(minutes=12, seconds=5)),
            format_duration(timedelta(hours=1, minutes=5, seconds=20)),
            format_duration(timedelta(hours=1234)),
            format_duration(None),
        ]
    thousands = "1,234" if language == "en" else "1.234"
    # Hours are not grouped by thousands (USE_THOUSAND_SEPARATOR is off): 1234 h.
    assert thousands not in got[5]
    assert got == ["1 s", "52 s", "12 min", "12 min 05 s", "1 h 05 min", "1234 h 00 min", ""]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "7 Dec 2026|7 Dec 2026, 14:05|1.5|1.50|1 hour|26.5 hours|1 h 05 min|1 CPD hour|"),
        ("ro", "7 dec 2026|7 dec 2026, 14:05|1,5|1,50|1 oră|26,5 ore|1 h 05 min|1 oră DPC|"),
    ],
)
def test_the_practica_filters_render_the_kit(language, expected):
    template = Template(
        "{% load practica %}{{ d|date_medium }}|{{ m|datetime_medium }}|{{ x|number }}|"
        "{{ x|number:2 }}|{{ one|hours }}|{{ h|hours }}|{{ t|duration }}|"
        '{{ one|amount:"hours" }}|{{ none|date_medium }}{{ none|hours }}{{ none|duration }}'
    )
    context = {
        "d": DAY,
        "m": MOMENT,
        "x": Decimal("1.50"),
        "one": Decimal("1.00"),
        "h": Decimal("26.50"),
        "t": timedelta(hours=1, minutes=5),
        "none": None,
    }
    with translation.override(language):
        assert template.render(Context(context)) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["signup", "profile"])
def test_the_consent_question_speaks_to_you(client, name):
    """Issue 19: the consent question asked about "this person's learning"."""
    if name == "profile":
        client.force_login(UserFactory())
    html = client.get(reverse(name)).content.decode()
    assert "Allow research use of your anonymised learning data" in html
    assert "You can change your answer at any time in your profile." in html
    assert "this person" not in html
