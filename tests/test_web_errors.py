"""Every error under /api has one JSON shape; HTML pages get an HTML error page with the same status.

These run on the fake encoder: no model is loaded.
"""

import json
import threading

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from verifier import Settings

from conftest import make_app

ERROR_KEYS = {"code", "message", "field"}


def assert_error(response, status, code, field=None):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) <= ERROR_KEYS and {"code", "message"} <= set(error)
    assert error["code"] == code and isinstance(error["message"], str) and error["message"]
    assert error.get("field") == field
    return error


def test_error_shape_is_pinned(fake_client):
    body = fake_client.post("/api/v1/check", json={"claim": ""}).get_json()
    assert body == {"error": {"code": "invalid_input", "field": "claim",
                              "message": "claim is empty; give the claim to check as text"}}


@pytest.mark.parametrize("payload, field, words", [
    ({"claim": ""}, "claim", "empty"),
    ({"claim": "   \n "}, "claim", "empty"),
    ({"claim": 42}, "claim", "string"),
    ({"claim": None}, "claim", "string"),
    ({"claim": ["a"]}, "claim", "string"),
    ({"claim": "x" * 1001}, "claim", "1000"),
    ({}, "claim", "required"),
    ({"claim": "ok", "k": 3}, "k", "extra"),
    ({"claim": "ok", "top_k": 0}, "top_k", "greater than or equal to 1"),
    ({"claim": "ok", "top_k": -5}, "top_k", "greater than or equal to 1"),
    ({"claim": "ok", "top_k": 101}, "top_k", "at most 100"),
    ({"claim": "ok", "top_k": "3"}, "top_k", "integer"),
    ({"claim": "ok", "top_k": 2.5}, "top_k", "integer"),
    ({"claim": "ok", "top_k": True}, "top_k", "integer"),
])
def test_check_rejects_invalid_input_with_the_field(fake_client, payload, field, words):
    error = assert_error(fake_client.post("/api/v1/check", json=payload), 400, "invalid_input", field)
    assert words in error["message"]


def test_check_rejects_a_body_that_is_not_json(fake_client):
    error = assert_error(fake_client.post("/api/v1/check", data='{"claim": ', content_type="application/json"),
                         400, "invalid_json")
    assert "line 1" in error["message"]
    assert_error(fake_client.post("/api/v1/check", data=b"\xff\xfe", content_type="application/json"), 400, "invalid_json")


@pytest.mark.parametrize("body", ["[]", '"claim"', "3", "null"])
def test_check_rejects_json_that_is_not_an_object(fake_client, body):
    assert_error(fake_client.post("/api/v1/check", data=body, content_type="application/json"), 400, "invalid_input")


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_check_rejects_a_wrong_content_type(fake_client, content_type):
    response = fake_client.post("/api/v1/check", data='{"claim": "x"}', content_type=content_type)
    assert "Content-Type: application/json" in assert_error(response, 400, "invalid_content_type")["message"]


@pytest.mark.parametrize("payload, field", [
    ({"claims": []}, "claims"),
    ({"claims": "one claim"}, "claims"),
    ({"claims": ["fine", ""]}, "claims[1]"),
    ({"claims": ["fine", 7]}, "claims[1]"),
    ({"claims": [{"id": "a"}]}, "claims[0].claim"),
    ({"claims": [{"id": "a", "claim": " "}]}, "claims[0].claim"),
    ({"claims": [{"id": [1], "claim": "x"}]}, "claims[0].id"),
    ({"claims": [{"claim": "x", "extra": 1}]}, "claims[0].extra"),
    ({"claims": ["x"], "top_k": 0}, "top_k"),
])
def test_batch_rejects_invalid_input_with_the_field(fake_client, payload, field):
    assert_error(fake_client.post("/api/v1/check/batch", json=payload), 400, "invalid_input", field)


def test_batch_over_the_maximum_is_refused_with_the_setting_named(fake_verifier, tmp_path):
    client = make_app(fake_verifier, tmp_path, max_batch_claims=3).test_client()
    error = assert_error(client.post("/api/v1/check/batch", json={"claims": ["a", "b", "c", "d"]}),
                         400, "invalid_input", "claims")
    assert "max_batch_claims" in error["message"]
    assert client.post("/api/v1/check/batch", json={"claims": ["a", "b", "c"]}).status_code == 200


