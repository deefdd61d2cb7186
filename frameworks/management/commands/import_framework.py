"""``manage.py import_framework FILE``: import a CASE CFPackage JSON file."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from frameworks.case import CaseError
from frameworks.services import import_file


class Command(BaseCommand):
    help = "Import a competence framework (CASE JSON or Moodle CSV); print its identifier."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format", choices=["case", "moodle"], default="", help="Detected when not given."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            framework = import_file(
                path.read_bytes(), file_format=options["format"], progress=self._progress
            )
        except CaseError as error:
            reasons = "\n".join(f"  - {reason}" for reason in error.errors)
            raise CommandError(f"{path} was refused:\n{reasons}") from error
        self.stderr.write("")
        count = framework.competences.count()
        self.stdout.write(f"{framework.identifier} {framework.title} ({count} competences)")

    def _progress(self, stage: str, percent: int) -> None:
        """A progress bar on standard error (standard output keeps the identifier)."""
        filled = percent * 30 // 100
        self.stderr.write(
            f"\r[{'#' * filled}{'.' * (30 - filled)}] {percent:3d}% {stage:<24}", ending=""
        )
        self.stderr.flush()
