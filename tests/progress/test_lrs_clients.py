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
