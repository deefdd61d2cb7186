"""The Statement Resource through the real HTTP stack (xAPI 1.0.3 Communication §2.1, and 2.0)."""

import base64
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import orjson
import pytest
from django.test import Client

from progress.clients import create_lrs_client
from progress.models import Statement, StatementIndex
from tests.progress.conftest import XAPIClient, make_statement

pytestmark = pytest.mark.django_db

VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def _ids(response) -> list[str]:
    return [s["id"] for s in response.json()["statements"]]


# --- Versions and headers: Communication §1.2, §3.3 ------------------------------------------


@pytest.mark.parametrize(
    ("sent", "answered"),
    [("1.0.0", "1.0.3"), ("1.0.1", "1.0.3"), ("1.0.2", "1.0.3"), ("1.0.3", "1.0.3"),
     ("1.0", "1.0.3"), ("2.0.0", "2.0.0"), ("2.0", "2.0.0")],
)  # fmt: skip
def test_every_1_0_x_and_2_0_x_is_accepted_and_answered(xapi, sent, answered):
    response = xapi.post(make_statement(), version=sent)
    assert response.status_code == 200, response.content
    assert response["X-Experience-API-Version"] == answered


@pytest.mark.parametrize("sent", [False, "0.95", "1.1.0", "3.0.0", "one"])
def test_a_missing_or_unknown_version_is_400(xapi, sent):
    response = xapi.post(make_statement(), version=sent)
    assert response.status_code == 400
    assert "X-Experience-API-Version" in response.json()["message"]
    assert response["X-Experience-API-Version"] == "1.0.3"
    assert not Statement.objects.exists()


def test_about_needs_neither_version_nor_credentials(client):
    response = client.get("/xapi/about")
    assert response.status_code == 200
    assert response.json()["version"][:2] == ["2.0.0", "1.0.3"]
    assert "1.0.2" in response.json()["version"]


def test_cors_preflight_is_answered_without_credentials(client):
    response = client.options("/xapi/statements", HTTP_ORIGIN="https://content.example.org")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "X-Experience-API-Version" in response["Access-Control-Allow-Headers"]
    assert "X-Experience-API-Consistent-Through" in response["Access-Control-Expose-Headers"]


# --- Credentials and scopes: Communication §4 -------------------------------------------------


def test_no_credentials_is_401_with_a_challenge(xapi):
    response = xapi.post(make_statement(), auth="")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")


@pytest.mark.parametrize(
    "auth",
    [
        "Basic " + base64.b64encode(b"nobody:nothing").decode(),
        "Basic not-base64!",
        "Bearer abc",
    ],
)
def test_forged_or_malformed_credentials_are_401(xapi, auth):
    assert xapi.post(make_statement(), auth=auth).status_code == 401
    assert not Statement.objects.exists()


def test_a_wrong_secret_for_a_real_key_is_401(xapi, lrs_credentials):
    key, _secret = lrs_credentials
    auth = "Basic " + base64.b64encode(f"{key}:guess".encode()).decode()
    assert xapi.post(make_statement(), auth=auth).status_code == 401


def test_the_secret_is_stored_hashed(lrs_credentials):
    key, secret = lrs_credentials
    from progress.models import LRSClient

    assert secret not in LRSClient.objects.get(key=key).secret_hash


def test_write_only_credentials_cannot_read(client):
    new = create_lrs_client(name="writer", scopes=["statements/write"])
    writer = XAPIClient(client, new.client.key, new.secret)
    assert writer.post(make_statement()).status_code == 200
    assert writer.get().status_code == 403


def test_read_mine_sees_only_what_these_credentials_stored(client, xapi):
    mine = create_lrs_client(name="mine", scopes=["statements/write", "statements/read/mine"])
    own = XAPIClient(client, mine.client.key, mine.secret)
    ours = make_statement()
    theirs = make_statement()
    own.post(ours)
    xapi.post(theirs)
    assert _ids(own.get()) == [ours["id"]]
    assert own.get(f"statementId={theirs['id']}").status_code == 404
    assert set(_ids(xapi.get())) == {ours["id"], theirs["id"]}