def test_oversized_body_is_413_on_the_api(fake_verifier, tmp_path):
    client = make_app(fake_verifier, tmp_path, max_body_bytes=1000).test_client()
    error = assert_error(client.post("/api/v1/check", json={"claim": "x" * 2000}), 413, "payload_too_large")
    assert "max_body_bytes" in error["message"]


def test_oversized_form_post_gets_an_html_413_page(fake_verifier, tmp_path):
    client = make_app(fake_verifier, tmp_path, max_body_bytes=1000).test_client()
    response = client.post("/", data={"claim": "x" * 2000})
    assert response.status_code == 413 and response.mimetype == "text/html"
    assert "max_body_bytes" in response.get_data(as_text=True)


def test_unknown_api_path_is_a_json_404(fake_client):
    assert_error(fake_client.get("/api/v1/nothing-here"), 404, "not_found")
    assert_error(fake_client.get("/api/v2/check"), 404, "not_found")


def test_unknown_statement_is_a_json_404(fake_client):
    error = assert_error(fake_client.get("/api/v1/statements/no-such-id"), 404, "not_found")
    assert "no-such-id" in error["message"]


@pytest.mark.parametrize("method, path", [
    ("get", "/api/v1/check"), ("put", "/api/v1/check"), ("delete", "/api/v1/check/batch"),
    ("post", "/api/v1/health"), ("post", "/api/v1/info"), ("delete", "/api/v1/statements/x"),
    ("get", "/api/v1/statements"),
])
def test_wrong_method_is_a_json_405_with_allow(fake_client, method, path):
    response = getattr(fake_client, method)(path)
    assert_error(response, 405, "method_not_allowed")
    assert response.headers["Allow"]


def test_html_pages_get_an_html_error_page_with_the_same_status(fake_client):
    missing = fake_client.get("/no/such/page")
    assert missing.status_code == 404 and missing.mimetype == "text/html"
    assert '<html lang="en">' in missing.get_data(as_text=True) and "Not found" in missing.get_data(as_text=True)
    wrong = fake_client.delete("/about")
    assert wrong.status_code == 405 and wrong.mimetype == "text/html"
    expired = fake_client.get("/batch/AAAAAAAAAAAAAAAAAAAAAA")
    assert expired.status_code == 404 and "expired" in expired.get_data(as_text=True)


def test_adding_statements_is_404_when_no_token_is_configured(fake_client):
    error = assert_error(fake_client.post("/api/v1/statements", json={"statements": [{"text": "A new statement."}]},
                                          headers={"Authorization": "Bearer anything"}), 404, "not_found")
    assert "api_token" in error["message"]


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Bearer", "Basic c2VjcmV0", "secret", "Bearer secretx",
                                    "Bearer s\u00e9cret"])
def test_adding_statements_needs_the_bearer_token(fake_verifier, tmp_path, header):
    client = make_app(fake_verifier, tmp_path, api_token="secret").test_client()
    headers = {"Authorization": header} if header else {}
    response = client.post("/api/v1/statements", json={"statements": [{"text": "A new statement."}]}, headers=headers)
    assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("statements, field", [
    ([], "statements"),
    ([{"text": ""}], "statements[0].text"),
    ([{"text": "   "}], "statements[0].text"),
    ([{"text": 5}], "statements[0].text"),
    ([{"text": "fine"}, {"source": "no text"}], "statements[1].text"),
    ([{"text": "fine", "date": "5 July 2021"}], "statements[0].date"),
    ([{"text": "fine", "meta": "not an object"}], "statements[0].meta"),
])
def test_adding_statements_rejects_invalid_ones_before_writing(fake_verifier, tmp_path, statements, field):
    client = make_app(fake_verifier, tmp_path, api_token="secret").test_client()
    before = fake_verifier.info().count
    response = client.post("/api/v1/statements", json={"statements": statements},
                           headers={"Authorization": "Bearer secret"})
    assert_error(response, 400, "invalid_input", field)
    assert fake_verifier.info().count == before


def test_adding_over_the_maximum_is_refused(fake_verifier, tmp_path):
    client = make_app(fake_verifier, tmp_path, api_token="secret", max_add_statements=1).test_client()
    response = client.post("/api/v1/statements", json={"statements": [{"text": "one"}, {"text": "two"}]},
                           headers={"Authorization": "Bearer secret"})
    assert "max_add_statements" in assert_error(response, 400, "invalid_input", "statements")["message"]


