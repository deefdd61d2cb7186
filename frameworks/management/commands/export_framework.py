"""``manage.py export_framework IDENTIFIER``: write a framework as CASE JSON to standard output."""

import uuid
from typing import Any

import orjson
from django.core.management.base import BaseCommand, CommandError, CommandParser

from frameworks.case import export_package
from frameworks.models import Framework


class Command(BaseCommand):
    help = "Write a competence framework as a CASE CFPackage (JSON) to standard output."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("identifier")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            identifier = uuid.UUID(options["identifier"])
        except ValueError as exc:
            raise CommandError(f"{options['identifier']!r} is not a UUID.") from exc
        framework = Framework.objects.filter(identifier=identifier).first()
        if framework is None:
            raise CommandError(f"No framework {identifier}.")
        self.stdout.write(
            orjson.dumps(export_package(framework), option=orjson.OPT_INDENT_2).decode()
        )
