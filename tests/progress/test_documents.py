"""The document resources through the HTTP stack: State, Activity Profile, Agent Profile.

xAPI 1.0.3 Communication §2.2 (documents, JSON merge), §2.3 (State), §2.6 (Agent Profile), §2.7
(Activity Profile) and §3.1 (Concurrency), with the status codes the ADL conformance suite
expects (v1_0_3/H.Communication2.x and 3.1, v2_0/4.1.4 and 4.1.6.x).
"""

import base64
import hashlib
import json
import threading
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django.utils.http import parse_http_date

from progress import documents
from progress.clients import hash_secret
from progress.models import Document, DocumentKind, LRSClient

pytestmark = pytest.mark.django_db

ACTIVITY = "http://www.example.com/activityId/hashset"
AGENT = {
    "objectType": "Agent",
    "account": {"homePage": "http://www.example.com/agentId/1", "name": "Rick James"},
}
OTHER_AGENT = {"objectType": "Agent", "mbox": "mailto:someone@example.com"}
AUTH = "Basic " + base64.b64encode(b"k1:s1").decode()
WRITE_ONLY_AUTH = "Basic " + base64.b64encode(b"k2:s2").decode()


@dataclass(frozen=True)
class Resource:
    name: str
    path: str
    id_param: str
    context: dict[str, Any]

    def params(self, document_id: str | None = None, **extra: Any) -> dict[str, Any]:
        params = dict(self.context)
        params[self.id_param] = document_id or str(uuid.uuid4())
        params.update(extra)
        return params


STATE = Resource(
    "state", "/xapi/activities/state", "stateId", {"activityId": ACTIVITY, "agent": AGENT}
)
ACTIVITY_PROFILE = Resource(
    "activity_profile", "/xapi/activities/profile", "profileId", {"activityId": ACTIVITY}
)
AGENT_PROFILE = Resource("agent_profile", "/xapi/agents/profile", "profileId", {"agent": AGENT})
RESOURCES = [STATE, ACTIVITY_PROFILE, AGENT_PROFILE]
PROFILES = [ACTIVITY_PROFILE, AGENT_PROFILE]


@pytest.fixture(autouse=True)
def credentials(db):
    LRSClient.objects.create(name="test", key="k1", secret_hash=hash_secret("s1"), scopes=["all"])
    LRSClient.objects.create(
        name="writer", key="k2", secret_hash=hash_secret("s2"), scopes=["statements/write"]
    )


@pytest.fixture(params=RESOURCES, ids=lambda r: r.name)
def resource(request):
    return request.param


@pytest.fixture(params=PROFILES, ids=lambda r: r.name)
def profile(request):
    return request.param


def _query(params: dict[str, Any]) -> str:
    return urlencode({k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items()})


@pytest.fixture
def xapi(client):
    """``xapi(method, resource_or_path, params, body, content_type=..., if_match=...)``."""

    def call(
        method: str,
        target: Resource | str,
        params: dict[str, Any],
        body: Any = b"",
        *,
        content_type: str = "application/json",
        version: str = "1.0.3",
        auth: str = AUTH,
        **headers: str,
    ):
        path = target.path if isinstance(target, Resource) else target
        if isinstance(body, dict | list):
            body = json.dumps(body).encode()
        extra = {f"HTTP_{name.upper()}": value for name, value in headers.items()}
        return client.generic(
            method,
            f"{path}?{_query(params)}",
            data=body,
            content_type=content_type,
            HTTP_X_EXPERIENCE_API_VERSION=version,
            HTTP_AUTHORIZATION=auth,
            **extra,
        )

    return call


def _sha1_etag(content: bytes) -> str:
    return f'"{hashlib.sha1(content, usedforsecurity=False).hexdigest()}"'


def _create(xapi, resource, params, body, content_type="application/json"):
    response = xapi("PUT", resource, params, body, content_type=content_type, if_none_match="*")
    assert response.status_code == 204, response.content
    return response


def _get(xapi, resource, params, **kwargs):
    return xapi("GET", resource, params, **kwargs)


# ---------------------------------------------------------------------------------------------
# Round trips (§2.2, §2.3.s3, §2.6.s3, §2.7.s3)
# ---------------------------------------------------------------------------------------------


