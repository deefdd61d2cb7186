"""Invitations (services and CSV parsing): the one-time token (valid, expired, reused, forged,
revoked, replaced by a resend, wrong account), the terms a member joins on, the e-mail, and
the CSV file: line-numbered row errors, whole-file refusals, the signed payload."""

import hashlib
import secrets
import threading
import time
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lms.models import Profession
from organisations.core import services
from organisations.core.scope import scope_for
from organisations.invitations.csv import MAX_CSV_ROWS, parse_invitation_csv, sign_csv, unsign_csv
from organisations.invitations.selectors import get_invitation_for_token
from organisations.invitations.services import (
    accept_invitation,
    invite,
    invite_from_csv,
    resend_invitation,
    revoke_invitation,
)
from organisations.invitations.tokens import (
    InvitationError,
    InvitationProblem,
    InvitationState,
    invitation_state,
)
from organisations.models import (
    Invitation,
    InvitationStatus,
    Membership,
    MembershipRole,
    UnitMembership,
)
from tests.lms.factories import UserFactory
from tests.organisations.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Salvați Copiii Iași")


@pytest.fixture
def admin(organisation):
    return make_member(organisation, role=MembershipRole.ADMIN).user


def _invite(organisation, admin, email="new.person@example.org", **terms):
    return invite(organisation=organisation, email=email, by=admin, **terms)


def _problem(token, user) -> InvitationProblem:
    with pytest.raises(InvitationError) as caught:
        accept_invitation(token=token, user=user)
    assert caught.value.message  # a sentence for the person, not a code
    return caught.value.problem


# --- Inviting and the e-mail -----------------------------------------------------------------


def test_an_invitation_keeps_only_the_hash_of_its_token_and_mails_the_link(
    organisation, admin, django_capture_on_commit_callbacks, settings
):
    settings.INVITATION_EXPIRY_DAYS = 10
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = _invite(organisation, admin, email="  New.Person@Example.ORG ")
    invitation.refresh_from_db()
    assert invitation.email == "new.person@example.org"
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {str(v) for v in Invitation.objects.values().get().values()}
    assert invitation.status == InvitationStatus.PENDING
    assert invitation.sent_count == 1
    assert invitation.invited_by == admin
    assert (
        timedelta(days=9, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=10)
    )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert "Salvați Copiii Iași" in message.subject
    link = settings.SITE_URL + reverse("organisations:invitation-accept", args=[token])
    assert link in message.body
    assert admin.display_name in message.body
    assert timezone.localtime(invitation.expires_at).strftime("%Y") in message.body