def test_authority_is_set_from_the_credentials(xapi):
    forged = {"objectType": "Agent", "mbox": "mailto:boss@example.org"}
    statement = make_statement(authority=forged)
    xapi.post(statement)
    stored = xapi.get(f"statementId={statement['id']}").json()
    assert stored["authority"]["name"] == "Test content"
    assert stored["authority"]["account"]["name"].startswith("lrs-client/")


# --- PUT and POST: Communication §2.1.1, §2.1.2 --------------------------------------------


@pytest.mark.smoke
def test_post_one_statement_returns_its_id_and_stores_it(xapi):
    statement = make_statement()
    response = xapi.post(statement)
    assert response.status_code == 200
    assert response.json() == [statement["id"]]
    assert "X-Experience-API-Consistent-Through" in response
    stored = xapi.get(f"statementId={statement['id']}").json()
    assert stored["actor"] == statement["actor"]
    assert stored["version"] == "1.0.0"
    assert stored["timestamp"] == stored["stored"]
    assert stored["stored"].endswith("Z")


def test_post_assigns_ids_in_order(xapi):
    statements = [make_statement(), make_statement(), make_statement()]
    del statements[1]["id"]
    ids = xapi.post(statements).json()
    assert ids[0] == statements[0]["id"]
    assert ids[2] == statements[2]["id"]
    assert uuid.UUID(ids[1])
    assert Statement.objects.count() == 3


def test_put_stores_with_the_given_id(xapi):
    statement = make_statement()
    statement_id = statement.pop("id")
    response = xapi.put(statement, statement_id)
    assert response.status_code == 204
    assert Statement.objects.get().statement_id == uuid.UUID(statement_id)


def test_put_id_must_match_the_parameter(xapi):
    response = xapi.put(make_statement(), str(uuid.uuid4()))
    assert response.status_code == 400
    assert "statementId" in response.json()["message"]


def test_put_without_statement_id_is_400(xapi):
    response = xapi.request("PUT", "statements", make_statement())
    assert response.status_code == 400


def test_the_same_statement_again_is_accepted_and_not_duplicated(xapi):
    statement = make_statement(timestamp="2026-11-21T10:00:00+02:00")
    assert xapi.post(statement).status_code == 200
    # Same content, another serialisation of the timestamp, a different verb display.
    again = {
        **statement,
        "timestamp": "2026-11-21T08:00:00.000Z",
        "verb": {"id": statement["verb"]["id"]},
    }
    assert xapi.post(again).status_code == 200
    assert xapi.put(again, statement["id"]).status_code == 204
    assert Statement.objects.count() == 1


def test_the_same_id_with_other_content_is_409_and_the_batch_is_not_stored(xapi):
    statement = make_statement()
    xapi.post(statement)
    changed = {**statement, "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}
    response = xapi.post([make_statement(), changed])
    assert response.status_code == 409
    assert Statement.objects.count() == 1


def test_two_statements_with_one_id_in_a_batch_are_400(xapi):
    statement = make_statement()
    response = xapi.post([statement, {**statement}])
    assert response.status_code == 400
    assert not Statement.objects.exists()


def test_one_bad_statement_refuses_the_whole_batch_naming_the_property(xapi):
    bad = make_statement(actor={"objectType": "Agent", "mbox": "ana@example.org"})
    response = xapi.post([make_statement(), bad, make_statement()])
    assert response.status_code == 400
    assert response.json()["message"].startswith("statements[1].actor.mbox")
    assert not Statement.objects.exists()
    assert not StatementIndex.objects.exists()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(b"{not json", "application/json"), (b"42", "application/json"), (b"<x/>", "text/xml")],
)
def test_bodies_that_are_not_statements_are_400(xapi, body, content_type):
    response = xapi.post(body, content_type=content_type)
    assert response.status_code == 400
    assert not Statement.objects.exists()


