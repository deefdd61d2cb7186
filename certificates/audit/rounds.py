"""Audit rounds, as accrediting bodies and regulators run them: draw a reproducible random sample
of an accreditation's completion records, or of the CPD profiles of the people who report to a
rule set, decide on each sampled record or profile, close the round, report.

How a sample is drawn (shown to auditors, so kept here in one place):

- *Population*: the accreditation's records (``audit_scope.records_in_scope``), less those of
  learners who joined the platform within the last ``exclude_joined_within_days`` days, when
  given; or the rule set's registrations (CPD profiles), less those registered with the body
  within the last ``exclude_joined_within_days`` days.
- *Random part*: ``random.Random(seed).sample(sorted population ids, k)``, where ``k`` is the
  size, or ``ceil(percent / 100 * population)`` (at least 1 when the population is not empty),
  never more than the population. It depends only on the seed and the population, so anyone
  with both can draw the same sample again.
- *Drawn again*: every record (or profile) of the previous round of the accreditation (or rule
  set) that was given feedback (more information requested, or rejected) and is still in the
  population is added and marked ``redrawn``, whether or not the random part picked it too.
"""

import math
import random
import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.audit.answers import answered_since_asked
from certificates.audit.models import AuditDecision, AuditRound, AuditRoundStatus, AuditSample
from certificates.audit.notifications import tell_more_information_requested
from certificates.audit.scope import records_in_scope
from certificates.cpd.models import CpdRegistration, RequirementRuleSet
from certificates.credentials.models import Accreditation
from lms.api import User
from progress.models import CompletionRecord

FEEDBACK = (AuditDecision.MORE_INFORMATION, AuditDecision.REJECTED)
SEED_BITS = 31  # short enough to read out and type in, ample for sampling


def population(
    accreditation: Accreditation, *, exclude_joined_within_days: int | None = None
) -> QuerySet[CompletionRecord]:
    """The records a round of ``accreditation`` draws from (see the module's docstring)."""
    records = records_in_scope(accreditation)
    if exclude_joined_within_days is not None:
        since = timezone.now() - timedelta(days=exclude_joined_within_days)
        records = records.exclude(learner__date_joined__gt=since)
    return records


def sample_size(count: int, *, size: int | None = None, percent: Decimal | None = None) -> int:
    """How many records the random part draws from a population of ``count``."""
    if count == 0:
        return 0
    if size is not None:
        return min(size, count)
    if percent is None:
        raise ValidationError(_("Give either a sample size or a percentage, not both."))
    return min(count, max(1, math.ceil(Decimal(percent) * count / 100)))


def draw(ids: list[int], *, seed: int, k: int) -> list[int]:
    """The random part: a pure function of the seed and the (sorted) population ids."""
    return random.Random(seed).sample(sorted(ids), k)  # noqa: S311 - reproducible, not secret


# Fifty years: longer than any register, and far from the end of the calendar.
MAX_JOINED_DAYS = 50 * 366


def _check_parameters(
    size: int | None, percent: Decimal | None, exclude_joined_within_days: int | None
) -> None:
    if exclude_joined_within_days is not None and not (
        1 <= exclude_joined_within_days <= MAX_JOINED_DAYS
    ):
        raise ValidationError(
            {
                "exclude_joined_within_days": _("Give a number of days from 1 to %(most)s.")
                % {"most": MAX_JOINED_DAYS}
            }
        )
    if (size is None) == (percent is None):
        raise ValidationError(_("Give either a sample size or a percentage, not both."))
    if size is not None and size < 1:
        raise ValidationError(_("The sample size must be at least 1."))
    if percent is not None and not Decimal(0) < percent <= Decimal(100):
        raise ValidationError(_("The percentage must be more than 0 and at most 100."))


def profiles(
    rule_set: RequirementRuleSet, *, exclude_joined_within_days: int | None = None
) -> QuerySet[CpdRegistration]:
    """The CPD profiles a round of ``rule_set`` draws from (see the module's docstring)."""
    found = CpdRegistration.objects.filter(rule_set=rule_set, withdrawn_on__isnull=True)
    if exclude_joined_within_days is not None:
        since = timezone.localdate() - timedelta(days=exclude_joined_within_days)
        found = found.exclude(registered_on__gt=since)
    return found


def _feedback_of_previous_round(subject: dict[str, Any], field: str) -> set[int]:
    previous = AuditRound.objects.filter(**subject).order_by("-created_at", "-id")
    last = previous.first()
    if last is None:
        return set()
    return set(last.samples.filter(decision__in=FEEDBACK).values_list(field, flat=True))


