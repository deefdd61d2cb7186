"""Writes of the CPD ledger: activities learners log, discussions their peers confirm,
registrations with bodies, the entries certificates make, and the reminders before a cycle ends.

Errors: bad input is a ``ValidationError`` naming the field; acting on someone else's entry (or
answering a discussion one was not named in) is ``NotAllowed`` (lms.api), which pages show as
404;
a change the entry's state does not allow (answering twice, deleting a certificate's entry) is a
``ValidationError`` with a ``code``.
"""

import logging
import secrets
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.cpd import selectors as cpd
from certificates.cpd.ledger import backfill_certificate_entries, sync_certificate_entry
from certificates.cpd.links import confirmations_url, ledger_url
from certificates.cpd.models import (
    CpdEntry,
    CpdRegistration,
    CpdSource,
    DiscussionStatus,
    RequirementRuleSet,
)
from certificates.cpd.notifications import DISCUSSION_ANSWER, DISCUSSION_REQUEST
from certificates.cpd.reminders import send_cycle_reminders
from lms.api import NotAllowed, User, forget_todo_count, notify, send_templated_email

logger = logging.getLogger(__name__)

# Writes kept in their own modules (the certificates' entries, the cycle reminders), offered here
# with the other writes of the ledger.
__all__ = [
    "answer_discussion",
    "backfill_certificate_entries",
    "check_evidence_file",
    "delete_activity",
    "evidence_display_name",
    "evidence_file_name",
    "link_discussions_to",
    "log_activity",
    "register",
    "send_cycle_reminders",
    "sync_certificate_entry",
    "unregister",
    "update_activity",
]

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_EXTENSIONS = frozenset(
    {".pdf", ".png", ".jpg", ".jpeg", ".webp", ".txt", ".odt", ".docx", ".xlsx", ".ods"}
)
COMMENT_MAX_LENGTH = 2000

# What a learner may change: everything of an external activity; of a certificate's entry only
# their reflection and discussion (the rest is what the certificate says).
ACTIVITY_FIELDS = frozenset(
    {
        "title", "kind", "provider", "participatory", "structured", "date", "hours",
        "learning", "impact", "discussion_with", "discussion_email", "discussion_notes",
        "evidence",
    }
)  # fmt: skip
REFLECTION_FIELDS = frozenset(
    {"learning", "impact", "discussion_with", "discussion_email", "discussion_notes"}
)
_TEXT_FIELDS = ("title", "provider", "learning", "impact", "discussion_notes")


def _hours(value: Any) -> Decimal:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError({"hours": _("Enter a number of hours.")}) from error
    if not hours.is_finite() or hours <= 0:
        raise ValidationError({"hours": _("Enter more than 0 hours.")})
    return hours.quantize(cpd.CENT, rounding=ROUND_HALF_UP)


def _check_activity(entry: CpdEntry) -> None:
    errors: dict[str, str] = {}
    if entry.source == CpdSource.EXTERNAL and entry.date > timezone.localdate():
        errors["date"] = _("The date cannot be in the future: log an activity once it is done.")
    own = entry.discussion_with_id is not None and entry.discussion_with_id == entry.learner_id
    if own or (
        entry.discussion_email and entry.discussion_email.casefold() == _learner_email(entry)
    ):
        errors["discussion_with"] = _("Name someone else: a discussion is with a peer.")
    if not entry.discussion_email and entry.discussion_notes.strip():
        errors["discussion_with"] = _("Name the person you discussed this with.")
    if errors:
        raise ValidationError(errors)


def check_evidence_file(evidence: File, *, field: str = "evidence") -> None:
    """Refuse a file of a kind not in ``EVIDENCE_EXTENSIONS`` or larger than
    ``EVIDENCE_MAX_BYTES``, naming ``field`` (also for the answers to auditors' requests)."""
    extension = PurePath(evidence.name or "").suffix.lower()
    if extension not in EVIDENCE_EXTENSIONS:
        raise ValidationError(
            {
                field: _("Upload one of these kinds of file: %(kinds)s.")
                % {"kinds": ", ".join(sorted(EVIDENCE_EXTENSIONS))}
            }
        )
    if (evidence.size or 0) > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {
                field: _("The file is larger than %(size)s MB.")
                % {"size": EVIDENCE_MAX_BYTES // (1024 * 1024)}
            }
        )