def test_put_then_get_returns_the_document_with_etag_and_last_modified(xapi, resource):
    params = resource.params()
    body = b'{"name": "x", "location": {"name": "y"}}'
    response = _create(xapi, resource, params, body)
    assert response.content == b""
    assert response["X-Experience-API-Version"] == "1.0.3"

    response = _get(xapi, resource, params)
    assert response.status_code == 200
    assert response.content == body  # stored as sent, byte for byte
    assert response["Content-Type"] == "application/json"
    # §3.1.s4.b2/b4: the quoted lowercase hex SHA-1 of the contents.
    assert response["ETag"] == _sha1_etag(body)
    assert abs(parse_http_date(response["Last-Modified"]) - timezone.now().timestamp()) < 5
    assert response["X-Experience-API-Version"] == "1.0.3"


def test_binary_content_is_returned_with_its_content_type(xapi, resource):
    params = resource.params()
    body = bytes(range(256)) * 4
    _create(xapi, resource, params, body, content_type="image/png")
    response = _get(xapi, resource, params)
    assert response.status_code == 200
    assert response.content == body
    assert response["Content-Type"] == "image/png"
    assert response["ETag"] == _sha1_etag(body)


def test_put_replaces_the_whole_document(xapi, resource):
    params = resource.params()
    _create(xapi, resource, params, {"a": 1, "b": 2})
    etag = _get(xapi, resource, params)["ETag"]
    response = xapi(
        "PUT", resource, params, b"plain text", content_type="text/plain", if_match=etag
    )
    assert response.status_code == 204
    response = _get(xapi, resource, params)
    assert (response.content, response["Content-Type"]) == (b"plain text", "text/plain")


def test_get_of_a_missing_document_is_404(xapi, resource):
    response = _get(xapi, resource, resource.params())
    assert response.status_code == 404
    assert response.json()["error"] == 404


def test_head_answers_like_get_without_the_body(xapi, resource):
    params = resource.params()
    _create(xapi, resource, params, {"a": 1})
    response = xapi("HEAD", resource, params)
    assert response.status_code == 200
    assert response.content == b""
    assert response["ETag"] == _sha1_etag(b'{"a": 1}')
    assert "Last-Modified" in response
    assert xapi("HEAD", resource, resource.params()).status_code == 404


def test_xapi_2_requests_are_answered_as_2_0(xapi, resource):
    params = resource.params()
    response = xapi("PUT", resource, params, {"v": 2}, version="2.0.0", if_none_match="*")
    assert response.status_code == 204
    assert response["X-Experience-API-Version"] == "2.0.0"
    response = _get(xapi, resource, params, version="2.0.0")
    assert response.json() == {"v": 2}
    assert response["X-Experience-API-Version"] == "2.0.0"
    assert response["ETag"] == _sha1_etag(b'{"v": 2}')


def test_single_document_get_takes_two_queries(xapi, resource, django_assert_max_num_queries):
    params = resource.params()
    _create(xapi, resource, params, {"a": 1})
    with django_assert_max_num_queries(2):  # the credentials, the document
        assert _get(xapi, resource, params).status_code == 200


def test_documents_are_stored_with_what_they_are_about(xapi):
    registration = str(uuid.uuid4())
    params = STATE.params("s1", registration=registration)
    _create(xapi, STATE, params, {"a": 1})
    row = Document.objects.get(document_id="s1")
    assert row.kind == DocumentKind.STATE
    assert row.activity_iri == ACTIVITY
    assert row.agent == AGENT
    assert str(row.registration) == registration
    assert (
        row.scope
        == documents.state_scope(
            activity_iri=ACTIVITY, agent=AGENT, registration=uuid.UUID(registration)
        ).key
    )


# ---------------------------------------------------------------------------------------------
# POST: JSON merge (§2.2.s7, §2.2.s8)
# ---------------------------------------------------------------------------------------------


def test_post_of_a_new_document_stores_it(xapi, resource):
    params = resource.params()
    assert xapi("POST", resource, params, {"car": "Honda"}).status_code == 204
    assert _get(xapi, resource, params).json() == {"car": "Honda"}


def test_post_merges_top_level_properties_only(xapi, resource):
    params = resource.params()
    first = {"x": "foo", "y": "bar", "car": {"make": "Ford", "model": "Escape"}}
    second = {"x": "bash", "z": "faz", "car": {"make": "Dodge"}}
    assert xapi("POST", resource, params, first).status_code == 204
    assert xapi("POST", resource, params, second).status_code == 204
    response = _get(xapi, resource, params)
    assert response.json() == {"x": "bash", "y": "bar", "z": "faz", "car": {"make": "Dodge"}}
    assert response["Content-Type"] == "application/json"
    assert response["ETag"] == _sha1_etag(response.content)


