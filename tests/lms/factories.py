"""Factories of the lms app."""

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from lms.models import Profession, User

_DEFAULT_PASSWORD = "correct horse battery staple"
# Hashing is slow on purpose; hash the shared test password once for every factory user.
_DEFAULT_PASSWORD_HASH = make_password(_DEFAULT_PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    """A learner whose password is ``UserFactory.default_password``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name")
    password = _DEFAULT_PASSWORD_HASH
    country = "RO"
    profession = Profession.SOCIAL_WORKER
    preferred_language = "en"
    # Most tests are about people who confirmed their address; tests of the unconfirmed pass
    # email_verified_at=None.
    email_verified_at = factory.LazyFunction(timezone.now)


UserFactory.default_password = _DEFAULT_PASSWORD  # type: ignore[attr-defined]
