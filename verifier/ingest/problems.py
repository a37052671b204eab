"""A problem found while reading a corpus: which file, which line, what was wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "message": self.message}


def check_date(value: str) -> str | None:
    """A message if `value` is not an ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD, optionally with a time)."""
    if not value or ISO_DATE.match(value):
        return None
    return f"date {value!r} is not ISO 8601 (write YYYY-MM-DD, YYYY-MM or YYYY)"
