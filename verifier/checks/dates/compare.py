"""Date comparison (`check_dates`): the rule that says whether a claim's date agrees with the dates a statement
gives.

Both sides are intervals of days; open bounds ("by", "since") leave one side open. The rule compares at the
precision each side gives: a source interval inside the claim's is consistent ("in 2021" vs "5 July 2021"),
disjoint intervals are inconsistent ("June 2021" vs "5 July 2021"), and a claim more precise than the
source ("5 July" vs "July"), a partial overlap or a vague side is not comparable. Among several source dates
the best outcome wins (consistent, then not comparable, then inconsistent, then a vague source date; among
equals the most precise source date that has a year, then the nearest), because a statement may date
several events and only one of them is the claim's. A claim's bare day of the week ("on Monday", no date to
count back from) is compared by the day of the week a source's single day fell on ("5 July 2021 was a Monday").
"""

from __future__ import annotations

import datetime as _dt

from ...settings import Settings
from ..findings import Finding, Kind, Outcome
from ..folding import fold, restore_findings
from .grammar import WEEKDAYS
from .mentions import DateMention, extract_dates

_RANK = {Outcome.CONSISTENT: 0, Outcome.NOT_COMPARABLE: 1, Outcome.INCONSISTENT: 2}
_COARSE = {"day": 0, "week": 1, "part_of_month": 2, "month": 3, "season": 4, "part_of_year": 5, "year": 6,
           "range": 7, "decade": 8, "century": 9, "vague": 10}  # fmt: skip
_SAME = {"day": "same day", "week": "same week", "month": "same month", "year": "same year"}
_LOW, _HIGH = _dt.date.min, _dt.date.max
_DAY_NAMES = {number: name.capitalize() for name, number in WEEKDAYS.items()}


def check_dates(
    claim: str,
    statement: str,
    *,
    statement_date: _dt.date | None = None,
    claim_date: _dt.date | None = None,
    settings: Settings | None = None,
) -> tuple[Finding, ...]:
    """One finding per date of the claim: is it consistent with a date of the statement?

    Where the statement's text has no date at all, its publication date (`statement_date`) stands in for
    the date of what it reports, if `settings.date_fallback_to_statement_date`.
    """
    settings = settings or Settings()
    found = _check(fold(claim), fold(statement), statement_date, claim_date, settings)
    return restore_findings(found, claim, statement)


def _check(
    claim: str, statement: str, statement_date: _dt.date | None, claim_date: _dt.date | None, settings: Settings
) -> tuple[Finding, ...]:
    claim_mentions = extract_dates(claim, claim_date)
    if not claim_mentions:
        return ()
    statement_mentions = extract_dates(statement, statement_date)
    published = statement_date if settings.date_fallback_to_statement_date and not statement_mentions else None
    return tuple(
        compare_mentions(mention, statement_mentions, published)
        for mention in claim_mentions
    )


def compare_mentions(
    claim: DateMention, statement: tuple[DateMention, ...], published: _dt.date | None
) -> Finding:
    """The finding for one claim date against all the statement's dates (or its publication date)."""
    if not statement:
        return _against_publication(claim, published) if published else _unmatched(claim)
    scored = [(_relate(claim, s), s) for s in statement]
    (outcome, why, sort_key), best = min(scored, key=lambda item: (_rank(item[0][0], item[1]), item[0][2]))
    return Finding(
        kind=Kind.DATE,
        outcome=outcome,
        reason=_sentence(claim, best, outcome, why),
        claim_span=claim.span,
        statement_span=best.span,
        details={
            "claim": claim.to_dict(),
            "statement": best.to_dict(),
            "why": why,
            "basis": "text",
            "statement_dates": len(statement),
        },
    )


def _rank(outcome: Outcome, source: DateMention) -> float:
    """Consistent first, then undecidable, then inconsistent; a vague source date ranks last, so that
    "recently" in a statement does not mask its precise "Summer 2018"."""
    return 3 if source.vague else _RANK[outcome]


