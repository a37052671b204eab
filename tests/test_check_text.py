"""Checking a whole text: which sentences are chosen, Markdown and HTML read as prose (in corpus articles and in
`check-text` input alike), and the three surfaces (CLI, API, page) with their size limits."""

import json

import pytest

from verifier import InputError, TextTooLarge
from verifier.ingest import read_corpus
from verifier.ingest.document import read_document
from verifier.textcheck import checkable

from conftest import make_app

ARTICLE_MD = """---
source: AFP
date: 2021-07-05
---
# Troops flee the **Taliban**

Over 1,000 [Afghan troops](https://example.org/troops) fled into *Tajikistan*, officials
said on 5 July 2021.

## At the border

- The committee put the figure at `1,037` soldiers.
- Russia said it was ~~not~~ watching.

> "We will not abandon our posts," a commander said.

```
code = "not prose: 42 lines"
```

| a | b |
|---|---|
| 3 | 4 |
"""


# --- Markdown and HTML read as text ----------------------------------------------------------------------
def test_markdown_article_headings_are_context_not_statements_and_no_markup_is_left(write):
    statements = read_corpus([write("a.md", ARTICLE_MD)]).statements
    texts = [s.text for s in statements]
    assert texts == [
        "Over 1,000 Afghan troops fled into Tajikistan, officials said on 5 July 2021.",
        "The committee put the figure at 1,037 soldiers.",
        "Russia said it was watching.",
        '"We will not abandon our posts," a commander said.',
    ]
    assert not any(mark in t for t in texts for mark in ("#", "**", "*", "[", "](", "`", "~~", "- ", "|", "code ="))
    first, committee = statements[0], statements[1]
    assert first.context.startswith("Troops flee the Taliban\n")
    assert committee.context.startswith("Troops flee the Taliban › At the border\n")
    assert "Over 1,000" not in committee.context  # the window stays within its own section
    assert first.title == "Troops flee the Taliban" and first.source == "AFP"  # the H1 is the title; front matter kept


def test_front_matter_title_wins_over_the_first_heading(write):
    path = write("a.md", "---\ntitle: Given title\n---\n# Heading\n\nSome 1,037 troops fled into Tajikistan.\n")
    assert read_corpus([path]).statements[0].title == "Given title"


def test_html_headings_become_sections_of_the_paragraphs_below():
    html = """<html><head><title>T</title></head><body><article><h1>Troops flee</h1>
      <p>Over 1,000 Afghan troops fled into <b>Tajikistan</b> on <a href="x">Monday</a>, officials said.</p>
      <h2>At the border</h2><p>The committee put the figure at 1,037 soldiers.</p>
      <ul><li>One list item names 5 people in Kabul.</li></ul></article></body></html>"""
    doc = read_document(html, "html")
    headings = [(b.text, b.level) for b in doc.blocks if b.kind == "heading"]
    assert headings == [("Troops flee", 1), ("At the border", 2)]
    by_text = {s.text: s.section for s in doc.sentences}
    assert by_text["Over 1,000 Afghan troops fled into Tajikistan on Monday, officials said."] == "Troops flee"
    assert by_text["One list item names 5 people in Kabul."] == "Troops flee › At the border"


def test_pasted_html_markup_is_read_whole_with_its_headings():
    doc = read_document("<h2>Border</h2><p>Some <b>1,037</b> troops fled.</p><ul><li>One <i>list</i> item."
                        "<ul><li>A nested one.</li></ul></li></ul><script>var x = 'no prose';</script>", "html")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "Border"), ("paragraph", "Some 1,037 troops fled."), ("paragraph", "One list item."),
        ("paragraph", "A nested one."),
    ]
    assert {s.section for s in doc.sentences} == {"Border"}


def test_plain_text_keeps_every_character_and_joins_hard_wrapped_lines():
    doc = read_document("# not a heading in plain text\n\n**Over** 1,000 troops\nfled. Then more.\n", "text")
    assert [s.text for s in doc.sentences] == ["# not a heading in plain text", "**Over** 1,000 troops fled.", "Then more."]
    assert all(b.kind == "paragraph" for b in doc.blocks)


# --- which sentences are chosen --------------------------------------------------------------------------
@pytest.mark.parametrize("sentence, features", [
    ("Over 1,000 Afghan troops fled into Tajikistan.", {"figure", "place"}),
    ("The offensive began in early May 2021 in the north.", {"date"}),
    ("President Joe Biden ordered the troops home.", {"person"}),
    ("Unemployment is now higher than it was a decade ago.", {"comparison"}),
    ('He promised that "every soldier will come home safely" soon.', {"quote"}),
])
def test_a_sentence_with_a_figure_date_name_comparison_or_quote_is_chosen(sentence, features):
    assert features <= set(checkable(sentence))


