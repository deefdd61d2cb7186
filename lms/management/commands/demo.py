"""``manage.py demo``: load idempotent demo data and print one log-in per role."""

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lms.demo import DEMO_LANGUAGES, DEMO_PASSWORD, DemoContext
from lms.navigation import ROLE_LABELS


class Command(BaseCommand):
    help = "Load demo data (safe to run again: nothing doubles) and print the demo log-ins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when DEBUG is off. The demo accounts have a published password.",
        )
        parser.add_argument(
            "--language",
            choices=DEMO_LANGUAGES,
            default="",
            help="The language of the demo's names and texts (default: the site's language). "
            "Loading again in the other language rewrites them.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEBUG or options["force"]):
            raise CommandError(
                "Refusing to load demo data with DEBUG off: the demo accounts have a published "
                "password. Use --force if this really is a demo site."
            )
        language = options["language"] or settings.LANGUAGE_CODE.split("-")[0]
        context = DemoContext(language=language if language in DEMO_LANGUAGES else "en")
        with transaction.atomic():
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if find_spec(module_name) is None:
                    continue
                import_module(module_name).load(context)
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Log in at /accounts/login/ with:"))
        for role, user in context.users.items():
            self.stdout.write(f"  {ROLE_LABELS[role]!s:<20} {user.email:<36} {DEMO_PASSWORD}")
        for note in context.notes:
            self.stdout.write(note)
