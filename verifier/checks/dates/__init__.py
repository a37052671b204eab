"""The dates check: the date expressions of a text (`mentions.py`, read by `grammar.py`) and whether a claim's
dates agree with a statement's (`compare.py`).
"""

from .compare import check_dates
from .grammar import MONTHS
from .mentions import DateMention, extract_dates

__all__ = ["MONTHS", "DateMention", "check_dates", "extract_dates"]