def evidence_file_name(evidence: File) -> str:
    """An unguessable name for an uploaded file (media may be served without access checks),
    ending with the name it was uploaded with."""
    return f"{secrets.token_hex(8)}-{PurePath(evidence.name or 'evidence').name}"


def evidence_display_name(stored: str) -> str:
    """The name a stored evidence file was uploaded with (without folder and random prefix)."""
    name = (stored or "evidence").rsplit("/", 1)[-1]
    return name.split("-", 1)[-1] if "-" in name else name


def _store_evidence(entry: CpdEntry, evidence: File) -> None:
    entry.evidence.save(evidence_file_name(evidence), evidence, save=False)


def _learner_email(entry: CpdEntry) -> str:
    return (entry.learner.email or "").casefold()


def peer_with_address(email: str) -> User | None:
    """The person a discussion names by ``email``: an active account whose address is verified
    (anyone may sign up with an address that is not theirs, so only a verified one may confirm
    a discussion), or None."""
    if not email:
        return None
    return User.objects.filter(
        email__iexact=email, is_active=True, email_verified_at__isnull=False
    ).first()


def _name_peer(entry: CpdEntry, email: str) -> None:
    """Name the discussion's person by their address; linked to their account when it is
    verified, else waiting for them to make (and verify) one."""
    entry.discussion_email = User.objects.normalize_email((email or "").strip())
    entry.discussion_with = peer_with_address(entry.discussion_email)


def _delete_file_on_commit(name: str) -> None:
    if name:
        storage = CpdEntry._meta.get_field("evidence").storage
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def log_activity(
    *,
    learner: User,
    title: str,
    kind: str,
    date: date,
    hours: Decimal | int | str,
    participatory: bool,
    structured: bool,
    provider: str = "",
    learning: str = "",
    impact: str = "",
    discussion_with: User | None = None,
    discussion_email: str = "",
    discussion_notes: str = "",
    evidence: File | None = None,
) -> CpdEntry:
    """Add an external activity to the learner's ledger. Naming a peer or supervisor (their
    account, or their e-mail address) asks them, by e-mail, to confirm the discussion on the
    platform, or to make an account with that address first: the learner is told the same
    either way, so that no one learns from it who has an account."""
    if discussion_with is not None:
        discussion_email = discussion_with.email
    entry = CpdEntry(
        learner=learner,
        source=CpdSource.EXTERNAL,
        title=title.strip(),
        kind=kind,
        provider=provider.strip(),
        participatory=participatory,
        structured=structured,
        date=date,
        hours=_hours(hours),
        learning=learning.strip(),
        impact=impact.strip(),
        discussion_notes=discussion_notes.strip(),
    )
    _name_peer(entry, discussion_email)
    entry.discussion_status = (
        DiscussionStatus.PENDING if entry.discussion_email else DiscussionStatus.NONE
    )
    _check_activity(entry)
    entry.full_clean(exclude=["evidence"])
    if evidence is not None:
        check_evidence_file(evidence)
        _store_evidence(entry, evidence)
    entry.save()
    if entry.discussion_email:
        _ask_peer(entry)
    logger.info("CPD entry %s logged by user %s", entry.pk, learner.pk)
    return entry


