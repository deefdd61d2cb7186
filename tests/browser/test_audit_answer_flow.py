"""An accreditor asks a learner for more information about a sampled record; the learner finds
the request in the to-do on their home, on a phone, answers it with a file (kept across a
failed submit), and the accreditor reads the answer, downloads the file and decides again.
Every new page fits 375 px and passes axe."""

import datetime
from pathlib import Path

import pytest

from certificates.audit.rounds import draw_round
from certificates.audit.services import add_accreditor
from tests.browser.menu import open_menu
from tests.certificates.evidence import completed
from tests.certificates.factories import AccreditationFactory
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

QUESTION = "Send the attendance sheet of the practical session, signed by your supervisor."
SHEET = b"%PDF-1.4 attendance sheet"


def _log_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(UserFactory.default_password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def _no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow} px too wide"


def _context(browser, live_server, width):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    return context, context.new_page()


def _ask(desk, round_url) -> None:
    desk.goto(round_url)
    desk.get_by_label("more information requested", exact=True).check()
    desk.get_by_label("Notes", exact=True).fill(QUESTION)
    desk.get_by_role("button", name="Save the decision").click()
    assert "Decision saved." in desk.content()


def _answer(phone, course_title, sheet, axe_violations) -> None:
    """On a phone: from the to-do on the home to the request, then a failed and a good submit."""
    phone.goto("/")
    open_menu(phone)
    assert phone.locator(".main-nav a[href='/#todo']").inner_text().endswith("(1)")
    todo = phone.locator("#todo")
    todo.get_by_role("link", name="Auditors' requests for more information").click()
    assert phone.get_by_role("heading", level=1).inner_text() == "Requests from auditors"
    assert QUESTION in phone.content()
    _no_sideways_scroll(phone)
    assert axe_violations(phone) == []
    phone.get_by_role("link", name=course_title).click()
    assert QUESTION in phone.locator("main").inner_text()
    _no_sideways_scroll(phone)
    assert axe_violations(phone) == []
    # A first try without the text: the file is kept.
    phone.get_by_label("File").set_input_files(str(sheet))
    phone.get_by_role("button", name="Send my answer").click()
    assert "Write your answer." in phone.content()
    assert "Your file attendance-sheet.pdf is kept" in phone.content()
    _no_sideways_scroll(phone)
    assert axe_violations(phone) == []
    phone.get_by_label("Your answer").fill("Here is the sheet, signed on 10 March.")
    phone.get_by_role("button", name="Send my answer").click()
    assert "Your answer is sent to the auditor." in phone.content()
    assert phone.get_by_role("link", name="attendance-sheet.pdf").count() == 1
    _no_sideways_scroll(phone)


def _read_and_decide(desk, round_url, axe_violations) -> None:
    desk.goto(round_url)
    assert "Answered, awaiting your decision" in desk.content()
    desk.get_by_role("link", name="Read the answer").click()
    assert "Here is the sheet, signed on 10 March." in desk.content()
    assert axe_violations(desk) == []
    with desk.expect_download() as download:
        desk.get_by_role("link", name="attendance-sheet.pdf").click()
    assert Path(download.value.path()).read_bytes() == SHEET
    assert download.value.suggested_filename == "attendance-sheet.pdf"
    desk.goto(round_url)
    desk.get_by_label("accepted", exact=True).check()
    desk.get_by_role("button", name="Save the decision").click()
    assert "Answered, awaiting your decision" not in desk.content()


def test_a_learner_answers_an_auditors_request_with_a_file(
    browser, live_server, axe_violations, tmp_path
):
    accreditation = AccreditationFactory(
        reference="CNASR-2024-17",
        valid_from=datetime.date(2024, 1, 1),
        valid_until=datetime.date(2030, 12, 31),
    )
    record = completed(accreditation, name="Maria Lungu-Dumitrescu", certify=False)
    accreditor = UserFactory(display_name="Ada Auditor", preferred_language="en")
    add_accreditor(body=accreditation.body, user=accreditor)
    audit_round = draw_round(accreditation=accreditation, by=accreditor, size=1, seed=1)
    round_url = f"/accreditation/rounds/{audit_round.public_id}/"
    sheet = tmp_path / "attendance-sheet.pdf"
    sheet.write_bytes(SHEET)

    auditing, desk = _context(browser, live_server, 1280)
    _log_in(desk, accreditor)
    _ask(desk, round_url)
    learning, phone = _context(browser, live_server, 375)
    _log_in(phone, record.learner)
    _answer(phone, str(accreditation.course), sheet, axe_violations)
    learning.close()
    _read_and_decide(desk, round_url, axe_violations)
    auditing.close()
