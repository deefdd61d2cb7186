"""Sign-up, log-in (and its throttle), log-out, password reset and the profile page."""

import re
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from lms import verification
from lms.models import User
from tests.lms.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "Jelena@Example.org",
    "display_name": "Jelena Petrović",
    "preferred_language": "ro",
    "country": "RS",
    "profession": "psychologist",
    "gender": "",
    "password1": "river stone lantern 42",
    "password2": "river stone lantern 42",
}


def _sign_up(client, data, *, path=None, captured):
    """POST the sign-up form; run what it queued (eager Celery: the e-mail goes now)."""
    with captured(execute=True):
        return client.post(path or reverse("signup"), data)


def _link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/verify/\S+)", message.body).group(1)


@pytest.mark.smoke
def test_sign_up_creates_the_account_and_mails_a_link_that_confirms_it(
    client, django_capture_on_commit_callbacks
):
    response = _sign_up(client, SIGNUP, captured=django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("signup_sent")
    user = User.objects.get()
    assert (user.email, user.country.code, user.profession) == (
        "Jelena@example.org",
        "RS",
        "psychologist",
    )
    assert not user.analytics_consent
    assert not user.email_verified
    assert client.get(reverse("home")).context["user"].is_anonymous  # not logged in by it
    page = client.get(reverse("signup_sent")).content.decode()
    assert "We sent a message to Jelena@example.org." in page
    (message,) = mail.outbox
    assert message.to == ["Jelena@example.org"]
    # The e-mail is in the person's language (Romanian here).
    assert message.subject == "Confirmă-ți adresa de e-mail"
    link = _link_in(message)
    confirm = client.get(link)
    assert confirm.status_code == 200
    assert confirm["Referrer-Policy"] == "same-origin"  # the token never leaves the site
    assert "Jelena@example.org" in confirm.content.decode()
    response = client.post(link, {"password": SIGNUP["password1"]})
    assert response["Location"] == "/"
    user.refresh_from_db()
    assert user.email_verified
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ro"
    assert client.get(reverse("home")).context["user"] == user
    # One time: the link no longer works once used.
    client.logout()
    assert client.get(link).status_code == 410
    assert client.post(link, {"password": SIGNUP["password1"]}).status_code == 410


def test_the_link_alone_does_not_confirm_without_the_password(
    client, django_capture_on_commit_callbacks
):
    """Someone signed up with another's address: its owner, who has only the e-mail, cannot
    take over an account whose password the other knows (account pre-hijacking)."""
    _sign_up(client, SIGNUP, captured=django_capture_on_commit_callbacks)
    link = _link_in(mail.outbox[0])
    response = client.post(link, {"password": "not the password"})
    assert response.status_code == 400
    assert "password" in response.context["form"].errors
    response = client.post(link, {})
    assert response.status_code == 400
    assert not User.objects.get().email_verified
    assert client.get(reverse("home")).context["user"].is_anonymous


def test_a_password_reset_confirms_the_address_too(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="owner@example.org", email_verified_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "owner@example.org"})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(
        form_url, {"new_password1": "fresh meadow 2026", "new_password2": "fresh meadow 2026"}
    )
    user.refresh_from_db()
    assert user.email_verified


@pytest.mark.parametrize(
    "tampered",
    [
        lambda link: link.replace("/verify/", "/verify/x"),
        # The token's last two hex digits, changed (never to themselves).
        lambda link: link[:-3] + ("00" if link[-3:-1] != "00" else "11") + "/",
        lambda link: "/accounts/verify/Zm9v/abc-def/",  # "foo"
        lambda link: "/accounts/verify/OTk5OTk5OTk5OTk5OTk5OTk5OTk5/abc-def/",
    ],
)
def test_a_forged_or_broken_link_is_refused(client, django_capture_on_commit_callbacks, tampered):
    _sign_up(client, SIGNUP, captured=django_capture_on_commit_callbacks)
    link = tampered(_link_in(mail.outbox[0]))
    assert client.get(link).status_code in {404, 410}
    assert client.post(link, {"password": SIGNUP["password1"]}).status_code in {404, 410}
    assert not User.objects.get().email_verified


