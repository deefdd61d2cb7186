"""Property-based tests of the public API from its own OpenAPI schema (issue 17): Schemathesis
generates requests, valid and not, for every operation, sent as a staff member, a learner and
no one; whatever comes in, the answer is never a server error.

The examples are bounded (tests/properties/strategies.py).
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from schemathesis.checks import not_a_server_error

from lms.services import replace_api_token
from tests.lms.factories import UserFactory
from tests.properties.strategies import bounded

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))


class InProcessApp(WSGIHandler):
    """The site as a WSGI application, inside the test's transaction: as Django's test client
    does, the request does not close the database connection it shares with the test."""

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = super().__call__(environ, start_response)
            body = b"".join(response)
            response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return [body]


app = InProcessApp()


@pytest.fixture(params=["staff", "learner", "anonymous"])
def headers(request, db):
    if request.param == "anonymous":
        return {}
    user = UserFactory(is_staff=request.param == "staff", is_superuser=request.param == "staff")
    return {"Authorization": f"Token {replace_api_token(user=user)}"}


@schema.parametrize()
@bounded
@pytest.mark.django_db
def test_no_request_makes_a_server_error(case, headers):
    response = case.call(app=app, headers=headers)
    case.validate_response(response, checks=[not_a_server_error], headers=headers)
