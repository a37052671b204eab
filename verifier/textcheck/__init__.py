"""Checking a whole text (an article, a speech, a post): its checkable sentences checked in one batch.

`select.py` chooses the sentences, `run.py` reads the text and checks them, `result.py` holds what comes back.
`Verifier.check_text` is the way in; `format_of` tells a file's format by its name.
"""

from ..ingest.document import FORMATS, format_of
from .result import SentenceCheck, TextResult
from .run import check_text
from .select import FEATURES, checkable

__all__ = ["FEATURES", "FORMATS", "format_of", "SentenceCheck", "TextResult", "check_text", "checkable"]
