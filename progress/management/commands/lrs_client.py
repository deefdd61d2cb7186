"""``manage.py lrs_client``: create, list and deactivate LRS credentials."""

from typing import Any

import orjson
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from progress.clients import create_lrs_client, forget_client
from progress.models import LRSClient, LRSScope


class Command(BaseCommand):
    help = "Manage the credentials that content and other systems use to talk xAPI to the LRS."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create credentials and print the key and secret.")
        create.add_argument("--name", required=True)
        create.add_argument(
            "--scopes",
            default="statements/write,statements/read/mine,state,profile",
            help=f"Comma-separated, from: {', '.join(LRSScope.values)}.",
        )
        create.add_argument(
            "--json", action="store_true", help='Print {"key": ..., "secret": ...}.'
        )
        sub.add_parser("list", help="List the clients (never their secrets).")
        deactivate = sub.add_parser("deactivate", help="Refuse a key from now on.")
        deactivate.add_argument("key")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            scopes = [s.strip() for s in options["scopes"].split(",") if s.strip()]
            try:
                new = create_lrs_client(name=options["name"], scopes=scopes)
            except ValueError as error:
                raise CommandError(str(error)) from error
            if options["json"]:
                self.stdout.write(
                    orjson.dumps({"key": new.client.key, "secret": new.secret}).decode()
                )
                return
            self.stdout.write(f"Endpoint: {settings.SITE_URL}/xapi/")
            self.stdout.write(f"Key:      {new.client.key}")
            self.stdout.write(f"Secret:   {new.secret}")
            self.stdout.write(f"Scopes:   {', '.join(new.client.scopes)}")
            self.stdout.write("The secret is shown only now; keep it safe.")
        elif action == "list":
            for client in LRSClient.objects.order_by("name"):
                state = "active" if client.is_active else "inactive"
                self.stdout.write(
                    f"{client.key}  {state:<8}  {','.join(client.scopes):<40}  {client.name}"
                )
        elif action == "deactivate":
            updated = LRSClient.objects.filter(key=options["key"]).update(is_active=False)
            forget_client(options["key"])
            if not updated:
                raise CommandError(f"No client with the key {options['key']}.")
            self.stdout.write(f"Deactivated {options['key']}.")
