"""What a check returns: the verdict, its confidence and reasons, and each piece of evidence with its stance.

Every surface (CLI, JSON API, web page, batch files) serializes these same objects with `to_dict()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from .checks.findings import Finding
from .factcheck import FactCheck
from .statement import Statement


class Stance(str, Enum):
    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    NEUTRAL = "neutral"  # unrelated, or related but silent on what the claim asserts


class Verdict(str, Enum):
    SUPPORTED = "supported"
    CONTRADICTED = "contradicted"
    MIXED = "mixed"  # credible statements on both sides
    NOT_ENOUGH_EVIDENCE = "not_enough_evidence"


@dataclass(frozen=True)
class Evidence:
    statement: Statement
    rank: int
    score: float  # retrieval score (fused)
    similarity: float  # cosine of claim and statement
    stance: Stance
    stance_score: float  # how strongly the statement takes that stance, in [0, 1]
    findings: tuple[Finding, ...] = ()
    note: str = ""  # why a related statement is neutral ("does not address 'Kabul'")
    reading: dict[str, float] | None = None  # the stance model's probabilities, where it read the pair
    related: bool = True  # at or above the relatedness floor; below it a statement is not evidence

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "score": round(self.score, 4),
            "similarity": round(self.similarity, 4),
            "stance": self.stance.value,
            "stance_score": round(self.stance_score, 4),
            "statement": self.statement.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
            "note": self.note,
            "reading": self.reading,
            "related": self.related,
        }


@dataclass(frozen=True)
class Reason:
    text: str
    statement_id: str | None = None
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "statement_id": self.statement_id, "source": self.source}


@dataclass(frozen=True)
class FactCheckMatch:
    """A fact-checked claim that matches the claim: the review, how close the match is, and whether the
    verdict used its rating (only when the two claims say the same thing, by the checks and the stance)."""

    fact_check: FactCheck
    statement_id: str
    claim_reviewed: str
    similarity: float  # cosine of the claim and the claim as reviewed
    stance: Stance  # what the review says of the claim: its rating where the claims agree, else neutral
    note: str = ""  # why the rating was not used, where it was not

    @property
    def used(self) -> bool:
        return self.stance is not Stance.NEUTRAL

    def to_dict(self) -> dict[str, Any]:
        f = self.fact_check
        return {
            "reviewer": f.reviewer,
            "rating": f.rating,
            "normalized_rating": f.normalized_rating,
            "review_date": f.review_date,
            "url": f.url,
            "title": f.title,
            "claim_reviewed": self.claim_reviewed,
            "claimant": f.claimant,
            "claim_date": f.claim_date,
            "language": f.language,
            "similarity": round(self.similarity, 4),
            "stance": self.stance.value,
            "used": self.used,
            "note": self.note,
            "statement_id": self.statement_id,
        }


@dataclass(frozen=True)
class Result:
    claim: str
    verdict: Verdict
    confidence: float
    reasons: tuple[Reason, ...]
    evidence: tuple[Evidence, ...]
    id: str | None = None  # the caller's id for this claim (batch files, API batches)
    stance_model: dict[str, str] | None = None  # name and sha256 of the model that read the evidence
    given: str | None = None  # the claim as given, when cleaning (setting clean_claims) changed it
    fact_checks: tuple[FactCheckMatch, ...] = ()  # matching fact-checked claims, closest first

    @property
    def supporting(self) -> tuple[Evidence, ...]:
        return tuple(e for e in self.evidence if e.stance is Stance.SUPPORTS)

    @property
    def contradicting(self) -> tuple[Evidence, ...]:
        return tuple(e for e in self.evidence if e.stance is Stance.CONTRADICTS)

    @property
    def shown(self) -> tuple[Evidence, ...]:
        """The evidence a person is shown: related statements only, most similar first (the score shown).

        `evidence` keeps every retrieved statement, in retrieval order, for the JSON surfaces.
        """
        return tuple(sorted((e for e in self.evidence if e.related), key=lambda e: -e.similarity))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id} if self.id is not None else {}
        out["claim"] = self.claim
        if self.given is not None:
            out["claim_given"] = self.given
        out.update(
            fact_checks=[f.to_dict() for f in self.fact_checks],
            verdict=self.verdict.value,
            confidence=round(self.confidence, 4),
            reasons=[r.to_dict() for r in self.reasons],
            evidence=[e.to_dict() for e in self.evidence],
            stance_model=self.stance_model,
        )
        return out
