"""Factories of the certificates app."""

import factory

from certificates.models import AccreditingBody


class AccreditingBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccreditingBody

    name = factory.Sequence(lambda n: f"Accrediting body {n}")
    slug = factory.Sequence(lambda n: f"body-{n}")
    country = "RO"