def test_a_batch_of_100_costs_a_fixed_number_of_queries(xapi, django_assert_max_num_queries):
    xapi.post(make_statement())  # warm the client look-up path
    with django_assert_max_num_queries(12) as small:
        xapi.post([make_statement() for _ in range(2)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        xapi.post([make_statement() for _ in range(100)])
    assert Statement.objects.count() == 103


# --- GET one: Communication §2.1.3 ----------------------------------------------------------


def test_get_one_with_last_modified_and_consistent_through(xapi):
    statement = make_statement()
    xapi.post(statement)
    response = xapi.get(f"statementId={statement['id']}")
    assert response.status_code == 200
    assert response.json()["id"] == statement["id"]
    assert response["Last-Modified"].endswith("GMT")
    assert response["X-Experience-API-Consistent-Through"].endswith("Z")


def test_get_unknown_statement_is_404(xapi):
    assert xapi.get(f"statementId={uuid.uuid4()}").status_code == 404


@pytest.mark.parametrize(
    ("method", "query", "status"),
    [
        ("GET", f"statementId={uuid.uuid4()}", 404),
        ("GET", f"statementId={uuid.uuid4()}&agent=%7B%7D", 400),
        ("GET", "colour=blue", 400),
        ("POST", "", 400),
        ("PUT", "", 400),
        ("DELETE", "", 405),
    ],
)
def test_every_statements_response_has_consistent_through(xapi, method, query, status):
    """§2.1.3.s2.b5: "on all responses to Statements Resource requests", errors included."""
    response = xapi.request(method, f"statements?{query}", b"{")
    assert response.status_code == status
    assert response["X-Experience-API-Consistent-Through"].endswith("Z")
    unauthenticated = xapi.request(method, f"statements?{query}", auth="")
    assert unauthenticated.status_code == 401
    assert unauthenticated["X-Experience-API-Consistent-Through"].endswith("Z")


def test_statements_are_accepted_without_a_csrf_token(lrs_credentials):
    """Content sends statements cross-site with HTTP Basic: no CSRF cookie or token, even
    though StatementsView overrides dispatch."""
    xapi = XAPIClient(Client(enforce_csrf_checks=True), *lrs_credentials)
    assert xapi.post(make_statement()).status_code == 200
    statement_id = str(uuid.uuid4())
    assert xapi.put(make_statement(id=statement_id), statement_id).status_code == 204


@pytest.mark.parametrize("version", ["1.0.3", "2.0.0"])
def test_single_context_activities_are_returned_as_arrays(xapi, version):
    """Data §2.4.6.2.s4.b3, b4: every contextActivities value comes back as an array, in the
    statement and in a SubStatement object, whatever the format."""
    parent = {"objectType": "Activity", "id": "https://example.org/courses/1"}
    other = {"id": "https://example.org/other"}
    substatement = {
        "objectType": "SubStatement",
        "actor": {"mbox": "mailto:bo@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"},
        "object": {"id": "https://example.org/units/2"},
        "context": {"contextActivities": {"grouping": other}},
    }
    statement = make_statement(
        object=substatement,
        context={"contextActivities": {"parent": parent, "category": [other]}},
    )
    assert xapi.post(statement, version=version).status_code == 200
    for fmt in ("exact", "ids", "canonical"):
        got = xapi.get(f"statementId={statement['id']}&format={fmt}", version=version).json()
        activities = got["context"]["contextActivities"]
        assert [a["id"] for a in activities["parent"]] == [parent["id"]], fmt
        assert [a["id"] for a in activities["category"]] == [other["id"]], fmt
        sub = got["object"]["context"]["contextActivities"]
        assert [a["id"] for a in sub["grouping"]] == [other["id"]], fmt
    # Sent again as it was first sent, it is the same statement (Data §2.3.1).
    assert xapi.post(statement, version=version).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        f"statementId={uuid.uuid4()}&voidedStatementId={uuid.uuid4()}",
        f"statementId={uuid.uuid4()}&verb=http://adlnet.gov/expapi/verbs/completed",
        "statementId=not-a-uuid",
        "limit=-1",
        "format=full",
        "ascending=yes",
        "colour=blue",
        "since=yesterday",
        "agent={bad json",
        'agent={"mbox":"not-mailto"}',
        "verb=not an iri",
        "registration=123",
    ],
)
def test_bad_get_parameters_are_400(xapi, query):
    response = xapi.get(query)
    assert response.status_code == 400, query
    assert response.json()["message"]


def test_head_answers_headers_without_body(xapi):
    statement = make_statement()
    xapi.post(statement)
    response = xapi.request("HEAD", f"statements?statementId={statement['id']}")
    assert response.status_code == 200
    assert response.content == b""
    assert "Last-Modified" in response


# --- Voiding: Data §2.3.2, Communication §2.1.4 ---------------------------------------------


def _voiding(target_id: str) -> dict:
    return make_statement(
        verb={"id": VOIDED, "display": {"en-US": "voided"}},
        object={"objectType": "StatementRef", "id": target_id},
    )


