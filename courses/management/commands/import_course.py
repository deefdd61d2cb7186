"""``manage.py import_course FILE``: import a cmi5 package (zip or bare cmi5.xml)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from courses.models import CourseStatus
from courses.services import PackageError, import_cmi5_package


class Command(BaseCommand):
    help = "Import a cmi5 course package; print the course's id and slug."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--publish", action="store_true", help="Publish a new course in the catalogue at once."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        status = CourseStatus.PUBLISHED if options["publish"] else CourseStatus.DRAFT
        try:
            result = import_cmi5_package(source=path, status=status)
        except PackageError as error:
            lines = "\n".join(f"  - {reason}" for reason in error.errors)
            raise CommandError(f"{path} was refused:\n{lines}") from error
        course = result.course
        verb = "Imported" if result.created else f"Updated to version {course.version}:"
        self.stdout.write(f"{verb} {course.public_id} {course.slug}")
