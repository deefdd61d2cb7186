"""Issue 20's proof: a learner who chooses Українська in the language switcher completes a course
built like the demo's accredited one ("Talking with children": a video and a guide, CPD hours, a
certificate) and gets everything in Ukrainian: the pages, the confirmation, the "certificate
issued" notification and its e-mail, the certificate PDF and the CPD transcript (PDF and CSV).

Each page the learner sees is compared with the same page in English (tests/browser/untranslated):
no interface text may read the same. The course, the body and the rule set have Ukrainian names,
so that what is left in Latin letters in the e-mail and the PDFs is interface text nobody
translated, but for the few names listed in ``LATIN``.
"""

# Cyrillic is what this test is about, not look-alike typos.
# ruff: noqa: RUF001

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pypdf
import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from certificates.models import (
    Accreditation,
    Certificate,
    CertificateTemplate,
    CpdRegistration,
    IssuanceRule,
)
from courses.models import CourseUnit, MoveOn, UnitKind
from lms.models import Notification, User
from tests.browser.fit import assert_no_sideways_scroll
from tests.browser.menu import open_menu
from tests.browser.untranslated import untranslated
from tests.certificates.factories import AccreditingBodyFactory
from tests.certificates.test_cpd_pages import make_rule_set
from tests.courses.factories import CourseFactory
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Олена Коваленко"
TITLE = "Розмова з дітьми"
REFERENCE = "DEMO-CPD-2026-002"  # the accreditation's, as certificates/demo.py names it
# Latin words that are names, not interface text: the site's, the serials', formats' and the
# file types an evidence upload takes (as Ukrainian writes them too).
FORMATS = {"API", "CLR", "CSV", "JSON", "PDF"}
FILE_TYPES = {"docx", "jpeg", "jpg", "ods", "odt", "pdf", "png", "txt", "webp", "xlsx"}
LATIN = {"Practica", "PRA", *FORMATS, *FILE_TYPES}
URL = re.compile(r"\S+://\S+|\S+@\S+")
MONTHS = ["січ", "лют", "бер", "кві", "тра", "чер", "лип", "сер", "вер", "жов", "лис", "гру"]
LATIN_WORD = re.compile(r"\b[A-Za-z]{2,}\b")


def _latin_words(text: str, *also: str) -> list[str]:
    """The words in Latin letters of ``text`` (addresses left out) but for names."""
    allowed = LATIN | {word for name in also for word in LATIN_WORD.findall(name)}
    return sorted({w for w in LATIN_WORD.findall(URL.sub(" ", text)) if w not in allowed})


def _course():
    """As courses/demo.py and certificates/demo.py build "Talking with children": two units the
    platform tracks, accredited by a body counting hours, a certificate template, an issuance
    rule; in Ukrainian as well as English."""
    course = CourseFactory(
        slug="talking-with-children",
        title={"en": "Talking with children", "uk": TITLE},
        summary={"en": "How to listen to a child.", "uk": "Як вислухати дитину."},
        cpd_hours=Decimal(2),
        languages=["en", "uk"],
    )
    units = [
        (UnitKind.VIDEO, {"en": "Listen first", "uk": "Спершу вислухайте"}),
        (UnitKind.DOCUMENT, {"en": "A conversation guide", "uk": "Порадник для розмови"}),
    ]
    for index, (kind, title) in enumerate(units):
        CourseUnit.objects.create(
            course=course, index=index, kind=kind, title=title, move_on=MoveOn.COMPLETED,
            activity_iri=f"{course.activity_iri}:{index}", url=f"https://example.org/{index}",
        )  # fmt: skip
    body = AccreditingBodyFactory(name="Рада з безперервного розвитку")
    template = CertificateTemplate.objects.create(
        name="Demo certificate",
        heading={},  # as the demo's: the default heading, in the learner's language
        signatories=[{"name": "Ірина Шевченко", "title": "Голова ради"}],
    )
    today = timezone.localdate()
    accreditation = Accreditation.objects.create(
        body=body, course=course, reference=REFERENCE, cpd_value=2,
        learning_outcomes={"en": "Listen calmly.", "uk": "Спокійно вислуховуєте дитину."},
        valid_from=date(today.year, 1, 1), valid_until=date(today.year + 2, 12, 31),
    )  # fmt: skip
    IssuanceRule.objects.create(
        course=course, accreditation=accreditation, template=template, validity_months=36
    )
    rule_set = make_rule_set(body=body, name="Щорічний розвиток", slug="annual")
    return course, rule_set


def _english(learner: User, url: str) -> str:
    """The page at ``url`` as the learner sees it in English (their language put back after)."""
    User.objects.filter(pk=learner.pk).update(preferred_language="en")
    try:
        client = Client()
        client.force_login(learner)
        response = client.get(url)
    finally:
        User.objects.filter(pk=learner.pk).update(preferred_language="uk")
    assert response.status_code == 200, url
    return response.content.decode()


def _left_in_english(page, learner: User, *names: str) -> list[str]:
    assert page.locator("html").get_attribute("lang") == "uk", page.url
    assert_no_sideways_scroll(page)
    path = "/" + page.url.split("/", 3)[3]
    same = untranslated(_english(learner, path), page.content(), set())
    # The content here is Ukrainian: what both pages show in Cyrillic only is content (names,
    # titles, the notification's stored text); interface text left in English has Latin words.
    left = [f"{path}: {piece}" for piece in same if _latin_words(piece, *names)]
    # Single words too (the comparison above counts pieces of two words or more).
    return left + [f"{path}: {w}" for w in _latin_words(page.locator("body").inner_text(), *names)]


