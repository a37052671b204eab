"""A problem found while reading a corpus: which file, which line, what was wrong."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..statement import ISO_DATE, check_date  # the date rule is the statement's; kept importable from here


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


__all__ = ["ISO_DATE", "Problem", "check_date"]
