"""Highlighting: the figures, dates and names a check compared, marked in the claim and in the statement.

Findings give character spans into both texts. Spans may overlap (a date inside a sentence-long polarity
span, one number matched by two findings), and nested or crossing `<mark>` tags would break the markup,
so the text is cut at every span boundary and each piece covered by one or more spans becomes one flat
`<mark>`: "inconsistent" if any covering finding disagrees, else "consistent", with every covering
reason in its title and `aria-describedby` pointing at the reasons listed beside the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from verifier.checks.findings import Finding, Kind, Outcome, Span

MARKED = (Outcome.CONSISTENT, Outcome.INCONSISTENT)


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    outcome: Outcome
    reason: str
    ref: str  # id of the element that states the reason


def marked_findings(findings: tuple[Finding, ...]) -> list[tuple[int, Finding]]:
    """The findings worth highlighting (agreements and conflicts), with their position in the list."""
    return [(i, f) for i, f in enumerate(findings) if f.outcome in MARKED and f.kind is not Kind.READING]


def marks(text: str, findings: list[tuple[int, Finding]], side: str, prefix: str) -> list[Mark]:
    """Marks for one side ("claim" or "statement") of the findings, keeping only spans that fit the text."""
    out = []
    for i, f in findings:
        span: Span | None = f.claim_span if side == "claim" else f.statement_span
        if span and 0 <= span.start < span.end <= len(text) and text[span.start:span.end] == span.text:
            out.append(Mark(span.start, span.end, f.outcome, f.reason, f"{prefix}-{i}"))
    return out


def highlight(text: str, found: list[Mark]) -> Markup:
    """The text, escaped, with flat non-overlapping <mark> elements for the given marks."""
    cuts = sorted({0, len(text), *(m.start for m in found), *(m.end for m in found)})
    pieces: list[tuple[str, tuple[Mark, ...]]] = []
    for a, b in zip(cuts, cuts[1:]):
        cover = tuple(m for m in found if m.start <= a and b <= m.end)
        if pieces and pieces[-1][1] == cover:
            pieces[-1] = (pieces[-1][0] + text[a:b], cover)
        else:
            pieces.append((text[a:b], cover))
    return Markup("").join(_piece(chunk, cover) for chunk, cover in pieces)


def _piece(chunk: str, cover: tuple[Mark, ...]) -> Markup:
    if not cover or not chunk.strip():
        return escape(chunk)
    outcome = Outcome.INCONSISTENT if any(m.outcome is Outcome.INCONSISTENT for m in cover) else Outcome.CONSISTENT
    reasons = "; ".join(dict.fromkeys(m.reason for m in cover))
    refs = " ".join(dict.fromkeys(m.ref for m in cover))
    return Markup('<mark class="{}" title="{}" aria-describedby="{}">{}</mark>').format(
        outcome.value, reasons, refs, chunk
    )
