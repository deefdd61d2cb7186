"""Issuing, revoking and reissuing certificates, and the renewal reminders.

A completion record earns a certificate when an active issuance rule of its course or journey
matches it (``matching_rules``). Issuing is idempotent: the partial unique constraint
``certificates_one_per_record`` keeps one standing (non-replaced) certificate per record, so a
retried or duplicated task, or two workers at once, end with exactly one. What the certificate
shows is frozen in its snapshot when it is issued; the PDF is drawn from that snapshot alone and
stored with its SHA-256. Later edits (a template, a title, the learner's name) change nothing
already issued: a name correction is a reissue, which replaces the certificate with a new one.
"""

import base64
import hashlib
import importlib
import logging
import secrets
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from certificates.credentials.chain import ISSUED, REPLACED, REVOKED, log_certificate_event
from certificates.credentials.models import (
    Accreditation,
    AccreditationStatus,
    Certificate,
    CertificateStatus,
    IssuanceRule,
    SerialCounter,
)
from certificates.credentials.notifications import CERTIFICATE_EXPIRING, CERTIFICATE_ISSUED
from certificates.credentials.openbadges import STATUS_LIST_MIN_BITS
from certificates.credentials.pdf import render_certificate_pdf
from certificates.credentials.selectors import certificates_expiring
from certificates.credentials.signals import (
    certificate_issued,
    certificate_replaced,
    certificate_revoked,
)
from frameworks.api import competences_proven_by
from lms import api as lms_api
from lms.api import NotificationMessage, User, notify, notify_many, pick_language
from progress.models import CompletionRecord

logger = logging.getLogger(__name__)

SNAPSHOT_VERSION = 1
MAX_REASON_LENGTH = 500


# --- rules ----------------------------------------------------------------------------------------


def matching_rules(record: CompletionRecord) -> list[IssuanceRule]:
    """The active rules of the record's course or journey that it meets, most demanding first
    (accredited rules, then the higher minimum score, then the oldest).

    A rule with a minimum score needs a score at least that high (a record without a score
    fails it); a rule with a deadline needs the completion's local date on or before it; a rule
    whose accreditation is not in force on the completion date (suspended, withdrawn, outside
    its period) does not match, so no certificate claims CPD that the body did not accredit.
    """
    completed_on = timezone.localdate(record.completed_at)
    target = Q(course_id=record.course_id) if record.course_id else Q(journey_id=record.journey_id)
    rules = (
        IssuanceRule.objects.filter(target, is_active=True)
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=completed_on))
        .select_related("accreditation__body", "template")
    )
    matching = [rule for rule in rules if rule_matches(rule, record, completed_on)]
    return sorted(
        matching,
        key=lambda r: (r.accreditation_id is None, -(r.minimum_score or Decimal(0)), r.pk),
    )


def rule_matches(rule: IssuanceRule, record: CompletionRecord, completed_on: Any) -> bool:
    """Whether an active rule of the record's course or journey matches it (its deadline,
    minimum score and accreditation), the record completed on local date ``completed_on``."""
    return (
        (rule.deadline is None or rule.deadline >= completed_on)
        and _score_met(rule, record)
        and _in_force(rule.accreditation, completed_on)
    )


def _score_met(rule: IssuanceRule, record: CompletionRecord) -> bool:
    if rule.minimum_score is None:
        return True
    return record.score_scaled is not None and record.score_scaled >= rule.minimum_score


def _in_force(accreditation: Accreditation | None, on: Any) -> bool:
    if accreditation is None:
        return True
    return (
        accreditation.status == AccreditationStatus.ACTIVE
        and accreditation.valid_from <= on
        and (accreditation.valid_until is None or on <= accreditation.valid_until)
    )


def _targets(rule: IssuanceRule, record: CompletionRecord) -> bool:
    if record.course_id:
        return rule.course_id == record.course_id
    return rule.journey_id == record.journey_id


# --- issuing --------------------------------------------------------------------------------------


def standing_certificate(record: CompletionRecord) -> Certificate | None:
    """The record's certificate that has not been replaced (valid or revoked), if any."""
    return (
        Certificate.objects.filter(record=record).exclude(status=CertificateStatus.REPLACED).first()
    )


@transaction.atomic
def issue_certificate(
    *, record: CompletionRecord, rule: IssuanceRule | None = None, by: User | None = None
) -> Certificate | None:
    """The record's certificate: the standing one if there is one, else a new one.

    Without ``rule``, the first matching rule applies; when none matches, nothing is issued,
    unless staff (``by``) issue it by hand, without a rule. A rule given must be of the record's
    course or journey; staff may use it even if the record does not meet it.
    """
    standing = standing_certificate(record)
    if standing is not None:
        return standing
    if rule is None:
        rule = next(iter(matching_rules(record)), None)
        if rule is None and by is None:
            return None
    elif not _targets(rule, record):
        raise ValidationError({"rule": _("This rule is for another course or learning journey.")})
    learner = record.learner
    language = learner.preferred_language or settings.LANGUAGE_CODE
    accreditation = rule.accreditation if rule else None
    return _issue(
        record=record,
        rule=rule,
        accreditation=accreditation,
        by=by,
        language=language,
        snapshot=build_snapshot(record=record, rule=rule, language=language),
        validity_months=rule.validity_months if rule else None,
    )


