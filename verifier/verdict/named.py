"""Names across statements: a support that does not name the claim's person, place or organization is not
taken when another statement names a different one in its place.

A statement that names the claim's subject only by a pronoun or a description may support the claim on the
stance model's word (`stance.py`, rule 3): "Reports say that many Afghan troops have fled" for a claim that
troops fled into Tajikistan. When another retrieved statement settles that name against the claim (the checks
found "Tajikistan" where the claim says "Uzbekistan"), the unnamed support cannot be read as being about the
claim's "Uzbekistan": the evidence shown says otherwise. Such a support becomes neutral, and its note says
which statement names another in its place, so that the result never cites, as agreeing, a statement silent on
exactly what another statement contradicts.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from ..checks import Kind, Outcome
from ..results import Evidence, Stance


def set_aside_unnamed_supports(evidence: Sequence[Evidence]) -> tuple[Evidence, ...]:
    """Supports silent on a name that a contradicting statement names differently, made neutral."""
    settled = {}  # the claim's name (folded) -> the id of a statement that names another in its place
    for e in evidence:
        if e.stance is Stance.CONTRADICTS:
            for f in e.findings:
                if f.kind is Kind.ENTITY and f.outcome is Outcome.INCONSISTENT and f.claim_span:
                    settled.setdefault(f.claim_span.text.casefold(), e.statement.id)
    if not settled:
        return tuple(evidence)
    out = []
    for e in evidence:
        if e.stance is Stance.SUPPORTS:
            silent = [f.claim_span.text for f in e.findings
                      if f.kind is Kind.ENTITY and f.outcome is Outcome.UNMATCHED and f.claim_span
                      and f.claim_span.text.casefold() in settled]
            if silent:
                other = settled[silent[0].casefold()]
                e = replace(e, stance=Stance.NEUTRAL, stance_score=0.0,
                            note=f"reads as agreeing but does not name {silent[0]!r}, and {other} names another "
                                 "in its place")
        out.append(e)
    return tuple(out)
