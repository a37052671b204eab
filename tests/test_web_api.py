"""The JSON API on the demo corpus with the real model: the same results as the CLI, batches, statements,
health and info, adding statements, loading once, and concurrent requests."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from verifier import Verifier
from verifier.cli import cli

from conftest import DEMO, make_app

pytestmark = pytest.mark.model
CLAIM = "Over 1,000 Afghan troops fled into Tajikistan"
AUTH = {"Authorization": "Bearer s3cret"}


def test_check_returns_exactly_what_the_cli_prints_as_json(client, runner, demo_index):
    cli_out = runner.invoke(cli, ["check", CLAIM, "--index", str(demo_index), "--json"])
    assert cli_out.exit_code == 0, cli_out.output
    response = client.post("/api/v1/check", json={"claim": CLAIM})
    assert response.status_code == 200
    assert response.get_json() == json.loads(cli_out.output)
    assert list(response.get_json()) == ["claim", "fact_checks", "verdict", "confidence", "reasons", "evidence",
                                         "stance_model"]
    assert response.get_json()["stance_model"]["sha256"] == Verifier.describe_stance_model()["sha256"]


def test_check_finds_the_1037_troops_statement_and_honours_top_k(client):
    body = client.post("/api/v1/check", json={"claim": "2,000 Afghan troops fled into Tajikistan", "top_k": 3}).get_json()
    assert body["verdict"] == "contradicted" and len(body["evidence"]) == 3
    top = body["evidence"][0]
    assert top["statement"]["id"] == "afp-2021-07-05-01" and top["stance"] == "contradicts"
    conflict = next(f for f in top["findings"] if f["outcome"] == "inconsistent")
    assert conflict["claim_span"]["text"] == "2,000" and conflict["statement_span"]["text"] == "1,037"


def test_batch_answers_in_order_with_ids_from_one_check_many_call(client, monkeypatch):
    calls = []
    original = Verifier.check_many

    def spy(self, claims, k=None, ids=None, **options):
        calls.append(list(claims))
        return original(self, claims, k, ids, **options)

    monkeypatch.setattr(Verifier, "check_many", spy)  # on the class: the check queue's workers use views of it
    claims = [CLAIM, {"id": "c-2", "claim": "2,000 Afghan troops fled into Tajikistan"}, {"id": 7, "claim": "x  y"},
              {"claim": "Russia has a military base in Tajikistan"}]
    response = client.post("/api/v1/check/batch", json={"claims": claims, "top_k": 2})
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["id"] for r in results] == ["0", "c-2", "7", "3"]
    assert [r["claim"] for r in results] == [CLAIM, "2,000 Afghan troops fled into Tajikistan", "x y",
                                             "Russia has a military base in Tajikistan"]
    assert [r["verdict"] for r in results[:2]] == ["supported", "contradicted"]
    assert all(len(r["evidence"]) <= 2 for r in results)
    assert len(calls) == 1 and len(calls[0]) == 4
    single = client.post("/api/v1/check", json={"claim": CLAIM, "top_k": 2}).get_json()
    assert results[0] == {"id": "0", **single}


def test_statement_by_id(client, demo_verifier):
    response = client.get("/api/v1/statements/afp-2021-07-05-01")
    assert response.status_code == 200
    assert response.get_json() == demo_verifier.statement("afp-2021-07-05-01").to_dict()


def test_health_and_info_describe_the_loaded_index(client):
    assert client.get("/api/v1/health").get_json() == {"status": "ready", "statements": 16, "version": "0.1.0"}
    info = client.get("/api/v1/info").get_json()
    assert info["index"]["count"] == 16 and info["index"]["dim"] == 384
    assert info["index"]["model_sha256"] == "dd84cf54a47342c17e529c4718cc991e61528ba6e1f64457842d22010d54d549"
    assert info["index"]["encoder_backend"] == "onnx" and info["index"]["publishers"] == {"AFP": 16}
    assert "path" not in info["index"]
    assert info["limits"]["max_batch_claims"] == 200 and info["adding_statements"] is False


@pytest.fixture
def writable(demo_verifier, tmp_path):
    """A fresh copy of the demo index (sharing the loaded model), with adding turned on."""
    path = tmp_path / "idx"
    Verifier.build(path, [DEMO], encoder=demo_verifier.encoder)
    verifier = Verifier.open(path, encoder=demo_verifier.encoder)
    return verifier, make_app(verifier, tmp_path, api_token="s3cret").test_client()


def test_added_statements_are_searchable_at_once(writable):
    verifier, client = writable
    new = {"id": "rfe-2021-07-06", "text": "On 6 July 2021 another 350 Afghan soldiers crossed into Uzbekistan.",
           "source": "Uzbek defence ministry", "publisher": "RFE/RL", "date": "2021-07-06",
           "url": "https://example.org/uzbek", "region": "Termez"}
    response = client.post("/api/v1/statements", json={"statements": [new]}, headers=AUTH)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["added"] == 1 and response.get_json()["total"] == 17
    stored = client.get("/api/v1/statements/rfe-2021-07-06").get_json()
    assert stored["meta"] == {"region": "Termez", "origin": "api:0"} and stored["url"] == "https://example.org/uzbek"
    result = client.post("/api/v1/check", json={"claim": "350 Afghan soldiers crossed into Uzbekistan"}).get_json()
    assert result["evidence"][0]["statement"]["id"] == "rfe-2021-07-06"
    again = client.post("/api/v1/statements", json={"statements": [new]}, headers=AUTH).get_json()
    assert again["added"] == 0 and again["duplicates"][0]["duplicate_of"] == "rfe-2021-07-06"
    assert client.get("/api/v1/health").get_json()["statements"] == 17


def test_checks_running_while_statements_are_added_all_succeed(writable):
    verifier, client = writable
    claims = [CLAIM, "2,000 Afghan troops fled into Tajikistan", "Russia has a military base in Tajikistan"] * 4

    def check(claim):
        return client.post("/api/v1/check", json={"claim": claim, "top_k": 3})

    with ThreadPoolExecutor(6) as pool:
        checks = [pool.submit(check, c) for c in claims]
        added = pool.submit(client.post, "/api/v1/statements", json={"statements": [
            {"text": f"Report {i}: {100 + i} Afghan troops reached Tajikistan on 7 July 2021."} for i in range(20)
        ]}, headers=AUTH)
        responses = [f.result() for f in checks]
    assert added.result().status_code == 201 and verifier.info().count == 36
    assert all(r.status_code == 200 for r in responses)
    assert {r.get_json()["verdict"] for r in responses[::3]} == {"supported"}


def test_concurrent_checks_give_the_same_results_as_sequential_ones(client):
    claims = [CLAIM, "2,000 Afghan troops fled into Tajikistan", "Joe Biden ordered US forces out of Afghanistan",
              "The Taliban seized Afghanistan's main border crossing into Tajikistan in June 2021"] * 3
    sequential = [client.post("/api/v1/check", json={"claim": c}).get_json() for c in claims]
    with ThreadPoolExecutor(8) as pool:
        parallel = list(pool.map(lambda c: client.post("/api/v1/check", json={"claim": c}).get_json(), claims))
    assert parallel == sequential


def test_the_model_and_index_load_once_not_per_request(demo_index, monkeypatch, tmp_path):
    import web

    opened = []
    real_open = Verifier.open

    def counting_open(*args, **kwargs):
        opened.append(args)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(web.Verifier, "open", counting_open)
    app = web.create_app({"INDEX": str(demo_index), "LOAD": "now", "TESTING": True})
    client = app.test_client()
    for _ in range(3):
        assert client.post("/api/v1/check", json={"claim": CLAIM}).status_code == 200
    assert client.get("/?claim=" + CLAIM).status_code == 200
    assert len(opened) == 1
