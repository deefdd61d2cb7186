"""Learners' answers to auditors' requests for more information (issue 19).

An auditor who decides "more information requested" on a sampled record or CPD profile asks its
owner a question (the decision's notes). While the round is open and that decision stands, the
owner answers here with a text and, optionally, a file checked like CPD evidence
(``cpd.services.check_evidence_file``); the auditor who asked is told by e-mail, and the sample
shows as answered, awaiting their decision, until they decide again.

A request is *answered* when an answer was sent after the decision that asked it (a new request
on the same sample asks again). A file uploaded with a form that failed for another reason is
kept by the form (``lms.api.KeptUploadsForm``, docs/style.md, Forms) and comes back here as
``file`` on the next submit, to be stored under the answer's own path.
"""

from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from certificates.audit.models import AuditAnswer, AuditDecision, AuditRoundStatus, AuditSample
from certificates.audit.notifications import AUDIT_ANSWER
from certificates.cpd.services import check_evidence_file, evidence_file_name
from lms.api import NotAllowed, NotFound, User, notify

ANSWER_MAX_LENGTH = 5000


# --- reads ----------------------------------------------------------------------------------


def answered_since_asked() -> Exists:
    """For a sample queryset: an answer came after the decision that asked for more
    information."""
    return Exists(
        AuditAnswer.objects.filter(sample=OuterRef("pk"), created_at__gt=OuterRef("decided_at"))
    )


def open_requests_q(user: User) -> Q:
    """The samples where auditors ask ``user`` for more information, in open rounds."""
    return Q(
        Q(record__learner=user) | Q(registration__learner=user),
        decision=AuditDecision.MORE_INFORMATION,
        round__status=AuditRoundStatus.OPEN,
    )


def requests_for_learner(user: User) -> QuerySet[AuditSample]:
    """The open requests for more information about ``user``'s records and CPD profiles, newest
    first, each with ``answered`` (one query)."""
    return (
        AuditSample.objects.filter(open_requests_q(user))
        .annotate(answered=answered_since_asked())
        .select_related(
            "record__course",
            "record__journey",
            "registration__rule_set__body",
            "round__accreditation__body",
            "round__rule_set__body",
        )
        .order_by("-decided_at", "-id")
    )


def get_request_for_user(user: User, round_id: UUID, sample_id: int) -> AuditSample:
    """A sample of one of ``user``'s own records or CPD profiles, whatever its decision or its
    round's state (the page says when it can no longer be answered); NotFound otherwise."""
    try:
        return AuditSample.objects.select_related(
            "record__course",
            "record__journey",
            "registration__rule_set__body",
            "round__accreditation__body",
            "round__rule_set__body",
        ).get(
            Q(record__learner=user) | Q(registration__learner=user),
            round__public_id=round_id,
            pk=sample_id,
        )
    except AuditSample.DoesNotExist:
        raise NotFound from None


def answers_of(samples: QuerySet[AuditSample] | list[AuditSample]) -> QuerySet[AuditAnswer]:
    """The answers to these samples, oldest first, with their author and round (one query)."""
    return (
        AuditAnswer.objects.filter(sample__in=samples)
        .select_related("author", "sample__round")
        .order_by("created_at", "id")
    )


def subject_of(sample: AuditSample) -> str:
    """What the request is about, in words: the course or journey, or the CPD profile."""
    if sample.record is not None:
        return str(sample.record.course or sample.record.journey)
    return _("Your CPD profile: %(rule_set)s") % {
        "rule_set": sample.registration.rule_set.name  # type: ignore[union-attr]
    }


def can_answer(sample: AuditSample) -> bool:
    return (
        sample.round.status == AuditRoundStatus.OPEN
        and sample.decision == AuditDecision.MORE_INFORMATION
    )


# --- writes ---------------------------------------------------------------------------------


@transaction.atomic
def answer_request(
    *,
    sample: AuditSample,
    by: User,
    text: str,
    file: File | None = None,
) -> AuditAnswer:
    """Send ``by``'s answer to the request for more information on ``sample`` (one of their
    own records or their CPD profile), with an optional ``file`` (a new upload, or the one a
    failed form kept: either is copied under the answer's own path), and tell the auditor who
    asked. Someone else's sample is ``NotAllowed``; a closed round or a decision that no longer
    asks is a ``ValidationError`` with a code; bad text or file a ``ValidationError`` naming
    the field."""
    locked = (
        AuditSample.objects.select_for_update(of=("self",))
        .select_related("round", "record", "registration")
        .get(pk=sample.pk)
    )
    owner = (locked.record or locked.registration).learner_id  # type: ignore[union-attr]
    if owner != by.pk:
        raise NotAllowed
    if locked.round.status != AuditRoundStatus.OPEN:
        raise ValidationError(
            _("This audit round is closed: the auditor no longer takes answers."), code="closed"
        )
    if locked.decision != AuditDecision.MORE_INFORMATION:
        raise ValidationError(
            _("The auditor no longer asks for more information about this."),
            code="not_requested",
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your answer.")})
    if len(text) > ANSWER_MAX_LENGTH:
        raise ValidationError(
            {"text": _("At most %(count)s characters.") % {"count": ANSWER_MAX_LENGTH}}
        )
    if file is not None:
        check_evidence_file(file, field="file")
    answer = AuditAnswer(sample=locked, author=by, text=text)
    if file is not None:
        answer.file.save(evidence_file_name(file), file, save=False)
    answer.save()
    _tell_auditor(answer)
    return answer


def _tell_auditor(answer: AuditAnswer) -> None:
    """Tell the auditor who asked (the sample's ``decided_by``) that the answer came: in their
    notifications, and by e-mail as they chose for ``audit_answer``."""
    sample = answer.sample
    auditor = sample.decided_by
    if auditor is None:
        return
    if sample.registration_id is not None:
        path = reverse("audit-cpd-profile", args=[sample.round.public_id, sample.pk])
    else:
        path = reverse("audit-record", args=[sample.record.public_id])  # type: ignore[union-attr]
    notify(
        AUDIT_ANSWER,
        recipient=auditor,
        template="certificates/email/audit_answer",
        url=path + "#answers",
        context={
            "auditor": auditor,
            "learner": answer.author,
            "answer": answer,
            "has_file": bool(answer.file),
            "url": settings.SITE_URL.rstrip("/") + path + "#answers",
        },
    )
