"""A real third-party xAPI client (the ``tincan`` package) talks to the LRS over HTTP."""

import uuid

import pytest
from tincan import (
    Activity,
    ActivityDefinition,
    Agent,
    LanguageMap,
    RemoteLRS,
    Statement,
    Verb,
)

from progress.clients import create_lrs_client

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lrs(live_server):
    new = create_lrs_client(name="tincan", scopes=["all"])
    return RemoteLRS(
        endpoint=f"{live_server.url}/xapi/",
        version="1.0.1",
        username=new.client.key,
        password=new.secret,
    )


def _statement(name: str = "Ana") -> Statement:
    return Statement(
        id=str(uuid.uuid4()),
        actor=Agent(name=name, mbox=f"mailto:{name.lower()}@example.org"),
        verb=Verb(
            id="http://adlnet.gov/expapi/verbs/experienced",
            display=LanguageMap({"en-US": "experienced"}),
        ),
        object=Activity(
            id="https://example.org/courses/child-protection-101",
            definition=ActivityDefinition(name=LanguageMap({"en-US": "Child protection 101"})),
        ),
    )


def test_about(lrs):
    # tincan's About model knows only 1.0.x versions: ask through its raw request path.
    from tincan.http_request import HTTPRequest

    response = lrs._send_request(HTTPRequest(method="GET", resource="about"))
    assert response.success, response.data
    assert "1.0.3" in response.data


def test_save_and_retrieve_a_statement(lrs):
    statement = _statement()
    saved = lrs.save_statement(statement)
    assert saved.success, saved.data
    fetched = lrs.retrieve_statement(statement.id)
    assert fetched.success, fetched.data
    assert fetched.content.actor.mbox == "mailto:ana@example.org"
    assert str(fetched.content.id) == str(statement.id)


def test_save_many_and_query_by_agent_with_paging(lrs):
    saved = lrs.save_statements([_statement("Ana"), _statement("Ion"), _statement("Ana")])
    assert saved.success, saved.data
    result = lrs.query_statements({"agent": Agent(mbox="mailto:ana@example.org"), "limit": 1})
    assert result.success, result.data
    assert len(result.content.statements) == 1
    more = lrs.more_statements(result.content)
    assert more.success, more.data
    assert len(more.content.statements) == 1
    assert more.content.statements[0].actor.mbox == "mailto:ana@example.org"


def test_state_round_trip(lrs):
    from tincan import StateDocument

    agent = Agent(mbox="mailto:ana@example.org")
    activity = Activity(id="https://example.org/courses/child-protection-101")
    document = StateDocument(activity=activity, agent=agent, id="bookmark", content='{"page": 7}')
    document.content_type = "application/json"
    saved = lrs.save_state(document)
    assert saved.success, saved.data
    fetched = lrs.retrieve_state(activity=activity, agent=agent, state_id="bookmark")
    assert fetched.success, fetched.data
    assert fetched.content.content in (b'{"page": 7}', '{"page": 7}')
