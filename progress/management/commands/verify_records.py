"""Walk the chain of completion records and certificate events; name every break (exit 1)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from progress.chain import verify_chain


class Command(BaseCommand):
    help = (
        "Check the hash chain of completion records and certificate events: every entry edited, "
        "deleted or inserted out of order, and every logged row changed since, is named."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--head",
            default="",
            help="An entry hash published earlier: it must still be in the chain.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain(known_head=options["head"])
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(report.problems)} problem(s) in {report.entries} entries")
        head = report.head
        self.stdout.write(
            f"{report.entries} entries verified; head {head.sequence} {head.entry_hash} "
            f"({head.recorded_at.isoformat()})"
            if head
            else "The chain is empty."
        )