def _sentence(claim: DateMention, source: DateMention, outcome: Outcome, why: str) -> str:
    verb = {
        Outcome.CONSISTENT: "is consistent with",
        Outcome.INCONSISTENT: "is inconsistent with",
        Outcome.NOT_COMPARABLE: "cannot be compared with",
    }[outcome]
    return f'claim "{claim.span.text}" {verb} source "{source.span.text}" ({why})'


def _interval(m: DateMention) -> tuple[_dt.date, _dt.date]:
    return (m.start or _LOW, m.end or _HIGH)


def _relate(claim: DateMention, source: DateMention) -> tuple[Outcome, str, tuple[int, int]]:
    """Outcome, a few words of why, and a sort key (precision, distance) to pick among equals."""
    if claim.vague:
        return Outcome.NOT_COMPARABLE, "the claim's date is vague", (0, 0)
    if claim.granularity == "weekday" or source.granularity == "weekday":
        return _relate_weekday(claim, source)
    if claim.month_days or source.month_days:
        return _relate_yearless(claim, source)
    if source.vague and source.start is None:
        return Outcome.NOT_COMPARABLE, "the source's date is vague", (_COARSE["vague"], 0)
    (cs, ce), (ss, se) = _interval(claim), _interval(source)
    precision = _COARSE.get(source.granularity, 9)
    if se < cs or ss > ce:
        gap = (cs - se).days if se < cs else (ss - ce).days
        if source.vague:
            return Outcome.NOT_COMPARABLE, "the source's date is vague and does not reach the claim's", (9, gap)
        return Outcome.INCONSISTENT, _difference(claim, source), (precision, gap)
    if source.vague:
        return Outcome.NOT_COMPARABLE, "the source's date is vague", (precision, 0)
    if cs <= ss and se <= ce:
        return Outcome.CONSISTENT, _agreement(claim, source), (precision, 0)
    if ss <= cs and ce <= se:
        return Outcome.NOT_COMPARABLE, "the source is less precise than the claim", (precision, 0)
    return Outcome.NOT_COMPARABLE, "the periods overlap only in part", (precision, 0)


def _coarser(claim: DateMention, source: DateMention) -> str:
    return max(claim.granularity, source.granularity, key=lambda g: _COARSE.get(g, 9))


def _agreement(claim: DateMention, source: DateMention) -> str:
    if claim.bound != "exact":
        return f'within the claim\'s "{claim.bound}" bound'
    if claim.granularity in _SAME and _SAME.get(source.granularity) and claim.start == claim.end == source.start:
        return "same day"
    return _SAME.get(claim.granularity, f"within {claim.span.text}")


def _difference(claim: DateMention, source: DateMention) -> str:
    if claim.bound != "exact" or source.bound != "exact":
        return "the source's date lies outside the claim's bound" if claim.bound != "exact" else (
            "the claim's date lies outside the source's bound"
        )
    coarser = _coarser(claim, source)
    (cs, _), (ss, _) = _interval(claim), _interval(source)
    if coarser in ("day", "week", "month") and cs.year != ss.year and claim.granularity != "part_of_month":
        return "different year"
    if coarser == "part_of_month" and (cs.year, cs.month) != (ss.year, ss.month):
        return "different month"  # "5 July 2021" against "early May 2021": not the same month, let alone part
    return {"day": "different day", "week": "different week", "month": "different month", "year": "different year",
            "part_of_month": "different part of the month"}.get(coarser, "the periods do not overlap")  # fmt: skip


def _month_days(m: DateMention) -> tuple[int, int, int] | None:
    """(month, first day, last day) of a mention that lies within one month, else None."""
    if m.month_days:
        return m.month_days
    if m.start and m.end and (m.start.year, m.start.month) == (m.end.year, m.end.month):
        return (m.start.month, m.start.day, m.end.day)
    return None


