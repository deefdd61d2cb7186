"""The xAPI resources: statements, activities, agents, about (Communication §2).

Views are thin: parse and validate the request, call one service or selector, shape the answer.
"""

import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import orjson
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from courses.models import UnitKind
from progress import cmi5, projection, selectors, services
from progress.models import LRSScope
from progress.xapi import formats
from progress.xapi.auth import (
    READ_DEFINITIONS,
    READ_STATEMENTS,
    WRITE_STATEMENTS,
    require_own_learner,
    require_scope,
)
from progress.xapi.keys import (
    ACTIVITY,
    AGENT,
    REGISTRATION,
    RELATED_ACTIVITY,
    RELATED_AGENT,
    VERB,
    agent_ifi,
    digest,
)
from progress.xapi.multipart import (
    AttachmentPart,
    build_statement_response,
    check_attachments,
    parse_statement_request,
)
from progress.xapi.protocol import (
    SUPPORTED_VERSIONS,
    XAPIError,
    XAPIRequest,
    bad_request,
    parse_bool,
)
from progress.xapi.signature import SignatureError, find_signature, verify_signed_statement
from progress.xapi.validation import (
    find_nul,
    parse_timestamp,
    validate_agent,
    validate_iri,
    validate_statement,
    validate_uuid,
)
from progress.xapi.views import JSON, XAPIView, json_response

SINGLE_PARAMS = frozenset({"statementId", "voidedStatementId"})
QUERY_PARAMS = frozenset(
    {
        "agent", "verb", "activity", "registration", "related_activities", "related_agents",
        "since", "until", "limit", "format", "attachments", "ascending", "cursor",
    }
)  # fmt: skip
FORMATS = frozenset({"ids", "exact", "canonical"})


def _load_json(body: bytes, what: str) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise bad_request(f"The {what} is not valid JSON: {exc}.") from exc


def _one_param(xrequest: XAPIRequest, name: str, what: str) -> str:
    """The request's only parameter, ``name``: 400 if it is missing or has company."""
    params = dict(xrequest.params)
    value = params.pop(name, None)
    if value is None:
        raise bad_request(f"{what} needs the {name} parameter.")
    if params:
        raise bad_request(f"Unexpected parameters: {', '.join(sorted(params))}.")
    return value


def _store(
    xrequest: XAPIRequest,
    statements: list[dict[str, Any]],
    parts: list[services.ReceivedAttachment],
    *,
    single: bool = False,
) -> list[str]:
    """Store; a cmi5 AU's statements go through the cmi5 rules and the progress projection."""
    if xrequest.au_session is not None:
        return projection.record_au_statements(
            session=xrequest.au_session,
            statements=statements,
            client=xrequest.client,
            version=xrequest.version,
            attachments=parts,
            single=single,
        )
    return services.store_statements(
        statements=statements, client=xrequest.client, version=xrequest.version, attachments=parts
    )


def _check_sizes(body: bytes, statements: list[Any]) -> None:
    """413 for a batch or a statement larger than the LRS takes (settings LRS_MAX_*). A body
    within the statement limit holds no statement over it: only larger bodies are measured."""
    if len(statements) > settings.LRS_MAX_BATCH_STATEMENTS:
        raise XAPIError(
            413,
            f"A batch holds at most {settings.LRS_MAX_BATCH_STATEMENTS} statements, "
            f"not {len(statements)}: send them in several requests.",
        )
    limit = settings.LRS_MAX_STATEMENT_BYTES
    if len(body) <= limit:
        return
    for index, statement in enumerate(statements):
        if len(orjson.dumps(statement)) > limit:
            path = "statement" if len(statements) == 1 else f"statements[{index}]"
            raise XAPIError(413, f"{path}: a statement's JSON may hold at most {limit} bytes.")


def _consistent_through() -> str:
    return services.format_timestamp(datetime.now(UTC))