def _issue(
    *,
    record: CompletionRecord,
    rule: IssuanceRule | None,
    accreditation: Accreditation | None,
    by: User | None,
    language: str,
    snapshot: dict[str, Any],
    validity_months: int | None,
) -> Certificate:
    """Number, draw, store and sign one certificate. The numbering and the insert share a
    savepoint: when the constraint refuses a second standing certificate for the record, the
    serial taken is given back and the standing one is returned."""
    now = timezone.now()
    expires_at = add_months(now, validity_months) if validity_months else None
    try:
        with transaction.atomic():
            serial, status_index = _next_numbers(now)
            code = new_verification_code()
            snapshot = {
                **snapshot,
                "serial": serial,
                "verification_url": verification_url(code),
                "issued_at": now.isoformat(),
                "issued_on": timezone.localdate(now).isoformat(),
                "expires_on": timezone.localdate(expires_at).isoformat() if expires_at else None,
            }
            pdf = render_certificate_pdf(snapshot)
            certificate = Certificate.objects.create(
                serial=serial,
                verification_code=code,
                record=record,
                learner_id=record.learner_id,
                rule=rule,
                accreditation=accreditation,
                issued_at=now,
                expires_at=expires_at,
                language=language,
                snapshot=snapshot,
                pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                status_index=status_index,
                issued_by=by,
            )
    except IntegrityError:
        standing = standing_certificate(record)
        if standing is None:
            raise
        logger.info(
            "Record %s already has certificate %s (a concurrent issue)", record.pk, standing
        )
        return standing
    # The file gets an unguessable name: media may be served without access checks.
    certificate.pdf.save(f"{serial}-{secrets.token_hex(8)}.pdf", ContentFile(pdf), save=False)
    certificate.credential = _signed_credential(certificate)
    certificate.save(update_fields=["pdf", "credential"])
    log_certificate_event(ISSUED, certificate)
    certificate_issued.send(sender=Certificate, certificate=certificate)  # the CPD ledger
    _tell_issued(certificate)
    logger.info("Certificate %s issued for record %s", serial, record.pk)
    return certificate


def _next_numbers(now: datetime) -> tuple[str, int]:
    """A new serial of ``now``'s year and a free status list index.

    Every year's counter row is locked (one row a year, a handful in all): numbering is
    serialised across years too, so a free index cannot be taken twice at the turn of a year."""
    year = timezone.localdate(now).year
    SerialCounter.objects.get_or_create(year=year)
    counters = {c.year: c for c in SerialCounter.objects.select_for_update().order_by("year")}
    counter = counters[year]
    counter.last += 1  # the year's count stays inside: the serial does not tell it
    counter.save(update_fields=["last"])
    return _random_serial(year), _free_status_index()


# Crockford's base32: no I, L, O or U, so a serial read aloud or typed is not misread.
SERIAL_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _random_serial(year: int) -> str:
    """PREFIX-YEAR-XXXX-XXXX with 40 random bits: short, readable, and silent about how many
    certificates were issued before it (a counting serial told anyone who holds two of them)."""
    prefix = settings.CERTIFICATE_SERIAL_PREFIX
    while True:
        chars = "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(8))
        serial = f"{prefix}-{year}-{chars[:4]}-{chars[4:]}"
        if not Certificate.objects.filter(serial=serial).exists():
            return serial


def _free_status_index() -> int:
    """A random unused index of the status list (BSL v1.0, Privacy Considerations: the list's
    131,072 bits are the group a holder hides in; indexes given in order would tell a verifier
    how many certificates were issued and roughly when this one was). The range is at least
    twice the certificates issued, so a draw is free at least half the time."""
    capacity = max(STATUS_LIST_MIN_BITS, 2 * (Certificate.objects.count() + 1))
    while True:
        index = secrets.randbelow(capacity)
        if not Certificate.objects.filter(status_index=index).exists():
            return index