def test_post_keeps_big_integers_and_unicode_exact(xapi, resource):
    params = resource.params()
    _create(xapi, resource, params, b'{"n": 123456789012345678901234567890}')
    assert xapi("POST", resource, params, {"name": "Zoë"}).status_code == 204
    content = _get(xapi, resource, params).content
    assert json.loads(content) == {"n": 123456789012345678901234567890, "name": "Zoë"}


@pytest.mark.parametrize(
    ("posted", "content_type"),
    [
        (b"abcdefg", "not/json"),
        (b'{"a": 1}', "application/octet-stream"),
        (b'{"a": 1}{', "application/json"),
        (b"[1, 2]", "application/json"),
        (b'"text"', "application/json"),
        (b'{"a": NaN}', "application/json"),
    ],
    ids=["other-type", "json-as-octets", "broken-json", "array", "string", "nan"],
)
def test_post_of_anything_but_a_json_object_is_400_and_changes_nothing(
    xapi, resource, posted, content_type
):
    params = resource.params()
    _create(xapi, resource, params, {"a": 0})
    response = xapi("POST", resource, params, posted, content_type=content_type)
    assert response.status_code == 400
    assert "JSON" in response.json()["message"]
    assert _get(xapi, resource, params).json() == {"a": 0}


def test_post_onto_a_stored_non_json_document_is_400_and_changes_nothing(xapi, resource):
    params = resource.params()
    _create(xapi, resource, params, b"/ asdf / undefined", content_type="application/octet-stream")
    response = xapi("POST", resource, params, {"a": 1})
    assert response.status_code == 400
    assert "application/octet-stream" in response.json()["message"]
    assert _get(xapi, resource, params).content == b"/ asdf / undefined"


def test_post_onto_a_stored_document_that_is_not_a_json_object_is_400(xapi, resource):
    params = resource.params()
    _create(xapi, resource, params, b"[1, 2]")
    assert xapi("POST", resource, params, {"a": 1}).status_code == 400
    assert _get(xapi, resource, params).content == b"[1, 2]"


def test_post_of_non_json_creates_nothing(xapi, resource):
    params = resource.params()
    response = xapi("POST", resource, params, b"abc", content_type="text/plain")
    assert response.status_code == 400
    assert _get(xapi, resource, params).status_code == 404


# ---------------------------------------------------------------------------------------------
# Concurrency (§3.1)
# ---------------------------------------------------------------------------------------------


def test_put_with_if_match(xapi, resource):
    params = resource.params()
    _create(xapi, resource, params, {"v": 1})
    etag = _get(xapi, resource, params)["ETag"]

    bad = '"1111111111111111111111111111111111111111"'
    response = xapi("PUT", resource, params, {"v": 2}, if_match=bad)
    assert response.status_code == 412
    assert _get(xapi, resource, params).json() == {"v": 1}

    assert xapi("PUT", resource, params, {"v": 2}, if_match=etag).status_code == 204
    assert _get(xapi, resource, params).json() == {"v": 2}

    # The ETag the client held is now stale.
    assert xapi("PUT", resource, params, {"v": 3}, if_match=etag).status_code == 412
    assert _get(xapi, resource, params).json() == {"v": 2}


def test_if_match_accepts_a_list_star_and_an_unquoted_tag(xapi, resource):
    params = resource.params()
    _create(xapi, resource, params, {"v": 1})
    etag = _get(xapi, resource, params)["ETag"]
    assert xapi("PUT", resource, params, {"v": 2}, if_match=f'"abc", {etag}').status_code == 204
    assert xapi("PUT", resource, params, {"v": 3}, if_match="*").status_code == 204
    etag = _get(xapi, resource, params)["ETag"]
    assert xapi("PUT", resource, params, {"v": 4}, if_match=etag.strip('"')).status_code == 204
    # If-Match compares strongly: a weak tag never matches (RFC 7232 §3.1).
    etag = _get(xapi, resource, params)["ETag"]
    assert xapi("PUT", resource, params, {"v": 5}, if_match=f"W/{etag}").status_code == 412


def test_if_match_on_a_missing_document_is_412_and_creates_nothing(xapi, resource):
    params = resource.params()
    assert xapi("PUT", resource, params, {"v": 1}, if_match="*").status_code == 412
    assert xapi("POST", resource, params, {"v": 1}, if_match='"abc"').status_code == 412
    assert _get(xapi, resource, params).status_code == 404


