"""A person signs up, logs out, logs in again and switches the language; pages pass axe-core."""

import re
import uuid
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from certificates.audit.bundles import request_bundle
from certificates.audit.rounds import draw_round
from certificates.audit.services import add_accreditor
from certificates.models import Accreditation, RequirementKind
from courses.services import enrol_in_journey, enrol_learner
from frameworks.services import align, set_role_profile
from lms.models import User
from lms.verification import verification_url
from organisations.models import MembershipRole
from progress.models import CompletionRecord
from tests.browser.fit import assert_no_sideways_scroll
from tests.certificates.factories import (
    AccreditingBodyFactory,
    CpdEntryFactory,
    CpdRegistrationFactory,
    RequirementFactory,
    RuleSetFactory,
)
from tests.certificates.stored import stored_certificate
from tests.courses.factories import CourseFactory, JourneyFactory, ThemeFactory
from tests.frameworks.factories import CompetenceFactory
from tests.lms.factories import UserFactory
from tests.organisations.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_sign_up_log_in_and_switch_language(page):
    page.goto("/")
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("E-mail address").fill("Vesna@Example.org")
    page.get_by_label("Display name").fill("Vesna Kovačević")
    page.get_by_label("Country").select_option("HR")
    page.get_by_label("Profession").select_option("psychologist")
    page.get_by_label("Password", exact=True).fill("quiet harbour 1987")
    page.get_by_label("Password again").fill("quiet harbour 1987")
    page.get_by_role("button", name="Sign up").click()

    page.get_by_role("heading", name="Check your e-mail").wait_for()
    assert "We sent a message to Vesna@example.org." in page.content()
    user = User.objects.get(email__iexact="vesna@example.org")
    assert (user.country.code, user.profession) == ("HR", "psychologist")
    assert not user.email_verified

    # The link in the e-mail asks for the password, then logs in.
    page.goto(_verification_link())
    page.get_by_role("heading", name="Confirm your e-mail address").wait_for()
    page.get_by_label("Your password").fill("not it")
    page.get_by_role("button", name="Confirm").click()
    # In the error summary, and next to the field.
    page.locator(".error-summary").get_by_text("not this account's password").wait_for()
    assert page.get_by_text("not this account's password").count() == 2
    page.get_by_label("Your password").fill("quiet harbour 1987")
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Welcome, Vesna Kovačević").wait_for()
    assert "Vesna@example.org is confirmed" in page.get_by_role("status").first.inner_text()
    user.refresh_from_db()
    assert user.email_verified

    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").first.wait_for()
    _log_in(page, "VESNA@example.org", "quiet harbour 1987")
    page.get_by_role("heading", name="Welcome, Vesna Kovačević").wait_for()

    # Switch to Romanian with the switcher (a plain form: no JavaScript needed).
    page.get_by_label("Language").select_option("ro")
    page.get_by_role("button", name="Change").click()
    page.get_by_role("button", name="Deconectare").wait_for()
    assert page.locator("html").get_attribute("lang") == "ro"
    user.refresh_from_db()
    assert user.preferred_language == "ro"


def _verification_link() -> str:
    """The path of the verification link in the last e-mail sent."""
    return re.search(r"https?://[^/\s]+(/accounts/verify/\S+)", mail.outbox[-1].body).group(1)


def test_an_unconfirmed_account_sees_it_on_its_profile_and_asks_again(page, password):
    user = UserFactory(email="late@example.org", email_verified_at=None)
    _log_in(page, user.email, password)
    page.goto("/accounts/profile/")
    page.get_by_text("not confirmed yet").wait_for()
    page.get_by_role("button", name="Send the link again").click()
    page.get_by_text("We sent a new link to late@example.org").wait_for()
    page.goto(_verification_link())
    page.get_by_label("Your password").fill(password)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text("late@example.org is confirmed").wait_for()
    page.goto("/accounts/profile/")
    page.get_by_text("confirmed", exact=True).wait_for()


