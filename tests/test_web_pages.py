"""The check, batch and about pages on the demo corpus (real model unless the test says otherwise)."""

import csv
import io
import json
import re

import pytest

from verifier import Statement, Verifier

from conftest import make_app
from fakes import FakeEncoder

CONTRADICTED = "2,000 Afghan troops fled into Tajikistan in July 2021"
model = pytest.mark.model


def page(client, claim):
    response = client.get("/", query_string={"claim": claim})
    return response, response.get_data(as_text=True)


def test_the_empty_page_is_an_accessible_form(fake_client):
    html = fake_client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html and '<meta name="viewport"' in html
    assert '<label for="claim">' in html and '<textarea id="claim" name="claim"' in html
    assert '<form class="check" method="get"' in html and "<h1>" in html and 'href="#main"' in html
    assert "Verdict" not in html


@model
def test_a_contradicted_claim_shows_verdict_reasons_and_both_numbers_highlighted(client, demo_verifier):
    response, html = page(client, CONTRADICTED)
    assert response.status_code == 200
    confidence = round(demo_verifier.check(CONTRADICTED).confidence * 100)
    assert "<strong>Contradicted</strong>" in html and f"confidence {confidence}%" in html
    assert 'claim &#34;2,000&#34; contradicts source &#34;1,037&#34; (off by 93%)' in html
    claim_mark = re.search(r'<mark class="inconsistent" title="([^"]+)" aria-describedby="(e1-f-\d+)">2,000</mark>', html)
    statement_mark = re.search(r'<mark class="inconsistent" title="[^"]+" aria-describedby="(e1-f-\d+)">1,037</mark>', html)
    assert claim_mark and statement_mark and claim_mark.group(2) == statement_mark.group(1)
    assert "contradicts source" in claim_mark.group(1)
    # the reason is also visible beside the text, in the element the marks point at
    assert re.search(rf'<li id="{claim_mark.group(2)}" class="finding-inconsistent">.*off by 93%', html)
    assert re.search(r'<mark class="consistent"[^>]*>5 July 2021</mark>', html)
    assert "Tajikistan national security committee" in html and "<cite>Afghan government mulls offensive" in html
    assert '<time datetime="2021-07-05">2021-07-05</time>' in html


@model
def test_neutral_evidence_shows_its_note(client):
    _, html = page(client, CONTRADICTED)
    assert 'badge-neutral">neutral' in html
    assert re.search(r'<p class="note"><span class="label">Neutral because:</span> [^<]+</p>', html)


@model
def test_a_form_post_redirects_to_a_shareable_link(client):
    response = client.post("/", data={"claim": CONTRADICTED})
    assert response.status_code == 303
    assert response.headers["Location"] == "/?claim=2,000+Afghan+troops+fled+into+Tajikistan+in+July+2021"
    assert "Contradicted" in client.get(response.headers["Location"]).get_data(as_text=True)


@model
def test_a_claim_with_markup_is_shown_as_text(client):
    _, html = page(client, '<script>alert("x")</script> 1,037 Afghan troops fled <b>into</b> Tajikistan')
    assert "<script>alert" not in html and "<b>into</b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "<script" not in html


@pytest.mark.parametrize("claim, words", [("   ", "empty"), ("x" * 1001, "1000")])
def test_an_invalid_claim_is_a_400_with_the_error_beside_the_field(fake_client, claim, words):
    response, html = page(fake_client, claim)
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert 'aria-invalid="true"' in html and 'id="claim-error"' in html and words in html


def test_statement_links_only_for_web_urls(tmp_path):
    path = tmp_path / "idx"
    Verifier.build(path, statements=[
        Statement("Afghan troops fled into Tajikistan, said the committee.", id="a", url="https://example.org/a?x=1&y=2"),
        Statement("Afghan troops fled into Tajikistan after clashes.", id="b", url="javascript:alert(1)"),
    ], encoder=FakeEncoder())
    client = make_app(Verifier.open(path, encoder=FakeEncoder()), tmp_path).test_client()
    _, html = page(client, "Afghan troops fled into Tajikistan")
    assert '<a href="https://example.org/a?x=1&amp;y=2" rel="noopener noreferrer nofollow">' in html
    assert 'href="javascript' not in html and "javascript:alert(1)" in html


@model
def test_the_about_page_shows_corpus_model_and_version(client):
    html = client.get("/about").get_data(as_text=True)
    assert "<dt>Statements</dt><dd>16</dd>" in html
    assert "dd84cf54a47342c17e529c4718cc991e61528ba6e1f64457842d22010d54d549" in html
    assert "all-MiniLM-L6-v2" in html and "onnx" in html and "<dd>0.1.0</dd>" in html
    assert "2021-07-05 to 2021-07-05" in html and "Tajikistan national security committee" in html
    assert "<td>AFP</td>" in html


def upload(client, name, content, **kwargs):
    data = {"claims": (io.BytesIO(content if isinstance(content, bytes) else content.encode()), name)}
    return client.post("/batch/", data=data, content_type="multipart/form-data", **kwargs)