def test_put_with_if_none_match_star(xapi, resource):
    params = resource.params()
    assert xapi("PUT", resource, params, {"v": 1}, if_none_match="*").status_code == 204
    response = xapi("PUT", resource, params, {"v": 2}, if_none_match="*")
    assert response.status_code == 412
    assert _get(xapi, resource, params).json() == {"v": 1}


def test_put_with_if_none_match_of_the_current_etag_is_412(xapi, resource):
    params = resource.params()
    _create(xapi, resource, params, {"v": 1})
    etag = _get(xapi, resource, params)["ETag"]
    assert xapi("PUT", resource, params, {"v": 2}, if_none_match=etag).status_code == 412
    assert xapi("PUT", resource, params, {"v": 2}, if_none_match='"other"').status_code == 204


def test_post_with_if_match(xapi, resource):
    params = resource.params()
    _create(xapi, resource, params, {"name": "a", "keep": True})
    etag = _get(xapi, resource, params)["ETag"]
    assert xapi("POST", resource, params, {"name": "b"}, if_match='"1234"').status_code == 412
    assert _get(xapi, resource, params).json() == {"name": "a", "keep": True}
    assert xapi("POST", resource, params, {"name": "b"}, if_match=etag).status_code == 204
    assert _get(xapi, resource, params).json() == {"name": "b", "keep": True}


def test_post_with_if_none_match_star_on_an_existing_document_is_412(xapi, resource):
    params = resource.params()
    _create(xapi, resource, params, {"a": 1})
    assert xapi("POST", resource, params, {"b": 2}, if_none_match="*").status_code == 412
    assert _get(xapi, resource, params).json() == {"a": 1}


def test_delete_with_if_match(xapi, resource):
    params = resource.params()
    _create(xapi, resource, params, {"a": 1})
    etag = _get(xapi, resource, params)["ETag"]
    assert xapi("DELETE", resource, params, if_match='"1234"').status_code == 412
    assert _get(xapi, resource, params).status_code == 200
    assert xapi("DELETE", resource, params, if_match=etag).status_code == 204
    assert _get(xapi, resource, params).status_code == 404
    assert xapi("DELETE", resource, params, if_match=etag).status_code == 412


def test_profile_put_without_either_header_is_400_for_a_new_document(xapi, profile):
    params = profile.params()
    for version in ("1.0.3", "2.0.0"):
        response = xapi("PUT", profile, params, {"a": 1}, version=version)
        assert response.status_code == 400
        assert "If-Match" in response.json()["message"]
    assert _get(xapi, profile, params).status_code == 404


@pytest.mark.parametrize("version", ["1.0.3", "2.0.0"])
def test_profile_put_without_either_header_over_a_document_is_409(xapi, profile, version):
    params = profile.params()
    assert xapi("POST", profile, params, {"a": 1}, version=version).status_code == 204
    response = xapi("PUT", profile, params, {"b": 2}, version=version)
    assert response.status_code == 409
    # §3.1.s4.b14: explain that the client should check the document and use If-Match.
    message = response.json()["message"]
    assert "If-Match" in message
    assert "GET" in message
    assert _get(xapi, profile, params).json() == {"a": 1}


def test_state_put_without_headers_replaces_in_1_0(xapi):
    params = STATE.params()
    assert xapi("PUT", STATE, params, {"a": 1}).status_code == 204
    assert xapi("PUT", STATE, params, {"b": 2}).status_code == 204
    assert _get(xapi, STATE, params).json() == {"b": 2}
    # POST and DELETE need no header either.
    assert xapi("POST", STATE, params, {"c": 3}).status_code == 204
    assert xapi("DELETE", STATE, params).status_code == 204


def test_state_put_without_headers_replaces_in_2_0_too(xapi):
    """State is exempt from the concurrency headers in 2.0 as in 1.0.3 (see StateView)."""
    params = STATE.params()
    assert xapi("PUT", STATE, params, {"a": 1}, version="2.0.0").status_code == 204
    assert xapi("PUT", STATE, params, {"b": 2}, version="2.0.0").status_code == 204
    assert _get(xapi, STATE, params).json() == {"b": 2}
    etag = _get(xapi, STATE, params)["ETag"]
    assert (
        xapi("PUT", STATE, params, {"c": 3}, version="2.0.0", if_match='"0000"').status_code == 412
    )
    assert xapi("PUT", STATE, params, {"c": 3}, version="2.0.0", if_match=etag).status_code == 204