def new_verification_code() -> str:
    """160 random bits in lower-case base32 (32 characters, URL-safe, easy to read aloud)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").lower()


def verification_url(code: str) -> str:
    """Where anyone can check the certificate (printed on it and encoded in its QR code)."""
    try:
        path = reverse("verify", args=[code])
    except NoReverseMatch:
        path = f"/verify/{code}"
    return settings.SITE_URL.rstrip("/") + path


def _signed_credential(certificate: Certificate) -> str:
    """The Open Badges 3.0 credential, once ``certificates.credentials.openbadges`` provides it."""
    try:
        module = importlib.import_module("certificates.credentials.openbadges")
    except ModuleNotFoundError as error:
        if error.name != "certificates.credentials.openbadges":
            raise
        return ""
    sign = getattr(module, "sign_certificate_credential", None)
    return str(sign(certificate)) if sign is not None else ""


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus whole calendar months, in local time; a day the month lacks becomes its
    last day (31 January + 1 month = 28 or 29 February)."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return lms_api.add_months(local, months)


# --- the snapshot ---------------------------------------------------------------------------------


def build_snapshot(
    *, record: CompletionRecord, rule: IssuanceRule | None, language: str
) -> dict[str, Any]:
    """What the certificate shows, in ``language``, but for its serial, verification URL and
    dates (added when it is numbered). A plain JSON document: the PDF and the credential are
    made from it alone."""
    learner = record.learner
    target = record.course or record.journey
    assert target is not None  # noqa: S101 - a CompletionRecord's check constraint
    accreditation = rule.accreditation if rule else None
    template = rule.template if rule else None
    return {
        "version": SNAPSHOT_VERSION,
        "language": language,
        "recipient": {"name": learner.display_name, "public_id": str(learner.public_id)},
        "record": {"public_id": str(record.public_id)},
        "achievement": {
            "kind": "course" if record.course_id else "journey",
            "title": target.title_in(language),
            "public_id": str(target.public_id),
            "activity_iri": target.activity_iri,
        },
        "body": _body(accreditation, language),
        "accreditation": (
            {"reference": accreditation.reference, "public_id": str(accreditation.public_id)}
            if accreditation
            else None
        ),
        "cpd": _cpd(record, accreditation),
        "learning_outcomes": _outcomes(accreditation, language),
        "competences": _competences(record, language),
        "completed_on": timezone.localdate(record.completed_at).isoformat(),
        "heading": pick_language(template.heading, language) if template else "",
        "issuer": {
            "name": settings.CERTIFICATE_ISSUER_NAME,
            "logo": settings.CERTIFICATE_ISSUER_LOGO,
        },
        "signatories": _signatories(template.signatories if template else [], language),
    }


def _body(accreditation: Accreditation | None, language: str) -> dict[str, Any] | None:
    if accreditation is None:
        return None
    body = accreditation.body
    country = str(body.country or "")
    with translation.override(language):
        country_name = str(countries.name(country)) if country else ""
    return {
        "name": body.name,
        "public_id": str(body.public_id),
        "country": country,
        "country_name": country_name,
        "website": body.website,
        "cpd_unit": body.cpd_unit,
        "logo": body.logo.name or "",
    }


def _cpd(record: CompletionRecord, accreditation: Accreditation | None) -> dict[str, str]:
    """The accreditation's value in its body's unit; else the nominal hours of the course, or
    of a journey's required courses."""
    if accreditation is not None:
        return {"value": str(accreditation.cpd_value), "unit": accreditation.body.cpd_unit}
    if record.course is not None:
        return {"value": str(record.course.cpd_hours), "unit": "hours"}
    assert record.journey is not None  # noqa: S101 - a CompletionRecord's check constraint
    total = record.journey.steps.filter(required=True).aggregate(total=Sum("course__cpd_hours"))
    return {"value": str(total["total"] or Decimal("0.00")), "unit": "hours"}


def _outcomes(accreditation: Accreditation | None, language: str) -> list[str]:
    """The learning outcomes in ``language``: a list, or a text of one outcome per line."""
    if accreditation is None or not accreditation.learning_outcomes:
        return []
    value: Any = pick_language(accreditation.learning_outcomes, language)
    lines = value if isinstance(value, list) else str(value).splitlines()
    return [str(line).strip() for line in lines if str(line).strip()]


def _signatories(people: list[Any], language: str) -> list[dict[str, str]]:
    def text(value: Any) -> str:
        return pick_language(value, language) if isinstance(value, dict) else str(value or "")

    return [
        {"name": text(person.get("name")), "title": text(person.get("title"))}
        for person in people
        if isinstance(person, dict)
    ]


def _competences(record: CompletionRecord, language: str) -> list[dict[str, Any]]:
    """What the record proves, by the one rule that profiles follow too (decision 0008)."""
    return [
        {
            "code": proven.competence.human_coding_scheme,
            "statement": proven.competence.statement_in(language),
            "framework": proven.competence.framework.title,
            "identifier": str(proven.competence.identifier),
            "uri": proven.competence.uri,
            "level": proven.level,
            "level_name": proven.level_name,
            "relation": proven.relation,
        }
        for proven in competences_proven_by(record, language)
    ]


