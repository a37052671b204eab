"""A fact-check as a statement: the claim as reviewed is the statement's text, the review is in its meta.

The ClaimReview readers (verifier/ingest/claimreview.py) write `FactCheck.to_meta()` into a statement's
`meta` with `kind = "fact_check"`; `FactCheck.of(statement)` reads it back wherever a result needs it
(the verdict's reasons, the `fact_checks` section). Keeping it in `meta` leaves the statement store and
its format unchanged: a fact-check is indexed, searched and checked like any statement.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

from .statement import Statement

KIND = "fact_check"
#: The normalised ratings, from the most to the least true; "other" is any rating that is not on the scale.
NORMALIZED_RATINGS = ("true", "mostly true", "mixed", "mostly false", "false", "other")


@dataclass(frozen=True)
class FactCheck:
    RATINGS: ClassVar[tuple[str, ...]] = NORMALIZED_RATINGS

    reviewer: str  # who rated the claim (the fact-checker)
    rating: str  # the rating as the reviewer wrote it ("Pants on Fire", "Faux")
    normalized_rating: str  # one of NORMALIZED_RATINGS
    review_date: str = ""  # ISO 8601, as given
    url: str = ""  # the review
    title: str = ""  # the review's headline
    claimant: str = ""  # who made the claim
    claim_date: str = ""
    reviewer_site: str = ""
    language: str = ""

    def to_meta(self) -> dict[str, Any]:
        """The statement meta fields that carry this review (empty ones left out)."""
        return {"kind": KIND, **{k: v for k, v in asdict(self).items() if v not in ("", None) and k not in ("url", "title")}}

    @classmethod
    def of(cls, statement: Statement) -> "FactCheck | None":
        """The review a fact-check statement carries; None for any other statement."""
        meta = statement.meta
        if meta.get("kind") != KIND or not meta.get("reviewer"):
            return None
        rating = str(meta.get("normalized_rating") or "other")
        return cls(
            reviewer=str(meta["reviewer"]),
            rating=str(meta.get("rating") or ""),
            normalized_rating=rating if rating in NORMALIZED_RATINGS else "other",
            review_date=str(meta.get("review_date") or ""),
            url=statement.url,
            title=statement.title,
            claimant=str(meta.get("claimant") or ""),
            claim_date=str(meta.get("claim_date") or ""),
            reviewer_site=str(meta.get("reviewer_site") or ""),
            language=str(meta.get("language") or ""),
        )

    @property
    def says_false(self) -> bool:
        return self.normalized_rating in ("false", "mostly false")

    @property
    def says_true(self) -> bool:
        return self.normalized_rating in ("true", "mostly true")

    def when(self) -> str:
        """The review date as people write it ("6 July 2021"), or as given when it is not a full day."""
        try:
            day = _dt.date.fromisoformat(self.review_date[:10])
        except ValueError:
            return self.review_date
        return f"{day.day} {day:%B %Y}"

    def rated(self) -> str:
        """"PolitiFact rated a matching claim False on 6 July 2021"."""
        when = f" on {self.when()}" if self.review_date else ""
        return f"{self.reviewer} rated a matching claim {self.rating or self.normalized_rating}{when}"


def is_fact_check(statement: Statement) -> bool:
    return statement.meta.get("kind") == KIND
