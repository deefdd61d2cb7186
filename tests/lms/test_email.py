"""E-mails as templates (lms.email): every e-mail renders a one-line subject, a text part and an
HTML part, in the recipient's language, with user data escaped in HTML only."""

from datetime import date
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core import mail
from django.urls import reverse
from django.utils import translation

from certificates.cpd import services as cpd_services
from certificates.models import AccreditingBody, CpdActivityKind, CpdEntry, RequirementRuleSet
from lms import verification
from lms.email import render_email, send_templated_email
from lms.models import User
from organisations.models import Invitation, MembershipRole, Organisation, SeatPool
from tests.lms.factories import UserFactory

# A name a person may give themselves: markup, an ampersand and quotes.
NAME = '<b>Ana & "Ion"</b>'
URL = "http://testserver/some/page/?next=%2Fcpd%2F&x=1"


def _person(name: str = NAME) -> User:
    return User(email="ana@example.org", display_name=name)


def _entry() -> CpdEntry:
    return CpdEntry(
        title=f"Workshop {NAME}",
        date=date(2026, 3, 14),
        discussion_notes=f"The safety plan,\n{NAME}",
        discussion_response=f"We did, {NAME}.",
    )


_SUMMARY = SimpleNamespace(
    column=SimpleNamespace(title=NAME), completed=3, in_progress=2, not_started=1, overdue=1
)

# One context per e-mail template; test_every_email_template_has_a_sample keeps it complete.
SAMPLES = {
    "lms/email/verify_email": lambda: {"user": _person(), "url": URL, "hours": 72},
    "lms/email/already_registered": lambda: {"login": URL, "reset": URL},
    "lms/email/password_reset": lambda: {
        "user": _person(),
        "protocol": "http",
        "domain": "testserver",
        "uid": "MQ",
        "token": "abc-123",
    },
    "certificates/email/discussion_request": lambda: {
        "peer": _person(),
        "learner": _person(),
        "entry": _entry(),
        "url": URL,
    },
    "certificates/email/discussion_invitation": lambda: {
        "learner": _person(),
        "entry": _entry(),
        "url": URL,
    },
    "certificates/email/discussion_answer": lambda: {
        "learner": _person(),
        "peer": _person(),
        "entry": _entry(),
        "confirmed": True,
        "url": URL,
    },
    "certificates/email/cpd_cycle_reminder": lambda: {
        "learner": _person(),
        "rule_set": RequirementRuleSet(name=NAME, body=AccreditingBody(name=NAME)),
        "ends_on": date(2026, 12, 31),
        "days": 1,
        "missing": [f"25 more hours {NAME}", "2 more activities"],
        "url": URL,
    },
    "certificates/email/expiry_reminder": lambda: {
        "learner": _person(),
        "title": NAME,
        "serial": "CP-2026-000001",
        "expires_on": date(2026, 12, 31),
        "renew_url": URL,
        "verification_url": URL,
    },
    "organisations/email/invitation": lambda: {
        "invitation": Invitation(
            name=NAME, organisation=Organisation(name=NAME), role=MembershipRole.SUPERVISOR
        ),
        "inviter": NAME,
        "url": URL,
        "expires_on": date(2026, 12, 31),
    },
    "organisations/email/seat_alert": lambda: {
        "pool": SeatPool(name=NAME, valid_until=date(2026, 12, 31)),
        "use": SimpleNamespace(seats=4, used=3),
        "percent": 75,
    },
    "organisations/email/learning_reminder": lambda: {
        "learner": _person(),
        "organisation": Organisation(name=NAME),
        "items": ((NAME, date(2026, 3, 1), True), ("Interviewing", date(2026, 4, 1), False)),
        "url": URL,
    },
    "organisations/email/monthly_report": lambda: {
        "person": _person(),
        "organisation": Organisation(name=NAME),
        "report": SimpleNamespace(total_members=10, summaries=(_SUMMARY,)),
        "url": URL,
    },
    "lms/email/digest": lambda: {
        "person": _person(),
        "items": [{"title": NAME, "url": URL}, {"title": "Second", "url": URL}],
        "weekly": True,
        "centre_url": URL,
        "unsubscribe_url": URL,
        "preferences_url": URL,
    },
    "certificates/email/certificate_issued": lambda: {
        "learner": _person(),
        "title": NAME,
        "serial": "CP-2026-000001",
        "certificates_url": URL,
        "verification_url": URL,
        "unsubscribe_url": URL,
        "preferences_url": URL,
    },
    "certificates/email/audit_answer": lambda: {
        "auditor": _person(),
        "learner": _person(),
        "answer": SimpleNamespace(text=f"The attendance list, {NAME}"),
        "has_file": True,
        "url": URL,
    },
    "certificates/email/audit_request": lambda: {
        "learner": _person(),
        "subject": NAME,
        "body": NAME,
        "reference": NAME,
        "notes": f"Send the attendance list,\n{NAME}",
        "url": URL,
    },
    "organisations/email/seat_assigned": lambda: {
        "member": _person(),
        "pool": SeatPool(name=NAME),
        "organisation": Organisation(name=NAME),
        "url": URL,
    },
    "organisations/email/invitation_accepted": lambda: {
        "person": _person(),
        "member": _person(),
        "organisation": Organisation(name=NAME),
        "url": URL,
    },
    "organisations/email/due_soon": lambda: {
        "learner": _person(),
        "organisation": Organisation(name=NAME),
        "title": NAME,
        "due_on": date(2026, 12, 31),
        "url": URL,
    },
}


