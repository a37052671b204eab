"""`check_pair`: every check on one claim and one statement, in one `CheckReport`."""

from __future__ import annotations

import datetime as _dt

from ..settings import Settings
from .dates import check_dates
from .entities import check_entities
from .findings import CheckReport
from .folding import fold, restore_findings
from .numbers import check_numbers
from .polarity import check_polarity


def check_pair(
    claim: str,
    statement: str,
    *,
    statement_date: str | _dt.date | None = None,
    settings: Settings | None = None,
) -> CheckReport:
    """Every finding on how `statement` (published on `statement_date`, if known) bears on `claim`.

    Every check reads both texts folded (`verifier.text.fold`: Unicode dashes and minus signs as "-", "0·22"
    as "0.22"); the spans and quoted names of the findings show the texts as written.
    """
    settings = settings or Settings()
    when = _as_date(statement_date)
    c, s = fold(claim), fold(statement)  # folded once here; each check then finds nothing left to fold
    found = (
        check_numbers(c, s, settings)
        + check_dates(c, s, statement_date=when, settings=settings)
        + check_entities(c, s, settings)
        + check_polarity(c, s, settings)
    )
    return CheckReport(restore_findings(found, claim, statement))


def _as_date(value: str | _dt.date | None) -> _dt.date | None:
    if value is None or isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(value[:10])
    except ValueError:
        return None  # a year or a month alone gives no day to count "last month" from