# --- revocation and reissue -----------------------------------------------------------------------


@transaction.atomic
def revoke_certificate(*, certificate: Certificate, reason: str, by: User) -> Certificate:
    """Revoke a valid certificate, saying why. Its PDF and snapshot stay as issued; verification
    and the credential's status list say it is revoked."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            {"reason": _("At most %(count)s characters.") % {"count": MAX_REASON_LENGTH}}
        )
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status == CertificateStatus.REVOKED:
        raise ValidationError(_("This certificate is already revoked."), code="revoked")
    if locked.status == CertificateStatus.REPLACED:
        raise ValidationError(
            _("This certificate was replaced: revoke the one that replaced it."), code="replaced"
        )
    locked.status = CertificateStatus.REVOKED
    locked.revoked_at = timezone.now()
    locked.revocation_reason = reason
    locked.save(update_fields=["status", "revoked_at", "revocation_reason"])
    log_certificate_event(REVOKED, locked)
    certificate_revoked.send(sender=Certificate, certificate=locked)
    logger.info("Certificate %s revoked by user %s", locked.serial, by.pk)
    return locked


@transaction.atomic
def reissue_certificate(*, certificate: Certificate, by: User) -> Certificate:
    """Replace a valid certificate with a new one (a new serial and verification code) showing
    the learner's current name: for a name correction. Everything else the old snapshot said
    stays; the issue date is today and the expiry follows the same rule. The old certificate
    and its PDF are kept, marked replaced, and point to the new one."""
    old = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("learner", "record", "rule")
        .get(pk=certificate.pk)
    )
    if old.status != CertificateStatus.VALID:
        raise ValidationError(_("Only a valid certificate can be reissued."), code="not_valid")
    # Out of the way of the one-standing-certificate constraint before the new one is inserted.
    Certificate.objects.filter(pk=old.pk).update(status=CertificateStatus.REPLACED)
    snapshot = {
        **old.snapshot,
        "recipient": {**old.snapshot["recipient"], "name": old.learner.display_name},
    }
    new = _issue(
        record=old.record,
        rule=old.rule,
        accreditation=old.accreditation,
        by=by,
        language=old.language,
        snapshot=snapshot,
        validity_months=old.rule.validity_months if old.rule else None,
    )
    old.status = CertificateStatus.REPLACED
    old.replaced_by = new
    old.save(update_fields=["status", "replaced_by"])
    log_certificate_event(REPLACED, old)
    certificate_replaced.send(sender=Certificate, certificate=old)
    logger.info("Certificate %s replaced by %s (user %s)", old.serial, new.serial, by.pk)
    return new


# --- renewal reminders ----------------------------------------------------------------------------


def send_renewal_reminders(*, now: datetime | None = None) -> int:
    """E-mail each learner whose valid certificate expires within
    CERTIFICATE_RENEWAL_REMINDER_DAYS, once per certificate. Returns how many were sent."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            certificates_expiring(settings.CERTIFICATE_RENEWAL_REMINDER_DAYS, now=now)
            .filter(renewal_reminded_at__isnull=True)
            .select_related("record__course", "record__journey")
            .select_for_update(of=("self",), skip_locked=True)
        )
        notify_many(
            CERTIFICATE_EXPIRING,
            template="certificates/email/expiry_reminder",
            messages=[_reminder(certificate) for certificate in due],
        )
        Certificate.objects.filter(pk__in=[c.pk for c in due]).update(renewal_reminded_at=now)
    return len(due)


def _reminder(certificate: Certificate) -> NotificationMessage:
    learner = certificate.learner
    record = certificate.record
    if record.course is not None:
        again = reverse("courses:detail", args=[record.course.slug])
    else:
        assert record.journey is not None  # noqa: S101 - a CompletionRecord's check
        again = reverse("courses:journey", args=[record.journey.slug])
    return NotificationMessage(
        recipient=learner,
        url=again,
        context={
            "learner": learner,
            "title": certificate.snapshot["achievement"]["title"],
            "serial": certificate.serial,
            "expires_on": timezone.localdate(certificate.expires_at),
            "renew_url": settings.SITE_URL.rstrip("/") + again,
            "verification_url": certificate.snapshot["verification_url"],
        },
    )


def _tell_issued(certificate: Certificate) -> None:
    """The learner hears of their new certificate, in the centre and by their choice."""
    learner = certificate.learner
    mine = reverse("my-certificates:list")
    notify(
        CERTIFICATE_ISSUED,
        recipient=learner,
        template="certificates/email/certificate_issued",
        url=mine,
        context={
            "learner": learner,
            "title": certificate.snapshot["achievement"]["title"],
            "serial": certificate.serial,
            "certificates_url": settings.SITE_URL.rstrip("/") + mine,
            "verification_url": certificate.snapshot["verification_url"],
        },
    )