class _BalancedTags(HTMLParser):
    """Open elements, to check that an HTML part closes what it opens."""

    VOID = frozenset({"meta", "br", "hr", "img", "link", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.errors.append(tag)


def _templates_on_disk() -> set[str]:
    found = set()
    for config in apps.get_app_configs():
        for subject in Path(config.path, "templates").glob("*/email/*_subject.txt"):
            found.add(f"{subject.parent.parent.name}/email/{subject.name[: -len('_subject.txt')]}")
    return found


def test_every_email_template_has_a_sample():
    assert _templates_on_disk() == set(SAMPLES)


@pytest.mark.parametrize("language", ["en", "ro"])
@pytest.mark.parametrize("template", sorted(SAMPLES))
def test_every_email_template_renders_a_subject_a_text_and_an_html_part(template, language):
    email = render_email(template, context=SAMPLES[template](), language=language)
    assert email.subject.strip()
    assert "\n" not in email.subject
    for part in (email.subject, email.text, email.html):
        assert not any(left in part for left in ("{{", "{%", "%(")), part
    assert email.text.strip()
    assert email.html.startswith("<!DOCTYPE html>")
    assert f'<html lang="{language}" dir="ltr">' in email.html
    assert f"<title>{escape(email.subject)}</title>" in email.html
    parser = _BalancedTags()
    parser.feed(email.html)
    assert (parser.open, parser.errors) == ([], [])
    # User data: verbatim in the subject and the text part, escaped in the HTML part.
    if template != "lms/email/already_registered":  # the only one without a name in it
        assert NAME in email.text
        assert escape(NAME) in email.html
    assert "<b>" not in email.html
    assert "&amp;" not in email.subject + email.text


def test_a_subject_stays_on_one_line_whatever_the_data():
    email = render_email(
        "certificates/email/discussion_request",
        context={**SAMPLES["certificates/email/discussion_request"](), "learner": _person("A\nB")},
        language="en",
    )
    assert email.subject == "Please confirm a CPD discussion with A B"


def test_without_a_language_the_site_language_is_used_not_the_active_one():
    with translation.override("ro"):
        email = render_email(
            "lms/email/verify_email", context=SAMPLES["lms/email/verify_email"](), language=""
        )
        assert translation.get_language() == "ro"
    assert email.subject == "Confirm your e-mail address"
    assert '<html lang="en"' in email.html


@pytest.mark.django_db
def test_the_email_is_queued_on_commit_and_sent_with_both_parts(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_templated_email(
            "lms/email/already_registered",
            to=["ana@example.org"],
            context={"login": URL, "reset": URL},
            language="en",
        )
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()  # eager Celery in tests: the lms.send_email task runs now
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    assert message.subject == "You already have a Practica account"
    assert f"If it was you, log in: {URL}" in message.body
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert f'<a href="{escape(URL)}"' in html


@pytest.mark.django_db
def test_an_email_to_a_romanian_speaker_is_in_romanian(django_capture_on_commit_callbacks):
    user = UserFactory(display_name=NAME, preferred_language="ro", email_verified_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert verification.send_verification(user)
    (message,) = mail.outbox
    assert message.subject == "Confirmă-ți adresa de e-mail"
    assert message.body.startswith(f"Bună, {NAME},\n")
    ((html, _mimetype),) = message.alternatives
    assert '<html lang="ro"' in html
    assert f"Bună, {escape(NAME)}," in html
    assert NAME not in html
    assert translation.get_language() == "en"  # the caller's language is left as it was


@pytest.mark.django_db
def test_a_cpd_discussion_request_names_the_learner_verbatim_in_text_and_escaped_in_html(
    django_capture_on_commit_callbacks,
):
    learner = UserFactory(display_name=NAME)
    peer = UserFactory(display_name="Mihai Ionescu", preferred_language="ro")
    with django_capture_on_commit_callbacks(execute=True):
        cpd_services.log_activity(
            learner=learner,
            title="Family assessments",
            kind=CpdActivityKind.WORKSHOP,
            date=date(2026, 3, 14),  # in the past, whatever the clock (scripts/test-on-dates)
            hours="2",
            participatory=True,
            structured=True,
            discussion_with=peer,
            discussion_notes="The safety plan.",
        )
    (message,) = mail.outbox
    assert message.subject == f"Te rugăm să confirmi o discuție DPC cu {NAME}"
    assert f"{NAME} a notat" in message.body
    assert "(14 mar 2026)" in message.body  # the medium date (lms.kits.formats)
    ((html, _mimetype),) = message.alternatives
    assert '<html lang="ro"' in html
    assert f"{escape(NAME)} a notat" in html
    assert NAME not in html


@pytest.mark.django_db
def test_the_password_reset_goes_the_same_way_with_an_html_part(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="reset.me@example.org", display_name=NAME)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "reset.me@example.org"})
    (message,) = mail.outbox
    assert message.subject == "Choose a new Practica password"
    assert message.body.startswith(f"Hello {NAME},\n")
    ((html, _mimetype),) = message.alternatives
    assert '<a href="http://testserver/accounts/reset/' in html
    assert escape(NAME) in html