def test_the_email_is_sent_only_once_the_transaction_commits(
    organisation, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _invite(organisation, admin)
    assert mail.outbox == []
    assert len(callbacks) == 1


def test_inviting_refuses_a_member_a_pending_address_and_a_foreign_unit(organisation, admin):
    make_member(organisation, user=UserFactory(email="Already.Here@example.org"))
    with pytest.raises(ValidationError) as caught:
        _invite(organisation, admin, email="already.here@EXAMPLE.org")
    assert "already a member" in caught.value.message_dict["email"][0]

    _invite(organisation, admin, email="pending@example.org")
    with pytest.raises(ValidationError) as caught:
        _invite(organisation, admin, email="Pending@example.org")
    assert "resend it instead" in caught.value.message_dict["email"][0]

    foreign_unit = services.create_unit(organisation=OrganisationFactory(), name="Elsewhere")
    with pytest.raises(ValidationError) as caught:
        _invite(organisation, admin, email="other@example.org", unit=foreign_unit)
    assert "unit" in caught.value.message_dict

    with pytest.raises(ValidationError) as caught:
        _invite(organisation, admin, email="not an address")
    assert "email" in caught.value.message_dict
    assert list(Invitation.objects.values_list("email", flat=True)) == ["pending@example.org"]


def test_a_revoked_address_can_be_invited_again(organisation, admin):
    first, _token = _invite(organisation, admin)
    revoke_invitation(invitation=first, by=admin)
    second, _token = _invite(organisation, admin)
    assert second.pk != first.pk
    assert Invitation.objects.filter(status=InvitationStatus.PENDING).get() == second


# --- Accepting -------------------------------------------------------------------------------


@pytest.mark.smoke
def test_accepting_a_valid_invitation_makes_a_member_on_its_terms(organisation, admin):
    team = services.create_unit(organisation=organisation, name="Child protection team")
    invitation, token = _invite(
        organisation,
        admin,
        name="Ana Pop",
        role=MembershipRole.MEMBER,
        job_title="Case worker",
        profession=Profession.PSYCHOLOGIST,
        unit=team,
    )
    user = UserFactory(email="new.person@example.org")

    membership = accept_invitation(token=token, user=user)

    assert (membership.organisation, membership.user) == (organisation, user)
    assert membership.role == MembershipRole.MEMBER
    assert membership.job_title == "Case worker"
    assert membership.profession == Profession.PSYCHOLOGIST
    unit_membership = UnitMembership.objects.get(user=user)
    assert (unit_membership.unit, unit_membership.supervises) == (team, False)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None
    assert user.has_perm("organisations.view_organisation", organisation)
    assert scope_for(user, organisation).is_empty


def test_a_supervisor_invited_to_a_unit_supervises_it_and_the_units_below(organisation, admin):
    region = services.create_unit(organisation=organisation, name="North")
    team = services.create_unit(organisation=organisation, name="Iasi team", parent=region)
    elsewhere = services.create_unit(organisation=organisation, name="South")
    _invitation, token = _invite(organisation, admin, role=MembershipRole.SUPERVISOR, unit=region)
    user = UserFactory(email="new.person@example.org")

    accept_invitation(token=token, user=user)

    assert Membership.objects.get(user=user).role == MembershipRole.SUPERVISOR
    assert UnitMembership.objects.get(user=user, unit=region).supervises
    scope = scope_for(user, organisation)
    assert not scope.whole
    assert scope.unit_ids == {region.pk, team.pk}
    assert elsewhere.pk not in scope.unit_ids


def test_an_admin_invitation_gives_the_whole_organisation(organisation, admin):
    _invitation, token = _invite(organisation, admin, role=MembershipRole.ADMIN)
    user = UserFactory(email="new.person@example.org")
    accept_invitation(token=token, user=user)
    assert scope_for(user, organisation).whole


def test_the_invited_address_matches_regardless_of_case(organisation, admin):
    _invitation, token = _invite(organisation, admin, email="Mixed.Case@example.org")
    user = UserFactory(email="MIXED.case@Example.org")
    assert accept_invitation(token=token, user=user).user == user


def test_an_invitation_is_refused_to_another_account(organisation, admin):
    invitation, token = _invite(organisation, admin)
    someone_else = UserFactory(email="someone.else@example.org")
    assert _problem(token, someone_else) == InvitationProblem.WRONG_ACCOUNT
    assert not Membership.objects.filter(user=someone_else).exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING  # the invited person can still accept


def test_an_unconfirmed_account_with_the_invited_address_cannot_accept(organisation, admin):
    """Anyone may sign up with the invited address; only its owner may accept (issue 17)."""
    invitation, token = _invite(organisation, admin)
    squatter = UserFactory(email="new.person@example.org", email_verified_at=None)
    assert _problem(token, squatter) == InvitationProblem.UNVERIFIED
    assert not Membership.objects.filter(user=squatter).exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_an_expired_invitation_is_refused_and_shown_as_expired(organisation, admin):
    invitation, token = _invite(organisation, admin)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    invitation.refresh_from_db()
    user = UserFactory(email="new.person@example.org")

    assert invitation_state(invitation) == InvitationState.EXPIRED
    assert invitation.status == InvitationStatus.PENDING  # no status of its own: time decides
    assert _problem(token, user) == InvitationProblem.EXPIRED
    assert not Membership.objects.filter(user=user).exists()


def test_second_use_of_an_invitation_token_is_refused(organisation, admin):
    invitation, token = _invite(organisation, admin, job_title="Case worker")
    user = UserFactory(email="new.person@example.org")
    accept_invitation(token=token, user=user)
    invitation.refresh_from_db()
    accepted_at = invitation.accepted_at
    # The organisation changes the member afterwards; the old link must not undo it.
    services.set_membership(organisation=organisation, user=user, job_title="Team lead")

    assert _problem(token, user) == InvitationProblem.USED

    membership = Membership.objects.get(user=user)
    assert membership.job_title == "Team lead"
    invitation.refresh_from_db()
    assert invitation.accepted_at == accepted_at
    assert Membership.objects.filter(organisation=organisation).count() == 2


@pytest.mark.parametrize(
    "forged", [secrets.token_urlsafe(32), "", "x", "a" * 500, "hash-of-nothing"]
)
def test_a_forged_or_unknown_token_is_refused(organisation, admin, forged):
    _invite(organisation, admin)
    user = UserFactory(email="new.person@example.org")
    assert _problem(forged, user) == InvitationProblem.UNKNOWN
    assert not Membership.objects.filter(user=user).exists()


def test_the_stored_hash_is_not_a_token(organisation, admin):
    """Someone who reads the table (a backup, a leak) cannot use what is stored."""
    invitation, _token = _invite(organisation, admin)
    user = UserFactory(email="new.person@example.org")
    assert _problem(invitation.token_hash, user) == InvitationProblem.UNKNOWN


def test_a_revoked_invitation_is_refused(organisation, admin):
    invitation, token = _invite(organisation, admin)
    revoke_invitation(invitation=invitation, by=admin)
    user = UserFactory(email="new.person@example.org")
    assert _problem(token, user) == InvitationProblem.REVOKED
    assert not Membership.objects.filter(user=user).exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED


def test_looking_at_an_invitation_does_not_consume_it(organisation, admin):
    invitation, token = _invite(organisation, admin)
    for _ in range(3):
        assert get_invitation_for_token(token) == invitation
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    accept_invitation(token=token, user=UserFactory(email="new.person@example.org"))


def test_accepting_never_takes_away_what_a_member_already_has(organisation, admin):
    team = services.create_unit(organisation=organisation, name="Team")
    user = UserFactory(email="new.person@example.org")
    _invitation, token = _invite(organisation, admin, role=MembershipRole.MEMBER, unit=team)
    # Meanwhile they were made an admin who supervises the team.
    services.set_membership(
        organisation=organisation, user=user, role=MembershipRole.ADMIN, job_title="Director"
    )
    services.set_unit_membership(unit=team, user=user, supervises=True)

    membership = accept_invitation(token=token, user=user)

    assert membership.role == MembershipRole.ADMIN
    assert membership.job_title == "Director"
    assert UnitMembership.objects.get(user=user, unit=team).supervises


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_accepts_once():
    organisation = OrganisationFactory()
    admin = make_member(organisation, role=MembershipRole.ADMIN).user
    invitation, token = _invite(organisation, admin)
    user = UserFactory(email="new.person@example.org")
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def accept():
        from django.db import connections

        try:
            start.wait()
            accept_invitation(token=token, user=user)
            outcomes.append("accepted")
        except InvitationError as error:
            outcomes.append(error.problem)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", InvitationProblem.USED]
    assert Membership.objects.filter(user=user).count() == 1
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED


# --- Resending and revoking ------------------------------------------------------------------


def test_resending_replaces_the_link_and_renews_the_expiry(
    organisation, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, old_token = _invite(organisation, admin)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    invitation.refresh_from_db()
    assert invitation_state(invitation) == InvitationState.EXPIRED

    with django_capture_on_commit_callbacks(execute=True):
        new_token = resend_invitation(invitation=invitation, by=admin)

    invitation.refresh_from_db()
    assert new_token != old_token
    assert invitation.sent_count == 2
    assert invitation.expires_at > timezone.now() + timedelta(days=13)
    assert invitation_state(invitation) == InvitationState.PENDING
    assert len(mail.outbox) == 2
    assert new_token in mail.outbox[1].body
    assert old_token not in mail.outbox[1].body

    user = UserFactory(email="new.person@example.org")
    assert _problem(old_token, user) == InvitationProblem.UNKNOWN
    assert accept_invitation(token=new_token, user=user).organisation == organisation


def test_only_pending_or_expired_invitations_can_be_resent_or_revoked(organisation, admin):
    revoked, _token = _invite(organisation, admin, email="revoked@example.org")
    revoke_invitation(invitation=revoked, by=admin)
    accepted, token = _invite(organisation, admin, email="accepted@example.org")
    accept_invitation(token=token, user=UserFactory(email="accepted@example.org"))
    for invitation in (revoked, accepted):
        for change in (resend_invitation, revoke_invitation):
            with pytest.raises(InvitationError) as caught:
                change(invitation=invitation, by=admin)
            assert caught.value.problem == InvitationProblem.NOT_PENDING
    accepted.refresh_from_db()
    assert (accepted.status, accepted.sent_count) == (InvitationStatus.ACCEPTED, 1)


# --- CSV -------------------------------------------------------------------------------------

HEADER = "email,name,role,unit,job_title,profession\n"


@pytest.fixture
def units(organisation):
    north = services.create_unit(organisation=organisation, name="North")
    south = services.create_unit(organisation=organisation, name="South")
    return {
        "north": north,
        "north_team": services.create_unit(
            organisation=organisation, name="Iasi team", parent=north
        ),
        "south_team": services.create_unit(
            organisation=organisation, name="Iasi team", parent=south
        ),
        "solo": services.create_unit(organisation=organisation, name="Helpline"),
    }


def _errors(preview) -> dict[int, str | None]:
    return {row.line: row.error for row in preview.rows}


def test_each_kind_of_bad_row_is_reported_with_its_line_number(organisation, admin, units):
    make_member(organisation, user=UserFactory(email="Member@example.org"))
    _invite(organisation, admin, email="pending@example.org")
    text = HEADER + (
        "good@example.org,Ana Pop,,,Case worker,psychologist\n"  # 2
        "not-an-address,Bad Address,,,,\n"  # 3
        "role@example.org,,boss,,,\n"  # 4
        "unit@example.org,,,Nowhere,,\n"  # 5
        "profession@example.org,,,,,astronaut\n"  # 6
        "twice@example.org,First,,,,\n"  # 7
        "\n"  # 8: blank lines are ignored
        "TWICE@example.org,Second,,,,\n"  # 9
        "member@example.org,,,,,\n"  # 10
        "Pending@Example.org,,,,,\n"  # 11
        "ambiguous@example.org,,,Iasi team,,\n"  # 12
        ",No address,,,,\n"  # 13
        "extra@example.org,,,,,,surplus\n"  # 14
    )

    preview = parse_invitation_csv(organisation=organisation, data=text.encode())

    errors = _errors(preview)
    assert errors[2] is None
    assert "not a valid e-mail address" in errors[3]
    assert "Unknown role “boss”" in errors[4]
    assert "Unknown unit “Nowhere”" in errors[5]
    assert "Unknown profession “astronaut”" in errors[6]
    assert "also on line 9" in errors[7]
    assert "also on line 7" in errors[9]
    assert 8 not in errors
    assert "Already a member" in errors[10]
    assert "Already invited" in errors[11]
    assert "Several units are named “Iasi team”" in errors[12]
    assert "North / Iasi team" in errors[12] or "South / Iasi team" in errors[12]
    assert "missing" in errors[13]
    assert "more cells" in errors[14]
    assert [row.line for row in preview.valid] == [2]
    good = preview.valid[0]
    assert (good.email, good.name, good.role, good.job_title, good.profession) == (
        "good@example.org",
        "Ana Pop",
        MembershipRole.MEMBER,
        "Case worker",
        Profession.PSYCHOLOGIST,
    )


def test_roles_units_and_professions_are_read_by_value_label_name_or_path(organisation, units):
    text = HEADER + (
        "a@example.org,,ORGANISATION ADMIN,north / iasi TEAM,,Social worker\n"
        "b@example.org,,supervisor,Helpline,,TEACHER\n"
        "c@example.org,,Member,South/Iasi team,,\n"
    )
    preview = parse_invitation_csv(organisation=organisation, data=text)
    assert [row.error for row in preview.rows] == [None, None, None]
    a, b, c = preview.rows
    assert (a.role, a.unit, a.profession) == (
        MembershipRole.ADMIN,
        units["north_team"],
        Profession.SOCIAL_WORKER,
    )
    assert (b.role, b.unit, b.profession) == (
        MembershipRole.SUPERVISOR,
        units["solo"],
        Profession.TEACHER,
    )
    assert (c.role, c.unit) == (MembershipRole.MEMBER, units["south_team"])


def test_a_quoted_cell_spanning_lines_keeps_the_line_numbers_right(organisation):
    text = HEADER + '"a@example.org","Ana\nPop",,,,\nnot-an-address,,,,,\n'
    preview = parse_invitation_csv(organisation=organisation, data=text)
    assert [(row.line, row.error is None) for row in preview.rows] == [(2, True), (4, False)]


def test_a_spreadsheet_export_with_a_bom_semicolons_and_columns_in_any_order_is_read(
    organisation,
):
    data = "\ufeffName;E-mail;Role\r\nAna Pop;ana@example.org;admin\r\n".replace("E-mail", "Email")
    preview = parse_invitation_csv(organisation=organisation, data=data.encode("utf-8"))
    assert [(r.line, r.email, r.name, r.role, r.error) for r in preview.rows] == [
        (2, "ana@example.org", "Ana Pop", MembershipRole.ADMIN, None)
    ]


def test_the_preview_stores_nothing_and_sends_nothing(
    organisation, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        preview = parse_invitation_csv(
            organisation=organisation, data=HEADER + "a@example.org,,,,,\n"
        )
    assert len(preview.valid) == 1
    assert not Invitation.objects.exists()
    assert callbacks == []
    assert mail.outbox == []


def test_the_valid_rows_are_invited_and_the_bad_ones_skipped(
    organisation, admin, units, django_capture_on_commit_callbacks
):
    text = HEADER + (
        "a@example.org,Ana,supervisor,North,Lead,teacher\nbad,,,,,\nb@example.org,,,,,\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        invited, preview = invite_from_csv(organisation=organisation, data=text, by=admin)

    assert [row.line for row in preview.invalid] == [3]
    assert sorted(i.email for i in invited) == ["a@example.org", "b@example.org"]
    stored = Invitation.objects.get(email="a@example.org")
    assert (stored.name, stored.role, stored.unit, stored.job_title, stored.profession) == (
        "Ana",
        MembershipRole.SUPERVISOR,
        units["north"],
        "Lead",
        Profession.TEACHER,
    )
    assert (stored.invited_by, stored.sent_count) == (admin, 1)
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    # Each e-mail carries its own working link.
    token = mail.outbox[0].body.split("/invitations/accept/")[1].split("/")[0]
    user = UserFactory(email=mail.outbox[0].to[0])
    assert accept_invitation(token=token, user=user).organisation == organisation


def test_the_confirmation_parses_again_so_a_row_invited_meanwhile_is_skipped(organisation, admin):
    text = HEADER + "a@example.org,,,,,\nb@example.org,,,,,\n"
    assert len(parse_invitation_csv(organisation=organisation, data=text).valid) == 2
    _invite(organisation, admin, email="b@example.org")  # someone else was quicker
    invited, preview = invite_from_csv(organisation=organisation, data=text, by=admin)
    assert [i.email for i in invited] == ["a@example.org"]
    assert [row.line for row in preview.invalid] == [3]
    assert Invitation.objects.count() == 2


def test_parsing_takes_a_fixed_number_of_queries(organisation, units, django_assert_num_queries):
    text = HEADER + "".join(f"p{n}@example.org,,,North / Iasi team,,\n" for n in range(200))
    with django_assert_num_queries(3):
        preview = parse_invitation_csv(organisation=organisation, data=text)
    assert len(preview.valid) == 200


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("email,name\nana@example.org,Pătru\n".encode("cp1250"), "not UTF-8"),
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"ana@example.org,Ana\n", "header row"),
        (b"name,role\nAna,member\n", "header row"),
        (b"email,phone\nana@example.org,123\n", "Unknown columns"),
        (b"email,name,Email\na@example.org,,\n", "twice"),
        (b"email\n" + b"a" * (1024 * 1024), "larger than 1 MB"),
        (
            ("email\n" + "".join(f"p{n}@example.org\n" for n in range(MAX_CSV_ROWS + 1))).encode(),
            "more than 2,000 rows",
        ),
    ],
    ids=[
        "cp1250",
        "empty",
        "blank",
        "no-header",
        "no-email-column",
        "unknown-column",
        "repeated-column",
        "too-big",
        "too-many-rows",
    ],
)
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(organisation, data, problem):
    with pytest.raises(ValidationError) as caught:
        parse_invitation_csv(organisation=organisation, data=data)
    assert problem in caught.value.messages[0]
    assert not Invitation.objects.exists()


def test_exactly_the_most_rows_is_accepted(organisation):
    text = "email\n" + "".join(f"p{n}@example.org\n" for n in range(MAX_CSV_ROWS))
    assert len(parse_invitation_csv(organisation=organisation, data=text).valid) == MAX_CSV_ROWS


# --- The signed payload ----------------------------------------------------------------------


def test_the_signed_payload_carries_the_file_for_its_organisation_and_admin_only(
    organisation, admin
):
    text = HEADER + "a@example.org,,,,,\n"
    payload = sign_csv(organisation=organisation, user=admin, text=text)
    assert unsign_csv(organisation=organisation, user=admin, payload=payload) == text

    other_organisation = OrganisationFactory()
    other_admin = make_member(organisation, role=MembershipRole.ADMIN).user
    tampered = payload[:-3] + ("AAA" if not payload.endswith("AAA") else "BBB")
    forged = signing.dumps(
        {"organisation": str(organisation.public_id), "user": str(admin.public_id), "csv": text},
        salt="another purpose",
        compress=True,
    )
    for who, where, what in [
        (admin, organisation, tampered),
        (admin, organisation, forged),
        (admin, organisation, ""),
        (admin, other_organisation, payload),
        (other_admin, organisation, payload),
    ]:
        with pytest.raises(ValidationError) as caught:
            unsign_csv(organisation=where, user=who, payload=what)
        assert "Upload the file again" in caught.value.messages[0]


def test_a_stale_payload_is_refused(organisation, admin, monkeypatch):
    two_hours_ago = int(time.time()) - 2 * 60 * 60
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(two_hours_ago)
    )
    payload = sign_csv(organisation=organisation, user=admin, text=HEADER)
    monkeypatch.undo()
    with pytest.raises(ValidationError):
        unsign_csv(organisation=organisation, user=admin, payload=payload)
