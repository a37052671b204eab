"""Dates: finds the date and year expressions of a text (`compare.py` checks a claim's against a statement's).

Each mention becomes an inclusive interval of days with a granularity (day, part of month, month, season,
part of year, year, decade, century, range) and a bound (exact, by, before, after, since, until), so that
"in 2021", "5 July 2021", "early May" and "by September 2021" can be compared at the precision each side
gives. Relative expressions ("last month") are resolved against a reference date when one is known;
vague ones ("in recent weeks") keep an approximate interval and are never called consistent or not.

Why a grammar of our own (`grammar.py`) rather than a library, measured with
`python benchmarks/checks_context.py --libraries` on the 101 hand-labelled sentences of
tests/cases/dates_gold.jsonl (figures in docs/checks-context.md): dateparser 1.5.0 `search_dates` found the
dates (recall 0.88 dev / 0.91 held-out, by overlap) but with precision 0.62 / 0.76, reading "may", "the
Sun", "12 in", "40%", "120 m" or "30,000 years" as dates, its spans rarely matched the expression (exact
span F1 0.19 / 0.16), and it took ~7 ms a sentence; datefinder 1.0.0 missed half of them (recall 0.49 /
0.32); dateutil's fuzzy parser returns one date per string. None reports a granularity or an open bound,
which the comparison needs. The grammar scores P 1.00 / R 0.94 (dev) and P 1.00 / R 0.97 (held-out) at
~0.1 ms a sentence. python-dateutil's relativedelta does the calendar arithmetic of "last month".
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from ..findings import Span
from ..folding import fold, restore_mentions
from ..memo import seedable
from .grammar import MONTHS, scan

__all__ = ["MONTHS", "DateMention", "extract_dates"]


@dataclass(frozen=True)
class DateMention:
    """One date expression: its span, the interval of days it covers and how precise it is.

    `start`/`end` are inclusive; `None` is an open side ("by 2021" has no start). A day-month without a year
    and without a reference date keeps `start`/`end` None and the month and days in `month_days`.
    """

    span: Span
    granularity: str  # day, part_of_month, month, season, part_of_year, year, decade, century, range, vague,
    # weekday ("on Monday" with no reference date to count back from: no interval)
    start: _dt.date | None
    end: _dt.date | None
    bound: str = "exact"  # exact, by, before, after, since, until
    year_inferred: bool = False
    relative: bool = False
    month_days: tuple[int, int, int] | None = None  # (month, first day, last day) of a yearless mention

    @property
    def vague(self) -> bool:
        return self.granularity == "vague"

    def to_dict(self) -> dict[str, Any]:
        return {
            "span": self.span.to_dict(),
            "granularity": self.granularity,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "bound": self.bound,
            "year_inferred": self.year_inferred,
            "relative": self.relative,
            "month_days": list(self.month_days) if self.month_days else None,
        }


def extract_dates(text: str, reference_date: _dt.date | None = None) -> tuple[DateMention, ...]:
    """Every date expression in `text`, in order; relative ones resolved against `reference_date`."""
    return restore_mentions(_extract(fold(text), reference_date), text)


@seedable(maxsize=8192)  # stored features are seeded here: ../stored.py
def _extract(text: str, reference: _dt.date | None) -> tuple[DateMention, ...]:
    return tuple(
        DateMention(Span(p.begin, p.end, text[p.begin : p.end]), p.granularity, p.start, p.last, p.bound,
                    p.year_inferred, p.relative, p.month_days)  # fmt: skip
        for p in scan(text, reference)
    )
