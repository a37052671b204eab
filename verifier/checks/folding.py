"""Every check reads folded text (`verifier.text.fold`) and reports the text as written.

Sources write "COVID‐19" with U+2010, "−3 °C" with U+2212 and "0·22" with a middle-dot decimal point; the
checks' patterns only know "-" and ".". `fold` swaps one character for one, so a check can run on the folded
texts and its offsets still point into the originals: these helpers put the original characters back into
what a check returns (spans, the span dicts in `details`, the quoted names in a reason).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Iterable, Mapping, TypeVar

from ..text import fold
from .findings import Finding, Span

__all__ = ["fold", "restore_findings", "restore_mentions", "restore_span"]

T = TypeVar("T")

_CLAIM, _STATEMENT = "claim", "statement"
_STATEMENT_KEYS = ("statement", "source", "rivals", "other_roles", "not_a_conflict")


def restore_span(span: Span | None, original: str) -> Span | None:
    """`span` (found in the folded text) with the text as written in `original`."""
    if span is None or original[span.start : span.end] == span.text:
        return span
    return Span(span.start, span.end, original[span.start : span.end])


def restore_mentions(mentions: tuple[T, ...], original: str) -> tuple[T, ...]:
    """Mentions (entities, quantities, dates: anything with a `span`) extracted from `fold(original)`, with
    their spans as written in `original`."""
    if fold(original) == original:
        return mentions
    return tuple(dataclasses.replace(m, span=restore_span(m.span, original)) for m in mentions)  # type: ignore[attr-defined]


def restore_findings(findings: Iterable[Finding], claim: str, statement: str) -> tuple[Finding, ...]:
    """Findings of a check run on `fold(claim)` and `fold(statement)`, as if it had read the texts as written."""
    findings = tuple(findings)
    folded = {_CLAIM: fold(claim), _STATEMENT: fold(statement)}
    if folded[_CLAIM] == claim and folded[_STATEMENT] == statement:
        return findings
    originals = {_CLAIM: claim, _STATEMENT: statement}
    return tuple(_restore(f, originals, folded) for f in findings)


def _restore(f: Finding, originals: dict[str, str], folded: dict[str, str]) -> Finding:
    claim_span = restore_span(f.claim_span, originals[_CLAIM])
    statement_span = restore_span(f.statement_span, originals[_STATEMENT])
    reason = _restore_reason(f.reason, (f.claim_span, claim_span), (f.statement_span, statement_span))
    details = _restore_value(dict(f.details), originals, folded, None)
    return dataclasses.replace(f, reason=reason, claim_span=claim_span, statement_span=statement_span, details=details)


def _restore_reason(reason: str, *pairs: tuple[Span | None, Span | None]) -> str:
    """The reason with each quoted span as written; the claim's is quoted first, the statement's after it."""
    at = 0
    for before, after in pairs:
        if before is None or after is None:
            continue
        quoted = f'"{before.text}"'
        where = reason.find(quoted, at)
        if where < 0:
            continue
        reason = reason[:where] + f'"{after.text}"' + reason[where + len(quoted) :]
        at = where + len(after.text) + 2  # the statement's name is quoted after the claim's, even when both read alike
    return reason


def _side(key: str, inherited: str | None) -> str | None:
    if key.startswith(_CLAIM):
        return _CLAIM
    if key.startswith(_STATEMENT_KEYS):
        return _STATEMENT
    return inherited


def _restore_value(value: Any, originals: dict[str, str], folded: dict[str, str], side: str | None) -> Any:
    if isinstance(value, Mapping):
        if set(value) == {"start", "end", "text"} and isinstance(value.get("start"), int):
            return _restore_span_dict(value, originals, folded, side)
        return {k: _restore_value(v, originals, folded, _side(str(k), side)) for k, v in value.items()}
    if isinstance(value, list):
        return [_restore_value(v, originals, folded, side) for v in value]
    if isinstance(value, tuple):
        return tuple(_restore_value(v, originals, folded, side) for v in value)
    return value


def _restore_span_dict(span: Mapping[str, Any], originals: dict[str, str], folded: dict[str, str], side: str | None) -> dict:
    start, end, text = span["start"], span["end"], span["text"]
    sides = [s for s in (_CLAIM, _STATEMENT) if folded[s][start:end] == text]
    chosen = side if side in sides else (sides[0] if sides else None)
    if chosen is None:
        return dict(span)
    return {"start": start, "end": end, "text": originals[chosen][start:end]}
