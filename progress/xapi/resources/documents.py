"""The document resources: State, Activity Profile, Agent Profile (Communication §2.2-§2.7).

Views are thin: check the credentials' scope and the parameters, call one service or selector of
``progress.documents``, shape the answer. Concurrency (§3.1) is decided in the services, under a
row lock.
"""

import uuid
from datetime import datetime
from typing import Any, ClassVar

import orjson
from django.conf import settings
from django.http import HttpResponse
from django.utils.http import http_date

from progress import cmi5, documents
from progress.xapi.auth import (
    READ_PROFILE,
    READ_STATE,
    WRITE_PROFILE,
    WRITE_STATE,
    require_own_learner,
    require_scope,
)
from progress.xapi.protocol import XAPIError, XAPIRequest, bad_request
from progress.xapi.validation import (
    parse_timestamp,
    validate_agent,
    validate_iri,
    validate_uuid,
)
from progress.xapi.views import XAPIView, json_response

MAX_CONTENT_TYPE = 255


def _etags(value: str | None, *, weak: bool) -> tuple[str, ...] | None:
    """The entity tags of an If-Match (``weak=False``) or If-None-Match header; None if absent.

    If-Match compares strongly, so a weak tag in it never matches (RFC 7232 §3.1); If-None-Match
    compares weakly (§3.2). An unquoted tag is taken as if quoted, for clients that send the
    bare SHA-1 (§3.1.s3.b4 asks them not to compute it, but some echo it without quotes)."""
    if value is None or not value.strip():
        return None
    tags: list[str] = []
    for part in value.split(","):
        tag = part.strip()
        if not tag:
            continue
        if tag == documents.ANY:
            tags.append(tag)
            continue
        if tag.startswith("W/"):
            if not weak:
                continue
            tag = tag[2:]
        if not (len(tag) >= 2 and tag[0] == tag[-1] == '"'):
            tag = '"' + tag.strip('"') + '"'
        tags.append(tag)
    return tuple(tags)


def _preconditions(xrequest: XAPIRequest) -> documents.Preconditions:
    return documents.Preconditions(
        if_match=_etags(xrequest.header("If-Match"), weak=False),
        if_none_match=_etags(xrequest.header("If-None-Match"), weak=True),
    )


def _document_response(document: documents.StoredDocument) -> HttpResponse:
    """§2.2.s6.b1 Last-Modified and §3.1.s4.b1-b4 ETag, with the content as stored."""
    response = HttpResponse(document.content, content_type=document.content_type)
    response["ETag"] = document.etag
    response["Last-Modified"] = http_date(document.updated.timestamp())
    return response


def _ids_response(ids: list[str], last_modified: datetime | None) -> HttpResponse:
    """§2.3.s4, §2.6.s4, §2.7.s4: 200 with the array of ids; Last-Modified of the newest
    (§2.2.s6.b2) and, since §3.1.s4.b1 asks an ETag of every GET, one of this answer."""
    response = json_response(ids)
    response["ETag"] = documents.compute_etag(response.content)
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    return response


