"""Statement-side check features stored at index time: each statement's figures, dates and names,
extracted once by the build and read back by the check stage instead of being extracted again.

    blob = features_of(statement.text, statement.published, settings)     # the build, per statement
    seed(statement.text, statement.published, settings, blob)             # before the checks run

Measured (docs/speed.md, "Statement-side features stored at index time"): extracting the three costs
~0.75 ms of a statement's first check, reading them back ~0.02 ms, ~530–680 bytes a statement as stored. Polarity
cues are left out: they are most of the bytes (1.9 KB) for a third of the time.

What is stored is what the extractors return (frozen dataclasses of this package), pickled. It is read
back only by an unpickler that accepts this package's check types, dates and enums and nothing else,
only when it was written by the same checks code (a hash of the files of `verifier/checks` and
`verifier/text.py`: any change to the extractors or their tables makes stored features stale) and, for
figures, under the same tolerance settings (they set each figure's interval). Otherwise, and for an index
without stored features, the check extracts as before: storing never changes a result.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import pickle
from functools import cache
from pathlib import Path
from typing import Any

from ..settings import Settings
from ..text import fold
from .dates import mentions as _dates
from .entities import mentions as _names
from .numbers import mentions as _figures

FORMAT = 1
NUMBER_SETTINGS = ("exact_tolerance", "approx_tolerance", "nearly_tolerance", "round_tolerance")
_ALLOWED_MODULES = ("verifier.checks.",)
_ALLOWED = {("datetime", "date"), ("builtins", "frozenset"), ("builtins", "set")}


@cache
def code_hash() -> str:
    """SHA-256 over the checks' own files (code and tables) and the text folding they share."""
    here = Path(__file__).resolve().parent
    files = sorted(p for p in here.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    digest = hashlib.sha256()
    for path in [*files, here.parent / "text.py"]:
        digest.update(str(path.relative_to(here.parent)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _stamp(settings: Settings) -> tuple:
    return (FORMAT, code_hash(), tuple(getattr(settings, name) for name in NUMBER_SETTINGS))


def _as_date(published: str | _dt.date | None) -> _dt.date | None:
    if published is None or isinstance(published, _dt.date):
        return published
    try:
        return _dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def features_of(text: str, published: str | _dt.date | None, settings: Settings) -> bytes:
    """A statement's figures, dates and names as the checks extract them, ready to store."""
    folded, when = fold(text), _as_date(published)
    value = (_stamp(settings), when, _figures._extract(folded, settings), _dates._extract(folded, when),
             _names._extract(folded))
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def seed(text: str, published: str | _dt.date | None, settings: Settings, blob: bytes | None) -> bool:
    """Give the checks' memo the stored features of a statement; False (nothing seeded) when there are none
    or they were made by another version or under other number settings."""
    if not blob:
        return False
    try:
        stamp, when, figures, dates, names = _Unpickler(io.BytesIO(blob)).load()
    except Exception:  # damaged or foreign: the checks extract instead
        return False
    if stamp != _stamp(settings) or when != _as_date(published):
        return False
    folded = fold(text)
    _figures._extract.seed((folded, settings), figures)
    _dates._extract.seed((folded, when), dates)
    _names._extract.seed((folded,), names)
    return True


class _Unpickler(pickle.Unpickler):
    """Only the check types of this package, dates and a few builtins: a stored blob cannot name anything else."""

    def find_class(self, module: str, name: str) -> Any:
        if module.startswith(_ALLOWED_MODULES) or (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a stored check feature")
