"""A learner on a phone (375 px) finds their unread notifications in the menu, reads one, marks
the rest read, chooses a weekly digest, and unsubscribes from an e-mail's link; every page fits
the screen and passes axe-core."""

import pytest

from lms.api import Delivery
from lms.models import Notification, NotificationPreference
from lms.notifications.services import notify
from lms.notifications.tokens import make_token
from tests.browser.menu import open_menu
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SIDEWAYS = "() => document.documentElement.scrollWidth > window.innerWidth"


def _log_in(page, email, password):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def _check(page, axe_violations):
    assert not page.evaluate(SIDEWAYS), page.url
    assert axe_violations(page) == []


def test_a_learner_reads_chooses_and_unsubscribes_on_a_phone(page, axe_violations):
    learner = UserFactory(display_name="Alexandra-Ioana Constantinescu-Popovici")
    for _ in range(3):
        notify(
            "certificate_expiring",
            recipient=learner,
            template="certificates/email/expiry_reminder",
            context={
                "learner": learner,
                "title": "Supervizare și practică reflexivă în protecția copilului",
                "serial": "PRA-2026-0000-0001",
                "expires_on": None,
                "renew_url": "http://testserver/courses/",
                "verification_url": "http://testserver/verify/ABCD-EFGH-IJKL-MNOP-QRST",
            },
            url="/courses/",
        )
    page.set_viewport_size({"width": 375, "height": 800})
    _log_in(page, learner.email, UserFactory.default_password)

    open_menu(page)
    page.get_by_role("link", name="Notifications (3 unread)").click()
    page.get_by_role("heading", name="Notifications", level=1).wait_for()
    assert page.locator(".badge").count() == 3
    _check(page, axe_violations)

    page.get_by_role("button", name="Mark as read").first.click()
    page.get_by_role("heading", name="Notifications", level=1).wait_for()
    assert page.locator(".badge").count() == 2
    page.get_by_role("button", name="Mark all as read").click()
    page.get_by_text("Your notifications are all marked as read.").wait_for()
    assert page.locator(".badge").count() == 0
    assert not Notification.objects.filter(read_at__isnull=True).exists()

    page.get_by_role("link", name="Choose which e-mails you get").click()
    page.get_by_role("heading", name="Notification e-mails").wait_for()
    _check(page, axe_violations)
    page.get_by_role("group", name="One of your certificates expires soon").get_by_label(
        "A weekly digest"
    ).check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Your choices are saved.").wait_for()
    assert (
        NotificationPreference.objects.get(user=learner, kind="certificate_expiring").delivery
        == Delivery.WEEKLY
    )

    page.goto(
        f"/notifications/unsubscribe/{make_token(user_id=learner.pk, kind='certificate_issued')}"
    )
    page.get_by_role("heading", name="Unsubscribe").wait_for()
    _check(page, axe_violations)
    page.get_by_role("button", name="Unsubscribe from these e-mails").click()
    page.get_by_role("heading", name="Unsubscribed").wait_for()
    _check(page, axe_violations)
    assert (
        NotificationPreference.objects.get(user=learner, kind="certificate_issued").delivery
        == Delivery.OFF
    )