def _split_body(xrequest: XAPIRequest) -> tuple[bytes, list[AttachmentPart]]:
    """The statements' JSON and the attachment parts (Communication §1.5.1, §1.5.2)."""
    content_type = xrequest.content_type.lower()
    if content_type.startswith("multipart/mixed"):
        return parse_statement_request(xrequest.body, xrequest.content_type)
    if content_type.startswith(JSON) or not content_type:
        return xrequest.body, []
    raise bad_request(
        f"Statements are sent as application/json or multipart/mixed, not {content_type!r}."
    )


def _context_activities_as_lists(statement: dict[str, Any]) -> None:
    """Data §2.4.6.2.s4.b3, b4: the LRS returns every contextActivities value as an array, a
    single Activity Object as an array of length one. Done once, when the statement is stored
    (after any signature was checked against the statement as sent), in the statement and in a
    SubStatement object."""
    obj = statement.get("object")
    parts = (
        [statement, obj]
        if isinstance(obj, dict) and obj.get("objectType") == "SubStatement"
        else [statement]
    )
    for part in parts:
        context = part.get("context")
        activities = context.get("contextActivities") if isinstance(context, dict) else None
        if not isinstance(activities, dict):
            continue
        for key, value in activities.items():
            if isinstance(value, dict):
                activities[key] = [value]


def _check_au_statements(xrequest: XAPIRequest, statements: list[dict[str, Any]]) -> None:
    """cmi5 §9.2: an AU's statements are about its learner (the other rules: progress.cmi5). A
    plain xAPI package's statements carry its launch's registration."""
    session = xrequest.au_session
    registration = str(session.registration)
    for statement in statements:
        require_own_learner(xrequest, statement.get("actor"))
        given = str((statement.get("context") or {}).get("registration", "")).lower()
        if session.unit.kind != UnitKind.CMI5 and given != registration:
            raise XAPIError(403, "A launched package's statements must carry its registration.")


def _verify_signatures(
    statements: list[dict[str, Any]], by_hash: dict[str, AttachmentPart]
) -> None:
    """Data §2.6: a signed statement's JWS must verify and match the statement."""
    for statement in statements:
        signature = find_signature(statement)
        if signature is None:
            continue
        part = by_hash.get(signature["sha2"].lower())
        if part is None:
            raise bad_request("A signed statement's signature must be sent as an attachment part.")
        try:
            verify_signed_statement(statement, part.content)
        except SignatureError as error:
            raise bad_request(f"Signature: {error}") from error


def _attachment_hashes(row: selectors.StatementRow, *, mine_only: bool) -> set[str]:
    """The sha2 of every attachment of the statement, those with a fileUrl included: when the
    raw data was sent too, §2.1.3.s2.b6 asks for "all Attachments" with ``attachments=true``.
    Only hashes whose data the LRS holds are answered (``attachments_by_hash``).

    A client that reads only its own statements gets only the data its statements brought:
    an attachment with a fileUrl needs no data, so naming another client's sha2 there must not
    hand that client's file over (content is stored once per hash, whoever sent it)."""
    hashes = set(row.attachment_hashes)
    if mine_only:
        return hashes
    if '"fileUrl"' in row.payload:
        attachments = orjson.loads(row.payload).get("attachments") or ()
        hashes |= {a["sha2"] for a in attachments if isinstance(a, dict) and a.get("sha2")}
    return hashes


