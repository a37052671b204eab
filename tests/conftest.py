"""Shared helpers for the consistency-check tests: the committed case tables in tests/cases/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "cases"


def load_cases(name: str) -> list[dict]:
    """Rows of a committed case table, each a pytest param named by its id."""
    rows = [json.loads(line) for line in (CASES / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [pytest.param(row, id=row["id"]) for row in rows]
