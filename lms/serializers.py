"""API serializers of the lms app."""

from typing import Any

from django_countries.serializers import CountryFieldMixin
from rest_framework import serializers

from lms import services
from lms.models import User


class MeSerializer(CountryFieldMixin, serializers.ModelSerializer):
    """The authenticated user's own profile. The e-mail address is read-only here. The country
    is its ISO 3166 code, "" when none is given (``CountryFieldMixin``: DRF alone would try to
    write django-countries' ``Country`` object as JSON)."""

    xapi_account = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "public_id",
            "email",
            "display_name",
            "preferred_language",
            "country",
            "profession",
            "gender",
            "analytics_consent",
            "date_joined",
            "xapi_account",
        ]
        read_only_fields = ["public_id", "email", "date_joined", "xapi_account"]

    def get_xapi_account(self, user: User) -> dict[str, str]:
        return user.xapi_account()

    def update(self, instance: User, validated_data: dict[str, Any]) -> User:
        return services.update_profile(user=instance, **validated_data)
