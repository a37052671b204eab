"""The OpenAPI document matches the app: every route, method and status code, both ways, and the bodies the
server really sends validate against the document's schemas. Runs on the fake encoder."""

import re

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from verifier import Verifier

from conftest import DEMO, make_app
from fakes import FakeEncoder
from web.engine import Engine

IGNORED = {"HEAD", "OPTIONS"}
AUTH = {"Authorization": "Bearer t"}
GOOD = {"json": {"claim": "Afghan troops fled into Tajikistan"}}
BATCH = {"json": {"claims": ["Afghan troops fled", {"id": 9, "claim": "Russia has a base"}]}}
ADD = {"json": {"statements": [{"text": "On 6 July 2021 more troops crossed.", "date": "2021-07-06"}]}, "headers": AUTH}
BIG = {"json": {"claim": "x" * 3000}}
TEXT = {"json": {"text": "# Border\n\nOver 1,000 Afghan troops fled into Tajikistan. It rained.", "format": "markdown"}}

# (path template, method, status, the request that gets that status, which app)
CASES = [
    ("/api/v1/check", "post", 200, ("/api/v1/check", GOOD), "plain"),
    ("/api/v1/check", "post", 400, ("/api/v1/check", {"json": {"claim": ""}}), "plain"),
    ("/api/v1/check", "post", 413, ("/api/v1/check", BIG), "writable"),
    ("/api/v1/check", "post", 503, ("/api/v1/check", GOOD), "loading"),
    ("/api/v1/check/batch", "post", 200, ("/api/v1/check/batch", BATCH), "plain"),
    ("/api/v1/check/batch", "post", 400, ("/api/v1/check/batch", {"json": {"claims": []}}), "plain"),
    ("/api/v1/check/batch", "post", 413, ("/api/v1/check/batch", {"json": {"claims": ["x" * 3000]}}), "writable"),
    ("/api/v1/check/batch", "post", 503, ("/api/v1/check/batch", BATCH), "loading"),
    ("/api/v1/check/text", "post", 200, ("/api/v1/check/text", TEXT), "plain"),
    ("/api/v1/check/text", "post", 400, ("/api/v1/check/text", {"json": {"text": " "}}), "plain"),
    ("/api/v1/check/text", "post", 413, ("/api/v1/check/text", {"json": {"text": "x " * 1500}}), "writable"),
    ("/api/v1/check/text", "post", 503, ("/api/v1/check/text", TEXT), "loading"),
    ("/api/v1/statements/{statement_id}", "get", 200, ("/api/v1/statements/afp-2021-07-05-01", {}), "plain"),
    ("/api/v1/statements/{statement_id}", "get", 404, ("/api/v1/statements/nope", {}), "plain"),
    ("/api/v1/statements/{statement_id}", "get", 503, ("/api/v1/statements/afp-2021-07-05-01", {}), "loading"),
    ("/api/v1/statements", "post", 201, ("/api/v1/statements", ADD), "writable"),
    ("/api/v1/statements", "post", 400, ("/api/v1/statements", {"json": {"statements": []}, "headers": AUTH}), "writable"),
    ("/api/v1/statements", "post", 401, ("/api/v1/statements", {**ADD, "headers": {}}), "writable"),
    ("/api/v1/statements", "post", 404, ("/api/v1/statements", ADD), "plain"),
    ("/api/v1/statements", "post", 413, ("/api/v1/statements", {"json": {"statements": [{"text": "x" * 3000}]},
                                                                "headers": AUTH}), "writable"),
    ("/api/v1/statements", "post", 503, ("/api/v1/statements", ADD), "loading"),
    ("/api/v1/health", "get", 200, ("/api/v1/health", {}), "plain"),
    ("/api/v1/health", "get", 503, ("/api/v1/health", {}), "loading"),
    ("/api/v1/info", "get", 200, ("/api/v1/info", {}), "plain"),
    ("/api/v1/info", "get", 503, ("/api/v1/info", {}), "loading"),
    ("/api/v1/openapi.json", "get", 200, ("/api/v1/openapi.json", {}), "plain"),
    ("/api/v1/docs", "get", 200, ("/api/v1/docs", {}), "plain"),
]