@pytest.mark.parametrize("sentence", [
    "The weather was nice and we all went home early.",   # nothing a corpus could confirm
    "Did 1,000 Afghan troops flee into Tajikistan?",      # a question asserts nothing
    "July 5, 2021",                                       # a dateline
    "It is rather than ever before, said nobody here.",   # "rather than" is no comparison
])
def test_a_sentence_without_anything_checkable_is_not_chosen(sentence):
    assert checkable(sentence) == ()


# --- the library ---------------------------------------------------------------------------------------
SHORT = "# Border\n\nOver 2,000 Afghan troops fled into Tajikistan. The weather was nice and we went home.\n"


def test_check_text_checks_only_the_chosen_sentences_in_one_batch(fake_verifier, monkeypatch):
    batches = []
    real = fake_verifier.check_many
    monkeypatch.setattr(fake_verifier, "check_many", lambda claims, k=None, *a, **kw: batches.append(list(claims)) or real(claims, k))
    result = fake_verifier.check_text(SHORT + "\nRussia operates a military base in Tajikistan.\n", "markdown")
    assert batches == [["Over 2,000 Afghan troops fled into Tajikistan.", "Russia operates a military base in Tajikistan."]]
    assert [s.checked for s in result.sentences] == [True, False, True]
    assert result.sentences[0].section == "Border" and result.sentences[0].checkable == ("figure", "place")
    assert result.summary.startswith("2 sentences checked: ")
    assert result.counts()["sentences"] == 3 and result.counts()["chosen"] == 2


def test_a_chosen_sentence_too_long_to_be_a_claim_is_reported_not_dropped(fake_verifier):
    v = fake_verifier.configure(max_claim_chars=60)
    long = "Over 1,000 Afghan troops fled into Tajikistan after clashes with the Taliban overnight."
    result = v.check_text(f"{long} Some 1,037 troops fled.", "text")
    first = result.sentences[0]
    assert first.result is None and "limit is 60" in first.error and first.checkable
    assert "1 could not be checked" in result.summary and result.sentences[1].checked


def test_a_text_with_nothing_checkable_says_so(fake_verifier):
    result = fake_verifier.check_text("The weather was nice. We went home and slept.", "text")
    assert result.counts()["checked"] == 0 and result.summary.startswith("No sentence checked: none of the 2 sentences")


@pytest.mark.parametrize("changes, text, error, field", [
    ({"max_text_chars": 50}, "Over 1,000 Afghan troops fled into Tajikistan on 5 July 2021.", TextTooLarge, "text"),
    ({"max_text_sentences": 1}, "Some 1,000 troops fled. Some 1,037 troops fled in July 2021.", TextTooLarge, "text"),
    ({}, "   \n", InputError, "text"),
    ({}, "---\n: [\n---\nSome 1,000 troops fled.", InputError, "text"),
])
def test_limits_and_bad_texts_are_input_errors_naming_the_field(fake_verifier, changes, text, error, field):
    with pytest.raises(error) as caught:
        fake_verifier.configure(**changes).check_text(text, "markdown")
    assert caught.value.field == field


# --- the API -------------------------------------------------------------------------------------------
def test_the_api_returns_every_sentence_and_the_checked_ones_results(fake_client):
    response = fake_client.post("/api/v1/check/text", json={"text": SHORT, "format": "markdown", "top_k": 3})
    body = response.get_json()
    assert response.status_code == 200
    assert body["blocks"][0] == {"kind": "heading", "text": "Border", "level": 1}
    assert body["blocks"][1]["sentences"] == [0, 1]
    first, second = body["sentences"]
    assert first["checkable"] == ["figure", "place"] and first["result"]["claim"] == first["text"]
    assert len(first["result"]["evidence"]) == 3
    assert second["checkable"] == [] and second["result"] is None
    assert body["counts"]["checked"] == 1 and body["summary"].startswith("1 sentence checked: ")


@pytest.mark.parametrize("settings, payload, status, field", [
    ({"max_text_chars": 40}, {"text": "Over 1,000 Afghan troops fled into Tajikistan."}, 413, "text"),
    ({"max_text_sentences": 1}, {"text": "Some 1,000 troops fled. Some 1,037 troops fled."}, 413, "text"),
    ({"max_body_bytes": 200}, {"text": "x " * 200}, 413, None),
    ({}, {"text": ""}, 400, "text"),
    ({}, {"text": "Some 1,000 troops fled.", "format": "pdf"}, 400, "format"),
    ({}, {"text": 5}, 400, "text"),
])
def test_api_limits_and_bad_input_answer_the_one_json_error_shape(fake_verifier, tmp_path, settings, payload, status, field):
    client = make_app(fake_verifier, tmp_path, **settings).test_client()
    response = client.post("/api/v1/check/text", json=payload)
    error = response.get_json()["error"]
    assert response.status_code == status
    assert error["code"] == ("payload_too_large" if status == 413 else "invalid_input")
    assert error.get("field") == field and error["message"]