@pytest.mark.smoke
def test_a_voided_statement_is_found_only_by_voided_statement_id(xapi):
    target = make_statement()
    voiding = _voiding(target["id"])
    xapi.post([target, voiding])
    assert xapi.get(f"statementId={target['id']}").status_code == 404
    assert xapi.get(f"voidedStatementId={target['id']}").json()["id"] == target["id"]
    assert _ids(xapi.get()) == [voiding["id"]]


def test_voiding_a_statement_that_arrives_later_still_voids_it(xapi):
    target = make_statement()
    xapi.post(_voiding(target["id"]))
    xapi.post(target)
    assert xapi.get(f"statementId={target['id']}").status_code == 404
    assert xapi.get(f"voidedStatementId={target['id']}").status_code == 200


def test_a_voiding_statement_cannot_be_voided(xapi):
    target = make_statement()
    voiding = _voiding(target["id"])
    xapi.post([target, voiding])
    assert xapi.post(_voiding(voiding["id"])).status_code == 200
    assert xapi.get(f"statementId={voiding['id']}").status_code == 200


# --- Queries: Communication §2.1.3 ----------------------------------------------------------


@pytest.fixture
def stored_set(xapi):
    registration = str(uuid.uuid4())
    ana = make_statement(context={"registration": registration,
        "contextActivities": {"parent": [{"id": "https://example.org/journeys/safeguarding"}]},
        "instructor": {"mbox": "mailto:trainer@example.org"}})  # fmt: skip
    ion = make_statement(
        actor={"mbox": "mailto:ion@example.org"},
        verb={"id": "http://adlnet.gov/expapi/verbs/attempted"},
        object={"id": "https://example.org/courses/ethics"},
    )
    team = make_statement(
        actor={"objectType": "Group", "member": [{"mbox": "mailto:ana@EXAMPLE.org"}]},
        verb={"id": "http://adlnet.gov/expapi/verbs/attended"},
        object={"id": "https://example.org/events/workshop"},
    )
    xapi.post([ana, ion, team])
    return {"ana": ana, "ion": ion, "team": team, "registration": registration}


def _agent(mbox: str) -> str:
    return quote(orjson.dumps({"mbox": mbox}).decode())


def test_agent_filter_matches_actor_and_group_members(xapi, stored_set):
    ids = _ids(xapi.get(f"agent={_agent('mailto:ana@example.org')}"))
    assert ids == [stored_set["team"]["id"], stored_set["ana"]["id"]]


def test_related_agents_include_instructor(xapi, stored_set):
    trainer = _agent("mailto:trainer@example.org")
    assert _ids(xapi.get(f"agent={trainer}")) == []
    assert _ids(xapi.get(f"agent={trainer}&related_agents=true")) == [stored_set["ana"]["id"]]


def test_verb_activity_and_registration_filters(xapi, stored_set):
    assert _ids(xapi.get("verb=http://adlnet.gov/expapi/verbs/attempted")) == [
        stored_set["ion"]["id"]
    ]
    assert _ids(xapi.get("activity=https://example.org/courses/ethics")) == [
        stored_set["ion"]["id"]
    ]
    assert _ids(xapi.get(f"registration={stored_set['registration']}")) == [stored_set["ana"]["id"]]


def test_related_activities_include_context_activities(xapi, stored_set):
    parent = "https://example.org/journeys/safeguarding"
    assert _ids(xapi.get(f"activity={parent}")) == []
    assert _ids(xapi.get(f"activity={parent}&related_activities=true")) == [stored_set["ana"]["id"]]


def test_filters_combine(xapi, stored_set):
    query = (
        f"agent={_agent('mailto:ana@example.org')}&verb=http://adlnet.gov/expapi/verbs/completed"
    )
    assert _ids(xapi.get(query)) == [stored_set["ana"]["id"]]