class DocumentView(XAPIView):
    """One document resource. ``id_param`` names a single document; without it, GET lists the
    ids of the scope's documents (and DELETE, where ``delete_all``, deletes them all)."""

    resource: ClassVar[str]
    id_param: ClassVar[str]
    required: ClassVar[tuple[str, ...]]
    optional: ClassVar[tuple[str, ...]] = ()
    read_scope: ClassVar[frozenset[str]]
    write_scope: ClassVar[frozenset[str]]
    delete_all: ClassVar[bool] = False

    def _scope(self, xrequest: XAPIRequest) -> documents.Scope:
        raise NotImplementedError

    def _put_policy(self, xrequest: XAPIRequest) -> documents.PutPolicy:
        return documents.PutPolicy.REQUIRED

    # Who writes ----------------------------------------------------------------------------

    def _writer(self, xrequest: XAPIRequest) -> documents.Writer:
        """An LRS client writes as itself; a cmi5 AU's token as its course's content, which may
        change only what it created (``_check_au_write`` says what else it may not)."""
        if xrequest.au_session is None:
            return documents.Writer(xrequest.client.key)
        self._check_au_write(xrequest, xrequest.au_session)
        return cmi5.content_writer(xrequest.au_session)

    def _check_au_write(self, xrequest: XAPIRequest, session: Any) -> None:
        """Refuse (403) a write a cmi5 AU may not make here; every resource has its rule."""
        raise NotImplementedError

    # Parameters ---------------------------------------------------------------------------

    def _check_params(self, xrequest: XAPIRequest, *, extra: tuple[str, ...] = ()) -> None:
        """400 naming any parameter the request may not have, then any it lacks."""
        allowed = {*self.required, *self.optional, self.id_param, *extra}
        unknown = set(xrequest.params) - allowed
        if unknown:
            raise bad_request(
                f"Unknown parameters for {xrequest.method} {self.resource}: "
                f"{', '.join(sorted(unknown))}."
            )
        for name in self.required:
            if name not in xrequest.params:
                raise bad_request(f"The {self.resource} resource needs the {name} parameter.")

    def _document_id(self, xrequest: XAPIRequest) -> str:
        document_id = xrequest.params.get(self.id_param)
        if document_id is None:
            raise bad_request(
                f"{xrequest.method} {self.resource} needs the {self.id_param} parameter."
            )
        if not document_id:
            raise bad_request(f"{self.id_param}: must not be empty.")
        return document_id

    def _content_type(self, xrequest: XAPIRequest) -> str:
        if len(xrequest.body) > settings.LRS_MAX_DOCUMENT_BYTES:
            raise XAPIError(
                413, f"A document may hold at most {settings.LRS_MAX_DOCUMENT_BYTES} bytes."
            )
        if len(xrequest.content_type) > MAX_CONTENT_TYPE:
            raise bad_request(f"The Content-Type is longer than {MAX_CONTENT_TYPE} characters.")
        return xrequest.content_type

    # Methods ------------------------------------------------------------------------------

    def xapi_get(self, xrequest: XAPIRequest) -> HttpResponse:
        """One document (200, or 404), or the ids of the scope's documents (§2.3.s4)."""
        require_scope(xrequest.client, self.read_scope)
        self._check_params(xrequest, extra=("since",))
        scope = self._scope(xrequest)
        since = _since(xrequest.params)
        if self.id_param not in xrequest.params:
            ids, last_modified = documents.list_document_ids(scope=scope, since=since)
            return _ids_response(ids, last_modified)
        # A GET of one document ignores "since" (the suite notes this is intentional).
        document_id = self._document_id(xrequest)
        document = documents.get_document(scope=scope, document_id=document_id)
        self._read_by_au(xrequest, document_id)
        if document is None:
            raise XAPIError(404, f"No document with {self.id_param}={document_id!r}.")
        return _document_response(document)

    def _read_by_au(self, xrequest: XAPIRequest, document_id: str) -> None:
        """What a cmi5 AU's read tells the LMS (the learner preferences read, cmi5 §11)."""

    def xapi_put(self, xrequest: XAPIRequest) -> HttpResponse:
        """Store the body as the document (§2.3.s3), under §3.1's preconditions: 204."""
        require_scope(xrequest.client, self.write_scope)
        self._check_params(xrequest)
        scope = self._scope(xrequest)
        document_id = self._document_id(xrequest)
        documents.put_document(
            scope=scope,
            document_id=document_id,
            content=xrequest.body,
            content_type=self._content_type(xrequest),
            preconditions=_preconditions(xrequest),
            policy=self._put_policy(xrequest),
            writer=self._writer(xrequest),
        )
        return HttpResponse(status=204)

    def xapi_post(self, xrequest: XAPIRequest) -> HttpResponse:
        """Merge a JSON object into the document (§2.2.s7, §2.2.s8): 204."""
        require_scope(xrequest.client, self.write_scope)
        self._check_params(xrequest)
        scope = self._scope(xrequest)
        document_id = self._document_id(xrequest)
        documents.post_document(
            scope=scope,
            document_id=document_id,
            content=xrequest.body,
            content_type=self._content_type(xrequest),
            preconditions=_preconditions(xrequest),
            writer=self._writer(xrequest),
        )
        return HttpResponse(status=204)

    def xapi_delete(self, xrequest: XAPIRequest) -> HttpResponse:
        """Delete the document, or for State without stateId the whole context (§2.3.s5)."""
        require_scope(xrequest.client, self.write_scope)
        self._check_params(xrequest)
        scope = self._scope(xrequest)
        writer = self._writer(xrequest)
        if self.id_param in xrequest.params or not self.delete_all:
            documents.delete_document(
                scope=scope,
                document_id=self._document_id(xrequest),
                preconditions=_preconditions(xrequest),
                writer=writer,
            )
        else:
            documents.delete_documents(scope=scope)
        return HttpResponse(status=204)


# Parameter values --------------------------------------------------------------------------


def _activity_iri(params: dict[str, str]) -> str:
    validate_iri(params["activityId"], "activityId")
    return params["activityId"]


