"""Highlighting findings in text: escaped, flat (never nested) marks, reasons attached."""

import re

from verifier.checks.findings import Finding, Kind, Outcome, Span

from web.highlight import Mark, highlight, marked_findings, marks


def finding(outcome, claim, statement=None, reason="why"):
    return Finding(Kind.NUMBER, outcome, reason, claim, statement)


def test_text_without_marks_is_escaped_only():
    assert str(highlight("a < b & <script>", [])) == "a &lt; b &amp; &lt;script&gt;"


def test_a_conflicting_number_is_marked_with_its_reason_in_the_title():
    text = "2,000 troops fled"
    out = str(highlight(text, [Mark(0, 5, Outcome.INCONSISTENT, 'claim "2,000" contradicts "1,037"', "f-0")]))
    assert out == ('<mark class="inconsistent" title="claim &#34;2,000&#34; contradicts &#34;1,037&#34;" '
                   'aria-describedby="f-0">2,000</mark> troops fled')


def test_overlapping_spans_become_flat_marks_and_conflict_wins():
    text = "in early May 2021 they fled"
    found = [Mark(3, 17, Outcome.CONSISTENT, "date ok", "f-0"), Mark(9, 17, Outcome.INCONSISTENT, "month differs", "f-1")]
    out = str(highlight(text, found))
    assert "<mark" not in re.sub(r"<mark[^>]*>[^<]*</mark>", "", out)  # no mark inside another
    assert out.count("<mark") == 2
    assert '<mark class="consistent" title="date ok" aria-describedby="f-0">early </mark>' in out
    assert 'class="inconsistent" title="date ok; month differs" aria-describedby="f-0 f-1">May 2021</mark>' in out
    assert re.sub(r"<[^>]+>", "", out) == text


def test_crossing_spans_keep_every_character_once():
    text = "abcdefghij"
    found = [Mark(1, 6, Outcome.CONSISTENT, "x", "a"), Mark(4, 9, Outcome.CONSISTENT, "y", "b")]
    out = str(highlight(text, found))
    assert re.sub(r"<[^>]+>", "", out) == text
    assert out.count("<mark") == 3 and out.count("</mark>") == 3


def test_user_text_inside_a_mark_is_escaped():
    text = "<b>1,000</b> troops"
    out = str(highlight(text, [Mark(0, 12, Outcome.CONSISTENT, '<i>"reason"</i>', "f")]))
    assert "<b>" not in out and "<i>" not in out and "&lt;b&gt;1,000&lt;/b&gt;" in out


def test_spans_that_do_not_fit_the_text_are_ignored():
    text = "1,037 troops"
    found = marked_findings((
        finding(Outcome.CONSISTENT, Span(0, 5, "1,037"), Span(0, 5, "1,037")),
        finding(Outcome.CONSISTENT, Span(3, 40, "far too long"), None),
        finding(Outcome.CONSISTENT, Span(0, 5, "2,000"), None),
    ))
    assert [m.ref for m in marks(text, found, "claim", "e1")] == ["e1-0"]


def test_only_agreements_and_conflicts_are_marked():
    both = Span(0, 3, "one")
    found = marked_findings(tuple(finding(o, both, both) for o in Outcome))
    assert [f.outcome for _, f in found] == [Outcome.CONSISTENT, Outcome.INCONSISTENT]
    assert [m.ref for m in marks("one", found, "statement", "e")] == ["e-0", "e-1"]