def test_a_concurrent_creation_is_decided_against_the_winner(xapi, resource, monkeypatch):
    """Two PUTs with If-None-Match: * racing: both find no row to lock; the second insert hits
    the unique constraint, is retried, now locks the first's document and fails with 412."""
    params = resource.params()
    _create(xapi, resource, params, {"winner": True})
    real_lock = documents._lock
    calls = []

    def lock_missing_the_first_time(scope, document_id, **kwargs):
        calls.append(document_id)
        return None if len(calls) == 1 else real_lock(scope, document_id, **kwargs)

    monkeypatch.setattr(documents, "_lock", lock_missing_the_first_time)
    response = xapi("PUT", resource, params, {"loser": True}, if_none_match="*")
    assert response.status_code == 412
    assert len(calls) == 2
    assert _get(xapi, resource, params).json() == {"winner": True}
    assert Document.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_merge_waits_for_a_concurrent_writer_and_loses_no_update(xapi):
    """The services lock the row before reading it: a POST arriving while another transaction
    holds the document waits for it, then merges into what that transaction stored."""
    params = STATE.params("locked")
    _create(xapi, STATE, params, {"a": 1})
    finished = threading.Event()
    statuses = []

    def post():
        try:
            statuses.append(xapi("POST", STATE, params, {"b": 2}).status_code)
        finally:
            connection.close()
            finished.set()

    with transaction.atomic():
        row = Document.objects.select_for_update().get(document_id="locked")
        thread = threading.Thread(target=post)
        thread.start()
        assert not finished.wait(0.5)  # blocked on the row lock
        row.content = b'{"a": 1, "c": 3}'
        row.save(update_fields=["content"])
    assert finished.wait(10)
    thread.join()
    assert statuses == [204]
    assert _get(xapi, STATE, params).json() == {"a": 1, "c": 3, "b": 2}


# ---------------------------------------------------------------------------------------------
# Lists and since (§2.3.s4, §2.6.s4, §2.7.s4), DELETE (§2.3.s3, §2.3.s5)
# ---------------------------------------------------------------------------------------------


def _elsewhere(resource: Resource) -> Resource:
    """The same resource about another activity (or, for agent profiles, another agent)."""
    context = dict(resource.context)
    if "activityId" in context:
        context["activityId"] = f"{ACTIVITY}/{uuid.uuid4()}"
    else:
        context["agent"] = OTHER_AGENT
    return Resource(resource.name, resource.path, resource.id_param, context)


def test_list_of_ids_with_since(xapi, resource):
    scoped = _elsewhere(resource)
    context = scoped.context
    _create(xapi, scoped, scoped.params("old"), {"a": 1})
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Document.objects.filter(document_id="old").update(updated=an_hour_ago)
    _create(xapi, scoped, scoped.params("new"), b"binary", content_type="text/plain")
    _create(xapi, resource, resource.params("elsewhere"), {"a": 1})  # another scope
    newest = Document.objects.get(document_id="new").updated

    response = _get(xapi, scoped, context)
    assert response.status_code == 200
    assert response.json() == ["old", "new"]
    assert parse_http_date(response["Last-Modified"]) == int(newest.timestamp())
    assert response["ETag"] == _sha1_etag(response.content)

    half_an_hour_ago = (an_hour_ago + timedelta(minutes=30)).isoformat()
    assert _get(xapi, scoped, {**context, "since": half_an_hour_ago}).json() == ["new"]
    # since is exclusive.
    assert _get(xapi, scoped, {**context, "since": newest.isoformat()}).json() == []
    response = _get(xapi, scoped, {**context, "since": an_hour_ago.isoformat()})
    assert response.json() == ["new"]


def test_list_of_an_empty_scope_is_an_empty_array(xapi, resource):
    response = _get(xapi, resource, resource.context)
    assert response.status_code == 200
    assert response.json() == []
    assert "Last-Modified" not in response


def test_single_get_ignores_since(xapi, resource):
    params = resource.params()
    _create(xapi, resource, params, {"a": 1})
    since = (timezone.now() + timedelta(days=1)).isoformat()
    assert _get(xapi, resource, {**params, "since": since}).json() == {"a": 1}


