"""Notifications (lms.notifications): kept in the person's centre, e-mailed by their choice per
kind (each, daily or weekly digest, off), one-click unsubscribe (RFC 8058), the menu's count."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from lms.api import Delivery, notify, register_notification_kind
from lms.models import Notification, NotificationPreference
from lms.notifications import kinds
from lms.notifications.digest import send_digests
from lms.notifications.kinds import NotificationKindError
from lms.notifications.selectors import unread_count
from lms.notifications.services import mark_all_read, set_preferences
from lms.notifications.tasks import send_daily_digest, send_weekly_digest
from lms.notifications.tokens import DIGEST, make_token
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db

KIND = "test_event"
OTHER = "test_other"
TEMPLATE = "lms/email/verify_email"


@pytest.fixture(autouse=True)
def _kinds():
    register_notification_kind(KIND, "Test events", description="For tests.")
    register_notification_kind(OTHER, "Other events", default=Delivery.DAILY)
    yield
    kinds._kinds.pop(KIND, None)
    kinds._kinds.pop(OTHER, None)


def _tell(person, *, kind=KIND, url="/learning/", n=1):
    for i in range(n):
        notify(
            kind,
            recipient=person,
            template=TEMPLATE,
            context={"user": person, "url": f"http://testserver/x/{i}", "hours": 72},
            url=url,
        )


def _unsubscribe_link(message) -> str:
    return re.search(
        r"<https?://[^/]+(/notifications/unsubscribe/[^>]+)>",
        message.extra_headers["List-Unsubscribe"],
    ).group(1)


# --- notify and the choices ------------------------------------------------------------------


def test_notify_keeps_it_in_the_centre_and_emails_it_with_one_click_unsubscribe(
    django_capture_on_commit_callbacks,
):
    person = UserFactory(preferred_language="ro")
    with django_capture_on_commit_callbacks(execute=True):
        _tell(person)
    (kept,) = Notification.objects.filter(recipient=person)
    assert kept.kind == KIND
    assert kept.title == "Confirmă-ți adresa de e-mail"  # rendered in the person's language
    assert "http://testserver/x/0" in kept.body
    assert "unsubscribe" not in kept.body.lower()  # the footer is the e-mail's only
    assert kept.url == "/learning/"
    assert kept.read_at is None
    assert kept.emailed_at is not None
    (message,) = mail.outbox
    assert message.to == [person.email]
    # RFC 2369 §3.2 and RFC 8058 §3.1
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = _unsubscribe_link(message)
    assert f"http://testserver{link}" in message.body  # the visible footer, text part
    html = message.alternatives[0][0]
    assert f"http://testserver{link}" in html
    assert "/notifications/preferences/" in html
    assert message.message()["List-Unsubscribe"].startswith("<http://testserver/notifications/")
    person.refresh_from_db()
    assert person.unread_notifications == 1 == unread_count(person)


def test_an_unregistered_kind_is_a_programming_error():
    person = UserFactory()
    with pytest.raises(NotificationKindError):
        _tell(person, kind="nobody_registered_this")
    assert not Notification.objects.exists()


@pytest.mark.parametrize("delivery", [Delivery.DAILY, Delivery.WEEKLY, Delivery.OFF])
def test_a_person_who_chose_otherwise_gets_no_email_now(
    delivery, django_capture_on_commit_callbacks
):
    person = UserFactory()
    set_preferences(user=person, choices={KIND: delivery})
    with django_capture_on_commit_callbacks(execute=True):
        _tell(person)
    assert mail.outbox == []
    kept = Notification.objects.get(recipient=person)
    assert kept.delivery == delivery
    assert kept.emailed_at is None


def test_a_kinds_default_applies_without_a_choice(django_capture_on_commit_callbacks):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _tell(person, kind=OTHER)  # daily by default
    assert mail.outbox == []
    assert Notification.objects.get().delivery == Delivery.DAILY


def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _tell(person)
    assert len(callbacks) == 1  # queued on commit, not sent inside the transaction
    assert mail.outbox == []


# --- digests ---------------------------------------------------------------------------------


def _digest_world(people: int, delivery=Delivery.DAILY):
    folks = UserFactory.create_batch(people)
    for person in folks:
        set_preferences(user=person, choices={KIND: delivery})
        _tell(person, n=3)
    return folks


def test_the_daily_digest_sends_one_email_per_person_once(django_capture_on_commit_callbacks):
    folks = _digest_world(2)
    weekly = UserFactory()
    set_preferences(user=weekly, choices={KIND: Delivery.WEEKLY})
    _tell(weekly)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digest.delay().get() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in folks)
    message = mail.outbox[0]
    assert message.subject == "Your daily notifications"
    assert "You have 3 new notifications:" in message.body
    assert message.body.count("/notifications/") >= 3  # each item links to its page
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "List-Unsubscribe" in message.extra_headers
    # Idempotent: a second run finds nothing left.
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(Delivery.DAILY) == 0
    assert len(mail.outbox) == 2
    assert not Notification.objects.filter(recipient__in=folks, emailed_at__isnull=True).exists()
    # The weekly one waits for its own digest.
    with django_capture_on_commit_callbacks(execute=True):
        assert send_weekly_digest.delay().get() == 1
    assert mail.outbox[-1].to == [weekly.email]
    assert mail.outbox[-1].subject == "Your weekly notifications"


@pytest.mark.parametrize("people", [2, 12])
def test_the_digest_takes_the_same_queries_for_more_people(
    people, django_assert_num_queries, django_capture_on_commit_callbacks
):
    _digest_world(people)
    # A savepoint, claiming the rows with their people, marking them, the savepoint's release.
    with django_assert_num_queries(4):
        sent = send_digests(Delivery.DAILY)
    assert sent == people


def test_turning_a_kind_off_takes_its_waiting_items_out_of_the_digest(
    django_capture_on_commit_callbacks,
):
    (person,) = _digest_world(1)
    set_preferences(user=person, choices={KIND: Delivery.OFF})
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(Delivery.DAILY) == 0
    assert mail.outbox == []


def test_moving_a_kind_to_the_weekly_digest_moves_its_waiting_items(
    django_capture_on_commit_callbacks,
):
    (person,) = _digest_world(1)
    set_preferences(user=person, choices={KIND: Delivery.WEEKLY})
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests(Delivery.DAILY) == 0
        assert send_digests(Delivery.WEEKLY) == 1


def test_the_digests_run_on_beat(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"lms.send_daily_digest", "lms.send_weekly_digest"} <= tasks


# --- one-click unsubscribe -------------------------------------------------------------------


def test_a_one_click_post_turns_the_kinds_emails_off_without_a_session_or_csrf(
    django_capture_on_commit_callbacks,
):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _tell(person)
    link = _unsubscribe_link(mail.outbox[0])
    client = Client(enforce_csrf_checks=True)  # as a mail client: no cookie, no token
    response = client.post(link, {"List-Unsubscribe": "One-Click"})  # RFC 8058 §3.2
    assert response.status_code == 200
    assert "Test events" in response.content.decode()
    assert NotificationPreference.objects.get(user=person, kind=KIND).delivery == Delivery.OFF
    with django_capture_on_commit_callbacks(execute=True):
        _tell(person)
    assert len(mail.outbox) == 1  # no second e-mail
    assert Notification.objects.filter(recipient=person).count() == 2  # still in the centre


def test_opening_the_link_only_asks_to_confirm(client, django_capture_on_commit_callbacks):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _tell(person)
    response = client.get(_unsubscribe_link(mail.outbox[0]))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<form method="post">' in page
    assert 'name="List-Unsubscribe" value="One-Click"' in page
    assert not NotificationPreference.objects.exists()  # a link scanner changes nothing


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_link_is_refused_with_a_message(client, method):
    person = UserFactory()
    token = make_token(user_id=person.pk, kind=KIND)
    forged = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    response = getattr(client, method)(reverse("notifications:unsubscribe", args=[forged]))
    assert response.status_code == 400
    assert "not valid or has expired" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_a_link_of_another_purpose_or_an_old_one_is_refused(client, settings, time_machine):
    person = UserFactory()
    from django.core import signing

    other = signing.dumps({"u": person.pk, "k": KIND}, salt="something.else")
    assert client.post(reverse("notifications:unsubscribe", args=[other])).status_code == 400
    time_machine.move_to("2026-12-01T10:00:00Z", tick=False)
    token = make_token(user_id=person.pk, kind=KIND)
    time_machine.shift(86400 * (settings.NOTIFICATION_UNSUBSCRIBE_MAX_AGE_DAYS + 1))
    assert client.post(reverse("notifications:unsubscribe", args=[token])).status_code == 400


def test_a_link_for_a_deleted_account_or_kind_is_a_404(client):
    token = make_token(user_id=999999, kind=KIND)
    assert client.post(reverse("notifications:unsubscribe", args=[token])).status_code == 404
    person = UserFactory()
    gone = make_token(user_id=person.pk, kind="no_longer_registered")
    assert client.post(reverse("notifications:unsubscribe", args=[gone])).status_code == 404


def test_a_digests_link_turns_every_digest_kind_off(client):
    person = UserFactory()
    set_preferences(user=person, choices={KIND: Delivery.WEEKLY})
    token = make_token(user_id=person.pk, kind=DIGEST)
    response = client.post(
        reverse("notifications:unsubscribe", args=[token]), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    stored = dict(
        NotificationPreference.objects.filter(user=person).values_list("kind", "delivery")
    )
    assert stored[KIND] == Delivery.OFF
    assert stored[OTHER] == Delivery.OFF  # daily by default
    for other_kind in {k.key for k in kinds.all_kinds()} - {KIND, OTHER}:
        assert stored.get(other_kind) in (None, Delivery.OFF)


# --- the centre ------------------------------------------------------------------------------


def test_the_centre_needs_a_login(client):
    response = client.get(reverse("notifications:centre"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("count", [3, 30])
def test_the_centre_lists_newest_first_a_page_at_a_time(
    client, count, django_assert_max_num_queries
):
    person = UserFactory()
    _tell(person, n=count)
    Notification.objects.filter(recipient=person).update(title="Item")
    newest = Notification.objects.filter(recipient=person).order_by("-id").first()
    newest.title = "The newest"
    newest.save()
    client.force_login(person)
    # Session, user, the page's rows; the menu's roles and to-do; the count is on the user.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("notifications:centre"))
    page = response.content.decode()
    assert page.index("The newest") < page.index("Item")
    assert page.count('class="badge"') == min(count, 20)  # "Unread", in words
    assert ('rel="next"' in page) == (count > 20)
    if count > 20:
        older = re.search(r'href="\?before=(\d+)"', page).group(1)
        second = client.get(reverse("notifications:centre"), {"before": older}).content.decode()
        assert second.count('<li class="card') == count - 20


def test_mark_one_and_mark_all_as_read(client):
    person = UserFactory()
    _tell(person, n=3)
    client.force_login(person)
    first = Notification.objects.filter(recipient=person).first()
    response = client.post(reverse("notifications:read", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    person.refresh_from_db()
    assert person.unread_notifications == 2
    response = client.post(reverse("notifications:read-all"), follow=True)
    assert "Your notifications are all marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=person, read_at__isnull=True).exists()
    person.refresh_from_db()
    assert person.unread_notifications == 0 == unread_count(person)


def test_marking_read_is_a_post(client):
    person = UserFactory()
    _tell(person)
    client.force_login(person)
    item = Notification.objects.get()
    assert client.get(reverse("notifications:read", args=[item.pk])).status_code == 405
    assert client.get(reverse("notifications:read-all")).status_code == 405


def test_nobody_sees_opens_or_marks_anothers_notifications(client):
    owner, intruder = UserFactory(), UserFactory()
    _tell(owner)
    item = Notification.objects.get()
    client.force_login(intruder)
    assert client.post(reverse("notifications:read", args=[item.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[item.pk])).status_code == 404
    assert item.title not in client.get(reverse("notifications:centre")).content.decode()
    client.post(reverse("notifications:read-all"))
    item.refresh_from_db()
    assert item.read_at is None


@pytest.mark.parametrize(
    ("url", "goes_to"),
    [
        ("/learning/", "/learning/"),
        ("http://testserver/cpd/", "http://testserver/cpd/"),
        ("https://evil.example/steal", "/notifications/"),
        ("//evil.example/steal", "/notifications/"),
        ("javascript:alert(1)", "/notifications/"),
        ("", "/notifications/"),
    ],
)
def test_opening_marks_it_read_and_follows_only_this_sites_links(client, url, goes_to):
    person = UserFactory()
    _tell(person, url=url)
    item = Notification.objects.get()
    client.force_login(person)
    response = client.get(reverse("notifications:open", args=[item.pk]))
    assert response.status_code == 302
    assert response["Location"] == goes_to
    item.refresh_from_db()
    assert item.read_at is not None


def test_the_menu_shows_the_unread_count_in_words(client):
    person = UserFactory()
    _tell(person, n=2)
    client.force_login(person)
    page = client.get(reverse("home")).content.decode()
    assert "Notifications (2 unread)" in page
    mark_all_read(user=person)
    page = client.get(reverse("home")).content.decode()
    assert "Notifications (2 unread)" not in page
    assert 'href="/notifications/"' in page


def test_the_menu_count_costs_no_query(
    client, django_assert_num_queries, django_assert_max_num_queries
):
    """The count is a column of the user's row, which every signed-in request reads anyway."""
    person = UserFactory()
    client.force_login(person)
    client.get(reverse("home"))
    with django_assert_max_num_queries(50) as before:
        client.get(reverse("home"))
    _tell(person, n=5)
    with django_assert_num_queries(len(before.captured_queries)):
        page = client.get(reverse("home")).content.decode()
    assert "Notifications (5 unread)" in page


# --- the preferences page --------------------------------------------------------------------


def test_the_preferences_page_saves_a_choice_per_kind(client):
    person = UserFactory()
    client.force_login(person)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Test events" in page
    assert "<legend>Test events</legend>" in page
    choices = {k.key: k.default.value for k in kinds.all_kinds()}
    choices[KIND] = Delivery.WEEKLY
    response = client.post(reverse("notifications:preferences"), choices, follow=True)
    assert "Your choices are saved." in response.content.decode()
    assert NotificationPreference.objects.get(user=person, kind=KIND).delivery == Delivery.WEEKLY


def test_the_preferences_page_refuses_an_unknown_choice(client):
    person = UserFactory()
    client.force_login(person)
    choices = {k.key: k.default.value for k in kinds.all_kinds()}
    choices[KIND] = "hourly"
    response = client.post(reverse("notifications:preferences"), choices)
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not NotificationPreference.objects.exists()
