"""Fact-checks in the shapes they are published in, as statements of kind `fact_check`.

Shapes read (corpus/README.md, "Fact-checks"):
- schema.org `ClaimReview` objects (`claimReviewed`, `reviewRating`, `author`, `datePublished`, `url`,
  `itemReviewed` a `Claim` with its `author` and `datePublished`), alone, in a list or in an `@graph`;
- schema.org `DataFeed` objects whose `dataFeedElement`s are ClaimReviews (or `DataFeedItem`s holding one);
- the JSON of the public fact-check search API: `{"claims": [{"text", "claimant", "claimDate",
  "claimReview": [{"publisher": {"name", "site"}, "url", "title", "reviewDate", "textualRating",
  "languageCode"}]}]}`, or one such claim object.
Each review becomes one statement: the claim as reviewed is its text, the claimant its `source`, the
reviewer its `publisher`, the claim's date (else the review's) its `date`; the review itself is in `meta`
(`verifier.factcheck.FactCheck`). A malformed object is a `Problem` that names its position: the file's
line where the reader knows it, and the object's path inside the file (`claims[3].claimReview[0]`).
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..errors import InputError
from ..factcheck import FactCheck
from ..statement import Statement, check_date, statement_id
from .ratings import normalise

_Found = tuple[str, "Statement | str"]  # (position in the object, the statement or what is wrong)


def types_of(obj: Mapping[str, Any]) -> set[str]:
    """The object's schema.org types without their prefix ("schema:ClaimReview", "https://schema.org/X")."""
    raw = obj.get("@type", ())
    names = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    return {str(n).rsplit("/", 1)[-1].rsplit(":", 1)[-1] for n in names}


def is_fact_check_shape(obj: Any) -> bool:
    """Whether a JSON object is one of the shapes this module reads (and not a plain statement record)."""
    if not isinstance(obj, Mapping):
        return False
    return bool(types_of(obj) & {"ClaimReview", "DataFeed"}) or "@graph" in obj or (
        isinstance(obj.get("claims"), list) and "text" not in obj) or "claimReview" in obj


def fact_checks(obj: Any, where: str = "", strict_types: bool = True) -> Iterator[_Found]:
    """Every review in `obj` as (position, Statement) or (position, problem message).

    `strict_types=False` (JSON-LD found in a web page) passes over objects of other types (the page's
    Organization, BreadcrumbList...) in silence; in a fact-check file they are reported.
    """
    if isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from fact_checks(item, f"{where}[{i}]", strict_types)
        return
    if not isinstance(obj, Mapping):
        yield where, f"expected a JSON object, got {type(obj).__name__}"
        return
    types = types_of(obj)
    if "@graph" in obj:
        yield from fact_checks(obj["@graph"], _join(where, "@graph"), strict_types=False)
    elif "ClaimReview" in types:
        yield where, _from_claim_review(obj)
    elif "DataFeed" in types:
        elements = obj.get("dataFeedElement")
        if not isinstance(elements, list):
            yield where, "DataFeed without a dataFeedElement list"
            return
        for i, element in enumerate(elements):
            at = _join(where, f"dataFeedElement[{i}]")
            if isinstance(element, Mapping) and "DataFeedItem" in types_of(element):
                yield from fact_checks(element.get("item"), _join(at, "item"), strict_types=True)
            else:
                yield from fact_checks(element, at, strict_types=True)
    elif isinstance(obj.get("claims"), list):
        for i, claim in enumerate(obj["claims"]):
            yield from _api_claim(claim, _join(where, f"claims[{i}]"))
    elif "claimReview" in obj:
        yield from _api_claim(obj, where)
    elif strict_types:
        found = ", ".join(sorted(types)) or "no @type"
        yield where, f"not a ClaimReview, DataFeed or fact-check search result ({found})"


def _join(where: str, part: str) -> str:
    return f"{where}.{part}" if where else part