@transaction.atomic
def draw_round(
    *,
    by: User,
    accreditation: Accreditation | None = None,
    rule_set: RequirementRuleSet | None = None,
    size: int | None = None,
    percent: Decimal | None = None,
    exclude_joined_within_days: int | None = None,
    seed: int | None = None,
) -> AuditRound:
    """Open a round of ``accreditation`` (its records) or of ``rule_set`` (its CPD profiles) and
    draw its sample (see the module's docstring)."""
    _check_parameters(size, percent, exclude_joined_within_days)
    if (accreditation is None) == (rule_set is None):
        raise ValueError("A round audits an accreditation or a rule set.")
    # Rounds of one subject are drawn one at a time, so "the previous round" is settled.
    if accreditation is not None:
        Accreditation.objects.select_for_update().filter(pk=accreditation.pk).first()
        subject: dict[str, Any] = {"accreditation": accreditation}
        field = "record_id"
        pool: QuerySet[Any] = population(
            accreditation, exclude_joined_within_days=exclude_joined_within_days
        )
    else:
        RequirementRuleSet.objects.select_for_update().filter(pk=rule_set.pk).first()  # type: ignore[union-attr]
        subject = {"rule_set": rule_set}
        field = "registration_id"
        pool = profiles(rule_set, exclude_joined_within_days=exclude_joined_within_days)  # type: ignore[arg-type]
    feedback = _feedback_of_previous_round(subject, field)
    ids = list(pool.values_list("id", flat=True))
    seed = secrets.randbits(SEED_BITS) if seed is None else seed
    chosen = draw(ids, seed=seed, k=sample_size(len(ids), size=size, percent=percent))
    again = feedback.intersection(ids)
    audit_round = AuditRound.objects.create(
        **subject,
        created_by=by,
        seed=seed,
        size=size,
        percent=percent,
        exclude_joined_within_days=exclude_joined_within_days,
        population=len(ids),
    )
    AuditSample.objects.bulk_create(
        AuditSample(round=audit_round, redrawn=found in again, **{field: found})
        for found in sorted(set(chosen) | again)
    )
    return audit_round


@transaction.atomic
def decide(*, sample: AuditSample, decision: str, notes: str, by: User) -> AuditSample:
    """Record the auditor's decision on a sampled record of an open round (a later decision in
    the same round replaces it)."""
    if decision not in AuditDecision.values or decision == AuditDecision.PENDING:
        raise ValidationError(_("Choose a decision."))
    locked = AuditSample.objects.select_for_update().select_related("round").get(pk=sample.pk)
    if locked.round.status != AuditRoundStatus.OPEN:
        raise ValidationError(_("This round is closed."))
    previous = locked.decision
    locked.decision = decision
    locked.notes = notes.strip()
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save(update_fields=["decision", "notes", "decided_by", "decided_at"])
    if decision == AuditDecision.MORE_INFORMATION and previous != decision:
        _tell_learner(locked.pk)
    return locked


def _tell_learner(sample_id: int) -> None:
    """A request for more information reaches the learner whose record or profile it is
    (once per request: a decision saved again with the same answer tells nobody again)."""
    sample = _sample_with_subject(sample_id)
    outcome = _outcome(sample, dict(AuditDecision.choices))
    tell_more_information_requested(
        learner=outcome.learner,
        subject=outcome.subject,
        body=outcome.body,
        reference=outcome.reference,
        notes=outcome.notes,
    )


def _sample_with_subject(sample_id: int) -> AuditSample:
    return AuditSample.objects.select_related(
        "round__accreditation__body",
        "round__rule_set__body",
        "record__learner",
        "record__course",
        "record__journey",
        "registration__learner",
    ).get(pk=sample_id)


@transaction.atomic
def close_round(*, audit_round: AuditRound, by: User) -> AuditRound:
    """Close the round: its decisions are final (closing twice changes nothing)."""
    locked = AuditRound.objects.select_for_update().get(pk=audit_round.pk)
    if locked.status != AuditRoundStatus.CLOSED:
        locked.status = AuditRoundStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at"])
    return locked


@dataclass(frozen=True)
class RoundReport:
    audit_round: AuditRound
    seed: int
    size: int | None
    percent: Decimal | None
    exclude_joined_within_days: int | None
    population: int
    sampled: int
    redrawn: int
    by_decision: dict[str, int]  # every decision, pending included, in the choices' order

    @property
    def decided(self) -> int:
        return self.sampled - self.by_decision[AuditDecision.PENDING]

    @property
    def decision_rows(self) -> list[tuple[str, int]]:
        labels = dict(AuditDecision.choices)
        return [(str(labels[key]), count) for key, count in self.by_decision.items()]