@transaction.atomic
def update_activity(*, entry: CpdEntry, by: User, **changes: Any) -> CpdEntry:
    """Change the learner's own entry; returns it as saved.

    An external activity's every field may change; a certificate's entry only its reflection
    and discussion. Naming another person, or changing the notes of a discussion already
    answered, asks (again) for a confirmation; removing the person ends the discussion.
    ``evidence=None`` removes the file."""
    unknown = set(changes) - ACTIVITY_FIELDS
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    locked = CpdEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.learner_id != by.pk:
        raise NotAllowed
    if locked.source == CpdSource.CERTIFICATE:
        fixed = set(changes) - REFLECTION_FIELDS
        if fixed:
            message = _("This comes from the certificate and cannot be changed.")
            raise ValidationError(dict.fromkeys(sorted(fixed), message))
    before_with, before_notes = locked.discussion_email.casefold(), locked.discussion_notes
    new_evidence = changes.pop("evidence", ...)
    if "discussion_with" in changes:
        person = changes.pop("discussion_with")
        changes.setdefault("discussion_email", person.email if person is not None else "")
    if "discussion_email" in changes:
        _name_peer(locked, changes.pop("discussion_email"))
    for field, value in changes.items():
        setattr(locked, field, _normalised(field, value))
    ask = _discussion_after_edit(locked, before_with=before_with, before_notes=before_notes)
    _check_activity(locked)
    locked.full_clean(exclude=["evidence"])
    if new_evidence is not ...:
        _replace_evidence(locked, new_evidence)
    locked.save()
    if ask:
        _ask_peer(locked)
    return locked


def _normalised(field: str, value: Any) -> Any:
    if field in _TEXT_FIELDS:
        return (value or "").strip()
    if field == "hours":
        return _hours(value)
    return value


def _discussion_after_edit(entry: CpdEntry, *, before_with: str, before_notes: str) -> bool:
    """After an edit: a new person, or new notes on an answered discussion, await a (new)
    confirmation; no person, no discussion. True when the person is to be asked."""
    person_changed = entry.discussion_email.casefold() != before_with
    notes_changed = entry.discussion_notes != before_notes
    if not entry.discussion_email:
        if person_changed:
            _reset_discussion(entry, DiscussionStatus.NONE)
        return False
    if person_changed or (notes_changed and entry.discussion_status != DiscussionStatus.PENDING):
        _reset_discussion(entry, DiscussionStatus.PENDING)
        return True
    return False


def _replace_evidence(entry: CpdEntry, evidence: File | None) -> None:
    """A new file (or none) in place of the entry's; the old file goes once committed."""
    old_file = entry.evidence.name or ""
    if evidence is None:
        entry.evidence = ""
    else:
        check_evidence_file(evidence)
        _store_evidence(entry, evidence)
    _delete_file_on_commit(old_file)


def _reset_discussion(entry: CpdEntry, status: str) -> None:
    entry.discussion_status = status
    entry.discussion_response = ""
    entry.discussion_answered_at = None


@transaction.atomic
def delete_activity(*, entry: CpdEntry, by: User) -> None:
    """Remove an external activity (and its evidence file) from the learner's ledger. A
    certificate's entry goes only when the certificate is revoked."""
    locked = CpdEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.learner_id != by.pk:
        raise NotAllowed
    if locked.source != CpdSource.EXTERNAL:
        raise ValidationError(
            _("This entry comes from a certificate: it stays while the certificate is valid."),
            code="from_certificate",
        )
    _delete_file_on_commit(locked.evidence.name or "")
    locked.delete()


# --- peer discussions -------------------------------------------------------------------------


@transaction.atomic
def answer_discussion(*, entry: CpdEntry, by: User, confirm: bool, comment: str = "") -> CpdEntry:
    """The peer or supervisor the learner named confirms (or declines) that the discussion took
    place. Only that person may answer, once, while it awaits them."""
    locked = CpdEntry.objects.select_for_update().select_related("learner").get(pk=entry.pk)
    if locked.discussion_with_id != by.pk or locked.learner_id == by.pk:
        raise NotAllowed
    if not by.email_verified:
        # Only the owner of the address may vouch for the discussion (issue 17).
        raise ValidationError(
            _("Confirm your e-mail address first: open the link we sent you."),
            code="unverified",
        )
    if locked.discussion_status != DiscussionStatus.PENDING:
        raise ValidationError(_("This discussion was already answered."), code="not_pending")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"comment": _("At most %(count)s characters.") % {"count": COMMENT_MAX_LENGTH}}
        )
    locked.discussion_status = DiscussionStatus.CONFIRMED if confirm else DiscussionStatus.DECLINED
    locked.discussion_response = comment
    locked.discussion_answered_at = timezone.now()
    locked.save(
        update_fields=[
            "discussion_status", "discussion_response", "discussion_answered_at", "updated_at"
        ]
    )  # fmt: skip
    _tell_learner(locked, by)
    forget_todo_count(by)  # one discussion fewer to confirm
    return locked