# --- schema.org ClaimReview -------------------------------------------------------------------------------
def _from_claim_review(review: Mapping[str, Any]) -> Statement | str:
    claim = review.get("claimReviewed")
    if not isinstance(claim, str) or not claim.strip():
        return "ClaimReview without claimReviewed (the claim as reviewed)"
    item = review.get("itemReviewed") if isinstance(review.get("itemReviewed"), Mapping) else {}
    rating = review.get("reviewRating")
    if rating is not None and not isinstance(rating, Mapping):
        return f"reviewRating must be a Rating object, got {type(rating).__name__}"
    rating = rating or {}
    textual = _text(rating.get("alternateName")) or _text(rating.get("name"))
    if not textual and rating.get("ratingValue") in (None, ""):
        return "ClaimReview without a rating (reviewRating.alternateName or reviewRating.ratingValue)"
    reviewer, site = _name(review.get("author")), _site(review.get("author"))
    if not reviewer:
        reviewer, site = _name(review.get("publisher")), site or _site(review.get("publisher"))
    if not reviewer:
        return "ClaimReview without a reviewer (author.name)"
    return _statement(
        claim=claim, reviewer=reviewer, site=site, textual=textual or str(rating.get("ratingValue")),
        normalized=normalise(textual, rating), review_date=_text(review.get("datePublished")),
        url=_text(review.get("url")), title=_text(review.get("headline")) or _text(review.get("name")),
        claimant=_name(item.get("author")), claim_date=_text(item.get("datePublished")),
        language=_language(review.get("inLanguage")),
    )


def _name(value: Any) -> str:
    """A Person's or Organization's name (or the first one's, for a list; a bare string as is)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str):
        return value.strip()
    return _text(value.get("name")) if isinstance(value, Mapping) else ""


def _site(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else None
    return _text(value.get("url")) if isinstance(value, Mapping) else ""


def _language(value: Any) -> str:
    if isinstance(value, Mapping):
        return _text(value.get("alternateName")) or _text(value.get("name"))
    return _text(value)


def _text(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) else ""


# --- the fact-check search API -----------------------------------------------------------------------------
def _api_claim(claim: Any, where: str) -> Iterator[_Found]:
    if not isinstance(claim, Mapping):
        yield where, f"a claim must be a JSON object, got {type(claim).__name__}"
        return
    text = claim.get("text")
    reviews = claim.get("claimReview")
    if not isinstance(text, str) or not text.strip():
        yield where, "claim without text"
        return
    if not isinstance(reviews, list) or not reviews:
        yield where, "claim without a claimReview list"
        return
    for i, review in enumerate(reviews):
        at = _join(where, f"claimReview[{i}]")
        if not isinstance(review, Mapping):
            yield at, f"a claimReview must be a JSON object, got {type(review).__name__}"
            continue
        reviewer = _name(review.get("publisher")) or _text((review.get("publisher") or {}).get("site")
                                                           if isinstance(review.get("publisher"), Mapping) else None)
        textual = _text(review.get("textualRating"))
        if not reviewer:
            yield at, "claimReview without a publisher (publisher.name or publisher.site)"
        elif not textual:
            yield at, "claimReview without a textualRating"
        else:
            publisher = review["publisher"] if isinstance(review.get("publisher"), Mapping) else {}
            yield at, _statement(
                claim=text, reviewer=reviewer, site=_text(publisher.get("site")), textual=textual,
                normalized=normalise(textual), review_date=_text(review.get("reviewDate")),
                url=_text(review.get("url")), title=_text(review.get("title")),
                claimant=_text(claim.get("claimant")), claim_date=_text(claim.get("claimDate")),
                language=_text(review.get("languageCode")),
            )


# --- the statement ---------------------------------------------------------------------------------------
def _statement(*, claim: str, reviewer: str, site: str, textual: str, normalized: str, review_date: str,
               url: str, title: str, claimant: str, claim_date: str, language: str) -> Statement | str:
    for name, value in (("review date", review_date), ("claim date", claim_date)):
        message = check_date(value)
        if message:
            return f"{name}: {message}"
    review = FactCheck(reviewer=reviewer, rating=textual, normalized_rating=normalized, review_date=review_date,
                       url=url, title=title, claimant=claimant, claim_date=claim_date, reviewer_site=site,
                       language=language)
    # Its own id: one claim reviewed by two fact-checkers (or twice by one) makes two statements.
    record = {"id": "fc-" + statement_id(claim, f"{reviewer}\x1f{url}\x1f{review_date}")[2:], "text": claim, "source": claimant, "publisher": reviewer, "url": url, "title": title,
              "date": claim_date or review_date, **review.to_meta()}
    try:
        return Statement.from_record({k: v for k, v in record.items() if v not in ("", None)})
    except InputError as exc:
        return str(exc)
