"""The statement rules (`Statement.from_record`) on dates that are not on the calendar, text of invisible
characters only and ids with control characters: the same refusal for corpus files (a reported bad line)
and for `POST /api/v1/statements` (a 400 naming the field). Fake encoder, no model."""

import json
import re

import pytest

from fakes import FakeEncoder
from verifier import InputError, Statement, Verifier, read_corpus

from conftest import DEMO, make_app

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060"]

BAD = [
    pytest.param({"text": "Troops fled.", "date": "2021-02-30"}, "date", "not a real date", id="february-30"),
    pytest.param({"text": "Troops fled.", "date": "2021-13"}, "date", "not a real date", id="month-13"),
    pytest.param({"text": "Troops fled.", "date": "2021-07-05T24:10"}, "date", "not a real date", id="hour-24"),
    pytest.param({"text": "Troops fled.", "date": "2021-07-05T12:00+05:99"}, "date", "not a real date", id="offset"),
    *[pytest.param({"text": c * 3}, "text", "empty text", id=f"only-U+{ord(c):04X}") for c in ZERO_WIDTH],
    pytest.param({"text": " \u200b\u2060 \ufeff\n"}, "text", "empty text", id="invisible-and-spaces"),
    *[pytest.param({"id": f"a{c}b", "text": "Troops fled."}, "id", f"U+{ord(c):04X}", id=f"id-U+{ord(c):04X}")
      for c in "\n\r\t\x00\x1b\x7f\x85"],
    pytest.param({"id": "afp-1\n", "text": "Troops fled."}, "id", "control character", id="id-trailing-newline"),
]


@pytest.mark.parametrize("record, field, says", BAD)
def test_from_record_refuses_it_naming_the_field(record, field, says):
    with pytest.raises(InputError, match=re.escape(says)) as refused:
        Statement.from_record(record)
    assert refused.value.field == field


@pytest.mark.parametrize("record, field, says", BAD)
def test_a_corpus_file_reports_it_as_a_bad_line_with_the_same_message(record, field, says, tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"text": "A good line."}) + "\n" + json.dumps(record) + "\n", encoding="utf-8")
    read = read_corpus([corpus])
    (problem,) = read.problems
    with pytest.raises(InputError) as refused:
        Statement.from_record(record)
    assert problem.line == 2 and problem.message == str(refused.value) and len(read.statements) == 1


@pytest.mark.parametrize("record", [
    {"text": "Troops fled.", "date": "2020-02-29"}, {"text": "Troops fled.", "date": "2021-07-05T23:59:59+05:30"},
    {"text": "Troops\u200b fled."}, {"id": "afp 1/é", "text": "Troops fled."}, {"id": 7, "text": "Troops fled."},
], ids=["leap-day", "time-and-offset", "text-with-a-zero-width-space", "id-with-space-slash-accent", "id-number"])
def test_real_dates_visible_text_and_printable_ids_are_still_accepted(record):
    assert Statement.from_record(record).text


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    path = tmp_path_factory.mktemp("rules") / "idx"
    Verifier.build(path, [DEMO], encoder=FakeEncoder())
    app = make_app(Verifier.open(path, encoder=FakeEncoder()), tmp_path_factory.mktemp("rules-web"), api_token="t")
    return app.test_client()


AUTH = {"Authorization": "Bearer t"}


@pytest.mark.parametrize("record, field, says", BAD)
def test_the_api_answers_400_naming_the_field_and_adds_nothing(api, record, field, says):
    before = api.get("/api/v1/health").get_json()["statements"]
    response = api.post("/api/v1/statements", json={"statements": [{"text": "A good one."}, record]}, headers=AUTH)
    assert response.status_code == 400, response.get_json()
    error = response.get_json()["error"]
    assert error["field"] == f"statements[1].{field}" and error["message"].startswith(f"statements[1].{field}: ")
    assert says in error["message"]
    assert api.get("/api/v1/health").get_json()["statements"] == before


def test_an_id_the_api_accepts_can_be_fetched_back(api):
    new = {"id": "rfe 2021/07/06 é", "text": "Uzbekistan closed its border with Afghanistan.", "date": "2020-02-29"}
    assert api.post("/api/v1/statements", json={"statements": [new]}, headers=AUTH).status_code == 201
    fetched = api.get("/api/v1/statements/rfe 2021/07/06 é")
    assert fetched.status_code == 200 and fetched.get_json()["date"] == "2020-02-29"
