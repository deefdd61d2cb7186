"""Property-based tests of the LRS (issue 17): statements, documents and query parameters that
Hypothesis makes up (a valid statement with any of its parts replaced by any JSON, raw bodies,
any parameter values) never make a server error, and a batch refused stores nothing.

Strategies of our own: the xAPI resources are not in the OpenAPI document (the xAPI
specification describes them). Examples are bounded (tests/properties/strategies.py).
"""

import base64
import copy
import json
import uuid
from urllib.parse import urlencode

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from progress.clients import create_lrs_client
from progress.models import Document, Statement
from tests.progress.conftest import make_statement
from tests.properties.strategies import bounded, hostile_bytes, hostile_text, json_values

pytestmark = pytest.mark.django_db

AGENT = {"objectType": "Agent", "mbox": "mailto:ana@example.org"}
ACTIVITY = "https://example.org/courses/child-protection-101"

# The places in a statement where content goes wrong (xAPI Data 2.4).
STATEMENT_PATHS = [
    ("id",),
    ("actor",),
    ("actor", "objectType"),
    ("actor", "mbox"),
    ("actor", "account"),
    ("actor", "member"),
    ("verb",),
    ("verb", "id"),
    ("verb", "display"),
    ("object",),
    ("object", "id"),
    ("object", "objectType"),
    ("object", "definition"),
    ("object", "definition", "interactionType"),
    ("object", "definition", "correctResponsesPattern"),
    ("result",),
    ("result", "score"),
    ("result", "score", "scaled"),
    ("result", "duration"),
    ("result", "extensions"),
    ("context",),
    ("context", "registration"),
    ("context", "contextActivities"),
    ("context", "contextActivities", "parent"),
    ("context", "extensions"),
    ("context", "statement"),
    ("timestamp",),
    ("stored",),
    ("authority",),
    ("version",),
    ("attachments",),
]

DROP = object()


def _set(statement: dict, path: tuple[str, ...], value) -> None:
    target = statement
    for key in path[:-1]:
        if not isinstance(target.get(key), dict):
            target[key] = {}
        target = target[key]
    if value is DROP:
        target.pop(path[-1], None)
    else:
        target[path[-1]] = value


@st.composite
def statements(draw):
    """A valid statement, then up to three of its parts replaced by anything (or removed)."""
    statement = make_statement(
        id=str(uuid.UUID(int=draw(st.integers(0, 2**128 - 1)))),
        result={"score": {"scaled": 0.5}, "duration": "PT1M"},
        context={"registration": str(uuid.uuid4())},
        timestamp="2026-03-01T10:00:00Z",
    )
    for path in draw(st.lists(st.sampled_from(STATEMENT_PATHS), max_size=3, unique=True)):
        _set(statement, path, draw(st.one_of(st.just(DROP), json_values)))
    return statement


@pytest.fixture
def auth(db):
    from progress import clients as lrs_auth

    lrs_auth._client_cache.clear()
    new = create_lrs_client(name="Property tests", scopes=["all"])
    pair = f"{new.client.key}:{new.secret}".encode()
    return "Basic " + base64.b64encode(pair).decode()


def _send(client, auth, method, path, body=b"", *, content_type="application/json", **headers):
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    extra.setdefault("HTTP_X_EXPERIENCE_API_VERSION", "1.0.3")
    return client.generic(
        method, path, data=body, content_type=content_type, HTTP_AUTHORIZATION=auth, **extra
    )


def _json(value) -> bytes:
    # The standard library writes integers of any size, as a client may.
    return json.dumps(value, ensure_ascii=False).encode()


@bounded
@given(
    batch=st.one_of(statements(), st.lists(statements(), min_size=1, max_size=3)),
    version=st.sampled_from(["1.0.3", "2.0.0", "1.0", "0.95", "3.0.0", ""]),
)
def test_any_statement_batch_is_stored_whole_or_refused_whole(client, auth, batch, version):
    before = Statement.objects.count()
    response = _send(
        client, auth, "POST", "/xapi/statements", _json(batch), X_Experience_API_Version=version
    )
    assert response.status_code < 500, response.content[:500]
    event(f"answered {response.status_code}")
    sent = batch if isinstance(batch, list) else [batch]
    if response.status_code == 200:
        ids = response.json()
        assert len(ids) == len(sent)
        # A statement sent again with its id is accepted and not stored twice (Communication
        # 2.1.3): the ids answered are all stored, once.
        assert Statement.objects.filter(statement_id__in=ids).count() == len(set(ids))
        assert Statement.objects.count() <= before + len(sent)
    else:
        assert response.status_code in {400, 403, 409, 413}, response.status_code
        assert Statement.objects.count() == before  # atomic: nothing of a refused batch


@bounded
@given(statement=statements(), statement_id=hostile_text)
def test_any_put_statement_answers_without_a_server_error(client, auth, statement, statement_id):
    path = "/xapi/statements?" + urlencode({"statementId": statement_id})
    response = _send(client, auth, "PUT", path, _json(statement))
    assert response.status_code < 500, response.content[:500]


