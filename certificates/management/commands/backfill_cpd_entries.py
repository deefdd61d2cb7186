"""``manage.py backfill_cpd_entries``: ledger entries for certificates issued before the CPD
ledger existed (idempotent; later certificates get theirs when issued)."""

from typing import Any

from django.core.management.base import BaseCommand

from certificates.cpd.services import backfill_certificate_entries


class Command(BaseCommand):
    help = "Add a CPD ledger entry for every valid certificate worth CPD that has none."

    def handle(self, *args: Any, **options: Any) -> None:
        made = backfill_certificate_entries(progress=self._progress)
        self.stderr.write("")
        self.stdout.write(f"{made} ledger entries made.")

    def _progress(self, done: int, total: int) -> None:
        """A progress bar on standard error (standard output keeps the summary)."""
        percent = 100 * done // total if total else 100
        filled = percent * 30 // 100
        self.stderr.write(
            f"\r[{'#' * filled}{'.' * (30 - filled)}] {percent:3d}% {done}/{total}", ending=""
        )
        self.stderr.flush()
