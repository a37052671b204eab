"""Fact-checks among the evidence: what a review's rating says of the claim, and the result's `fact_checks`.

A fact-check statement's text is the claim as reviewed, so its stance towards the claim (decided by the
checks and the stance model, as for any statement) says whether the two claims say the same thing. Only
then does the rating count, and only from a match (cosine >= `fact_check_similarity`):
- the claims agree and the review rates its claim false or mostly false: the review contradicts the claim;
  rated true or mostly true: it supports it; mixed or other: it is neutral;
- the claims disagree (a review of "2,000 troops" rated False, for a claim of "1,037 troops"), or one
  does not address the other: the review is neutral; the rating says nothing about this claim.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from ..factcheck import FactCheck
from ..results import Evidence, FactCheckMatch, Reason, Stance
from ..settings import Settings


def rate(evidence: Evidence, review: FactCheck, settings: Settings) -> Evidence:
    """The evidence of a fact-check, its stance turned from "the claims agree" into what the rating says."""
    if evidence.similarity < settings.fact_check_similarity:
        return _neutral(evidence, f"reviews a claim too far from this one to count (similarity "
                                  f"{evidence.similarity:.2f}, below fact_check_similarity "
                                  f"{settings.fact_check_similarity:.2f})")
    if evidence.stance is Stance.CONTRADICTS:
        return _neutral(evidence, "reviews a claim that says something else, so its rating "
                                  f"({review.rating}) says nothing about this one")
    if evidence.stance is Stance.NEUTRAL:
        why = f": it {evidence.note}" if evidence.note else ""
        return _neutral(evidence, f"reviews a claim that may not say the same thing{why}")
    if review.says_false:
        return replace(evidence, stance=Stance.CONTRADICTS)
    if review.says_true:
        return evidence
    return _neutral(evidence, f"rates a matching claim {review.rating or review.normalized_rating}, "
                              f"neither true nor false ({review.normalized_rating})")


def _neutral(evidence: Evidence, note: str) -> Evidence:
    return replace(evidence, stance=Stance.NEUTRAL, stance_score=0.0, note=note)


def matches(evidence: Sequence[Evidence], settings: Settings) -> tuple[FactCheckMatch, ...]:
    """The fact-checks among the evidence that match the claim, closest first."""
    out = []
    for e in evidence:
        review = FactCheck.of(e.statement)
        if review is not None and e.similarity >= settings.fact_check_similarity:
            out.append(FactCheckMatch(review, e.statement.id, e.statement.text, e.similarity, e.stance,
                                      e.note if e.stance is Stance.NEUTRAL else ""))
    return tuple(sorted(out, key=lambda m: -m.similarity))


def reason(evidence: Evidence, review: FactCheck) -> Reason:
    """"PolitiFact rated a matching claim False on 6 July 2021 (false)."""
    shown = review.rating.casefold() != review.normalized_rating
    text = review.rated() + (f" ({review.normalized_rating})" if shown else "") + "."
    return Reason(text, evidence.statement.id, review.reviewer)