@pytest.fixture
def apps(fake_verifier, tmp_path):
    fresh = tmp_path / "writable"
    Verifier.build(fresh, [DEMO], encoder=FakeEncoder())
    loading = make_app(fake_verifier, tmp_path, api_token="t")
    loading.extensions["verifier"] = Engine(load=lambda: fake_verifier)  # never started: still loading
    return {
        "plain": make_app(fake_verifier, tmp_path),
        "writable": make_app(Verifier.open(fresh, encoder=FakeEncoder()), tmp_path, api_token="t", max_body_bytes=2000),
        "loading": loading,
    }


@pytest.fixture
def spec(fake_client):
    return fake_client.get("/api/v1/openapi.json").get_json()


def test_the_document_is_valid_openapi_3(spec):
    validate(spec)
    assert spec["openapi"].startswith("3.")


def api_routes(app):
    out = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            out |= {(path, m.lower()) for m in rule.methods - IGNORED}
    return out


def test_every_api_route_is_documented_and_every_documented_route_exists(fake_app, spec):
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    assert api_routes(fake_app) == documented


def test_every_documented_status_is_reachable_and_every_status_reached_is_documented(apps, spec):
    documented = {(p, m, int(s)) for p, ops in spec["paths"].items() for m, op in ops.items() for s in op["responses"]}
    reached = set()
    for path, method, status, (url, kwargs), which in CASES:
        response = getattr(apps[which].test_client(), method)(url, **kwargs)
        assert response.status_code == status, (url, response.get_data(as_text=True))
        assert (path, method, status) in documented, f"{method.upper()} {path} answered {status}, not documented"
        reached.add((path, method, status))
    assert documented == reached, f"documented but never produced: {documented - reached}"


def test_methods_a_path_does_not_list_answer_405(fake_client, spec):
    for path, ops in spec["paths"].items():
        url = path.replace("{statement_id}", "afp-2021-07-05-01")
        for method in {"get", "post", "put", "patch", "delete"} - set(ops):
            assert getattr(fake_client, method)(url).status_code == 405, (method, path)


def body_schema(spec, path, method, status):
    response = spec["paths"][path][method]["responses"][str(status)]
    return response["content"]["application/json"]["schema"]


def test_real_responses_validate_against_the_document(apps, spec):
    for path, method, status, (url, kwargs), which in CASES:
        response = getattr(apps[which].test_client(), method)(url, **kwargs)
        if response.mimetype != "application/json" or path == "/api/v1/openapi.json":
            continue
        validator = Draft202012Validator({**spec, **body_schema(spec, path, method, status)})
        errors = [e.message for e in validator.iter_errors(response.get_json())]
        assert not errors, (method, url, status, errors[:3])


def test_the_response_schemas_forbid_fields_the_document_does_not_name(spec):
    result = spec["components"]["schemas"]["ResultOut"]
    assert result["additionalProperties"] is False
    validator = Draft202012Validator({**spec, "$ref": "#/components/schemas/ErrorResponse"})
    assert not validator.is_valid({"error": {"code": "x", "message": "y", "surprise": 1}})


def test_the_docs_page_lists_every_operation_and_schema(fake_client, spec):
    page = fake_client.get("/api/v1/docs").get_data(as_text=True)
    for path, ops in spec["paths"].items():
        for method in ops:
            assert f"{method.upper()} {path}" in page
    for name in spec["components"]["schemas"]:
        assert f'id="schema-{name}"' in page
    assert "cdn" not in page.lower() and "<script" not in page


def test_backticks_in_the_api_docs_become_code_and_the_rest_is_escaped():
    from web.api import ticks

    assert str(ticks("send `Authorization: Bearer <token>` & wait")) == (
        "send <code>Authorization: Bearer &lt;token&gt;</code> &amp; wait")