@pytest.mark.smoke
def test_a_statement_targeting_a_match_matches_recursively(xapi, stored_set):
    """Communication §2.1.3, Filter Conditions for StatementRefs."""
    confirm = make_statement(
        actor={"mbox": "mailto:supervisor@example.org"},
        verb={"id": "https://w3id.org/xapi/dod-isd/verbs/confirmed"},
        object={"objectType": "StatementRef", "id": stored_set["ion"]["id"]},
    )
    endorse = make_statement(
        actor={"mbox": "mailto:director@example.org"},
        verb={"id": "https://w3id.org/xapi/dod-isd/verbs/approved"},
        object={"objectType": "StatementRef", "id": confirm["id"]},
    )
    xapi.post([endorse])  # arrives before what it targets
    xapi.post([confirm])
    ids = _ids(xapi.get(f"agent={_agent('mailto:ion@example.org')}"))
    assert ids == [confirm["id"], endorse["id"], stored_set["ion"]["id"]]


@pytest.mark.smoke
def test_since_until_limit_and_stable_paging(xapi):
    statements = [make_statement() for _ in range(5)]
    for statement in statements:
        xapi.post(statement)
    first = xapi.get("limit=2")
    page = first.json()
    assert _ids(first) == [statements[4]["id"], statements[3]["id"]]
    assert page["more"].startswith("/xapi/statements?")
    xapi.post(make_statement())  # a newer statement does not shift the pages
    second = xapi.client.get(page["more"], HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
                             HTTP_AUTHORIZATION=xapi.auth)  # fmt: skip
    assert [s["id"] for s in second.json()["statements"]] == [
        statements[2]["id"],
        statements[1]["id"],
    ]
    ascending = _ids(xapi.get("ascending=true&limit=2"))
    assert ascending == [statements[0]["id"], statements[1]["id"]]
    future = quote((datetime.now(UTC) + timedelta(hours=1)).isoformat())
    assert _ids(xapi.get(f"since={future}")) == []
    assert len(_ids(xapi.get(f"until={future}"))) == 6
    last = xapi.get("limit=10").json()
    assert last["more"] == ""


def test_format_ids_and_canonical(xapi):
    statement = make_statement()
    xapi.post(statement)
    ids = xapi.get("format=ids").json()["statements"][0]
    assert ids["actor"] == {"objectType": "Agent", "mbox": "mailto:ana@example.org"}
    # Only the identifier: an Activity's objectType is optional (the suite's XAPI-00171).
    assert ids["object"] == {"id": statement["object"]["id"]}
    assert ids["verb"] == {"id": statement["verb"]["id"]}
    canonical = xapi.get("format=canonical", accept_language="ro").json()["statements"][0]
    assert canonical["object"]["definition"]["name"] == {"ro": "Protecția copilului 101"}


def test_an_empty_result_is_200_with_an_empty_list(xapi):
    response = xapi.get("verb=http://example.org/never")
    assert response.status_code == 200
    assert response.json() == {"statements": [], "more": ""}


def test_a_filtered_query_costs_a_fixed_number_of_queries(
    xapi, stored_set, django_assert_num_queries
):
    with django_assert_num_queries(1):  # the statements (the credentials are cached)
        xapi.get(
            f"agent={_agent('mailto:ana@example.org')}&verb=http://adlnet.gov/expapi/verbs/completed"
        )


# --- Alternate request syntax: Communication §1.3 (1.0.x only) -----------------------------


def _form(**fields: str) -> str:
    return "&".join(f"{k}={quote(v)}" for k, v in fields.items())