def round_report(audit_round: AuditRound) -> RoundReport:
    """The figures of a round (one query)."""
    rows = list(audit_round.samples.values_list("decision", "redrawn"))
    counts = Counter(decision for decision, _redrawn in rows)
    return RoundReport(
        audit_round=audit_round,
        seed=audit_round.seed,
        size=audit_round.size,
        percent=audit_round.percent,
        exclude_joined_within_days=audit_round.exclude_joined_within_days,
        population=audit_round.population,
        sampled=len(rows),
        redrawn=sum(1 for _decision, redrawn in rows if redrawn),
        by_decision={key: counts[key] for key in AuditDecision.values},
    )


def samples_of_round(audit_round: AuditRound) -> QuerySet[AuditSample]:
    """The round's samples with their record (or CPD profile), learner and course, and
    ``answered``: the learner answered since the request for more information (one query)."""
    return (
        audit_round.samples.annotate(answered=answered_since_asked())
        .select_related(
            "record__learner",
            "record__course",
            "record__journey",
            "registration__learner",
            "decided_by",
        )
        .order_by("record__learner__display_name", "registration__learner__display_name", "id")
    )


@dataclass(frozen=True)
class LearnerOutcome:
    """What a learner (and their organisation) sees of an audit of one of their records or of
    their CPD profile."""

    learner: User
    subject: str  # the course or journey, or "CPD profile: <rule set>"
    completed_at: datetime | None  # the record's completion; None for a CPD profile
    body: str
    reference: str  # the accreditation's reference, or the rule set's name
    round_date: datetime
    decision: str
    decision_label: str
    notes: str
    decided_at: datetime | None
    request_url: str = ""  # where the learner answers a request for more information, if open


def _outcome(sample: AuditSample, labels: dict[str, Any]) -> LearnerOutcome:
    audit_round = sample.round
    if sample.record is not None and audit_round.accreditation is not None:
        record = sample.record
        learner, completed_at = record.learner, record.completed_at
        subject = str(record.course or record.journey)
        body, reference = audit_round.accreditation.body.name, audit_round.accreditation.reference
    else:
        registration = sample.registration
        rule_set = audit_round.rule_set
        learner, completed_at = registration.learner, None  # type: ignore[union-attr]
        subject = _("CPD profile: %(rule_set)s") % {"rule_set": rule_set.name}  # type: ignore[union-attr]
        body, reference = rule_set.body.name, rule_set.name  # type: ignore[union-attr]
    return LearnerOutcome(
        learner=learner,
        subject=subject,
        completed_at=completed_at,
        body=body,
        reference=reference,
        round_date=audit_round.created_at,
        decision=sample.decision,
        decision_label=str(labels[sample.decision]),
        notes=sample.notes,
        decided_at=sample.decided_at,
        request_url=(
            reverse("audit-request", args=[audit_round.public_id, sample.pk])
            if sample.decision == AuditDecision.MORE_INFORMATION
            and audit_round.status == AuditRoundStatus.OPEN
            else ""
        ),
    )


def decided_samples_of(user_ids: list[int] | QuerySet[Any]) -> QuerySet[AuditSample]:
    """The decided samples of these learners' records and CPD profiles, newest round first,
    with what ``outcomes`` reads (one query; paginate it for many people)."""
    return (
        AuditSample.objects.filter(
            Q(record__learner_id__in=user_ids) | Q(registration__learner_id__in=user_ids)
        )
        .exclude(decision=AuditDecision.PENDING)
        .select_related(
            "record__learner",
            "record__course",
            "record__journey",
            "registration__learner",
            "round__accreditation__body",
            "round__rule_set__body",
        )
        .order_by("-round__created_at", "-id")
    )


def outcomes(samples: Iterable[AuditSample]) -> list[LearnerOutcome]:
    """What the learners and their organisation read of these decided samples."""
    labels = dict(AuditDecision.choices)
    return [_outcome(sample, labels) for sample in samples]


def outcomes_for_learners(user_ids: list[int] | QuerySet[Any]) -> list[LearnerOutcome]:
    """The decided samples of these learners' records and CPD profiles, newest round first (one
    query). Certificates cannot refer to organisations: the organisations app passes its
    members (and paginates ``decided_samples_of`` for many)."""
    return outcomes(decided_samples_of(user_ids))


def outcomes_for_learner(user: User) -> list[LearnerOutcome]:
    """The decided samples of ``user``'s own records and CPD profiles: what the learner sees."""
    return outcomes_for_learners([user.pk])