def _ask_peer(entry: CpdEntry) -> None:
    peer = entry.discussion_with
    if peer is None:
        _invite_peer(entry)
        return
    forget_todo_count(peer)  # one more discussion to confirm
    notify(
        DISCUSSION_REQUEST,
        recipient=peer,
        template="certificates/email/discussion_request",
        url=confirmations_url(),
        context={
            "peer": peer,
            "learner": entry.learner,
            "entry": entry,
            "url": confirmations_url(),
        },
    )


def _invite_peer(entry: CpdEntry) -> None:
    """The named address has no verified account: ask its owner to make one (or to verify the
    one they have) to confirm the discussion. The learner is not told which it was. A plain
    e-mail, not a notification: nobody's account stands for the address yet."""
    send_templated_email(
        "certificates/email/discussion_invitation",
        to=[entry.discussion_email],
        context={"learner": entry.learner, "entry": entry, "url": confirmations_url()},
        language=None,  # nobody's preference is known: the site's language
    )


@transaction.atomic
def link_discussions_to(*, user: User) -> int:
    """The discussions that named ``user``'s address, now that it is verified, wait for them
    (``lms.signals.email_verified``). Returns how many."""
    return (
        CpdEntry.objects.filter(
            discussion_email__iexact=user.email,
            discussion_with__isnull=True,
            discussion_status=DiscussionStatus.PENDING,
        )
        .exclude(learner=user)
        .update(discussion_with=user)
    )


def on_email_verified(sender: object, *, user: User, **kwargs: object) -> None:
    """Receiver of ``lms.api.email_verified``."""
    link_discussions_to(user=user)


def _tell_learner(entry: CpdEntry, peer: User) -> None:
    learner = entry.learner
    notify(
        DISCUSSION_ANSWER,
        recipient=learner,
        template="certificates/email/discussion_answer",
        url=ledger_url(),
        context={
            "learner": learner,
            "peer": peer,
            "entry": entry,
            "confirmed": entry.discussion_status == DiscussionStatus.CONFIRMED,
            "url": ledger_url(),
        },
    )


# --- registrations ----------------------------------------------------------------------------


@transaction.atomic
def register(
    *,
    learner: User,
    rule_set: RequirementRuleSet,
    registered_on: date | None = None,
    number: str = "",
) -> CpdRegistration:
    """Record that the learner reports CPD to ``rule_set``'s body (again: updates the date and
    number when given). ``registered_on`` defaults to today in the rule set's time zone."""
    if not rule_set.is_active:
        raise ValidationError({"rule_set": _("This rule set is no longer in use.")})
    number = number.strip()
    registration, created = CpdRegistration.objects.get_or_create(
        learner=learner,
        rule_set=rule_set,
        defaults={
            "registered_on": registered_on or cpd.today_for(rule_set),
            "number": number,
        },
    )
    if not created:
        changed = []
        if registration.withdrawn_on is not None:  # registering again after withdrawing
            registration.withdrawn_on = None
            registration.registered_on = registered_on or cpd.today_for(rule_set)
            changed += ["withdrawn_on", "registered_on"]
        if registered_on is not None and registration.registered_on != registered_on:
            registration.registered_on = registered_on
            changed.append("registered_on")
        if number and registration.number != number:
            registration.number = number
            changed.append("number")
        if changed:
            registration.full_clean()
            registration.save(update_fields=changed)
    return registration


@transaction.atomic
def unregister(*, learner: User, rule_set: RequirementRuleSet) -> bool:
    """Stop reporting to ``rule_set``'s body (the ledger itself stays). True if there was a
    registration. A profile an audit round sampled stays, withdrawn, for the audit's sake (the
    auditor's evidence is never deleted); any other is deleted."""
    registration = (
        CpdRegistration.objects.select_for_update()
        .filter(learner=learner, rule_set=rule_set, withdrawn_on__isnull=True)
        .first()
    )
    if registration is None:
        return False
    if registration.audit_samples.exists():
        registration.withdrawn_on = cpd.today_for(rule_set)
        registration.save(update_fields=["withdrawn_on"])
    else:
        registration.delete()
    return True
