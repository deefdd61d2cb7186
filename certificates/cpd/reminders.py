"""Reminders of the CPD ledger: learners whose cycle ends soon with a requirement unmet are told
what is missing, once per cycle (``certificates.send_cpd_cycle_reminders``, daily)."""

import logging
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import translation

from certificates.cpd import selectors as cpd
from certificates.cpd.links import ledger_url
from certificates.cpd.models import (
    CpdRegistration,
)
from certificates.cpd.notifications import CYCLE_REMINDER
from certificates.cpd.types import Cycle
from lms.api import NotificationMessage, notify_many

logger = logging.getLogger(__name__)


def send_cycle_reminders(*, today: date | None = None) -> int:
    """E-mail each learner whose current cycle ends within CPD_CYCLE_REMINDER_DAYS and who has
    not met its requirements, once per cycle (``reminded_for``), in a fixed number of queries.
    ``today`` defaults to today in each rule set's time zone. Returns how many were sent."""
    within = settings.CPD_CYCLE_REMINDER_DAYS
    with transaction.atomic():
        candidates = list(
            CpdRegistration.objects.filter(
                rule_set__is_active=True, withdrawn_on__isnull=True
            ).select_related("learner", "rule_set__body")
        )
        due: dict[int, tuple[CpdRegistration, Cycle, date]] = {}
        for registration in candidates:
            day = today or cpd.today_for(registration.rule_set)
            cycle = cpd.cycle_containing(
                registration.rule_set, day, registered_on=registration.registered_on
            )
            if 0 <= (cycle.end - day).days <= within and registration.reminded_for != cycle.end:
                due[registration.pk] = (registration, cycle, day)
        # Locked, and read again: a second run at the same time skips these rows.
        locked = dict(
            CpdRegistration.objects.filter(pk__in=due)
            .select_for_update(skip_locked=True)
            .values_list("pk", "reminded_for")
        )
        plans = [plan for pk, plan in due.items() if pk in locked and locked[pk] != plan[1].end]
        prefetch = [registration for registration, _cycle, _day in plans]
        prefetch_related_objects(prefetch, "rule_set__requirements")
        entries = cpd.entries_by_learner(plans)
        reminded = []
        messages = []
        for registration, cycle, day in plans:
            with translation.override(
                registration.learner.preferred_language or settings.LANGUAGE_CODE
            ):
                standing = cpd.evaluate(
                    registration,
                    cycle=cycle,
                    today=day,
                    entries=entries.get(registration.learner_id, []),
                )
                if standing.met:
                    continue
                messages.append(_cycle_reminder(registration, cycle, day, standing.missing))
            registration.reminded_for = cycle.end
            reminded.append(registration)
        notify_many(
            CYCLE_REMINDER, template="certificates/email/cpd_cycle_reminder", messages=messages
        )
        CpdRegistration.objects.bulk_update(reminded, ["reminded_for"])
    return len(reminded)


def _cycle_reminder(
    registration: CpdRegistration, cycle: Cycle, today: date, missing: list[str]
) -> NotificationMessage:
    learner = registration.learner
    return NotificationMessage(
        recipient=learner,
        url=ledger_url(),
        context={
            "learner": learner,
            "rule_set": registration.rule_set,
            "ends_on": cycle.end,
            "days": (cycle.end - today).days,
            "missing": missing,
            "url": ledger_url(),
        },
    )