@pytest.mark.parametrize("since", ["not a timestamp", "true", "2024-13-01T00:00:00Z"])
def test_since_must_be_a_timestamp(xapi, resource, since):
    response = _get(xapi, resource, {**resource.context, "since": since})
    assert response.status_code == 400
    assert response.json()["message"].startswith("since:")


def test_delete_of_one_document(xapi, resource):
    params = resource.params()
    other = resource.params()
    _create(xapi, resource, params, {"a": 1})
    _create(xapi, resource, other, {"a": 2})
    assert xapi("DELETE", resource, params).status_code == 204
    assert _get(xapi, resource, params).status_code == 404
    assert _get(xapi, resource, other).status_code == 200
    # Deleting what is not there is a no-op.
    assert xapi("DELETE", resource, params).status_code == 204


def test_delete_without_profile_id_is_400(xapi, profile):
    params = profile.params()
    _create(xapi, profile, params, {"a": 1})
    response = xapi("DELETE", profile, profile.context)
    assert response.status_code == 400
    assert "profileId" in response.json()["message"]
    assert _get(xapi, profile, params).status_code == 200


def test_state_delete_without_state_id_deletes_the_context(xapi):
    registration = str(uuid.uuid4())
    other_activity = f"{ACTIVITY}/{uuid.uuid4()}"
    _create(xapi, STATE, STATE.params("s1"), {"a": 1})
    _create(xapi, STATE, STATE.params("s2"), {"a": 2})
    _create(xapi, STATE, STATE.params("s1", registration=registration), {"a": 3})
    _create(xapi, STATE, STATE.params("s1", activityId=other_activity), {"a": 4})
    _create(xapi, STATE, STATE.params("s1", agent=OTHER_AGENT), {"a": 5})

    assert xapi("DELETE", STATE, STATE.context).status_code == 204
    assert _get(xapi, STATE, STATE.context).json() == []
    assert _get(xapi, STATE, STATE.params("s1", registration=registration)).json() == {"a": 3}
    assert _get(xapi, STATE, STATE.params("s1", activityId=other_activity)).json() == {"a": 4}
    assert _get(xapi, STATE, STATE.params("s1", agent=OTHER_AGENT)).json() == {"a": 5}

    context = {**STATE.context, "registration": registration}
    assert xapi("DELETE", STATE, context).status_code == 204
    assert _get(xapi, STATE, context).json() == []


def test_state_registration_is_part_of_the_context(xapi):
    registration = uuid.uuid4()
    _create(xapi, STATE, STATE.params("s"), {"without": True})
    _create(xapi, STATE, STATE.params("s", registration=str(registration)), {"with": True})
    assert _get(xapi, STATE, STATE.params("s")).json() == {"without": True}
    upper = STATE.params("s", registration=str(registration).upper())
    assert _get(xapi, STATE, upper).json() == {"with": True}
    assert _get(xapi, STATE, {**STATE.context, "registration": str(registration)}).json() == ["s"]


def test_agents_are_matched_by_their_identifier(xapi):
    """Data §2.4.2.3: the same IFI is the same agent, whatever else the Agent object says."""
    _create(xapi, STATE, STATE.params("s", agent={"mbox": "mailto:Bob@Example.com"}), {"a": 1})
    same = {"objectType": "Agent", "name": "Bob", "mbox": "mailto:Bob@example.COM"}
    assert _get(xapi, STATE, STATE.params("s", agent=same)).json() == {"a": 1}
    assert _get(xapi, AGENT_PROFILE, {"agent": same}).json() == []


def test_state_of_an_identified_group(xapi):
    group = {"objectType": "Group", "mbox": "mailto:team@example.com"}
    _create(xapi, STATE, STATE.params("s", agent=group), {"a": 1})
    assert _get(xapi, STATE, STATE.params("s", agent=group)).json() == {"a": 1}


def test_agent_profile_of_a_group_is_400(xapi):
    group = {"objectType": "Group", "mbox": "mailto:team@example.com"}
    response = xapi("PUT", AGENT_PROFILE, AGENT_PROFILE.params(agent=group), {}, if_none_match="*")
    assert response.status_code == 400
    assert response.json()["message"].startswith("agent:")


# ---------------------------------------------------------------------------------------------
# Parameters and credentials
# ---------------------------------------------------------------------------------------------