@pytest.mark.parametrize(
    ("wanted", "lands_on"),
    [
        ("/organisations/invitations/accept/abc/", "/organisations/invitations/accept/abc/"),
        ("https://evil.example.com/phish", "/"),
        ("//evil.example.com/", "/"),
    ],
)
def test_sign_up_returns_to_a_page_of_this_site_only(
    client, django_capture_on_commit_callbacks, wanted, lands_on
):
    page = client.get(reverse("signup"), {"next": wanted}).content.decode()
    assert (f'name="next" value="{wanted}"' in page) is (lands_on != "/")
    path = f"{reverse('signup')}?{urlencode({'next': wanted})}"
    _sign_up(client, SIGNUP, path=path, captured=django_capture_on_commit_callbacks)
    link = _link_in(mail.outbox[0])
    response = client.post(link, {"password": SIGNUP["password1"]})
    assert response["Location"] == lands_on


def test_sign_up_with_an_address_that_has_an_account_answers_the_same(
    client, django_capture_on_commit_callbacks
):
    """Whether an address has an account does not show (issue 17): the same redirect and page;
    its owner alone hears of it, by e-mail."""
    UserFactory(email="jelena@example.org")
    taken = _sign_up(
        client,
        {**SIGNUP, "email": "JELENA@example.org"},
        captured=django_capture_on_commit_callbacks,
    )
    fresh = _sign_up(
        Client(),
        {**SIGNUP, "email": "someone.new@example.org"},
        captured=django_capture_on_commit_callbacks,
    )
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert User.objects.count() == 2
    owner_mail, new_mail = mail.outbox
    assert owner_mail.to == ["JELENA@example.org"]
    assert "already" in owner_mail.subject
    assert "/accounts/verify/" not in owner_mail.body
    assert "/accounts/password-reset/" in owner_mail.body
    assert "/accounts/verify/" in new_mail.body


def test_signing_up_again_before_confirming_resends_the_link_not_too_often(
    client, django_capture_on_commit_callbacks, settings
):
    settings.VERIFICATION_RESEND_SECONDS = 300
    for _ in range(3):
        _sign_up(client, SIGNUP, captured=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1  # one e-mail per address in five minutes, however many tries
    assert User.objects.count() == 1


def test_an_unconfirmed_account_logs_in_sees_its_state_and_asks_for_the_link_again(
    client, django_capture_on_commit_callbacks, password
):
    user = UserFactory(email="late@example.org", email_verified_at=None)
    client.post(reverse("login"), {"username": "late@example.org", "password": password})
    page = client.get(reverse("profile")).content.decode()
    assert "not confirmed yet" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("resend_verification"), follow=True)
    assert "We sent a new link to late@example.org" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("resend_verification"), follow=True)
    assert "a moment ago" in response.content.decode()
    (message,) = mail.outbox
    response = client.post(_link_in(message), {"password": password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_verified
    assert "not confirmed yet" not in client.get(reverse("profile")).content.decode()


def test_a_confirmed_address_ignores_a_second_confirmation(client, user, password):
    first = user.email_verified_at
    verification.verify_email(user=user)
    user.refresh_from_db()
    assert user.email_verified_at == first


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password2": "something else entirely"}, "password2"),
        ({"password1": "12345678", "password2": "12345678"}, "password1"),
        ({"email": ""}, "email"),
        ({"display_name": ""}, "display_name"),
        ({"profession": "astronaut"}, "profession"),
        ({"country": "ZZ"}, "country"),
    ],
)
def test_sign_up_with_bad_input_names_the_field_and_stores_nothing(client, change, field):
    response = client.post(reverse("signup"), {**SIGNUP, **change})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.exists()


