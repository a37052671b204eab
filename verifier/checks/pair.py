"""`check_pair`: every check on one claim and one statement, in one `CheckReport`."""

from __future__ import annotations

import datetime as _dt

from ..settings import Settings
from .dates import check_dates
from .entities import check_entities
from .findings import CheckReport
from .numbers import check_numbers
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