def _agent(xrequest: XAPIRequest, *, allow_group: bool) -> dict[str, Any]:
    raw = xrequest.params["agent"]
    try:
        agent = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise bad_request(f"agent: the parameter is not valid JSON: {exc}.") from exc
    validate_agent(agent, version=xrequest.version, path="agent")
    require_own_learner(xrequest, agent)
    if not allow_group and agent.get("objectType") == "Group":
        # §2.6.s3 note: an Agent, not a Group; a Group's identifier can be used in an Agent.
        raise bad_request(
            "agent: the Agent Profile resource takes an Agent, not a Group; to store a "
            "profile of an identified Group, send its identifier in an Agent object."
        )
    return agent


def _registration(params: dict[str, str]) -> uuid.UUID | None:
    if "registration" not in params:
        return None
    validate_uuid(params["registration"], "registration")
    return uuid.UUID(params["registration"])


def _since(params: dict[str, str]) -> datetime | None:
    if "since" not in params:
        return None
    return parse_timestamp(params["since"], "since")


# Resources ---------------------------------------------------------------------------------


class StateView(DocumentView):
    """§2.3: documents of an agent in an activity, optionally within a registration."""

    resource = "activities/state"
    id_param = "stateId"
    required = ("activityId", "agent")
    optional = ("registration",)
    read_scope = READ_STATE
    write_scope = WRITE_STATE
    delete_all = True  # §2.3.s5

    def _scope(self, xrequest: XAPIRequest) -> documents.Scope:
        return documents.state_scope(
            activity_iri=_activity_iri(xrequest.params),
            agent=_agent(xrequest, allow_group=True),
            registration=_registration(xrequest.params),
        )

    def _check_au_write(self, xrequest: XAPIRequest, session: Any) -> None:
        cmi5.check_state_write(
            session,
            registration=xrequest.params.get("registration"),
            state_id=xrequest.params.get(self.id_param),
        )

    def _put_policy(self, xrequest: XAPIRequest) -> documents.PutPolicy:
        # §3.1.s3 (1.0.3) and its 2.0 counterpart: the State resource is exempt from the
        # concurrency headers. The ADL suite's v2_0/4.1.4-Concurrency.js expects 409 here, which
        # adlnet/lrs-conformance-test-suite#282 reports as a bug in the suite; real content
        # (cmi5 players) PUTs state without If-Match, so the specification's text wins.
        return documents.PutPolicy.UNCONDITIONAL


class ActivityProfileView(DocumentView):
    """§2.7: documents about an activity."""

    resource = "activities/profile"
    id_param = "profileId"
    required = ("activityId",)
    read_scope = READ_PROFILE
    write_scope = WRITE_PROFILE

    def _scope(self, xrequest: XAPIRequest) -> documents.Scope:
        return documents.activity_profile_scope(activity_iri=_activity_iri(xrequest.params))

    def _check_au_write(self, xrequest: XAPIRequest, session: Any) -> None:
        cmi5.check_activity_profile_write(session, xrequest.params["activityId"])


class AgentProfileView(DocumentView):
    """§2.6: documents about an agent."""

    resource = "agents/profile"
    id_param = "profileId"
    required = ("agent",)
    read_scope = READ_PROFILE
    write_scope = WRITE_PROFILE

    def _scope(self, xrequest: XAPIRequest) -> documents.Scope:
        return documents.agent_profile_scope(agent=_agent(xrequest, allow_group=False))

    def _writer(self, xrequest: XAPIRequest) -> documents.Writer:
        if (
            xrequest.au_session is not None
            and xrequest.params.get(self.id_param) == cmi5.LEARNER_PREFERENCES
        ):
            # cmi5 §11: the AU may change the learner's preferences, which the LMS wrote, when
            # they are well formed; it may not delete them.
            if xrequest.method == "DELETE":
                raise cmi5.Cmi5RuleError(
                    "11.0", "an AU may not delete the learner preferences", path="profileId"
                )
            cmi5.check_learner_preferences(xrequest.body, xrequest.content_type)
            return documents.Writer(xrequest.client.key)
        return super()._writer(xrequest)

    def _check_au_write(self, xrequest: XAPIRequest, session: Any) -> None:
        """Any other profile of its learner, as long as the content created it."""

    def _read_by_au(self, xrequest: XAPIRequest, document_id: str) -> None:
        if xrequest.au_session is not None and document_id == cmi5.LEARNER_PREFERENCES:
            cmi5.mark_preferences_read(xrequest.au_session)