@pytest.mark.smoke
def test_log_in_with_the_address_in_another_case(client, password):
    user = UserFactory(email="milan@example.org", preferred_language="ro")
    response = client.post(
        reverse("login"), {"username": "MILAN@example.org", "password": password}
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ro"
    assert client.get(reverse("home")).context["user"] == user


def test_failed_log_ins_are_throttled(client, password):
    UserFactory(email="target@example.org")
    statuses = [
        client.post(
            reverse("login"), {"username": "Target@example.org", "password": "wrong guess"}
        ).status_code
        for _attempt in range(settings.AXES_FAILURE_LIMIT)
    ]
    # The failure that reaches the limit locks the address out, whatever its case.
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    # Locked out now: even the right password is refused, with a page saying why.
    response = client.post(
        reverse("login"), {"username": "target@example.org", "password": password}
    )
    assert response.status_code == 429
    assert b"Too many failed log-ins" in response.content
    assert "_auth_user_id" not in client.session
    # One counter for the address, whatever its case.
    assert AccessAttempt.objects.get().username == "target@example.org"


def test_log_out_needs_a_post(client, user):
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_mails_a_working_link_through_the_task_queue(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email="reset.me@example.org")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("password_reset"), {"email": "RESET.me@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []  # queued, not sent inside the request's transaction
    assert len(callbacks) == 1
    callbacks[0]()  # eager Celery in tests: the task runs now
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reset.me@example.org"]
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", message.body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "fresh meadow 2026", "new_password2": "fresh meadow 2026"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("fresh meadow 2026")


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_profile_edit_saves_and_switches_language(client, user):
    client.force_login(user)
    response = client.post(
        reverse("profile"),
        {
            "display_name": "Renamed Person",
            "preferred_language": "ro",
            "country": "MD",
            "profession": "teacher",
            "gender": "female",
            "analytics_consent": "on",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.country.code, user.profession, user.gender) == (
        "Renamed Person",
        "MD",
        "teacher",
        "female",
    )
    assert user.analytics_consent
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ro"


def test_profile_edit_with_bad_input_is_a_form_error(client, user):
    client.force_login(user)
    response = client.post(reverse("profile"), {"display_name": "", "preferred_language": "xx"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"display_name", "preferred_language"}
    user.refresh_from_db()
    assert user.display_name != ""


def test_profile_needs_log_in(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_new_api_token_replaces_the_old_one(client, user):
    client.force_login(user)
    first = client.post(reverse("api_token")).context["token"]
    second = client.post(reverse("api_token")).context["token"]
    assert first != second
    assert list(Token.objects.filter(user=user).values_list("key", flat=True)) == [second]


def test_a_new_password_revokes_the_api_token(client):
    from django.urls import reverse
    from rest_framework.authtoken.models import Token

    from lms.services import replace_api_token

    user = UserFactory()
    key = replace_api_token(user=user)
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": UserFactory.default_password,
            "new_password1": "a-brand-new-passphrase-2026",
            "new_password2": "a-brand-new-passphrase-2026",
        },
    )
    assert response.status_code == 302
    assert not Token.objects.filter(key=key).exists()
    from rest_framework.test import APIClient

    tokened = APIClient()
    tokened.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert tokened.get("/api/me/").status_code == 401


def test_a_reset_password_revokes_the_api_token_too():
    from rest_framework.authtoken.models import Token

    from lms.services import replace_api_token

    user = UserFactory()
    replace_api_token(user=user)
    user.set_password("reset-through-the-emailed-link-2026")
    user.save()
    assert not Token.objects.filter(user=user).exists()


def test_log_out_everywhere_ends_other_sessions_and_the_token(client):
    from django.test import Client
    from django.urls import reverse
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from lms.services import replace_api_token

    user = UserFactory()
    key = replace_api_token(user=user)
    phone, laptop = Client(), client
    for device in (phone, laptop):
        device.force_login(user)
        assert device.get(reverse("profile")).status_code == 200
    response = laptop.post(reverse("log_out_everywhere"), follow=True)
    assert "logged out on every device" in response.content.decode()
    assert phone.get(reverse("profile")).status_code == 302  # back to the log-in page
    assert laptop.get(reverse("profile")).status_code == 302
    assert not Token.objects.filter(key=key).exists()
    tokened = APIClient()
    tokened.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert tokened.get("/api/me/").status_code == 401
    # Logging in again works, and only the new session counts.
    assert (
        laptop.post(
            reverse("login"), {"username": user.email, "password": UserFactory.default_password}
        ).status_code
        == 302
    )
    assert laptop.get(reverse("profile")).status_code == 200
