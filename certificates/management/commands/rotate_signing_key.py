"""``manage.py rotate_signing_key``: retire the active signing key and make a new one."""

from typing import Any

from django.core.management.base import BaseCommand

from certificates.credentials.keys import key_url, rotate_signing_key


class Command(BaseCommand):
    help = (
        "Retire the active signing key and create a new one (RSA 2048, RS256). Credentials "
        "signed before stay verifiable: retired keys stay published in /.well-known/jwks.json."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        key = rotate_signing_key()
        self.stdout.write(key.kid)
        self.stderr.write(f"New signing key, published at {key_url(key.kid)}")