# --- the page ------------------------------------------------------------------------------------------
def test_the_text_page_is_in_the_menu_and_is_an_accessible_form(fake_client):
    page = fake_client.get("/").get_data(as_text=True)
    assert 'href="/text"' in page and "Check a text" in page
    form = fake_client.get("/text").get_data(as_text=True)
    assert '<label for="text">' in form and '<label for="file">' in form and 'aria-current="page"' in form


def test_pasted_text_is_shown_with_checked_sentences_marked_and_linked_to_their_results(fake_client):
    response = fake_client.post("/text", data={"text": SHORT, "format": "markdown"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "1 sentence checked: " in page
    assert '<h3 class="section-heading level-1">Border</h3>' in page
    assert 'id="s1" href="#r1">Over 2,000 Afghan troops fled into Tajikistan.' in page
    assert '<li id="r1" value="1">' in page and 'href="#s1">Back to the text' in page
    assert '<span class="sentence-plain" id="s2">The weather was nice and we went home.</span>' in page
    assert "# Border" not in page.split("</textarea>")[1]  # read as Markdown, not shown as its source


def test_an_uploaded_markdown_file_is_read_by_its_extension(fake_client):
    import io

    data = {"file": (io.BytesIO(ARTICLE_MD.encode()), "article.md"), "format": "text"}
    page = fake_client.post("/text", data=data, content_type="multipart/form-data").get_data(as_text=True)
    assert "Troops flee the Taliban</h3>" in page and "**" not in page.split("</textarea>")[1]


@pytest.mark.parametrize("settings, data, status, words", [
    ({"max_text_chars": 40}, {"text": "Over 1,000 Afghan troops fled into Tajikistan."}, 413, "max_text_chars"),
    ({"max_upload_bytes": 300}, {"text": "x " * 300}, 413, "max_upload_bytes"),
    ({}, {"text": "  "}, 400, "text is empty"),
])
def test_page_limits_and_bad_input_are_readable_pages(fake_verifier, tmp_path, settings, data, status, words):
    client = make_app(fake_verifier, tmp_path, **settings).test_client()
    response = client.post("/text", data=data)
    assert response.status_code == status and response.mimetype == "text/html"
    assert words in response.get_data(as_text=True)


def test_an_upload_that_is_not_text_markdown_or_html_is_a_400(fake_client):
    import io

    data = {"file": (io.BytesIO(b"%PDF-1.4"), "a.pdf")}
    response = fake_client.post("/text", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and "upload a .txt, .md or .html file" in response.get_data(as_text=True)


# --- the command line (real model) -----------------------------------------------------------------------
@pytest.mark.model
def test_check_text_cli_marks_a_wrong_figure_contradicted(runner, demo_index, write):
    from verifier.cli import cli

    path = write("a.md", "# At the border\n\n2,000 Afghan troops fled into Tajikistan.\n\nWe went home and slept.\n")
    result = runner.invoke(cli, ["check-text", str(path), "--index", str(demo_index)])
    assert result.exit_code == 0, result.output
    assert "[  1] contradicted" in result.output and "chosen for: figure, place" in result.output
    assert "# At the border" in result.output and "  ·  We went home and slept." in result.output
    assert result.output.rstrip().endswith("1 sentence checked: 1 contradicted")
    as_json = runner.invoke(cli, ["check-text", "-", "--index", str(demo_index), "--json"],
                            input="<p>2,000 Afghan troops fled into Tajikistan.</p>")
    body = json.loads(as_json.output)
    assert body["sentences"][0]["result"]["verdict"] == "contradicted" and body["counts"]["contradicted"] == 1


def test_check_text_cli_refuses_bad_input_with_exit_code_2(runner, tmp_path, write):
    from verifier.cli import cli

    index = str(tmp_path / "none")
    cases = [
        (["check-text", str(write("a.pdf", "x")), "--index", index], "cannot tell the format"),
        (["check-text", str(tmp_path / "missing.txt"), "--index", index], "No such file"),
    ]
    latin1 = tmp_path / "l.txt"
    latin1.write_bytes("caf\xe9 troops".encode("latin-1"))
    cases.append((["check-text", str(latin1), "--index", index], "not UTF-8"))
    for args, words in cases:
        result = runner.invoke(cli, args)
        assert result.exit_code == 2 and words in result.output, result.output


@pytest.mark.model
def test_check_text_cli_over_the_size_limit_exits_2_naming_the_setting(runner, demo_index, write):
    from verifier.cli import cli

    path = write("a.txt", "Over 1,000 Afghan troops fled into Tajikistan. " * 3)
    result = runner.invoke(cli, ["--set", "max_text_chars=50", "check-text", str(path), "--index", str(demo_index)])
    assert result.exit_code == 2 and "max_text_chars" in result.output

