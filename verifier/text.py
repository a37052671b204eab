"""Text folded before it is checked or read by the stance model.

Sources write the same thing with different characters: "COVID‐19" with U+2010, "−3 °C" with U+2212,
"0·22" with a middle dot for the decimal point (The Lancet's house style). Folding them keeps a claim's
"COVID-19" and "-3" equal to the source's. Every replacement is one character for one, so the character
offsets that findings report still point into the text as written.
"""

from __future__ import annotations

import re

_DASHES = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"}
_MIDDLE_DOT_DECIMAL = re.compile(r"(?<=\d)\u00b7(?=\d)")


def fold(text: str) -> str:
    """`text` with Unicode dashes and minus signs as "-" and a middle-dot decimal point as "."."""
    return _MIDDLE_DOT_DECIMAL.sub(".", text.translate(_DASHES))