@model
def test_a_txt_upload_shows_a_table_and_both_downloads(client):
    response = upload(client, "claims.txt", f"{CONTRADICTED}\n\nOver 1,000 Afghan troops fled into Tajikistan\n")
    assert response.status_code == 303
    results_url = response.headers["Location"]
    html = client.get(results_url).get_data(as_text=True)
    assert "claims.txt" in html and "1 supported, 1 contradicted, 0 with errors" in html
    assert '<td data-label="Line">3</td>' in html and "badge-contradicted" in html
    csv_response = client.get(results_url + "/results.csv")
    assert csv_response.mimetype == "text/csv"
    assert 'filename=claims-results.csv' in csv_response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(csv_response.get_data(as_text=True))))
    assert [(r["claim"], r["verdict"], r["top_statement_id"]) for r in rows] == [
        (CONTRADICTED, "contradicted", "afp-2021-07-05-01"),
        ("Over 1,000 Afghan troops fled into Tajikistan", "supported", "afp-2021-07-05-01"),
    ]
    lines = client.get(results_url + "/results.jsonl").get_data(as_text=True).splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["line"] for r in records] == [1, 3] and records[0]["evidence"][0]["findings"]


def test_bad_lines_are_listed_with_their_error(fake_client):
    jsonl = '{"id": "a", "claim": "Afghan troops fled"}\n{broken\n{"id": "c"}\n{"id": "d", "claim": 5}\n'
    response = upload(fake_client, "claims.jsonl", jsonl)
    html = fake_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 with errors" in html and html.count('class="bad"') == 3
    assert "invalid JSON" in html and "no &#39;claim&#39; field" in html and "must be a string" in html
    rows = list(csv.DictReader(io.StringIO(fake_client.get(response.headers["Location"] + "/results.csv").get_data(as_text=True))))
    assert [r["id"] for r in rows] == ["a", "", "c", "d"] and rows[1]["error"].startswith("invalid JSON")


def test_one_line_is_singular_and_downloads_name_their_charset_once(fake_client):
    location = upload(fake_client, "one.txt", "Afghan troops fled\n").headers["Location"]
    html = fake_client.get(location).get_data(as_text=True)
    assert "1 line:" in html and "1 lines" not in html
    assert fake_client.get(location + "/results.csv").headers["Content-Type"] == "text/csv; charset=utf-8"
    assert fake_client.get(location + "/results.jsonl").headers["Content-Type"] == "application/jsonl; charset=utf-8"


def test_a_csv_upload_carries_other_columns_through(fake_client):
    response = upload(fake_client, "in.csv", "id,claim,desk\n1,Afghan troops fled,world\n2,,politics\n")
    location = response.headers["Location"]
    html = fake_client.get(location).get_data(as_text=True)
    assert "1 with errors" in html and "empty" in html
    rows = list(csv.DictReader(io.StringIO(fake_client.get(location + "/results.csv").get_data(as_text=True))))
    assert [r["desk"] for r in rows] == ["world", "politics"]


@pytest.mark.parametrize("name, content, words", [
    ("claims.pdf", "x", "must end in .txt, .csv or .jsonl"),
    ("claims.txt", "\n \n", "holds no claims"),
    ("claims.txt", b"caf\xe9 claims\n", "not UTF-8"),
    ("claims.txt", "a\nb\nc\nd\n", "more than 3 claims"),
])
def test_a_bad_file_is_a_400_on_the_batch_page(fake_verifier, tmp_path, name, content, words):
    client = make_app(fake_verifier, tmp_path, max_batch_claims=3).test_client()
    response = upload(client, name, content)
    assert response.status_code == 400 and words in response.get_data(as_text=True)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_no_file_is_a_400(fake_client):
    response = fake_client.post("/batch/", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "choose a claims file" in response.get_data(as_text=True)


def test_an_upload_over_the_limit_is_a_413_page(fake_verifier, tmp_path):
    client = make_app(fake_verifier, tmp_path, max_upload_bytes=500).test_client()
    response = upload(client, "big.txt", "Afghan troops fled\n" * 100)
    assert response.status_code == 413 and response.mimetype == "text/html"
    assert "max_upload_bytes" in response.get_data(as_text=True)
    assert upload(client, "small.txt", "Afghan troops fled\n").status_code == 303


def test_uploads_may_be_larger_than_api_bodies(fake_verifier, tmp_path):
    client = make_app(fake_verifier, tmp_path, max_body_bytes=500, max_upload_bytes=5000).test_client()
    assert upload(client, "claims.txt", "Afghan troops fled into Tajikistan\n" * 30).status_code == 303


def test_results_survive_a_new_app_on_the_same_folder(fake_verifier, tmp_path):
    location = upload(make_app(fake_verifier, tmp_path).test_client(), "c.txt", "Afghan troops fled\n").headers["Location"]
    again = make_app(fake_verifier, tmp_path).test_client().get(location + "/results.jsonl")
    assert again.status_code == 200 and json.loads(again.get_data(as_text=True))["claim"] == "Afghan troops fled"


def test_the_batch_form_states_its_limits(fake_client):
    html = fake_client.get("/batch/").get_data(as_text=True)
    assert '<label for="claims">' in html and 'enctype="multipart/form-data"' in html
    assert "At most 200 claims" in html and "2.0 MiB" in html


@pytest.mark.parametrize("url", ["/", "/about", "/batch/", "/api/v1/docs", "/api/v1/health", "/nowhere"])
def test_every_response_forbids_scripts_and_sniffing(fake_client, url):
    headers = fake_client.get(url).headers
    assert "script-src 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
