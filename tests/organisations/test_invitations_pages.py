"""Invitation pages: the admins' list (single invitation, CSV preview then confirmation, resend,
revoke), who may see them (admins of the organisation only), a pinned query count, and the
accept page behind the e-mailed link (GET never consumes it; errors are 403/404/410)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from organisations.core import services
from organisations.invitations.services import accept_invitation, invite, revoke_invitation
from organisations.models import Invitation, InvitationStatus, Membership, MembershipRole
from tests.lms.factories import UserFactory
from tests.organisations.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db

HEADER = "email,name,role,unit,job_title,profession\n"


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Salvați Copiii Iași")


@pytest.fixture
def admin(organisation):
    return make_member(organisation, role=MembershipRole.ADMIN).user


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def _url(name, organisation, *args):
    return reverse(f"organisations:{name}", args=[organisation.public_id, *args])


def _accept_url(token):
    return reverse("organisations:invitation-accept", args=[token])


def _csv(text, name="people.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _payload(html: str) -> str:
    return re.search(r'name="payload" value="([^"]+)"', html).group(1)


# --- Who may see the admin pages -------------------------------------------------------------


def _admin_requests(organisation, invitation):
    return [
        ("get", _url("invitations", organisation)),
        ("post", _url("invitations", organisation)),
        ("post", _url("invitations-preview", organisation)),
        ("post", _url("invitations-confirm", organisation)),
        ("post", _url("invitation-resend", organisation, invitation.public_id)),
        ("post", _url("invitation-revoke", organisation, invitation.public_id)),
    ]


@pytest.mark.parametrize("role", [MembershipRole.MEMBER, MembershipRole.SUPERVISOR, "outsider"])
def test_the_admin_pages_are_a_404_for_anyone_but_the_organisations_admins(
    client, organisation, admin, role
):
    invitation, _token = invite(organisation=organisation, email="x@example.org", by=admin)
    if role == "outsider":
        user = make_member(OrganisationFactory(), role=MembershipRole.ADMIN).user
    else:
        user = make_member(organisation, role=role).user
        if role == MembershipRole.SUPERVISOR:
            unit = services.create_unit(organisation=organisation, name="Team")
            services.set_unit_membership(unit=unit, user=user, supervises=True)
    client.force_login(user)
    for method, url in _admin_requests(organisation, invitation):
        response = getattr(client, method)(url, {"email": "y@example.org"})
        assert response.status_code == 404, (method, url)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.sent_count) == (InvitationStatus.PENDING, 1)
    assert Invitation.objects.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client, organisation, admin):
    invitation, _token = invite(organisation=organisation, email="x@example.org", by=admin)
    for method, url in _admin_requests(organisation, invitation):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login") + "?next=")


def test_another_organisations_invitation_is_a_404_for_our_admin(admin_client, organisation):
    theirs = OrganisationFactory()
    their_admin = make_member(theirs, role=MembershipRole.ADMIN).user
    invitation, _token = invite(organisation=theirs, email="x@example.org", by=their_admin)
    for name in ("invitation-resend", "invitation-revoke"):
        assert admin_client.post(_url(name, organisation, invitation.public_id)).status_code == 404
    invitation.refresh_from_db()
    assert (invitation.status, invitation.sent_count) == (InvitationStatus.PENDING, 1)


# --- The list --------------------------------------------------------------------------------


def test_the_list_shows_each_invitations_state_expiry_and_times_sent(
    admin_client, organisation, admin
):
    team = services.create_unit(
        organisation=organisation,
        name="Iasi team",
        parent=services.create_unit(organisation=organisation, name="North"),
    )
    pending, _ = invite(organisation=organisation, email="pending@example.org", by=admin, unit=team)
    expired, _ = invite(organisation=organisation, email="expired@example.org", by=admin)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    revoked, _ = invite(organisation=organisation, email="revoked@example.org", by=admin)
    revoke_invitation(invitation=revoked, by=admin)
    _accepted, token = invite(organisation=organisation, email="accepted@example.org", by=admin)
    accept_invitation(token=token, user=UserFactory(email="accepted@example.org"))

    response = admin_client.get(_url("invitations", organisation))

    assert response.status_code == 200
    rows = {row.invitation.email: row for row in response.context["rows"]}
    assert {email: row.state for email, row in rows.items()} == {
        "pending@example.org": "pending",
        "expired@example.org": "expired",
        "revoked@example.org": "revoked",
        "accepted@example.org": "accepted",
    }
    html = response.content.decode()
    for label in ("Pending", "Expired", "Revoked", "Accepted", "North / Iasi team"):
        assert label in html
    # Resend and revoke only where they apply.
    for invitation in (pending, expired):
        assert _url("invitation-resend", organisation, invitation.public_id) in html
        assert _url("invitation-revoke", organisation, invitation.public_id) in html
    assert _url("invitation-resend", organisation, revoked.public_id) not in html
    assert "email, name, role, unit, job_title, profession" in html
    assert "skipped" in html  # the CSV policy is stated


def test_the_list_takes_a_fixed_number_of_queries(
    admin_client, organisation, admin, django_assert_num_queries
):
    units = [services.create_unit(organisation=organisation, name=f"Unit {n}") for n in range(3)]
    invite(organisation=organisation, email="first@example.org", by=admin, unit=units[0])
    url = _url("invitations", organisation)
    # The first page counts the menu's to-do (lms.todo); the next ones read it from the cache.
    admin_client.get(url)
    # Session, user, organisation, the admin's object permissions (user's, groups'), units,
    # count, the page of invitations, and the navigation's two (accreditor, roles).
    with django_assert_num_queries(10):
        assert admin_client.get(url).status_code == 200
    for n in range(12):
        invite(organisation=organisation, email=f"p{n}@example.org", by=admin, unit=units[n % 3])
    with django_assert_num_queries(10):
        response = admin_client.get(url)
    assert len(response.context["rows"]) == 13


# --- One invitation --------------------------------------------------------------------------


def test_an_admin_invites_one_person(
    admin_client, organisation, admin, django_capture_on_commit_callbacks
):
    team = services.create_unit(organisation=organisation, name="Team")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            _url("invitations", organisation),
            {
                "email": "Ana.Pop@example.org",
                "name": "Ana Pop",
                "role": MembershipRole.SUPERVISOR,
                "unit": str(team.public_id),
                "job_title": "Case worker",
                "profession": "teacher",
            },
            follow=True,
        )
    assert response.redirect_chain[-1][0] == _url("invitations", organisation)
    assert "An invitation was sent to ana.pop@example.org." in response.content.decode()
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.unit, invitation.invited_by) == (
        "ana.pop@example.org",
        MembershipRole.SUPERVISOR,
        team,
        admin,
    )
    assert [m.to for m in mail.outbox] == [["ana.pop@example.org"]]


def test_inviting_a_member_or_a_pending_address_says_why_and_stores_nothing(
    admin_client, organisation, admin
):
    member = make_member(organisation).user
    response = admin_client.post(
        _url("invitations", organisation), {"email": member.email, "role": "member"}
    )
    assert response.status_code == 400
    assert "already a member" in response.content.decode()
    invite(organisation=organisation, email="p@example.org", by=admin)
    response = admin_client.post(
        _url("invitations", organisation), {"email": "p@example.org", "role": "member"}
    )
    assert response.status_code == 400
    assert "resend it instead" in response.content.decode()
    response = admin_client.post(
        _url("invitations", organisation), {"email": "n@example.org", "role": "owner"}
    )
    assert response.status_code == 400
    assert Invitation.objects.count() == 1


# --- CSV: preview, then confirm --------------------------------------------------------------


def test_the_preview_lists_every_row_with_its_line_and_stores_nothing(admin_client, organisation):
    text = HEADER + "a@example.org,Ana,,,,\nnot-an-address,,,,,\nb@example.org,,boss,,,\n"
    response = admin_client.post(_url("invitations-preview", organisation), {"file": _csv(text)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Send 1 invitation" in html
    assert "not a valid e-mail address" in html
    assert "Unknown role “boss”" in html
    assert [(r.line, r.error is None) for r in response.context["preview"].rows] == [
        (2, True),
        (3, False),
        (4, False),
    ]
    assert "will be skipped" in html  # the policy is stated on the preview too
    assert not Invitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.smoke
def test_confirming_invites_the_valid_rows_of_the_previewed_file(
    admin_client, organisation, admin, django_capture_on_commit_callbacks
):
    text = HEADER + "a@example.org,Ana,,,,\nbad,,,,,\nb@example.org,,admin,,,\n"
    preview = admin_client.post(_url("invitations-preview", organisation), {"file": _csv(text)})
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            _url("invitations-confirm", organisation),
            {"payload": _payload(preview.content.decode())},
            follow=True,
        )
    assert response.redirect_chain[-1][0] == _url("invitations", organisation)
    html = response.content.decode()
    assert "2 invitations were sent." in html
    assert "1 row with errors was skipped (line 3)." in html
    assert dict(Invitation.objects.values_list("email", "role")) == {
        "a@example.org": MembershipRole.MEMBER,
        "b@example.org": MembershipRole.ADMIN,
    }
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]


def test_a_tampered_payload_is_refused_with_a_form_error(admin_client, organisation, admin):
    preview = admin_client.post(
        _url("invitations-preview", organisation), {"file": _csv(HEADER + "a@example.org\n")}
    )
    payload = _payload(preview.content.decode())
    # Whoever edits the hidden field cannot slip other addresses in.
    value, signature = payload.rsplit(":", 1)
    for tampered in (value + "x:" + signature, payload[:-2], "", "email\nb@example.org"):
        response = admin_client.post(
            _url("invitations-confirm", organisation), {"payload": tampered}
        )
        assert response.status_code == 400
        assert "could not be confirmed" in response.content.decode()
    # A payload made for another organisation's page does not work on ours either.
    theirs = OrganisationFactory()
    make_member(theirs, user=admin, role=MembershipRole.ADMIN)
    response = admin_client.post(_url("invitations-confirm", theirs), {"payload": payload})
    assert response.status_code == 400
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("email,name\nana@example.org,Pătru\n".encode("cp1250"), "not UTF-8"),
        (b"ana@example.org,Ana\n", "header row"),
        (b"", "empty"),  # Django refuses an empty upload before we read it
        (b"email\n" + b"x" * (1024 * 1024), "larger than 1 MB"),
    ],
    ids=["not-utf8", "no-header", "empty", "too-big"],
)
def test_an_unreadable_file_is_refused_naming_the_problem(
    admin_client, organisation, content, problem
):
    upload = SimpleUploadedFile("people.csv", content, content_type="text/csv")
    response = admin_client.post(_url("invitations-preview", organisation), {"file": upload})
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_preview_and_confirm_addresses_lead_back_to_the_list_on_get(admin_client, organisation):
    for name in ("invitations-preview", "invitations-confirm"):
        response = admin_client.get(_url(name, organisation))
        assert response.status_code == 302
        assert response.url == _url("invitations", organisation)


# --- Resend and revoke -----------------------------------------------------------------------


def test_resending_from_the_list_sends_a_new_link_and_kills_the_old(
    admin_client, client, organisation, admin, django_capture_on_commit_callbacks
):
    invitation, old_token = invite(organisation=organisation, email="a@example.org", by=admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            _url("invitation-resend", organisation, invitation.public_id), follow=True
        )
    assert "was sent again" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.sent_count == 2
    new_link = re.search(r"/organisations/invitations/accept/[^/\s]+/", mail.outbox[-1].body)
    assert admin_client.get(_accept_url(old_token)).status_code == 404
    assert admin_client.get(new_link.group(0)).status_code == 200


def test_revoking_from_the_list_withdraws_the_invitation(admin_client, organisation, admin):
    invitation, token = invite(organisation=organisation, email="a@example.org", by=admin)
    response = admin_client.post(
        _url("invitation-revoke", organisation, invitation.public_id), follow=True
    )
    assert "was withdrawn" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED
    assert admin_client.get(_accept_url(token)).status_code == 410
    # Revoking again says why it cannot, and changes nothing.
    response = admin_client.post(
        _url("invitation-revoke", organisation, invitation.public_id), follow=True
    )
    assert "Only a pending or expired invitation" in response.content.decode()


def test_resend_and_revoke_need_a_post(admin_client, organisation, admin):
    invitation, _token = invite(organisation=organisation, email="a@example.org", by=admin)
    for name in ("invitation-resend", "invitation-revoke"):
        assert admin_client.get(_url(name, organisation, invitation.public_id)).status_code == 405


# --- The accept page -------------------------------------------------------------------------


@pytest.fixture
def invitation_and_token(organisation, admin):
    return invite(
        organisation=organisation,
        email="invited@example.org",
        role=MembershipRole.SUPERVISOR,
        by=admin,
    )


def test_an_anonymous_visitor_sees_the_invitation_and_where_to_sign_in(
    client, invitation_and_token
):
    _invitation, token = invitation_and_token
    response = client.get(_accept_url(token))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Salvați Copiii Iași" in html
    assert "Supervisor" in html
    here = _accept_url(token)
    assert f"{reverse('login')}?next={here.replace('/', '%2F')}" in html
    assert f"{reverse('signup')}?next={here.replace('/', '%2F')}" in html
    assert "Accept the invitation" not in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_opening_the_link_does_not_consume_it(client, invitation_and_token):
    invitation, token = invitation_and_token
    user = UserFactory(email="invited@example.org")
    client.force_login(user)
    for _ in range(3):
        response = client.get(_accept_url(token))
        assert response.status_code == 200
        assert "Accept the invitation" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    assert not Membership.objects.filter(user=user).exists()


def test_the_invited_person_accepts_and_lands_on_the_organisation(
    client, organisation, invitation_and_token
):
    _invitation, token = invitation_and_token
    user = UserFactory(email="invited@example.org")
    client.force_login(user)
    response = client.post(_accept_url(token), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "organisations:detail", args=[organisation.public_id]
    )
    assert "you are now a member of Salvați Copiii Iași" in response.content.decode()
    assert Membership.objects.get(user=user).role == MembershipRole.SUPERVISOR
    # The second submit (a double click, the back button) is refused.
    response = client.post(_accept_url(token))
    assert response.status_code == 410
    assert "already been accepted" in response.content.decode()
    assert Membership.objects.filter(user=user).count() == 1


@pytest.mark.smoke
def test_from_the_email_to_membership_through_the_login_page(
    client, organisation, admin, password, django_capture_on_commit_callbacks
):
    user = UserFactory(email="invited@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        invite(organisation=organisation, email="invited@example.org", by=admin)
    link = re.search(r"https?://[^/]+(/organisations/invitations/accept/\S+/)", mail.outbox[0].body)
    path = link.group(1)
    login = client.get(path).context["login_url"]
    response = client.post(login, {"username": user.email, "password": password})
    assert response.status_code == 302
    assert response.url == path
    assert client.post(path).status_code == 302
    assert Membership.objects.filter(user=user, organisation=organisation).exists()


def test_from_the_email_to_membership_through_sign_up_and_confirming_the_address(
    client, organisation, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(organisation=organisation, email="invited@example.org", by=admin)
    path = re.search(
        r"https?://[^/]+(/organisations/invitations/accept/\S+/)", mail.outbox[0].body
    ).group(1)
    signup = client.get(path).context["signup_url"]
    password = "river stone lantern 42"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            signup,
            {
                "email": "invited@example.org",
                "display_name": "Invited Person",
                "preferred_language": "en",
                "country": "RO",
                "profession": "teacher",
                "password1": password,
                "password2": password,
            },
        )
    verify = re.search(r"https?://[^/]+(/accounts/verify/\S+)", mail.outbox[-1].body).group(1)
    response = client.post(verify, {"password": password})
    assert response.url == path  # back to the invitation, confirmed and logged in
    assert client.post(path).status_code == 302
    assert Membership.objects.filter(
        user__email="invited@example.org", organisation=organisation
    ).exists()


def test_an_unconfirmed_account_is_told_to_confirm_and_refused(
    client, invitation_and_token, django_capture_on_commit_callbacks
):
    invitation, token = invitation_and_token
    squatter = UserFactory(email="invited@example.org", email_verified_at=None)
    client.force_login(squatter)
    page = client.get(_accept_url(token)).content.decode()
    assert "Confirm your e-mail address first" in page
    assert "Accept the invitation" not in page
    assert reverse("resend_verification") in page
    response = client.post(_accept_url(token))
    assert response.status_code == 403
    assert "Confirm your e-mail address first" in response.content.decode()
    assert not Membership.objects.filter(user=squatter).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("resend_verification"), {"next": _accept_url(token)})
    assert response.url == _accept_url(token)
    assert "next=%2Forganisations%2Finvitations" in mail.outbox[-1].body
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_posting_anonymously_asks_to_log_in_and_accepts_nothing(client, invitation_and_token):
    invitation, token = invitation_and_token
    response = client.post(_accept_url(token))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_another_account_is_told_and_refused(client, invitation_and_token):
    invitation, token = invitation_and_token
    other = UserFactory(email="other@example.org")
    client.force_login(other)
    page = client.get(_accept_url(token))
    assert page.status_code == 200
    assert "Accept the invitation" not in page.content.decode()
    assert "invited@example.org" in page.content.decode()
    response = client.post(_accept_url(token))
    assert response.status_code == 403
    assert "Sign in with the invited address" in response.content.decode()
    assert not Membership.objects.filter(user=other).exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_a_bad_link_says_why_with_404_for_unknown_and_410_for_used_up(client, organisation, admin):
    user = UserFactory(email="invited@example.org")
    client.force_login(user)
    expired, expired_token = invite(
        organisation=organisation, email="invited@example.org", by=admin
    )
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    response = client.get(_accept_url(expired_token))
    assert (response.status_code, "has expired" in response.content.decode()) == (410, True)
    response = client.post(_accept_url(expired_token))
    assert (response.status_code, "has expired" in response.content.decode()) == (410, True)

    revoke_invitation(invitation=expired, by=admin)
    response = client.get(_accept_url(expired_token))
    assert (response.status_code, "withdrawn" in response.content.decode()) == (410, True)

    response = client.get(_accept_url("forged-token-that-was-never-issued"))
    assert (response.status_code, "not valid" in response.content.decode()) == (404, True)
    response = client.post(_accept_url("forged-token-that-was-never-issued"))
    assert response.status_code == 404
    assert not Membership.objects.filter(user=user).exists()