@method_decorator(csrf_exempt, name="dispatch")
class StatementsView(XAPIView):
    """Communication §2.1: PUT, POST and GET statements."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # §2.1.3.s2.b5: X-Experience-API-Consistent-Through on *all* responses to Statements
        # Resource requests, errors included.
        response = super().dispatch(request, *args, **kwargs)
        if "X-Experience-API-Consistent-Through" not in response:
            response["X-Experience-API-Consistent-Through"] = _consistent_through()
        return response

    def xapi_put(self, xrequest: XAPIRequest) -> HttpResponse:
        require_scope(xrequest.client, WRITE_STATEMENTS)
        statement_id = _one_param(xrequest, "statementId", "PUT statements")
        validate_uuid(statement_id, "statementId")
        statements, parts = self._read_statements(xrequest, single=True)
        statement = statements[0]
        if "id" in statement and str(statement["id"]).lower() != statement_id.lower():
            raise bad_request("The statement's id differs from the statementId parameter.")
        statement["id"] = statement.get("id", statement_id)
        _store(xrequest, statements, parts, single=True)
        response = HttpResponse(status=204)
        response["X-Experience-API-Consistent-Through"] = _consistent_through()
        return response

    def xapi_post(self, xrequest: XAPIRequest) -> HttpResponse:
        require_scope(xrequest.client, WRITE_STATEMENTS)
        if xrequest.params:
            raise bad_request(f"Unexpected parameters: {', '.join(sorted(xrequest.params))}.")
        statements, parts = self._read_statements(xrequest, single=False)
        ids = _store(xrequest, statements, parts, single=self._sent_one)
        return json_response(ids, X_Experience_API_Consistent_Through=_consistent_through())

    def _read_statements(
        self, xrequest: XAPIRequest, *, single: bool
    ) -> tuple[list[dict[str, Any]], list[services.ReceivedAttachment]]:
        """Parse, validate and cross-check the statements of a PUT or POST (§1.5, Data §2.4.11)."""
        body, parts = _split_body(xrequest)
        data = _load_json(body, "statement")
        # The statement's path in error messages: "statement" or "statements[3]".
        self._sent_one = isinstance(data, dict)
        if isinstance(data, dict):
            statements = [data]
        elif isinstance(data, list) and not single:
            statements = data
        else:
            expected = "a statement" if single else "a statement or a list of statements"
            raise bad_request(f"The body must be {expected}.")
        if not statements:
            raise bad_request("statements: the list is empty; send at least one statement.")
        _check_sizes(body, statements)
        if b"\\u0000" in body:  # a NUL escaped in a JSON string: find where
            for index, statement in enumerate(statements):
                where = find_nul(
                    statement, "statement" if isinstance(data, dict) else f"statements[{index}]"
                )
                if where is not None:
                    raise bad_request(f"{where}: must not contain a NUL character (U+0000).")
        for index, statement in enumerate(statements):
            path = "statement" if isinstance(data, dict) else f"statements[{index}]"
            validate_statement(statement, version=xrequest.version, path=path)
        by_hash = check_attachments(statements, parts)
        _verify_signatures(statements, by_hash)
        if xrequest.au_session is not None:
            _check_au_statements(xrequest, statements)
        for statement in statements:
            _context_activities_as_lists(statement)
        received = [
            services.ReceivedAttachment(sha2=p.sha2, content_type=p.content_type, content=p.content)
            for p in parts
        ]
        return statements, received

    def xapi_get(self, xrequest: XAPIRequest) -> HttpResponse:
        session = xrequest.au_session
        if session is None:
            require_scope(xrequest.client, READ_STATEMENTS)
        params = xrequest.params
        unknown = set(params) - SINGLE_PARAMS - QUERY_PARAMS
        if unknown:
            raise bad_request(f"Unknown parameters: {', '.join(sorted(unknown))}.")
        if session is not None:
            # cmi5 §8.2.2: the AU's token reads back its own registration's statements.
            registration = params.get("registration")
            if SINGLE_PARAMS & set(params):
                registration = self._registration_of(params)
            cmi5.may_read_statements(session, registration)
        fmt = params.get("format", "exact")
        if fmt not in FORMATS:
            raise bad_request(f"format must be ids, exact or canonical, not {fmt!r}.")
        with_attachments = parse_bool(params, "attachments")
        accepted = formats.parse_accept_language(xrequest.header("Accept-Language"))
        mine_only = session is None and not (
            {LRSScope.STATEMENTS_READ, LRSScope.ALL_READ, LRSScope.ALL}
            & set(xrequest.client.scopes)
        )
        client = xrequest.client if mine_only else None

        if SINGLE_PARAMS & set(params):
            return self._get_one(params, fmt, with_attachments, accepted, client)

        query = self._query(params, client)
        rows, more = selectors.query_statements(query)
        payloads = self._shape([r.payload for r in rows], fmt, accepted)
        more_url = ""
        if more:
            next_params = {k: v for k, v in params.items() if k != "cursor"}
            next_params["cursor"] = selectors.encode_cursor(rows[-1].id)
            more_url = f"{reverse('xapi:statements')}?{urlencode(next_params)}"
        body = (
            b'{"statements":[' + b",".join(payloads) + b'],"more":' + orjson.dumps(more_url) + b"}"
        )
        response = self._respond(body, rows, with_attachments, mine_only=client is not None)
        if rows:
            response["Last-Modified"] = http_date(max(r.stored for r in rows).timestamp())
        return response

    def _registration_of(self, params: dict[str, str]) -> str | None:
        """The registration of the statement a single GET names (None if there is none)."""
        name = "voidedStatementId" if "voidedStatementId" in params else "statementId"
        try:
            statement_id = uuid.UUID(params[name])
        except ValueError:
            return None
        row = selectors.get_statement(statement_id, voided=name != "statementId", client=None)
        if row is None:
            return None
        context = orjson.loads(row.payload).get("context") or {}
        registration = context.get("registration")
        return str(registration) if registration else None

    def _get_one(
        self,
        params: dict[str, str],
        fmt: str,
        with_attachments: bool,
        accepted: list[str],
        client: Any,
    ) -> HttpResponse:
        if len(SINGLE_PARAMS & set(params)) == 2:
            raise bad_request("Use statementId or voidedStatementId, not both.")
        extra = set(params) - SINGLE_PARAMS - {"format", "attachments"}
        if extra:
            raise bad_request(
                "statementId and voidedStatementId take only format and attachments, "
                f"not {', '.join(sorted(extra))}."
            )
        voided = "voidedStatementId" in params
        name = "voidedStatementId" if voided else "statementId"
        validate_uuid(params[name], name)
        row = selectors.get_statement(uuid.UUID(params[name]), voided=voided, client=client)
        if row is None:
            raise XAPIError(404, f"No statement with {name}={params[name]}.")
        response = self._respond(
            self._shape([row.payload], fmt, accepted)[0],
            [row],
            with_attachments,
            mine_only=client is not None,
        )
        response["Last-Modified"] = http_date(row.stored.timestamp())
        return response

    def _respond(
        self,
        body: bytes,
        rows: list[selectors.StatementRow],
        with_attachments: bool,
        *,
        mine_only: bool,
    ) -> HttpResponse:
        if with_attachments:
            hashes = {h for r in rows for h in _attachment_hashes(r, mine_only=mine_only)}
            stored = selectors.attachments_by_hash(hashes)
            parts = [
                AttachmentPart(sha2=a.sha2, content_type=a.content_type, content=bytes(a.content))
                for a in stored
            ]
            content, content_type = build_statement_response(body, parts)
            response = HttpResponse(content, content_type=content_type)
        else:
            response = HttpResponse(body, content_type=JSON)
        response["X-Experience-API-Consistent-Through"] = _consistent_through()
        return response

    def _shape(self, payloads: list[str], fmt: str, accepted: list[str]) -> list[bytes]:
        if fmt == "exact":
            return [p.encode() for p in payloads]
        statements = [orjson.loads(p) for p in payloads]
        if fmt == "ids":
            return [orjson.dumps(formats.ids_format(s)) for s in statements]
        iris: set[str] = set()
        for s in statements:
            iris |= formats.activity_ids(s)
        definitions = selectors.activity_definitions(iris)
        return [
            orjson.dumps(formats.canonical_format(s, definitions, accepted)) for s in statements
        ]

    def _query(self, params: dict[str, str], client: Any) -> selectors.StatementQuery:
        keys = []
        if "agent" in params:
            agent = _load_json(params["agent"].encode(), "agent parameter")
            validate_agent(agent, version="1.0.3", path="agent")
            ifi = agent_ifi(agent)
            related = parse_bool(params, "related_agents")
            keys.append(digest(RELATED_AGENT if related else AGENT, ifi or ""))
        else:
            parse_bool(params, "related_agents")
        if "verb" in params:
            validate_iri(params["verb"], "verb")
            keys.append(digest(VERB, params["verb"]))
        if "activity" in params:
            validate_iri(params["activity"], "activity")
            related = parse_bool(params, "related_activities")
            keys.append(digest(RELATED_ACTIVITY if related else ACTIVITY, params["activity"]))
        else:
            parse_bool(params, "related_activities")
        if "registration" in params:
            validate_uuid(params["registration"], "registration")
            keys.append(digest(REGISTRATION, params["registration"].lower()))
        since = parse_timestamp(params["since"], "since") if "since" in params else None
        until = parse_timestamp(params["until"], "until") if "until" in params else None
        limit_text = params.get("limit", "0")
        if not limit_text.isdigit():
            raise bad_request(f"limit must be a non-negative integer, not {limit_text!r}.")
        after = None
        if "cursor" in params:
            try:
                after = selectors.decode_cursor(params["cursor"])
            except ValueError as exc:
                raise bad_request("The cursor parameter is not one this LRS made.") from exc
        return selectors.StatementQuery(
            keys=tuple(keys),
            since=since,
            until=until,
            limit=int(limit_text),
            ascending=parse_bool(params, "ascending"),
            after=after,
            client=client,
        )


class AboutView(XAPIView):
    """Communication §2.8: no authentication, no version header needed."""

    requires_version = False
    requires_auth = False

    def xapi_get(self, xrequest: XAPIRequest) -> HttpResponse:
        return json_response({"version": list(SUPPORTED_VERSIONS), "extensions": {}})


class ActivitiesView(XAPIView):
    """Communication §2.5: the activity as the LRS knows it."""

    def xapi_get(self, xrequest: XAPIRequest) -> HttpResponse:
        if xrequest.au_session is None:
            # cmi5 §8.2.2: an AU's token reads the Activities resource (Storyline and Rise
            # exports read their own activity right after the fetch).
            require_scope(xrequest.client, READ_DEFINITIONS)
        activity_id = _one_param(xrequest, "activityId", "GET activities")
        validate_iri(activity_id, "activityId")
        activity = selectors.get_activity(activity_id)
        if activity is None:
            # §2.5.s2.b1 (SHOULD* in 1.0.3; the 2.0 suite requires it): without a canonical
            # definition, still an Activity Object.
            activity = {"objectType": "Activity", "id": activity_id}
        return json_response(activity)


class AgentsView(XAPIView):
    """Communication §2.4: the Person object for an agent."""

    def xapi_get(self, xrequest: XAPIRequest) -> HttpResponse:
        require_scope(xrequest.client, READ_DEFINITIONS)
        raw = _one_param(xrequest, "agent", "GET agents")
        agent = _load_json(raw.encode(), "agent parameter")
        validate_agent(agent, version=xrequest.version, path="agent")
        if agent.get("objectType") == "Group":
            raise bad_request("agent: the Agents resource describes a Person, not a Group.")
        person: dict[str, Any] = {"objectType": "Person"}
        if "name" in agent:
            person["name"] = [agent["name"]]
        for ifi in ("mbox", "mbox_sha1sum", "openid", "account"):
            if ifi in agent:
                person[ifi] = [agent[ifi]]
        return json_response(person)