def test_before_the_index_is_loaded_health_and_checks_answer_503(fake_verifier, tmp_path, monkeypatch):
    import web

    release = threading.Event()

    def slow_open(path, settings=None, encoder=None):
        release.wait(10)
        return fake_verifier

    monkeypatch.setattr(web.Verifier, "open", slow_open)
    app = web.create_app({"INDEX": str(tmp_path), "SETTINGS": Settings(), "TESTING": True})
    client = app.test_client()
    response = client.get("/api/v1/health")
    assert_error(response, 503, "not_ready")
    assert response.headers["Retry-After"] == "5"
    assert_error(client.post("/api/v1/check", json={"claim": "x y z"}), 503, "not_ready")
    page = client.get("/?claim=anything")
    assert page.status_code == 503 and "still loading" in page.get_data(as_text=True)
    release.set()
    assert app.extensions["verifier"].wait(10)
    assert client.get("/api/v1/health").get_json()["status"] == "ready"


def test_a_failed_load_is_reported_by_health(tmp_path):
    from web import create_app

    app = create_app({"INDEX": str(tmp_path / "missing"), "LOAD": "now", "TESTING": True})
    error = assert_error(app.test_client().get("/api/v1/health"), 503, "not_ready")
    assert "could not load" in error["message"] and "verifier index" in error["message"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
bodies = st.one_of(
    json_values,
    st.fixed_dictionaries({"claim": json_values}, optional={"top_k": json_values}),
    st.fixed_dictionaries({"claims": st.lists(st.one_of(st.text(max_size=20), json_values), max_size=4)}),
)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies, path=st.sampled_from(["/api/v1/check", "/api/v1/check/batch"]))
def test_nothing_a_client_sends_gets_a_500(fake_client, body, path):
    response = fake_client.post(path, data=json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 400), response.get_data(as_text=True)
    if response.status_code == 400:
        assert set(response.get_json()["error"]) <= ERROR_KEYS


# --- bad input is a 400, never a 500 (issue "Bad input is a 400, never a 500 or a traceback") -------------
def _nested(depth):
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [65, 1000, 100_000])
@pytest.mark.parametrize("route, body", [
    ("/api/v1/check", '{"claim": "troops", "top_k": %s}'),
    ("/api/v1/check/batch", '{"claims": %s}'),
    ("/api/v1/statements", '{"statements": [{"text": "A statement.", "meta": {"k": %s}}]}'),
])
def test_json_nested_too_deep_is_a_400_on_every_post_route(fake_verifier, tmp_path, route, body, depth):
    """json.loads raised RecursionError at ~1,000 levels, a 500; the depth is now capped for every route."""
    client = make_app(fake_verifier, tmp_path, api_token="secret").test_client()
    response = client.post(route, data=body % _nested(depth), content_type="application/json",
                           headers={"Authorization": "Bearer secret"})
    assert "64 levels" in assert_error(response, 400, "invalid_json")["message"]


@pytest.mark.parametrize("route, body, field", [
    ("/api/v1/check", '{"claim": "troops \\ud800 fled"}', "claim"),
    ("/api/v1/check/batch", '{"claims": ["fine", "\\udcff troops"]}', "claims[1]"),
    ("/api/v1/check/batch", '{"claims": [{"claim": "\\ud800"}]}', "claims[0].claim"),
    ("/api/v1/check/batch", '{"claims": [{"id": "\\ud800", "claim": "fine"}]}', "claims[0].id"),
    ("/api/v1/statements", '{"statements": [{"text": "A \\ud800 statement."}]}', "statements[0].text"),
    ("/api/v1/statements", '{"statements": [{"text": "A statement.", "id": "\\ud800"}]}', "statements[0].id"),
    ("/api/v1/statements", '{"statements": [{"text": "A statement.", "source": "\\udc80"}]}',
     "statements[0].source"),
    ("/api/v1/statements", '{"statements": [{"text": "A statement.", "meta": {"\\ud800": 1}}]}',
     "statements[0].meta.\\ud800"),
    ("/api/v1/statements", '{"statements": [{"text": "A statement.", "meta": {"k": ["\\ud800"]}}]}',
     "statements[0].meta.k[0]"),
])
def test_a_lone_surrogate_is_a_400_naming_the_field(fake_verifier, tmp_path, route, body, field):
    client = make_app(fake_verifier, tmp_path, api_token="secret").test_client()
    before = fake_verifier.info().count
    response = client.post(route, data=body, content_type="application/json",
                           headers={"Authorization": "Bearer secret"})
    assert_error(response, 400, "invalid_input", field)
    assert fake_verifier.info().count == before