@bounded
@given(
    body=hostile_bytes,
    content_type=st.sampled_from(
        ["application/json", "multipart/mixed; boundary=abc", "multipart/mixed", "text/plain", ""]
    ),
    method=st.sampled_from(["POST", "PUT"]),
)
def test_any_body_answers_without_a_server_error(client, auth, body, content_type, method):
    before = Statement.objects.count()
    path = "/xapi/statements" + (f"?statementId={uuid.uuid4()}" if method == "PUT" else "")
    response = _send(client, auth, method, path, body, content_type=content_type)
    assert response.status_code < 500, response.content[:500]
    assert Statement.objects.count() == before


STATEMENT_QUERY = [
    "statementId", "voidedStatementId", "agent", "verb", "activity", "registration",
    "related_activities", "related_agents", "since", "until", "limit", "format",
    "attachments", "ascending", "more", "cursor", "unknown",
]  # fmt: skip


def _query_values():
    return st.one_of(hostile_text, json_values.map(lambda value: _json(value).decode()))


@bounded
@given(
    query=st.dictionaries(st.sampled_from(STATEMENT_QUERY), _query_values(), max_size=4),
    method=st.sampled_from(["GET", "HEAD"]),
)
def test_any_statement_query_answers_without_a_server_error(client, auth, query, method):
    response = _send(client, auth, method, "/xapi/statements?" + urlencode(query))
    assert response.status_code < 500, response.content[:500]
    event(f"answered {response.status_code}")
    if method == "GET" and response.status_code == 200:
        body = response.json()
        assert "statements" in body or "id" in body


DOCUMENT_PARAMS = {
    "/xapi/activities/state": ["activityId", "agent", "stateId", "registration", "since"],
    "/xapi/activities/profile": ["activityId", "profileId", "since"],
    "/xapi/agents/profile": ["agent", "profileId", "since"],
    "/xapi/activities": ["activityId"],
    "/xapi/agents": ["agent"],
    "/xapi/about": [],
}
VALID = {
    "activityId": ACTIVITY,
    "agent": _json(AGENT).decode(),
    "stateId": "bookmark",
    "profileId": "preferences",
    "registration": str(uuid.uuid4()),
}


@st.composite
def document_requests(draw):
    resource = draw(st.sampled_from(sorted(DOCUMENT_PARAMS)))
    params = {name: VALID.get(name, "") for name in DOCUMENT_PARAMS[resource] if name in VALID}
    for name in draw(st.lists(st.sampled_from(DOCUMENT_PARAMS[resource] or ["x"]), max_size=2)):
        params[name] = draw(st.one_of(st.just(DROP), _query_values()))
    params = {name: value for name, value in params.items() if value is not DROP}
    method = draw(st.sampled_from(["GET", "PUT", "POST", "DELETE", "HEAD"]))
    body, content_type = draw(
        st.one_of(
            json_values.map(lambda value: (_json(value), "application/json")),
            hostile_bytes.map(lambda raw: (raw, "application/octet-stream")),
            hostile_bytes.map(lambda raw: (raw, "application/json")),
        )
    )
    headers = draw(
        st.dictionaries(
            st.sampled_from(["If-Match", "If-None-Match"]),
            st.one_of(st.just("*"), hostile_text.map(lambda text: f'"{text}"')),
            max_size=1,
        )
    )
    return resource, method, params, body, content_type, headers


@bounded
@given(request=document_requests())
def test_any_document_request_answers_without_a_server_error(client, auth, request):
    resource, method, params, body, content_type, headers = request
    before = Document.objects.count()
    path = resource + ("?" + urlencode(params) if params else "")
    response = _send(client, auth, method, path, body, content_type=content_type, **headers)
    assert response.status_code < 500, response.content[:500]
    event(f"{method} answered {response.status_code}")
    if response.status_code >= 400:
        assert Document.objects.count() == before


@bounded
@given(state=st.dictionaries(hostile_text, json_values, max_size=3), other=json_values)
def test_merging_json_documents_keeps_the_last_values(client, auth, state, other):
    """POST merges JSON objects (xAPI Communication 2.2.6.1); any object merges, anything else
    is refused when a JSON document is there, and nothing is lost or half-written."""
    path = "/xapi/activities/profile?" + urlencode(
        {"activityId": ACTIVITY, "profileId": str(uuid.uuid4())}
    )
    first = _send(client, auth, "POST", path, _json(state))
    assert first.status_code in {204, 400}, first.content[:300]
    second = _send(client, auth, "POST", path, _json(other))
    assert second.status_code in {204, 400}, second.content[:300]
    stored = _send(client, auth, "GET", path)
    if first.status_code == 204:
        expected = copy.deepcopy(state)
        if second.status_code == 204:
            expected.update(other)
        assert stored.status_code == 200
        content = b"".join(stored.streaming_content) if stored.streaming else stored.content
        assert json.loads(content) == expected  # integers of any size kept exactly