def _pdf_text(data: bytes) -> str:
    """The text of every page, and the document's title (a PDF reader's window shows it)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    title = reader.metadata.title if reader.metadata else ""
    return "\n".join([title or "", *(p.extract_text() for p in reader.pages)])


def test_a_ukrainian_learner_gets_everything_in_ukrainian(  # noqa: PLR0915
    browser, live_server, mailoutbox, axe_violations
):
    course, rule_set = _course()
    learner = UserFactory(display_name=NAME, preferred_language="en")
    CpdRegistration.objects.create(
        learner=learner, rule_set=rule_set, registered_on=date(2020, 1, 1)
    )
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 800}, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(learner.email)
    page.get_by_label("Password").fill(UserFactory.default_password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()

    # The switcher, as a person uses it: the choice is kept in the profile.
    open_menu(page)
    page.locator("#language-select").select_option(label="Українська")
    page.locator("form.language button[type=submit]").click()
    page.wait_for_load_state()
    learner.refresh_from_db()
    assert learner.preferred_language == "uk"
    left = _left_in_english(page, learner)

    page.goto(f"/courses/{course.slug}/")
    assert TITLE in page.locator("h1").inner_text()
    left += _left_in_english(page, learner)
    page.locator(f"form[action='/courses/{course.slug}/enrol'] button").click()
    page.wait_for_load_state()
    left += _left_in_english(page, learner)
    # Start the first unit: its page, then Mark as done; the second from the course page.
    page.locator("main form.inline button:not(.secondary)").first.click()
    page.wait_for_url(f"**/courses/{course.slug}/units/0/")
    # Reached by a launch only (a POST): no English twin to compare with; its words are checked.
    assert page.locator("html").get_attribute("lang") == "uk"
    assert _latin_words(page.locator("main").inner_text()) == []
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"**/courses/{course.slug}/")
    page.locator("main form.inline button.secondary").last.click()
    page.wait_for_load_state()

    # The confirmation and the certificate, in Ukrainian.
    assert page.locator("#standing-heading ~ progress").get_attribute("value") == "2"
    certificate = Certificate.objects.get(learner=learner)
    issued = timezone.localdate(certificate.issued_at)
    day = f"{issued.day} {MONTHS[issued.month - 1]} {issued.year}"  # lms/formats/uk
    with translation.override("uk"):
        completed = gettext("You completed this course on %(day)s.") % {"day": day}
    assert completed in page.locator("main").inner_text()
    link = page.locator("section.panel a[href$='.pdf']")
    assert link.count() == 1
    certificate_url = link.get_attribute("href")
    left += _left_in_english(page, learner)
    assert axe_violations(page) == []

    # The notifications centre.
    open_menu(page)
    page.locator(".main-nav a[href='/notifications/']").click()
    page.wait_for_load_state()
    with translation.override("uk"):
        subject = gettext('Your certificate for "%(title)s" is ready') % {"title": TITLE}
        hello = gettext("Hello %(name)s,") % {"name": NAME}
    assert subject != f'Your certificate for "{TITLE}" is ready'
    assert subject in page.locator("main").inner_text()
    assert Notification.objects.get(recipient=learner).title == subject
    left += _left_in_english(page, learner, certificate.serial)

    # The e-mail.
    [email] = mailoutbox
    assert email.subject == subject
    assert hello in email.body
    assert _latin_words(email.body, certificate.serial) == []
    [(html, _type)] = email.alternatives
    assert _latin_words(re.sub(r"<[^>]+>", " ", html), certificate.serial) == []

    # The certificate PDF: Ukrainian labels and a Ukrainian date.
    pdf = page.request.get(certificate_url)
    assert pdf.ok
    text = _pdf_text(pdf.body())
    assert NAME in text
    assert TITLE in text
    with translation.override("uk"):
        heading = gettext("Certificate of completion")
    assert heading != "Certificate of completion"
    assert heading in text
    assert day in text
    # The verification code: as the address's last part, and shown in groups of four letters.
    code = certificate.verification_code
    groups = " ".join(code[i : i + 4].upper() for i in range(0, len(code), 4))
    assert _latin_words(text, certificate.serial, code, groups, REFERENCE) == []

    # "My learning" and the CPD ledger, with the certificate's hours.
    names = (certificate.serial, code, groups, REFERENCE)
    pages = ["/learning/", "/cpd/", "/cpd/entries/new", "/certificates/", f"/verify/{code}"]
    # The last: the ledger's "another cycle" form sent without a day leads back to the ledger,
    # with a message (only the check of single words sees it: the English page has none).
    pages += ["/notifications/preferences/", f"/cpd/{rule_set.slug}/transcript"]
    for url in pages:
        page.goto(url)
        left += _left_in_english(page, learner, *names)

    # The CPD transcript, PDF and CSV.
    transcript = page.request.get(f"/cpd/{rule_set.slug}/transcript.pdf")
    assert transcript.ok
    text = _pdf_text(transcript.body())
    assert NAME in text
    assert TITLE in text
    # The serial, in a narrow column, may wrap anywhere.
    wrapped = re.compile(r"\n?".join(map(re.escape, certificate.serial)))
    assert _latin_words(wrapped.sub(" ", text)) == []
    response = page.request.get(f"/cpd/{rule_set.slug}/transcript.csv")
    assert response.ok
    rows = list(csv.reader(io.StringIO(response.body().decode("utf-8-sig"))))
    with translation.override("uk"):
        learner_label = gettext("Learner")
    assert learner_label != "Learner"
    assert [learner_label, NAME] in rows
    # Every label, heading and word of it (the provider is the site's name).
    assert _latin_words(" ".join(" ".join(row) for row in rows), certificate.serial) == []
    context.close()
    assert left == []