def test_a_wrong_password_is_told_and_nothing_else_happens(page):
    UserFactory(email="someone@example.org")
    _log_in(page, "someone@example.org", "not the password")
    page.get_by_role("alert").wait_for()
    assert "do not match" in page.get_by_role("alert").inner_text()
    assert re.search(r"/accounts/login/$", page.url)


def test_pages_work_with_javascript_off(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/accounts/signup/")
    page.get_by_label("E-mail address").fill("nojs@example.org")
    page.get_by_label("Display name").fill("No Script")
    page.get_by_label("Password", exact=True).fill("lantern meadow 5512")
    page.get_by_label("Password again").fill("lantern meadow 5512")
    page.get_by_role("button", name="Sign up").click()
    page.get_by_role("heading", name="Check your e-mail").wait_for()
    page.goto(_verification_link())
    page.get_by_label("Your password").fill("lantern meadow 5512")
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Welcome, No Script").wait_for()
    context.close()


def _competences(course, learner):
    """A framework, the course aligned to it, a role, and a completion of the course."""
    competence = CompetenceFactory(abbreviated_statement="Listening")
    CompetenceFactory(framework=competence.framework, parent=competence)
    align(competence=competence, course=course, level=2)
    role = set_role_profile(
        slug="case-worker", framework=competence.framework, name={"en": "Case worker"},
        targets=[(competence, 3)],
    )  # fmt: skip
    CompletionRecord.objects.create(
        learner=learner, course=course, registration=uuid.uuid4(), completed_at=timezone.now(),
        evidence=[],
    )  # fmt: skip
    return f"/frameworks/{competence.framework.identifier}/", role


def _organisation_pages(organisation, admin, course):
    """A unit, a seat pool, an assignment and an invitation; the organisation's pages."""
    from organisations.core import services
    from organisations.invitations.services import invite
    from organisations.models import SeatPool
    from organisations.seats.services import assign_seat

    unit = services.create_unit(organisation=organisation, name="Team North")
    services.set_unit_membership(unit=unit, user=admin, supervises=True)
    today = timezone.localdate()
    pool = SeatPool.objects.create(
        organisation=organisation, name="Seats", seats=3, valid_from=today,
        valid_until=today + timedelta(days=30),
    )  # fmt: skip
    assign_seat(pool=pool, member=admin, by=admin)
    services.assign_course(
        organisation=organisation, members=[admin], course=course, due_on=today, by=admin
    )
    _invitation, token = invite(organisation=organisation, email="new@example.org", by=admin)
    base = f"/organisations/{organisation.public_id}"
    urls = [
        f"{base}/reports/team/",
        f"{base}/reports/summary/",
        f"{base}/reports/coverage/",
        f"{base}/units/",
        f"{base}/assignments/",
        f"{base}/invitations/",
        f"{base}/seats/",
        f"{base}/seats/{pool.public_id}/",
        f"{base}/audits/",
        f"{base}/cpd/",
        f"{base}/access-log/",
    ]
    return urls, f"/organisations/invitations/accept/{token}/"


def _cpd_ledger(user, body):
    """``user`` reports to a rule set of ``body``, has an entry with a discussion awaiting a
    peer, and is asked to confirm someone else's: the CPD pages have content."""
    rule_set = RuleSetFactory(time_zone="UTC", body=body)
    RequirementFactory(rule_set=rule_set, kind=RequirementKind.HOURS, amount=10)
    RequirementFactory(rule_set=rule_set, kind=RequirementKind.DISCUSSIONS, amount=1)
    RuleSetFactory()  # one more to register with
    CpdRegistrationFactory(learner=user, rule_set=rule_set)
    peer = UserFactory()
    day = max(timezone.localdate() - timedelta(days=1), date(timezone.localdate().year, 1, 1))
    entry = CpdEntryFactory(
        learner=user, date=day, learning="Risk factors.", impact="Earlier referrals.",
        discussion_with=peer, discussion_notes="A case.", discussion_status="pending",
    )  # fmt: skip
    CpdEntryFactory(
        learner=peer, date=day, discussion_with=user, discussion_notes="Our supervision.",
        discussion_status="pending",
    )  # fmt: skip
    return entry


def test_every_page_has_no_accessibility_violations(page, axe_violations):  # noqa: PLR0915
    """axe-core (WCAG 2.1 AA and best practices) on every page built so far, in two languages."""
    organisation = OrganisationFactory()
    course = CourseFactory()
    course.themes.add(ThemeFactory())
    admin = make_member(organisation, role=MembershipRole.ADMIN).user
    enrol_learner(learner=admin, course=course)
    journey = JourneyFactory()
    journey.steps.create(course=course, order=1)
    enrol_in_journey(learner=admin, journey=journey)
    course.units.create(
        index=0,
        activity_iri="https://example.org/au/1",
        title={"en": "Unit one"},
        url="https://example.org/au/1",
    )
    make_member(organisation, role=MembershipRole.MEMBER)
    body = AccreditingBodyFactory()
    add_accreditor(body=body, user=admin)
    password = UserFactory.default_password
    framework_url, role = _competences(course, admin)
    org_urls, invitation_url = _organisation_pages(organisation, admin, course)
    certificate = stored_certificate(learner=admin)
    accreditation = Accreditation.objects.create(
        body=body, course=course, reference="ACC-1", cpd_value=2, valid_from=date(2026, 1, 1)
    )
    record = CompletionRecord.objects.filter(course=course).first()
    audit_round = draw_round(accreditation=accreditation, by=admin, size=1)
    bundle = request_bundle(accreditation=accreditation, by=admin, audit_round=audit_round)
    cpd_entry = _cpd_ledger(admin, body)
    cpd_round = draw_round(
        rule_set=cpd_entry.learner.cpd_registrations.get().rule_set, by=admin, size=1
    )
    profile_url = (
        f"/accreditation/rounds/{cpd_round.public_id}/profiles/{cpd_round.samples.get().pk}/"
    )

    violations: list[str] = []
    anonymous = [
        "/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password-reset/",
        "/accounts/password-reset/sent/",
        "/accounts/reset/MQ/invalid-token/",
        "/accounts/signup/sent/",
        "/accounts/verify/MQ/invalid-token/",
        urlsplit(verification_url(UserFactory(email_verified_at=None))).path,
        "/api/docs/",
        "/no-such-page/",
        "/courses/",
        "/courses/?level=expert",  # with form errors shown
        f"/courses/{course.slug}/",
        "/frameworks/",
        framework_url,
        f"{framework_url}?q=competence",
        invitation_url,
        "/verify/",
        f"/verify/{certificate.verification_code}",
        "/verify/no-such-code",
        "/records/chain-head/",
    ]
    for url in anonymous:
        page.goto(url)
        violations += axe_violations(page)

    # Pages with form errors shown.
    page.goto("/accounts/signup/")
    page.get_by_role("button", name="Sign up").click()
    page.locator(".error").first.wait_for()
    violations += axe_violations(page)
    _log_in(page, "nobody@example.org", "wrong password")
    page.get_by_role("alert").wait_for()
    violations += axe_violations(page)

    _log_in(page, admin.email, password)
    page.get_by_role("heading", name=re.compile("Welcome")).wait_for()
    signed_in = [
        "/",
        "/accounts/profile/",
        "/accounts/password-change/",
        "/organisations/",
        f"/organisations/{organisation.public_id}/",
        "/accreditation/",
        "/learning/",
        f"/courses/journeys/{journey.slug}/",
        f"/courses/{course.slug}/",
        "/frameworks/mine/",
        f"/frameworks/mine/?role={role.slug}",
        *org_urls,
        "/certificates/",
        f"/accreditation/{accreditation.public_id}/",
        f"/accreditation/records/{record.public_id}/",
        f"/accreditation/{accreditation.public_id}/rounds/new",
        f"/accreditation/rounds/{audit_round.public_id}/",
        f"/accreditation/bundles/{bundle.public_id}/",
        f"/organisations/{organisation.public_id}/reports/coverage/?role={role.slug}",
        "/cpd/",
        "/cpd/entries/new",
        f"/cpd/entries/{cpd_entry.public_id}/edit",
        "/cpd/confirmations/",
        f"/accreditation/cpd/{cpd_round.rule_set.public_id}/rounds/new",
        f"/accreditation/rounds/{cpd_round.public_id}/",
        profile_url,
    ]
    for url in signed_in:
        page.goto(url)
        violations += axe_violations(page)
    staff = UserFactory(is_staff=True)
    page.get_by_role("button", name="Log out").click()
    _log_in(page, staff.email, password)
    page.get_by_role("heading", name=re.compile("Welcome")).wait_for()
    for url in (
        "/courses/import/",
        "/frameworks/import/",
        "/accreditation/issue/",
        f"/frameworks/courses/{course.slug}/",
        f"/frameworks/courses/{course.slug}/?q=listening",
        f"/courses/{course.slug}/",  # with the staff's section
        f"/learning/courses/{course.slug}/learners/",
        f"/learning/courses/{course.slug}/learners/?q=nobody",
        f"/learning/courses/{course.slug}/learners/{admin.public_id}/",
    ):
        page.goto(url)
        violations += axe_violations(page)
    page.get_by_role("button", name="Log out").click()
    _log_in(page, admin.email, password)
    page.get_by_role("heading", name=re.compile("Welcome")).wait_for()
    page.goto("/accounts/profile/")
    page.get_by_role("button", name="Make a new API token").click()
    page.get_by_role("heading", name="Your API token").wait_for()
    violations += axe_violations(page)

    # The same pages in Romanian.
    page.get_by_label("Language").select_option("ro")
    page.get_by_role("button", name="Change").click()
    page.get_by_role("button", name="Deconectare").wait_for()
    for url in signed_in:
        page.goto(url)
        violations += axe_violations(page)

    assert violations == []


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("language", ["en", "ro"])
def test_the_confirmation_pages_on_a_phone_and_a_desktop_in_two_languages(
    browser, live_server, width, language, axe_violations
):
    """Sign-up's answer, the confirm page (with a wrong password), a used link and the profile
    of an unconfirmed account: each fits the screen, says what happened, and passes axe."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}, locale=language
    )
    page = context.new_page()
    page.goto("/accounts/signup/")
    page.locator("input[name=email]").fill("Ilinca.Constantinescu-Popa@example.org")
    page.locator("input[name=display_name]").fill("Ilinca Constantinescu-Popa")
    page.locator("select[name=preferred_language]").select_option(language)
    page.locator("input[name=password1]").fill("quiet harbour 1987")
    page.locator("input[name=password2]").fill("quiet harbour 1987")
    page.locator("form.form button[type=submit]").click()
    heading = {"en": "Check your e-mail", "ro": "Verifică-ți e-mailul"}[language]
    page.get_by_role("heading", name=heading).wait_for()
    seen = [axe_violations(page)]
    assert_no_sideways_scroll(page)
    link = _verification_link()
    page.goto(link)
    page.locator("input[name=password]").fill("wrong")
    page.locator("form.form button[type=submit]").click()
    page.locator(".error, .errors").first.wait_for()
    seen.append(axe_violations(page))
    assert_no_sideways_scroll(page)
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill("Ilinca.Constantinescu-Popa@example.org")
    page.locator("input[name=password]").fill("quiet harbour 1987")
    page.locator("form button[type=submit]").last.click()
    page.goto("/accounts/profile/")
    unconfirmed = {"en": "not confirmed yet", "ro": "neconfirmată încă"}[language]
    page.get_by_text(unconfirmed).wait_for()
    seen.append(axe_violations(page))
    assert_no_sideways_scroll(page)
    page.goto(link)
    page.locator("input[name=password]").fill("quiet harbour 1987")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(link)  # used: says so
    used = {"en": "confirmed already", "ro": "deja confirmată"}[language]
    page.get_by_text(used).wait_for()
    seen.append(axe_violations(page))
    assert_no_sideways_scroll(page)
    context.close()
    assert [v for page_violations in seen for v in page_violations] == []
