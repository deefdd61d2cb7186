"""LRS credentials: the lrs_client command, scopes and deactivation (Communication §4)."""

from io import StringIO

import orjson
import pytest
from django.core.management import CommandError, call_command

from progress.models import LRSClient
from tests.progress.conftest import XAPIClient, make_statement

pytestmark = pytest.mark.django_db


def test_create_prints_key_and_secret_as_json_and_they_work(client):
    out = StringIO()
    call_command(
        "lrs_client", "create", "--name", "Player", "--scopes", "all", "--json", stdout=out
    )
    credentials = orjson.loads(out.getvalue())
    assert set(credentials) == {"key", "secret"}
    row = LRSClient.objects.get(key=credentials["key"])
    assert row.scopes == ["all"]
    assert credentials["secret"] not in row.secret_hash
    xapi = XAPIClient(client, credentials["key"], credentials["secret"])
    assert xapi.post(make_statement()).status_code == 200


def test_create_without_json_prints_readable_lines():
    out = StringIO()
    call_command("lrs_client", "create", "--name", "Reports", "--scopes", "all/read", stdout=out)
    assert "Key:" in out.getvalue()
    assert "Secret:" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scopes", "statements/delete"], "Unknown scope"),
        (["--scopes", ""], "at least one scope"),
    ],
)
def test_create_refuses_bad_input_and_stores_nothing(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("lrs_client", "create", "--name", "Bad", *args, stdout=StringIO())
    assert not LRSClient.objects.exists()


def test_deactivated_credentials_are_refused_at_once(client):
    out = StringIO()
    call_command("lrs_client", "create", "--name", "Old", "--scopes", "all", "--json", stdout=out)
    credentials = orjson.loads(out.getvalue())
    xapi = XAPIClient(client, credentials["key"], credentials["secret"])
    assert xapi.post(make_statement()).status_code == 200
    call_command("lrs_client", "deactivate", credentials["key"], stdout=StringIO())
    assert xapi.post(make_statement()).status_code == 401
    with pytest.raises(CommandError, match="No client"):
        call_command("lrs_client", "deactivate", "nope", stdout=StringIO())


def test_list_never_prints_secrets():
    out = StringIO()
    call_command(
        "lrs_client", "create", "--name", "Listed", "--scopes", "all", "--json", stdout=out
    )
    secret = orjson.loads(out.getvalue())["secret"]
    listing = StringIO()
    call_command("lrs_client", "list", stdout=listing)
    assert "Listed" in listing.getvalue()
    assert secret not in listing.getvalue()


def test_staff_create_credentials_through_the_api_and_others_cannot():
    from django.urls import reverse
    from rest_framework.test import APIClient

    from tests.lms.factories import UserFactory

    api = APIClient()
    api.force_login(UserFactory())
    url = reverse("progress-api:lrs-clients")
    assert api.post(url, {"name": "X", "scopes": ["all"]}, format="json").status_code == 403
    api.force_login(UserFactory(is_staff=True))
    response = api.post(url, {"name": "Player", "scopes": ["statements/write"]}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["secret"]
    assert body["scopes"] == ["statements/write"]
    bad = api.post(url, {"name": "Bad", "scopes": ["everything"]}, format="json")
    assert bad.status_code == 400
    assert "scopes" in bad.json()
    listed = api.get(url).json()
    assert [c["name"] for c in listed["results"]] == ["Player"]
    assert "secret" not in listed["results"][0]
