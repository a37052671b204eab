"""Claim lists in and result records out: the file formats of batch checking, shared by the CLI and the web.

Input: `.txt` (one claim a line), `.csv` (a `claim` column; optional `id`; other columns carried
through), `.jsonl` (`{"id"?, "claim", ...}`; other fields carried through). Each line becomes a
`ClaimItem`, or a `BadItem` saying what is wrong with it (the run reports it and goes on).
Output: one full record per claim (JSONL carries everything) and a flat row for CSV with the top statement.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, TextIO

from ..core import validate_claim
from ..errors import InputError
from ..results import Result
from ..settings import Settings

FORMATS = ("txt", "csv", "jsonl")
_EXTRA = "\x00extra"  # DictReader's key for fields beyond the header
CSV_COLUMNS = (
    "id", "claim", "verdict", "confidence", "reasons", "top_statement_id", "top_statement", "top_source",
    "top_url", "top_date", "top_score", "top_stance", "error",
)  # fmt: skip


@dataclass(frozen=True)
class ClaimItem:
    key: str  # what resume matches on: the id, or "line:N" where the input has no id
    line: int
    claim: str
    id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # carried-through columns or fields


@dataclass(frozen=True)
class BadItem:
    key: str
    line: int
    error: str
    claim: Any = None
    id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def claims_format(name: str) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise InputError(f"claims file {name!r} must end in .txt, .csv or .jsonl", "file")
    return suffix


def read_claims(stream: TextIO, fmt: str, settings: Settings | None = None) -> Iterator[ClaimItem | BadItem]:
    """Items in input order; lazily, so a long file is never held in memory."""
    settings = settings or Settings()
    rows = {"txt": _txt_rows, "csv": _csv_rows, "jsonl": _jsonl_rows}[fmt](stream)
    for line, raw_id, claim, extra, problem in rows:
        item_id = None if raw_id in (None, "") else str(raw_id)
        key = item_id if item_id is not None else f"line:{line}"
        if problem:
            yield BadItem(key, line, problem, claim, item_id, extra)
            continue
        try:
            text = validate_claim(claim, settings)
        except InputError as exc:
            yield BadItem(key, line, str(exc), claim, item_id, extra)
            continue
        yield ClaimItem(key, line, text, item_id, extra)


def _txt_rows(stream: TextIO) -> Iterator[tuple]:
    for line, text in enumerate(stream, start=1):
        if text.strip():
            yield line, None, text.strip(), {}, None


def _jsonl_rows(stream: TextIO) -> Iterator[tuple]:
    for line, text in enumerate(stream, start=1):
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            yield line, None, None, {}, f"invalid JSON: {exc.msg} at column {exc.colno}"
            continue
        if not isinstance(record, dict):
            yield line, None, None, {}, f"expected a JSON object, got {type(record).__name__}"
            continue
        extra = {k: v for k, v in record.items() if k not in ("id", "claim")}
        if "claim" not in record:
            yield line, record.get("id"), None, extra, "no 'claim' field"
            continue
        yield line, record.get("id"), record["claim"], extra, None


def _csv_rows(stream: TextIO) -> Iterator[tuple]:
    reader = csv.DictReader(stream, restkey=_EXTRA)
    header = reader.fieldnames or []
    if "claim" not in header:
        yield 1, None, None, {}, f"no 'claim' column in the header (found: {', '.join(header) or 'nothing'})"
        return
    last = reader.line_num
    while True:
        start = last + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, None, None, {}, f"unreadable row: {exc}; the rest of the file is skipped"
            return
        last = reader.line_num
        extra = {k: v for k, v in row.items() if k not in ("id", "claim", _EXTRA)}
        if _EXTRA in row:
            fields = len(header) + len(row[_EXTRA])
            yield start, row.get("id"), row.get("claim"), extra, f"row has {fields} fields, the header has {len(header)}"
        elif row.get("claim") is None:
            yield start, row.get("id"), None, extra, "row has fewer fields than the header"
        else:
            yield start, row.get("id"), row["claim"], extra, None


def record(item: ClaimItem | BadItem, result: Result | None = None, error: str | None = None) -> dict[str, Any]:
    """The full output record of one input line: the result, or the error, plus carried-through fields."""
    out: dict[str, Any] = {"key": item.key, "line": item.line, "id": item.id}
    if isinstance(item, BadItem) or error or result is None:
        out.update(claim=item.claim, error=error or getattr(item, "error", None) or "no result")
    else:
        out.update({k: v for k, v in result.to_dict().items() if k != "id"}, error=None)
    if item.extra:
        out["extra"] = item.extra
    return out


def csv_row(rec: dict[str, Any]) -> dict[str, Any]:
    """A flat summary of an output record: verdict, reasons and the top statement; extra columns follow."""
    row = {c: "" for c in CSV_COLUMNS}
    row.update(id=rec.get("id") or "", claim=rec.get("claim") or "", error=rec.get("error") or "")
    if not rec.get("error"):
        row.update(
            verdict=rec["verdict"],
            confidence=rec["confidence"],
            reasons=" | ".join(r["text"] for r in rec["reasons"]),
        )
        if rec["evidence"]:
            top = rec["evidence"][0]
            s = top["statement"]
            row.update(top_statement_id=s["id"], top_statement=s["text"], top_source=s["source"], top_url=s["url"],
                       top_date=s["date"], top_score=top["score"], top_stance=top["stance"])
    for name, value in (rec.get("extra") or {}).items():
        if name not in row:
            row[name] = value if isinstance(value, (str, int, float)) else json.dumps(value, ensure_ascii=False)
    return row


def to_csv(records: Iterable[dict[str, Any]]) -> str:
    """CSV text for a list of records (the web page's download); columns: CSV_COLUMNS, then extras."""
    rows = [csv_row(r) for r in records]
    columns = list(CSV_COLUMNS) + sorted({k for r in rows for k in r} - set(CSV_COLUMNS))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