MISSING = [
    (STATE, "activityId", ("GET", "PUT", "POST", "DELETE")),
    (STATE, "agent", ("GET", "PUT", "POST", "DELETE")),
    (STATE, "stateId", ("PUT", "POST")),
    (ACTIVITY_PROFILE, "activityId", ("GET", "PUT", "POST", "DELETE")),
    (ACTIVITY_PROFILE, "profileId", ("PUT", "POST", "DELETE")),
    (AGENT_PROFILE, "agent", ("GET", "PUT", "POST", "DELETE")),
    (AGENT_PROFILE, "profileId", ("PUT", "POST", "DELETE")),
]


@pytest.mark.parametrize(
    ("resource", "name", "methods"), MISSING, ids=[f"{r.name}-{n}" for r, n, _ in MISSING]
)
def test_a_missing_required_parameter_is_400_naming_it(xapi, resource, name, methods):
    params = resource.params()
    del params[name]
    for method in methods:
        response = xapi(method, resource, params, {"a": 1}, if_none_match="*")
        assert response.status_code == 400, method
        assert name in response.json()["message"], method
    assert not Document.objects.exists()


BAD_VALUES = [
    (STATE, "agent", "not JSON"),
    (STATE, "agent", "true"),
    (STATE, "agent", '{"objectType": "Agent"}'),
    (STATE, "agent", '{"objectType": "Group", "member": []}'),
    (STATE, "activityId", "not an iri"),
    (STATE, "registration", "true"),
    (STATE, "registration", "not-a-uuid"),
    (ACTIVITY_PROFILE, "activityId", "no scheme"),
    (AGENT_PROFILE, "agent", "true"),
    (AGENT_PROFILE, "agent", '{"mbox": "bob@example.com"}'),
]


@pytest.mark.parametrize(
    ("resource", "name", "value"),
    BAD_VALUES,
    ids=[f"{r.name}-{n}-{i}" for i, (r, n, _) in enumerate(BAD_VALUES)],
)
def test_a_bad_parameter_value_is_400_naming_it(xapi, resource, name, value):
    params = {**resource.params(), name: value}
    for method in ("GET", "PUT", "POST", "DELETE"):
        response = xapi(method, resource, params, {"a": 1}, if_none_match="*")
        assert response.status_code == 400, method
        assert response.json()["message"].startswith(name), method
    assert not Document.objects.exists()


def test_an_unknown_parameter_is_400_naming_it(xapi, resource):
    params = resource.params(colour="blue")
    for method in ("GET", "PUT", "POST", "DELETE"):
        response = xapi(method, resource, params, {"a": 1}, if_none_match="*")
        assert response.status_code == 400, method
        assert "colour" in response.json()["message"], method


def test_since_is_only_for_get(xapi, resource):
    params = resource.params(since=timezone.now().isoformat())
    response = xapi("PUT", resource, params, {"a": 1}, if_none_match="*")
    assert response.status_code == 400
    assert "since" in response.json()["message"]


def test_an_empty_document_id_is_400(xapi, resource):
    params = {**resource.context, resource.id_param: ""}
    response = xapi("PUT", resource, params, {"a": 1}, if_none_match="*")
    assert response.status_code == 400
    assert resource.id_param in response.json()["message"]


def test_credentials_without_the_scope_are_403(xapi, resource):
    params = resource.params()
    _create(xapi, resource, params, {"a": 1})
    for method in ("GET", "HEAD", "PUT", "POST", "DELETE"):
        response = xapi(method, resource, params, {"b": 2}, auth=WRITE_ONLY_AUTH, if_match="*")
        assert response.status_code == 403, method
    assert _get(xapi, resource, params).json() == {"a": 1}


def test_requests_without_credentials_are_401(xapi, resource):
    response = xapi("GET", resource, resource.params(), auth="")
    assert response.status_code == 401


def test_the_alternate_request_syntax_reaches_the_document_resources(client):
    """Communication §1.3: a PUT sent as a form POST with method=PUT (xAPI 1.0.x only)."""
    form = {
        **{k: json.dumps(v) if isinstance(v, dict) else v for k, v in STATE.context.items()},
        "stateId": "alt",
        "content": '{"via": "form"}',
        "Content-Type": "application/json",
        "X-Experience-API-Version": "1.0.3",
        "Authorization": AUTH,
    }
    response = client.post(
        "/xapi/activities/state?method=PUT",
        data=urlencode(form),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 204
    row = Document.objects.get(document_id="alt")
    assert (bytes(row.content), row.content_type) == (b'{"via": "form"}', "application/json")
