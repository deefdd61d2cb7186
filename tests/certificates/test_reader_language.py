"""What a signed-in person downloads follows their language (``User.preferred_language``), not
the browser's: the CPD transcript's CSV headings and its PDF; and the PDF font writes every letter
of the languages Practica offers. Ukrainian has no Practica catalogue in the tree: offered here
by overriding ``LANGUAGES``, its dates (Django's catalogue, lms/formats/uk) show it was used."""

# Cyrillic and other scripts are what these tests are about, not look-alike typos.
# ruff: noqa: RUF001

import csv
import io
from datetime import date

import pypdf
import pytest

from certificates.credentials.pdf import render_certificate_pdf
from lms.models import User
from tests.certificates.factories import CpdEntryFactory, CpdRegistrationFactory
from tests.certificates.test_cpd_pages import make_rule_set, this_cycle_day, transcript_url
from tests.certificates.test_pdf import snapshot, text_of
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(client):
    """A signed-in learner registered with a body, one activity this cycle."""
    learner = UserFactory(display_name="Ioana Dumitrescu")
    registration = CpdRegistrationFactory(
        learner=learner, rule_set=make_rule_set(), registered_on=date(2020, 1, 1), number="CNASR-42"
    )
    CpdEntryFactory(learner=learner, title="Peer group", date=this_cycle_day(), hours=3)
    client.force_login(learner)
    return registration


def test_the_transcript_csv_is_in_the_readers_language_not_the_browsers(client, registered):
    User.objects.filter(pk=registered.learner_id).update(preferred_language="ro")
    response = client.get(transcript_url(registered.rule_set, "csv"), HTTP_ACCEPT_LANGUAGE="en")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["Cursant", "Ioana Dumitrescu"] in rows
    assert ["Număr de înregistrare", "CNASR-42"] in rows


def test_the_transcript_pdf_of_a_ukrainian_reader_writes_ukrainian_dates(
    settings, client, registered
):
    settings.LANGUAGES = [*settings.LANGUAGES, ("uk", "Ukrainian")]
    User.objects.filter(pk=registered.learner_id).update(preferred_language="uk")
    response = client.get(transcript_url(registered.rule_set, "pdf"), HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "uk"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    day = this_cycle_day()
    month = ["січ", "лют", "бер", "кві", "тра", "чер", "лип", "сер", "вер", "жов", "лис", "гру"]
    assert f"{day.day} {month[day.month - 1]} {day.year}" in text  # the activity's day
    assert "Ioana Dumitrescu" in text


# A name in each script and with each letter the offered languages add to the basic alphabets.
NAMES = {
    "bg": "Щерьо Йорданов Ъглов",
    "sr": "Ђорђе Ћосић Џамоња Љубица Њего",
    "sr-latn": "Đorđe Ćosić Džamonja Ljubica Njego Šuša Žarko Čeda",
    "mk": "Ѓорѓи Ќосе Ѕвездан Љупчо Њаголо Џем",
    "ru": "Фёдор Щукин Эльвира Ъ",
    "uk": "Олексій Їжак-Ґудзенко Є",
    "sq": "Ëndrit Çela",
    "hu": "Őrsi Űrhajós Ágnes Éva Íris Óda Úr",
    "hr": "Čedomir Ćuk Đurđa Šimić Žana",
    "ro": "Ștefan Țurcanu Ăla Îna Âna",
    "es": "Ñuño Peña Íñigo",
    "fr": "Œdipe Ça Ÿves Éloïse",
}


@pytest.mark.parametrize(("language", "name"), NAMES.items())
def test_the_certificate_font_writes_every_letter_of_the_offered_languages(language, name):
    text = text_of(render_certificate_pdf(snapshot(language=language, recipient={"name": name})))
    assert name in text
