import json

import pytest

from verifier import CorpusError, Settings, Statement
from verifier.ingest import read_corpus
from verifier.ingest.articles import split_sentences
from verifier.statement import statement_id

from conftest import DEMO


def read(*paths, strict=False):
    return read_corpus([str(p) for p in paths], Settings(), strict=strict)


# --- JSONL -------------------------------------------------------------------------------------------
def test_demo_corpus_reads_without_problems():
    result = read(DEMO)
    assert not result.problems
    assert len(result.statements) == len(DEMO.read_text().splitlines())
    first = result.statements[0]
    assert "1,037" in first.text and first.publisher == "AFP" and first.date == "2021-07-05"


def test_jsonl_keeps_given_id_and_extra_fields_as_meta(write):
    path = write("c.jsonl", [{"id": "x1", "text": "Water boils at 100 C.", "source": "Lab", "lang": "en"}])
    (s,) = read(path).statements
    assert s.id == "x1" and s.source == "Lab" and s.meta["lang"] == "en"
    assert s.meta["origin"] == "c.jsonl:1"


def test_missing_id_is_a_stable_hash_of_text_and_source(write):
    path = write("c.jsonl", [{"text": "Water  boils at 100 C.", "source": "Lab"}])
    (s,) = read(path).statements
    assert s.id == statement_id("Water boils at 100 C.", "Lab")
    assert s.id != statement_id("Water boils at 100 C.", "Other lab")


def test_malformed_jsonl_line_names_file_and_line_and_the_rest_loads(write):
    path = write("c.jsonl", [
        {"text": "First good statement."},
        '{"text": "broken',
        "[1, 2]",
        {"source": "no text"},
        {"text": "   "},
        {"text": "Bad date here.", "date": "5 July 2021"},
        {"text": "Last good statement."},
    ])
    result = read(path)
    assert [s.text for s in result.statements] == ["First good statement.", "Last good statement."]
    lines = [(p.line, p.path.endswith("c.jsonl")) for p in result.problems]
    assert lines == [(2, True), (3, True), (4, True), (5, True), (6, True)]
    assert "invalid JSON" in result.problems[0].message
    assert "empty text" in result.problems[3].message
    assert "ISO 8601" in result.problems[4].message


def test_strict_refuses_a_file_with_a_malformed_line(write):
    path = write("c.jsonl", [{"text": "Good."}, "{oops"])
    with pytest.raises(CorpusError) as err:
        read(path, strict=True)
    assert err.value.line == 2 and "c.jsonl" in str(err.value)


def test_non_utf8_line_is_a_problem_not_a_crash(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'{"text": "ok one"}\n{"text": "caf\xe9"}\n{"text": "ok two"}\n')
    result = read(path)
    assert len(result.statements) == 2 and result.problems[0].line == 2


# --- CSV ---------------------------------------------------------------------------------------------
def test_csv_reads_text_column_with_quoted_commas_and_newlines(write):
    path = write("c.csv", 'text,source,date,topic\n"Over 1,000 troops fled, officials said.",AFP,2021-07-05,war\n'
                          '"A statement\nover two lines.",Reuters,,\n')
    a, b = read(path).statements
    assert a.text == "Over 1,000 troops fled, officials said." and a.source == "AFP" and a.meta["topic"] == "war"
    assert b.text == "A statement over two lines." and b.date == ""


def test_csv_without_text_column_is_reported(write):
    path = write("c.csv", "claim,source\nsomething,AFP\n")
    result = read(path)
    assert not result.statements
    assert result.problems[0].line == 1 and "no 'text' column" in result.problems[0].message


def test_csv_row_with_too_many_fields_names_its_line(write):
    path = write("c.csv", 'text,source\n"Good one.",AFP\n"Bad one.",AFP,extra\n"Multi\nline.",AFP\n"After.",AFP\n')
    result = read(path)
    assert [s.text for s in result.statements] == ["Good one.", "Multi line.", "After."]
    (problem,) = result.problems
    assert problem.line == 3 and "3 fields" in problem.message


def test_tsv_is_read_with_tabs(write):
    path = write("c.tsv", "id\ttext\n7\tTabs separate, commas do not.\n")
    (s,) = read(path).statements
    assert s.id == "7" and s.text == "Tabs separate, commas do not."


# --- articles ----------------------------------------------------------------------------------------
ARTICLE = """---
title: Troops cross the border
source: AFP
date: 2021-07-05
---
Over 1,000 Afghan troops fled into Tajikistan. The U.S. Army was not involved, officials said.

Dr. Rahimov said the figure was 1,037. Short.
"""


