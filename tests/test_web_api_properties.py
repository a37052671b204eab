"""Property-based API test: schemathesis generates requests from the app's own OpenAPI document (valid ones
and ones that break it) and every answer must be documented: no 5xx, a status code and content type the
document lists, a body that validates against its schema, an invalid request refused, and every error in
the one shape `{"error": {"code", "message", "field"?}}` with the security headers. Bounded examples per
operation (EXAMPLES) keep it to seconds; runs on the fake encoder, adding statements switched on.

Not checked: that every request the document allows is accepted (schemathesis's positive_data_acceptance).
The statement rules (real calendar dates, visible text, ids without control characters) are more than a
JSON Schema says; such a statement gets a documented 400 naming the field.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from verifier import Settings, Verifier
from web.openapi import spec

from conftest import DEMO, make_app
from fakes import FakeEncoder

EXAMPLES = 25
TOKEN = "property-test-token"
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")


LIMITS = {"api_token": TOKEN, "max_add_statements": 5, "max_batch_claims": 5}
# The document as the app serves it for these settings (test_web_openapi.py checks the two are the same).
schema = schemathesis.openapi.from_dict(spec(Settings().replace(**LIMITS)))


@pytest.fixture(scope="module")
def wsgi_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("properties")
    Verifier.build(folder / "idx", [DEMO], encoder=FakeEncoder())
    app = make_app(Verifier.open(folder / "idx", encoder=FakeEncoder()), folder, **LIMITS)
    assert app.test_client().get("/api/v1/openapi.json").get_json() == schema.raw_schema
    return app


def the_documented_error_shape(ctx, response, case):
    """Every 4xx and 5xx: JSON `{"error": {"code", "message", "field"?}}` and the security headers."""
    sent = {name.lower() for name in response.headers}
    for name in SECURITY_HEADERS:
        assert name.lower() in sent, f"{name} missing from {response.status_code} of {case.path}"
    if response.status_code < 400:
        return None
    body = response.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]) <= {"code", "message", "field"}, body
    assert all(isinstance(v, str) and v for v in body["error"].values()), body
    return None


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection, the_documented_error_shape]


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_answer_is_documented_and_no_request_is_a_server_error(case, wsgi_app):
    headers = {"Authorization": f"Bearer {TOKEN}"} if case.path == "/api/v1/statements" else None
    case.call_and_validate(app=wsgi_app, headers=headers, checks=CHECKS)
