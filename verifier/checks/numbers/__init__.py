"""The numbers check: the figures of a text (`mentions.py`) and whether a claim's agree with a statement's (`compare.py`).

`scan.py` finds the raw figures, `words.py` values number words, `units.py` reads and converts units,
`intervals.py` turns a figure and its qualifier into the interval it denotes, `masking.py` sets aside the
digits that are dates or identifiers, `nouns.py` reads what a figure counts, and `align.py` pairs each claim
figure with the statement figure it talks about.
"""

from .compare import check_numbers
from .mentions import Quantity, QuantityKind, extract_quantities

__all__ = ["Quantity", "QuantityKind", "check_numbers", "extract_quantities"]
