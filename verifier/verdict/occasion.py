"""Occasions: the time a statement's report is about, so that figures of different days are not set
against each other.

A statement's occasion is the span of the precise dates its text gives (resolved against its
publication date), or its publication date where the text gives none. A statement whose figure conflicts
with the claim is set aside when another statement agrees with that figure and reports another occasion:
"several hundred crossed after early May" does not contradict "over 1,000 fled", which a report of 5 July
confirms. Where the claim gives a precise date of its own, the agreeing report must fall within it and the
conflicting one outside it: "more than 1,000 crossed", published on 5 July, does not contradict "hundreds
crossed in May 2021", which a report of early May confirms; a conflicting report from within May would.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import replace
from typing import Sequence

from ..checks import Kind, Outcome, extract_dates
from ..results import Evidence, Stance
from ..statement import Statement


def occasion(statement: Statement) -> tuple[_dt.date, _dt.date] | None:
    published = statement.published
    mentions = [m for m in extract_dates(statement.text, published) if not m.vague and m.start and m.end]
    if mentions:
        return min(m.start for m in mentions), max(m.end for m in mentions)
    return (published, published) if published else None


def set_aside_other_occasions(claim: str, evidence: Sequence[Evidence]) -> tuple[Evidence, ...]:
    """Contradictions by figures alone that come from another occasion than an agreeing statement's."""
    mentions = extract_dates(claim)
    dated = [m for m in mentions if not m.vague and m.start and m.end]
    if mentions and not dated:
        return tuple(evidence)  # "recently": nothing to hold the reports' occasions against
    claimed = (min(m.start for m in dated), max(m.end for m in dated)) if dated else None
    agreeing = [occasion(e.statement) for e in evidence if e.stance is Stance.SUPPORTS and _confirms_a_figure(e)]
    agreeing = [o for o in agreeing if o and (claimed is None or _overlap(o, claimed))]
    out = []
    for e in evidence:
        if e.stance is Stance.CONTRADICTS and {f.kind for f in e.findings if f.outcome is Outcome.INCONSISTENT} == {
            Kind.NUMBER
        }:
            when = occasion(e.statement)
            outside = when is not None and (claimed is None or not _overlap(when, claimed))
            if outside and agreeing and all(not _overlap(when, other) for other in agreeing):
                e = replace(
                    e, stance=Stance.NEUTRAL, stance_score=0.0,
                    note=f"its figure is for another occasion ({_describe(when)}) than the agreeing reports",
                )
        out.append(e)
    return tuple(out)


def _confirms_a_figure(e: Evidence) -> bool:
    return any(f.kind is Kind.NUMBER and f.outcome is Outcome.CONSISTENT for f in e.findings)


def _overlap(a: tuple[_dt.date, _dt.date], b: tuple[_dt.date, _dt.date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _describe(span: tuple[_dt.date, _dt.date]) -> str:
    start, end = span
    return start.isoformat() if start == end else f"{start.isoformat()} to {end.isoformat()}"
