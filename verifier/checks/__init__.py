"""Consistency checks between a claim and a statement: numbers, dates, names and places, polarity.

`check_pair` runs all four and returns one `CheckReport`; each check is also usable on its own.
"""

from __future__ import annotations

import datetime as _dt

from ..settings import Settings
from .dates import check_dates, extract_dates
from .entities import check_entities, extract_entities
from .findings import CheckReport, Finding, Kind, Outcome, Span
from .numbers import check_numbers, extract_quantities
from .polarity import check_polarity


def check_pair(
    claim: str,
    statement: str,
    *,
    statement_date: str | _dt.date | None = None,
    settings: Settings | None = None,
) -> CheckReport:
    """Every finding on how `statement` (published on `statement_date`, if known) bears on `claim`."""
    settings = settings or Settings()
    when = _as_date(statement_date)
    return CheckReport(
        check_numbers(claim, statement, settings)
        + check_dates(claim, statement, statement_date=when, settings=settings)
        + check_entities(claim, statement, settings)
        + check_polarity(claim, statement, settings)
    )


def _as_date(value: str | _dt.date | None) -> _dt.date | None:
    if value is None or isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(value[:10])
    except ValueError:
        return None  # a year or a month alone gives no day to count "last month" from


__all__ = [
    "CheckReport", "Finding", "Kind", "Outcome", "Span", "check_pair", "check_numbers", "check_dates",
    "check_entities", "check_polarity", "extract_quantities", "extract_dates", "extract_entities",
]