def test_alternate_syntax_put_with_headers_in_the_form(client, xapi):
    statement = make_statement()
    body = _form(
        content=orjson.dumps(statement).decode(),
        statementId=statement["id"],
        Authorization=xapi.auth,
        **{"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"},
    )
    response = client.post(
        "/xapi/statements?method=PUT", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 204, response.content
    assert Statement.objects.get().statement_id == uuid.UUID(statement["id"])


def test_alternate_syntax_get(client, xapi, stored_set):
    body = _form(Authorization=xapi.auth, verb="http://adlnet.gov/expapi/verbs/attempted",
                 **{"X-Experience-API-Version": "1.0.3"})  # fmt: skip
    response = client.post(
        "/xapi/statements?method=GET", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert [s["id"] for s in response.json()["statements"]] == [stored_set["ion"]["id"]]


def test_alternate_syntax_refuses_other_query_parameters_and_2_0(client, xapi):
    body = _form(Authorization=xapi.auth, **{"X-Experience-API-Version": "1.0.3"})
    response = client.post(
        "/xapi/statements?method=GET&verb=x",
        data=body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    body = _form(Authorization=xapi.auth, **{"X-Experience-API-Version": "2.0.0"})
    response = client.post(
        "/xapi/statements?method=GET", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "2.0" in response.json()["message"]


# --- Activities and agents: Communication §2.4, §2.5 ----------------------------------------


def test_activities_resource_returns_the_canonical_definition(xapi):
    statement = make_statement()
    xapi.post(statement)
    iri = statement["object"]["id"]
    response = xapi.request("GET", f"activities?activityId={quote(iri)}")
    assert response.status_code == 200
    assert response.json()["definition"]["name"]["ro"] == "Protecția copilului 101"

    assert xapi.request("GET", "activities").status_code == 400


def test_activities_resource_answers_an_activity_never_seen(xapi):
    """§2.5.s2.b1: without a canonical definition, still an Activity Object (SHOULD* in
    1.0.3; required by the 2.0 suite)."""
    response = xapi.request("GET", "activities?activityId=https://example.org/none")
    assert response.status_code == 200
    assert response.json() == {"objectType": "Activity", "id": "https://example.org/none"}


def test_agents_resource_returns_a_person(xapi):
    agent = quote(orjson.dumps({"name": "Ana", "mbox": "mailto:ana@example.org"}).decode())
    response = xapi.request("GET", f"agents?agent={agent}")
    assert response.json() == {
        "objectType": "Person",
        "name": ["Ana"],
        "mbox": ["mailto:ana@example.org"],
    }
    assert xapi.request("GET", "agents?agent=%7B%7D").status_code == 400


@pytest.mark.django_db(transaction=True)
def test_racing_requests_with_one_id_store_it_once(client, lrs_credentials):
    """Two requests store the same statement id at the same moment: the database constraint
    decides, the loser's retry sees the winner's statement, and both answer 200."""
    import threading

    from django.db import connection

    statement = make_statement()
    barrier = threading.Barrier(2)
    statuses = []

    def post() -> None:
        from django.test import Client

        own = XAPIClient(Client(), *lrs_credentials)
        barrier.wait()
        statuses.append(own.post(statement).status_code)
        connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200, 200]
    assert Statement.objects.filter(statement_id=statement["id"]).count() == 1


def test_two_definitions_of_one_activity_in_a_batch_are_merged(xapi):
    """Communication §2.5: the canonical definition gathers what every statement said."""
    iri = "https://example.org/courses/merge"
    first = make_statement(object={"id": iri, "definition": {"name": {"en-US": "Merge"}}})
    second = make_statement(
        object={
            "id": iri,
            "definition": {"description": {"ro": "Îmbinare"}, "name": {"ro": "Unire"}},
        }
    )
    xapi.post([first, second])
    definition = xapi.request("GET", f"activities?activityId={iri}").json()["definition"]
    assert definition == {
        "name": {"en-US": "Merge", "ro": "Unire"},
        "description": {"ro": "Îmbinare"},
    }


def test_since_a_returned_stored_excludes_that_statement(xapi):
    """`stored` is kept to the millisecond it is shown with, so paging by it is exact."""
    first, second = make_statement(), make_statement()
    xapi.post(first)
    xapi.post(second)
    stored = xapi.get(f"statementId={first['id']}").json()["stored"]
    assert first["id"] not in _ids(xapi.get(f"since={quote(stored)}"))
    assert first["id"] in _ids(xapi.get(f"until={quote(stored)}"))


@pytest.mark.django_db(transaction=True)
def test_order_is_stored_order_under_concurrent_writers(client, lrs_credentials):
    """Communication §2.1.3: newest stored first. Ids and stored times are allocated together,
    so concurrent writers cannot make a later-stored statement sort before an earlier one."""
    import threading

    from django.db import connection
    from django.test import Client

    def post_some() -> None:
        own = XAPIClient(Client(), *lrs_credentials)
        for _ in range(5):
            assert own.post([make_statement(), make_statement()]).status_code == 200
        connection.close()

    threads = [threading.Thread(target=post_some) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    xapi = XAPIClient(client, *lrs_credentials)
    stored = [s["stored"] for s in xapi.get("limit=0").json()["statements"]]
    assert len(stored) == 60
    assert stored == sorted(stored, reverse=True)
    ascending = [s["stored"] for s in xapi.get("limit=0&ascending=true").json()["statements"]]
    assert ascending == sorted(ascending)
