"""HTTP Basic authentication of LRS requests and the scopes they need (Communication §4).

The credentials themselves (creating, hashing, checking a key and secret) are
``progress.clients``'s."""

import base64
import binascii
import copy

from courses.api import SESSION_KEY_PREFIX, session_for_credentials
from courses.models import SessionState
from progress.clients import client_for_credentials, lms_client
from progress.models import LRSClient, LRSScope
from progress.xapi.keys import agent_ifi
from progress.xapi.protocol import XAPIError, XAPIRequest

CHALLENGE = {"WWW-Authenticate": 'Basic realm="xAPI"'}

READ_STATEMENTS = frozenset(
    {LRSScope.STATEMENTS_READ, LRSScope.STATEMENTS_READ_MINE, LRSScope.ALL_READ, LRSScope.ALL}
)
WRITE_STATEMENTS = frozenset({LRSScope.STATEMENTS_WRITE, LRSScope.ALL})
READ_STATE = frozenset({LRSScope.STATE, LRSScope.ALL_READ, LRSScope.ALL})
WRITE_STATE = frozenset({LRSScope.STATE, LRSScope.ALL})
READ_PROFILE = frozenset({LRSScope.PROFILE, LRSScope.ALL_READ, LRSScope.ALL})
WRITE_PROFILE = frozenset({LRSScope.PROFILE, LRSScope.ALL})
READ_DEFINITIONS = frozenset(
    {LRSScope.DEFINE, LRSScope.STATEMENTS_READ, LRSScope.ALL_READ, LRSScope.ALL}
)


def challenge(xrequest: XAPIRequest) -> dict[str, str]:
    """The ``WWW-Authenticate: Basic`` challenge of a 401, except to a script in a browser
    (``Sec-Fetch-Mode`` other than ``navigate``): a browser answers that challenge with a
    log-in dialog that content cannot see and a headless browser never closes, so the AU's
    ``fetch()`` would wait forever instead of reading the 401 (docs/decisions/0013)."""
    mode = (xrequest.header("Sec-Fetch-Mode") or "navigate").lower()
    return CHALLENGE if mode == "navigate" else {}


def authenticate(xrequest: XAPIRequest) -> LRSClient:
    """The active client named by the request's Basic credentials; 401 otherwise."""
    header = xrequest.header("Authorization") or ""
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        raise XAPIError(401, "Authentication is required (HTTP Basic).", challenge(xrequest))
    try:
        key, sep, secret = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise XAPIError(401, "The Authorization header is malformed.", challenge(xrequest)) from exc
    if sep and key.startswith(SESSION_KEY_PREFIX):
        return _au_session_client(xrequest, key, secret)
    client = client_for_credentials(key, secret) if sep else None
    if client is None:
        raise XAPIError(401, "Unknown key or wrong secret.", challenge(xrequest))
    return client


# What a cmi5 AU may do with the auth-token of its session (cmi5 §8.2.2: "all xAPI
# communications" of the AU): write statements (never voiding ones, §6.3) and its learner's
# state and profile documents; read its own registration's statements and the Activities
# resource. The finer rules (which documents, which statements) are progress.cmi5's.
AU_SESSION_SCOPES = [LRSScope.STATEMENTS_WRITE, LRSScope.STATE, LRSScope.PROFILE]


def _au_session_client(xrequest: XAPIRequest, key: str, secret: str) -> LRSClient:
    session = session_for_credentials(key, secret)
    if session is None:
        raise XAPIError(401, "Unknown or expired cmi5 session.", challenge(xrequest))
    if session.state in (SessionState.TERMINATED, SessionState.ABANDONED):
        # cmi5 §8.2.1: the token is limited to the duration of the session; §9.3.6, §9.3.8:
        # nothing is recorded for a session once it has ended.
        raise XAPIError(401, f"This cmi5 session has ended ({session.state}).", challenge(xrequest))
    xrequest.au_session = session
    client = copy.copy(lms_client())
    client.scopes = list(AU_SESSION_SCOPES)
    return client


def require_own_learner(xrequest: XAPIRequest, agent: dict[str, object] | None) -> None:
    """An AU session acts for its learner only: 403 for any other agent."""
    session = xrequest.au_session
    if session is None:
        return
    learner_ifi = agent_ifi({"account": session.enrolment.learner.xapi_account()})
    if agent is None or agent_ifi(agent) != learner_ifi:
        raise XAPIError(403, "This cmi5 session may only act for its own learner.")


def require_scope(client: LRSClient, allowed: frozenset[str]) -> None:
    if not allowed.intersection(client.scopes):
        raise XAPIError(403, "These credentials do not have the scope this request needs.")
