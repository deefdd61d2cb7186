"""Fixtures of the LRS tests: credentials and a small xAPI client over Django's test client."""

import base64
import uuid
from typing import Any

import orjson
import pytest

from progress.clients import create_lrs_client


class XAPIClient:
    """Speaks xAPI to the LRS through the whole Django stack (middleware, URLs, views)."""

    def __init__(self, client: Any, key: str, secret: str, version: str = "1.0.3") -> None:
        self.client = client
        self.version = version
        self.auth = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        content_type: str = "application/json",
        version: str | None = None,
        auth: str | None = None,
        **headers: str,
    ):
        data = body if isinstance(body, bytes | str) or body is None else orjson.dumps(body)
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        if version is not False:
            extra["HTTP_X_EXPERIENCE_API_VERSION"] = version or self.version
        extra["HTTP_AUTHORIZATION"] = self.auth if auth is None else auth
        return self.client.generic(
            method, f"/xapi/{path}", data=data or b"", content_type=content_type, **extra
        )

    def post(self, statements: Any, **kwargs: Any):
        return self.request("POST", "statements", statements, **kwargs)

    def put(self, statement: Any, statement_id: str, **kwargs: Any):
        return self.request("PUT", f"statements?statementId={statement_id}", statement, **kwargs)

    def get(self, query: str = "", **kwargs: Any):
        return self.request("GET", f"statements{'?' + query if query else ''}", **kwargs)


@pytest.fixture(autouse=True)
def _fresh_client_cache():
    """The credentials cache lives in the process; each test starts without it."""
    from progress import clients as auth

    auth._client_cache.clear()


@pytest.fixture
def lrs_credentials(db):
    new = create_lrs_client(name="Test content", scopes=["all"])
    return new.client.key, new.secret


@pytest.fixture
def xapi(client, lrs_credentials):
    return XAPIClient(client, *lrs_credentials)


def make_statement(**overrides: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "name": "Ana", "mbox": "mailto:ana@example.org"},
        "verb": {
            "id": "http://adlnet.gov/expapi/verbs/completed",
            "display": {"en-US": "completed"},
        },
        "object": {
            "objectType": "Activity",
            "id": "https://example.org/courses/child-protection-101",
            "definition": {
                "name": {"en-US": "Child protection 101", "ro": "Protecția copilului 101"}
            },
        },
    }
    statement.update(overrides)
    return statement
