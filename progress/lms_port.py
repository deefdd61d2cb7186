"""progress's implementation of courses' LRS port: the LMS writing xAPI data (cmi5 §8, §10, §11).

What the LMS writes goes through the same services as what content sends, with the LMS's own
credentials as authority, so it is validated, indexed and projected like everything else.
"""

import contextlib
from typing import Any

import orjson

from lms.api import PreconditionFailed
from progress import documents, projection, services
from progress.clients import lms_client


class DatabaseLRS:
    def record_platform_unit(self, *, enrolment: Any, unit: Any, done: bool) -> None:
        projection.record_platform_unit(enrolment=enrolment, unit=unit, done=done)

    def abandon_session(self, *, session: Any) -> bool:
        return projection.abandon(session=session)

    def start_registration(self, *, enrolment: Any) -> None:
        projection.start_registration(enrolment=enrolment)

    def record_statement(self, *, statement: dict[str, Any]) -> str:
        return services.store_statements(
            statements=[statement], client=lms_client(), version="1.0.3"
        )[0]

    def put_state(
        self,
        *,
        activity_iri: str,
        agent: dict[str, Any],
        registration: str,
        state_id: str,
        document: dict[str, Any],
    ) -> None:
        import uuid  # noqa: PLC0415

        scope = documents.state_scope(
            activity_iri=activity_iri, agent=agent, registration=uuid.UUID(registration)
        )
        documents.put_document(
            scope=scope,
            document_id=state_id,
            content=orjson.dumps(document),
            content_type="application/json",
            preconditions=documents.Preconditions(),
            policy=documents.PutPolicy.UNCONDITIONAL,
            writer=documents.Writer(lms_client().key),
        )

    def put_agent_profile(
        self, *, agent: dict[str, Any], profile_id: str, document: dict[str, Any]
    ) -> None:
        scope = documents.agent_profile_scope(agent=agent)
        if documents.get_document(scope=scope, document_id=profile_id) is not None:
            return  # the learner's (or the AU's) preferences stay as they are
        # A PreconditionFailed: written meanwhile by the AU, which wins.
        with contextlib.suppress(PreconditionFailed):
            documents.put_document(
                scope=scope,
                document_id=profile_id,
                content=orjson.dumps(document),
                content_type="application/json",
                preconditions=documents.Preconditions(if_none_match=("*",)),
                policy=documents.PutPolicy.UNCONDITIONAL,
                writer=documents.Writer(lms_client().key),
            )
