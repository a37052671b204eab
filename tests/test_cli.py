import json

import pytest
from click.testing import CliRunner

from verifier.cli import _load_plugins, cli

from conftest import DEMO


def all_commands():
    _load_plugins()
    return sorted(cli.commands)


@pytest.mark.parametrize("name", all_commands())
def test_every_command_has_help_with_an_example(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output and "verifier " in result.output


def test_unknown_setting_is_a_clear_error():
    result = CliRunner().invoke(cli, ["--set", "nonsense=1", "settings"])
    assert result.exit_code != 0 and "unknown setting 'nonsense'" in result.output


def test_settings_lists_every_knob_with_help():
    result = CliRunner().invoke(cli, ["--set", "top_k=5", "settings", "--json"])
    rows = {r["name"]: r for r in json.loads(result.output)}
    assert rows["top_k"]["value"] == 5 and rows["top_k"]["default"] == 10 and rows["top_k"]["help"]


def test_check_on_a_missing_index_says_how_to_build_one(tmp_path):
    result = CliRunner().invoke(cli, ["check", "claim", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1 and "verifier index" in result.output


@pytest.mark.parametrize("current", [None, "", "gen-000009", "../x"])
def test_index_append_into_a_folder_with_a_broken_current_exits_2_saying_how_to_repair_it(tmp_path, current):
    index = tmp_path / "idx"
    (index / "gen-000001").mkdir(parents=True)
    (index / "gen-000001" / "statements.sqlite").write_bytes(b"old statements")
    if current is not None:
        (index / "CURRENT").write_text(current)
    result = CliRunner().invoke(cli, ["index", str(DEMO), "--index", str(index), "--append", "--quiet"])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output and f"the index at {index} is damaged" in result.output
    assert "echo gen-000001 >" in result.output
    assert (index / "gen-000001" / "statements.sqlite").read_bytes() == b"old statements"
    assert sorted(p.name for p in index.iterdir() if p.name.startswith("gen-")) == ["gen-000001"]


@pytest.mark.model
def test_index_check_and_info_on_the_demo_corpus(tmp_path):
    runner = CliRunner()
    index = str(tmp_path / "idx")
    built = runner.invoke(cli, ["index", str(DEMO), "--index", index])
    assert built.exit_code == 0, built.output
    assert "Indexed 16 statements" in built.output

    checked = runner.invoke(cli, ["check", "Over 1,000 Afghan troops fled into Tajikistan", "--index", index, "--json"])
    assert checked.exit_code == 0, checked.output
    result = json.loads(checked.output)
    assert result["verdict"] == "supported" and 0 < result["confidence"] <= 1
    top = result["evidence"][0]
    assert top["statement"]["id"] == "afp-2021-07-05-01" and top["stance"] == "supports"
    assert any(f["kind"] == "number" and f["outcome"] == "consistent" for f in top["findings"])
    assert any(r["statement_id"] == "afp-2021-07-05-01" for r in result["reasons"])

    text = runner.invoke(cli, ["check", "2,000 Afghan troops fled into Tajikistan", "--index", index, "-k", "3"])
    assert "Verdict:    contradicted" in text.output
    assert 'claim "2,000" contradicts source "1,037"' in text.output and "2021-07-05" in text.output

    info = runner.invoke(cli, ["info", "--index", index])
    assert "Statements:  16" in info.output and "claim-verifier/all-MiniLM-L6-v2-claims" in info.output and "dim 384" in info.output


@pytest.mark.model
def test_index_reports_malformed_lines_and_strict_refuses(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Good statement here."}\n{broken\n')
    runner = CliRunner()
    lenient = runner.invoke(cli, ["index", str(bad), "--index", str(tmp_path / "a")])
    assert lenient.exit_code == 0 and "bad.jsonl:2" in lenient.output and "skipped 1 malformed" in lenient.output
    strict = runner.invoke(cli, ["index", str(bad), "--index", str(tmp_path / "b"), "--strict"])
    assert strict.exit_code == 1 and "bad.jsonl:2" in strict.output
    assert not (tmp_path / "b" / "CURRENT").exists()


@pytest.mark.model
def test_index_reads_an_html_article(tmp_path):
    """trafilatura's jusText needs lxml_html_clean, which nothing else pulls in: a declared dependency."""
    page = tmp_path / "page.html"
    page.write_text("""<html><head><title>Troops flee</title>
      <meta property="og:site_name" content="Example News"></head>
      <body><nav>Home | World</nav><article><h1>Troops flee</h1>
      <p>Over 1,000 Afghan troops fled into Tajikistan, officials said on Monday.</p>
      <p>The committee put the figure at 1,037 soldiers.</p></article></body></html>""", encoding="utf-8")
    runner = CliRunner()
    index = str(tmp_path / "idx")
    built = runner.invoke(cli, ["index", str(page), "--index", index])
    assert built.exit_code == 0, built.output
    assert "Indexed 2 statements" in built.output
    found = runner.invoke(cli, ["check", "1,037 soldiers fled into Tajikistan", "--index", index, "--json"])
    assert "Example News" in found.output


def test_check_with_a_claim_that_is_not_utf8_is_one_line_and_exit_code_2(tmp_path):
    """`verifier check $'\\xff troops'`: Python hands the byte over as U+DCFF (surrogateescape)."""
    result = CliRunner().invoke(cli, ["check", "\udcff troops", "--index", str(tmp_path / "none")])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert "not valid UTF-8: the byte 0xFF at character 0" in result.output


def test_index_of_a_corpus_without_one_valid_record_shows_each_problem_exits_2_and_keeps_the_old_index(tmp_path):
    from fakes import FakeEncoder

    from verifier import Verifier

    index = tmp_path / "idx"
    Verifier.build(index, [DEMO], encoder=FakeEncoder())
    before = (index / "CURRENT").read_text()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{broken\n{"text": ""}\n{"text": "half \\ud800 a pair"}\n')
    result = CliRunner().invoke(cli, ["index", str(bad), "--index", str(index), "--quiet"])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output and "AttributeError" not in result.output
    for line in (1, 2, 3):
        assert f"skipped {bad}:{line}: " in result.output
    assert "no valid statements to index" in result.output
    assert (index / "CURRENT").read_text() == before
    assert Verifier.open(index, encoder=FakeEncoder()).info().count == 16
