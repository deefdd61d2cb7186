"""Input no content should send, answered with a clear 400 and nothing stored (never a 500)."""

import json
from urllib.parse import quote

import pytest

from progress.models import Document, Statement
from tests.progress.conftest import make_statement

pytestmark = pytest.mark.django_db

AGENT = {"objectType": "Agent", "mbox": "mailto:ana@example.org"}


def _nested(levels: int) -> dict:
    value: dict = {}
    for _ in range(levels):
        value = {"http://example.org/deeper": value}
    return value


def test_an_empty_list_of_statements_is_refused(xapi):
    response = xapi.post([])
    assert response.status_code == 400
    assert "the list is empty" in response.json()["message"]


def test_an_extension_nested_300_levels_is_refused_naming_it(xapi):
    statement = make_statement(context={"extensions": _nested(300)})
    response = xapi.post(json.dumps(statement))  # orjson itself writes 254 levels at most
    assert response.status_code == 400
    message = response.json()["message"]
    assert message.startswith("statement.context.extensions['http://example.org/deeper']")
    assert "deeper than 64 levels" in message
    assert not Statement.objects.exists()


def test_an_extension_nested_60_levels_is_kept(xapi):
    assert xapi.post(make_statement(context={"extensions": _nested(60)})).status_code == 200


@pytest.mark.parametrize(
    "statement",
    [
        make_statement(actor={**AGENT, "name": "Ana\u0000"}),
        make_statement(
            object={"id": "http://example.org/a", "definition": {"name": {"en": "a\u0000b"}}}
        ),
        make_statement(result={"response": "\u0000"}),
    ],
    ids=["agent name", "activity name", "response"],
)
def test_a_nul_character_anywhere_in_a_statement_is_refused_naming_where(xapi, statement):
    response = xapi.post([make_statement(), statement])
    assert response.status_code == 400
    assert response.json()["message"].startswith("statements[1].")
    assert "NUL" in response.json()["message"]
    assert not Statement.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        f"activityId=http://example.org/a&agent={quote(json.dumps(AGENT))}&stateId=a%00b",
        "activityId=http://example.org/a&agent="
        + quote(json.dumps({**AGENT, "name": "Ana\u0000"}))
        + "&stateId=ab",
    ],
    ids=["state id", "agent name"],
)
def test_a_nul_character_in_a_document_parameter_is_refused(xapi, query):
    response = xapi.request("PUT", f"activities/state?{query}", {"a": 1})
    assert response.status_code == 400
    assert "NUL" in response.json()["message"]
    assert not Document.objects.exists()


def test_a_nul_in_a_profile_id_or_a_query_is_refused(xapi):
    profile = "activities/profile?activityId=http://example.org/a&profileId=a%00b"
    assert xapi.request("POST", profile, {"a": 1}).status_code == 400
    assert xapi.get("verb=http://example.org/v%00").status_code == 400
