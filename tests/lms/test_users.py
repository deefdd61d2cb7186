"""The User model and the services that create and change users."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lms import services
from lms.models import User
from tests.lms.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def test_register_user_creates_an_active_learner_with_a_usable_password():
    user = services.register_user(
        email="Ana.Popescu@Example.ORG",
        password="a sturdy passphrase",
        display_name="Ana Popescu",
        country="RO",
        profession="social_worker",
    )
    assert user.is_active
    assert not user.is_staff
    assert user.check_password("a sturdy passphrase")
    # The domain part is lower-cased (Django's normalize_email); the local part is kept.
    assert user.email == "Ana.Popescu@example.org"
    assert user.public_id is not None


def test_email_is_unique_regardless_of_case_in_the_service():
    services.register_user(email="maria@example.org", password="x-pass-12345", display_name="M")
    with pytest.raises(ValidationError) as caught:
        services.register_user(
            email="MARIA@example.org", password="x-pass-12345", display_name="M2"
        )
    assert "email" in caught.value.message_dict
    assert User.objects.count() == 1


def test_email_is_unique_regardless_of_case_in_the_database():
    UserFactory(email="ion@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="ION@EXAMPLE.ORG", display_name="Ion")


def test_register_user_names_the_invalid_field():
    with pytest.raises(ValidationError) as caught:
        services.register_user(email="not-an-address", password="x-pass-12345", display_name="X")
    assert set(caught.value.message_dict) == {"email"}
    with pytest.raises(ValidationError) as caught:
        services.register_user(
            email="ok@example.org", password="x-pass-12345", display_name="X", country="XX"
        )
    assert set(caught.value.message_dict) == {"country"}
    assert not User.objects.exists()


def test_log_in_lookup_ignores_the_case_of_the_address():
    user = UserFactory(email="Dragana@example.org")
    assert User.objects.get_by_natural_key("dragana@EXAMPLE.org") == user


def test_update_profile_changes_only_profile_fields():
    user = UserFactory()
    services.update_profile(user=user, display_name="New Name", profession="teacher")
    user.refresh_from_db()
    assert (user.display_name, user.profession) == ("New Name", "teacher")
    with pytest.raises(TypeError):
        services.update_profile(user=user, is_staff=True)
    user.refresh_from_db()
    assert not user.is_staff


def test_xapi_account_uses_the_public_uuid_not_the_email(settings):
    user = UserFactory(email="private@example.org")
    account = user.xapi_account()
    assert account == {"homePage": settings.SITE_URL, "name": str(user.public_id)}
    assert "private" not in str(account)


def test_public_id_is_unique_and_stable():
    a, b = UserFactory(), UserFactory()
    assert a.public_id != b.public_id
    before = a.public_id
    services.update_profile(user=a, display_name="Renamed")
    a.refresh_from_db()
    assert a.public_id == before


def test_create_superuser_makes_staff():
    admin = User.objects.create_superuser("root@example.org", "s3cret-pass-word")
    assert admin.is_staff
    assert admin.is_superuser
    assert admin.display_name == "root"
