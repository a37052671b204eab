"""Consistency checks between a claim and a statement: numbers, dates, names and places, polarity.

`check_pair` (`pair.py`) runs all four and returns one `CheckReport`; each check is also usable on its own.
One package per family, each with its extraction (`mentions.py`) and its comparison: `numbers/` (`compare.py`),
`dates/` (`compare.py`), `entities/` (`align.py`); `findings.py`, `lexicon.py` and `polarity.py` are shared
or stand alone. Every public `check_*` and `extract_*` reads its texts folded (`folding.py`: Unicode dashes
and minus signs as "-", "0·22" as "0.22") and reports spans as written.
"""

from .dates import check_dates, extract_dates
from .entities import check_entities, extract_entities
from .findings import CheckReport, Finding, Kind, Outcome, Span
from .numbers import check_numbers, extract_quantities
from .pair import check_pair
from .polarity import check_polarity

__all__ = [
    "CheckReport", "Finding", "Kind", "Outcome", "Span", "check_pair", "check_numbers", "check_dates",
    "check_entities", "check_polarity", "extract_quantities", "extract_dates", "extract_entities",
]