def _relate_yearless(claim: DateMention, source: DateMention) -> tuple[Outcome, str, tuple[int, int]]:
    c, s = _month_days(claim), _month_days(source)
    if c is None or s is None:
        return Outcome.NOT_COMPARABLE, "one side gives no year and the other no single month", (9, 0)
    if c[0] != s[0]:
        return Outcome.INCONSISTENT, "different month (no year given)", (11, abs(c[0] - s[0]))
    if s[2] < c[1] or s[1] > c[2]:
        return Outcome.INCONSISTENT, "different day (no year given)", (11, 0)
    if c[1] <= s[1] and s[2] <= c[2]:
        return Outcome.CONSISTENT, "same month and day range; no year given", (1, 0)
    return Outcome.NOT_COMPARABLE, "the source is less precise than the claim (no year given)", (2, 0)


def _weekday(m: DateMention) -> int | None:
    """The day of the week a mention names ("on Monday") or falls on (one precise day), else None."""
    if m.granularity == "weekday":
        return WEEKDAYS[m.span.text.split()[-1].lower()]
    if m.granularity == "day" and m.start is not None and m.start == m.end:
        return m.start.weekday()
    return None


def _relate_weekday(claim: DateMention, source: DateMention) -> tuple[Outcome, str, tuple[int, int]]:
    """"on Monday" against "5 July 2021": only the day of the week can be compared."""
    c, s = _weekday(claim), _weekday(source)
    if c is None or s is None:
        return Outcome.NOT_COMPARABLE, "one side gives only a day of the week, the other no single day", (9, 0)
    dated = source if source.granularity != "weekday" else claim if claim.granularity != "weekday" else None
    name = _DAY_NAMES[dated.start.weekday()] if dated else ""
    fell = f"; {dated.span.text} was a {name}" if dated and name.lower() not in dated.span.text.lower() else ""
    if c == s:
        return Outcome.CONSISTENT, f"same day of the week{fell}", (1, 0)
    return Outcome.INCONSISTENT, f"different day of the week{fell}", (11, 0)


def _against_publication(claim: DateMention, published: _dt.date) -> Finding:
    cs, ce = _interval(claim)
    if claim.vague:
        outcome, why = Outcome.NOT_COMPARABLE, "the claim's date is vague"
    elif claim.granularity == "weekday":
        same = published.weekday() == _weekday(claim)
        outcome = Outcome.CONSISTENT if same else Outcome.NOT_COMPARABLE
        why = (f"the source text gives no date; it was published on a {_DAY_NAMES[published.weekday()]}, the "
               "claim gives only a day of the week")
    elif claim.month_days:
        month, first, last = claim.month_days
        inside = published.month == month and first <= published.day <= last
        outcome = Outcome.CONSISTENT if inside else Outcome.NOT_COMPARABLE
        why = "the source text gives no date; its publication date is compared, the claim gives no year"
    elif cs <= published <= ce:
        outcome, why = Outcome.CONSISTENT, "the source text gives no date; its publication date falls within the claim's"
    elif cs > published:
        outcome, why = Outcome.NOT_COMPARABLE, "the source was published before the claimed date"
    else:
        outcome, why = Outcome.NOT_COMPARABLE, "the source text gives no date and was published later"
    verb = "is consistent with" if outcome is Outcome.CONSISTENT else "cannot be compared with"
    return Finding(
        kind=Kind.DATE,
        outcome=outcome,
        reason=f'claim "{claim.span.text}" {verb} the source\'s publication date {published.isoformat()} ({why})',
        claim_span=claim.span,
        details={"claim": claim.to_dict(), "published": published.isoformat(), "why": why, "basis": "publication_date"},
    )


def _unmatched(claim: DateMention) -> Finding:
    return Finding(
        kind=Kind.DATE,
        outcome=Outcome.UNMATCHED,
        reason=f'claim "{claim.span.text}" has no date in the source to compare with',
        claim_span=claim.span,
        details={"claim": claim.to_dict(), "basis": "none"},
    )
