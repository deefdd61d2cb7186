"""Issue 19, "One voice": the formats kit where people read it. A page says "1 CPD hour" and
"1 entry" (three Romanian plural forms), an e-mail writes the medium date and the right plural,
and the transcript CSV keeps machine formats (ISO dates, "." decimals) under headers in the
reader's language."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from certificates.cpd.transcript import transcript_csv
from lms.email import render_email
from lms.models import User
from tests.certificates.factories import CpdEntryFactory, CpdRegistrationFactory
from tests.certificates.test_cpd_pages import make_rule_set, this_cycle_day
from tests.certificates.test_transcript import external_entry, make_learner, make_standing
from tests.certificates.test_transcript import make_rule_set as transcript_rule_set
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_hour(client):
    learner = UserFactory(display_name="Ioana Dumitrescu")
    CpdRegistrationFactory(
        learner=learner, rule_set=make_rule_set(), registered_on=date(2020, 1, 1)
    )
    CpdEntryFactory(learner=learner, title="Reading", date=this_cycle_day(), hours=Decimal("1.00"))
    client.force_login(learner)
    return client


@pytest.mark.parametrize(
    ("language", "expected", "wrong"),
    [
        ("en", "You have 1 CPD hour from 1 entry so far.", "1 CPD hours"),
        ("ro", "Ai 1 oră DPC din 1 înregistrare până acum.", "1 ore"),
    ],
)
def test_the_ledger_says_one_hour_in_the_singular(one_hour, language, expected, wrong):
    User.objects.update(preferred_language=language)  # a signed-in person reads their language
    html = one_hour.get(reverse("cpd-ledger")).content.decode()
    assert expected in html
    assert wrong not in html
    assert "1.00" not in html
    assert "1,00" not in html


def test_the_ledger_dates_are_in_the_medium_style(one_hour):
    html = one_hour.get(reverse("cpd-ledger")).content.decode()
    day = this_cycle_day()
    assert f"{day.day} {day.strftime('%b')} {day.year}" in html  # "7 Dec 2026"
    assert day.isoformat() not in html.replace(f'"{day.isoformat()}"', "")  # only as data


@pytest.mark.parametrize(
    ("language", "days", "expected"),
    [
        ("en", 1, "ends on 31 Dec 2026, in 1 day."),
        ("en", 20, "ends on 31 Dec 2026, in 20 days."),
        ("ro", 1, "31 dec 2026"),
    ],
)
def test_a_reminder_e_mail_writes_the_medium_date(language, days, expected):
    rule_set = make_rule_set()
    context = {
        "learner": UserFactory.build(display_name="Ana"),
        "rule_set": rule_set,
        "days": days,
        "ends_on": date(2026, 12, 31),
        "missing": [],
        "url": "https://example.org/cpd/",
    }
    email = render_email(
        "certificates/email/cpd_cycle_reminder", context=context, language=language
    )
    assert expected in email.text
    assert expected in email.html
    assert "31 dec 2026" in email.subject or language == "en"


@pytest.mark.parametrize(
    ("language", "hours", "expected"),
    [
        ("en", 1, "for 1 hour."),
        ("en", 72, "for 72 hours."),
        ("ro", 1, "timp de 1 oră."),
        ("ro", 2, "timp de 2 ore."),
        ("ro", 72, "timp de 72 de ore."),
    ],
)
def test_the_verification_e_mail_counts_hours_in_the_right_plural(language, hours, expected):
    context = {"user": UserFactory.build(display_name="Ana"), "url": "https://x/", "hours": hours}
    email = render_email("lms/email/verify_email", context=context, language=language)
    assert expected in " ".join(email.text.split())


def test_the_transcript_csv_keeps_machine_formats_under_romanian_headers():
    learner = make_learner()
    rule_set = transcript_rule_set()
    external_entry(learner, title="Atelier", day=date(2026, 2, 1), hours="2.5")
    text = transcript_csv(make_standing(learner, rule_set), learner_name="Ana", language="ro")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header = next(row for row in rows if row and row[0] == "Dată")
    entry = rows[rows.index(header) + 1]
    assert entry[0] == "2026-02-01"  # ISO 8601, a spreadsheet reads it as a date
    assert "2.5" in entry  # "." decimals: machine data, whatever the language
    assert "2,5" not in text
