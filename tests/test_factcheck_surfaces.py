"""Every surface shows a result's `fact_checks`, first: the JSON API (validated against its OpenAPI document),
the web page, batch JSONL and CSV (on the fake encoder), the CLI in text and --json, and a real browser (the
real model)."""

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from verifier import Settings, Verifier
from verifier.batch import run_batch
from verifier.cli import cli

from conftest import DEMO, make_app
from fakes import FakeEncoder

CASES = Path(__file__).parent / "cases" / "factchecks"
FILES = [DEMO, CASES / "search-api.json", CASES / "politifact-page.html"]
CLAIM = "2,000 Afghan troops fled into Tajikistan"


@pytest.fixture(scope="module")
def fake_index(tmp_path_factory):
    path = tmp_path_factory.mktemp("fact-checks") / "idx"
    Verifier.build(path, FILES, encoder=FakeEncoder())
    return path


@pytest.fixture
def client(fake_index, tmp_path):
    return make_app(Verifier.open(fake_index, encoder=FakeEncoder()), tmp_path).test_client()


def test_the_api_result_has_fact_checks_that_validate_against_the_openapi_document(client):
    body = client.post("/api/v1/check", json={"claim": CLAIM}).get_json()
    assert list(body)[:2] == ["claim", "fact_checks"]
    reviewers = {f["reviewer"] for f in body["fact_checks"]}
    assert {"AFP Factuel", "Correctiv", "PolitiFact"} <= reviewers
    afp = next(f for f in body["fact_checks"] if f["reviewer"] == "AFP Factuel")
    assert (afp["rating"], afp["normalized_rating"], afp["review_date"]) == ("Faux", "false", "2021-07-07T10:00:00Z")
    assert afp["url"] == "https://factuel.afp.com/2000-soldats-afghans-tadjikistan"
    assert afp["similarity"] >= Settings().fact_check_similarity  # a match, as its rating may count
    spec = client.get("/api/v1/openapi.json").get_json()
    for path, payload in (("/api/v1/check", {"claim": CLAIM}), ("/api/v1/check/batch", {"claims": [CLAIM]})):
        schema = spec["paths"][path]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
        errors = [e.message for e in Draft202012Validator({**spec, **schema}).iter_errors(
            client.post(path, json=payload).get_json())]
        assert not errors, errors[:3]
    assert "FactCheckOut" in spec["components"]["schemas"]


def test_the_page_shows_the_fact_checks_before_the_verdict(client):
    page = client.get("/", query_string={"claim": CLAIM}).get_data(as_text=True)
    assert 0 < page.index('id="fact-checks-heading"') < page.index('id="verdict-heading"')
    section = page[page.index('id="fact-checks-heading"'):page.index('id="verdict-heading"')]
    assert "AFP Factuel" in section and "Faux" in section and "(false)" in section and "7 July 2021" in section
    assert 'href="https://factuel.afp.com/2000-soldats-afghans-tadjikistan"' in section
    assert re.search(r"match 0\.9\d|match 1\.00", section)


def test_a_claim_no_fact_check_matches_has_no_section(client):
    page = client.get("/", query_string={"claim": "The Taliban said nothing at all today"}).get_data(as_text=True)
    assert 'id="fact-checks-heading"' not in page


def test_batch_jsonl_carries_the_fact_checks_and_csv_the_closest(fake_index, tmp_path):
    claims = tmp_path / "claims.txt"
    claims.write_text(f"{CLAIM}\nThe Taliban said nothing at all today\n", encoding="utf-8")
    verifier = Verifier.open(fake_index, encoder=FakeEncoder())
    run_batch(verifier, claims, tmp_path / "out.jsonl")
    run_batch(verifier, claims, tmp_path / "out.csv")
    first, second = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {f["reviewer"] for f in first["fact_checks"]} >= {"AFP Factuel", "PolitiFact"} and second["fact_checks"] == []
    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    closest = first["fact_checks"][0]
    assert rows[0]["fact_checks"] == str(len(first["fact_checks"]))
    assert (rows[0]["fact_check_reviewer"], rows[0]["fact_check_rating"], rows[0]["fact_check_url"]) == (
        closest["reviewer"], closest["rating"], closest["url"])
    assert rows[0]["fact_check_normalized_rating"] in ("false", "mostly false")
    assert float(rows[0]["fact_check_similarity"]) == closest["similarity"]
    assert rows[1]["fact_checks"] == "0" and rows[1]["fact_check_reviewer"] == ""


@pytest.fixture(scope="module")
def real_index(tmp_path_factory):
    path = tmp_path_factory.mktemp("fact-checks-real") / "idx"
    Verifier.build(path, FILES)
    return path


@pytest.mark.model
def test_the_cli_prints_the_fact_checks_first_and_in_json(real_index):
    runner = CliRunner()
    text = runner.invoke(cli, ["check", CLAIM, "--index", str(real_index), "-k", "5"])
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    assert lines[1].startswith("Fact-checks of matching claims") and lines.index(
        next(x for x in lines if x.startswith("Verdict:"))) > 2
    assert any("AFP Factuel, 2021-07-07: Faux (false)" in x for x in lines)
    assert "Verdict:    contradicted" in text.output
    assert "PolitiFact rated a matching claim False on 6 July 2021." in text.output
    as_json = runner.invoke(cli, ["check", "1,037 Afghan troops fled into Tajikistan", "--index", str(real_index),
                                  "--json"])
    body = json.loads(as_json.output)
    assert body["fact_checks"] and not any(f["used"] for f in body["fact_checks"])
    assert body["verdict"] == "supported"  # the source decides; the reviews of "2,000" say nothing of 1,037


@pytest.fixture
def page_server(real_index, tmp_path):
    """The web app on the real model and a fact-check index, served by werkzeug in a thread (the model loads
    in this process once; `verifier serve` itself is covered by test_web_browser.py and test_web_serve.py)."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, make_app(Verifier.open(real_index), tmp_path), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)


@pytest.mark.model
def test_a_browser_sees_the_fact_checks_above_the_verdict(page_server, tmp_path, monkeypatch):
    if not (shutil.which("/usr/bin/chromium") and shutil.which("/usr/bin/chromedriver")):
        pytest.skip("needs Debian's chromium and chromium-driver (.ci/run installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from test_web_browser import FLAGS

    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must never reach for the network
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    try:
        driver.implicitly_wait(30)
        driver.set_window_size(1280, 1000)
        driver.get(page_server + "/")
        box = driver.find_element(By.ID, "claim")
        box.send_keys(CLAIM)
        box.send_keys(Keys.TAB, Keys.ENTER)
        section = driver.find_element(By.CSS_SELECTOR, "section.fact-checks")
        verdict = driver.find_element(By.CSS_SELECTOR, ".verdict strong")
        assert section.is_displayed() and section.location["y"] < verdict.location["y"]
        assert verdict.text == "Contradicted"
        reviewers = {e.text for e in section.find_elements(By.CSS_SELECTOR, ".reviewer")}
        assert {"AFP Factuel", "Correctiv", "PolitiFact"} <= reviewers
        link = section.find_element(By.XPATH, ".//a[contains(@href, 'politifact.com')]")
        assert link.is_displayed()
        driver.save_screenshot(str(tmp_path / "fact-checks.png"))
    finally:
        driver.quit()