def test_text_article_front_matter_gives_every_sentence_its_metadata(write):
    path = write("a.txt", ARTICLE)
    result = read(path)
    texts = [s.text for s in result.statements]
    assert texts == [
        "Over 1,000 Afghan troops fled into Tajikistan.",
        "The U.S. Army was not involved, officials said.",
        "Dr. Rahimov said the figure was 1,037.",
    ]
    assert all(s.source == "AFP" and s.date == "2021-07-05" and s.title == "Troops cross the border"
               for s in result.statements)


def test_article_statement_keeps_neighbouring_sentences_as_context(write):
    path = write("a.txt", ARTICLE)
    middle = read(path).statements[1]
    assert middle.context.startswith("Over 1,000 Afghan troops fled into Tajikistan.")
    assert middle.context.endswith("Dr. Rahimov said the figure was 1,037.")


def test_sidecar_metadata_overrides_front_matter(write):
    path = write("a.txt", ARTICLE)
    write("a.meta.json", json.dumps({"source": "Reuters", "url": "https://example.org/a"}))
    s = read(path).statements[0]
    assert s.source == "Reuters" and s.url == "https://example.org/a" and s.date == "2021-07-05"


def test_html_article_is_stripped_of_navigation_and_keeps_page_metadata(write):
    path = write("a.html", """<html><head><title>Troops flee</title>
      <meta property="og:site_name" content="Example News">
      <meta property="article:published_time" content="2021-07-05T10:00:00Z"></head>
      <body><nav>Home | World | Sport</nav><article><h1>Troops flee</h1>
      <p>Over 1,000 Afghan troops fled into Tajikistan, officials said on Monday.</p>
      <p>The committee put the figure at 1,037 soldiers.</p></article>
      <footer>Copyright Example News</footer></body></html>""")
    statements = read(path).statements
    texts = [s.text for s in statements]
    assert "Over 1,000 Afghan troops fled into Tajikistan, officials said on Monday." in texts
    assert "The committee put the figure at 1,037 soldiers." in texts
    assert not any("Home" in t or "Copyright" in t for t in texts)
    assert all(s.publisher == "Example News" and s.date == "2021-07-05" for s in statements)


def test_sentence_splitter_keeps_abbreviations_and_joins_hard_wrapped_lines():
    text = "Dr. Smith met the U.S. envoy in Jan. 2021 and\nsaid 1.5 million people left. Then he went home."
    assert split_sentences(text) == [
        "Dr. Smith met the U.S. envoy in Jan. 2021 and said 1.5 million people left.",
        "Then he went home.",
    ]


def test_unknown_extension_is_refused_before_reading_anything(write):
    good = write("c.jsonl", [{"text": "Fine."}])
    bad = write("c.pdf", "binary")
    with pytest.raises(CorpusError, match=r"unknown corpus format \.pdf"):
        read(good, bad)


def test_statement_round_trips_through_dict():
    s = Statement(text="A  b.", source="X", meta={"k": 1})
    assert Statement.from_mapping(s.to_dict()) == s


@pytest.mark.parametrize("line, words", [
    ('{"text": "Troops \\ud800 fled."}', "'text' holds the lone surrogate U+D800"),
    ('{"text": "Troops fled.", "id": "\\udcff"}', "'id' holds the lone surrogate U+DCFF"),
    ('{"text": "Troops fled.", "meta": {"k": ["\\ud800"]}}', "'meta.k[0]' holds the lone surrogate"),
    ('{"text": "Troops fled.", "\\ud800": 1}', "the field name '\\ud800'"),
    ('{"text": "Troops fled.", "x": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deep"),
    ('{"text": "Troops fled.", "x": ' + "[" * 200 + "]" * 200 + "}", "deeper than 100 levels"),
])
def test_a_record_that_is_not_text_is_skipped_with_file_and_line_not_a_crash(write, line, words):
    """A lone surrogate (a JSON escape of half a pair) aborted the whole build when the statement was stored;
    a line nested too deep raised RecursionError. Both are now bad records like any other."""
    path = write("c.jsonl", ['{"text": "First statement."}', line, '{"text": "Third statement."}'])
    corpus = read(path)
    assert [s.text for s in corpus.statements] == ["First statement.", "Third statement."]
    [problem] = corpus.problems
    assert problem.line == 2 and problem.path == str(path) and words in problem.message, problem.message
    str(problem).encode("utf-8")  # printable: the message shows the surrogate escaped, never itself
