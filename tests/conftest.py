"""Fixtures shared by the whole suite."""

import pytest
from django.core.cache import cache

from tests.lms.factories import UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    """The cache is Redis in the PostgreSQL run: no throttle or lock-out leaks between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Imported packages and uploads go to a temporary directory, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def password():
    return UserFactory.default_password
