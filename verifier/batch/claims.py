"""Claim lists in and result records out: the file formats of batch checking, shared by the CLI and the web.

Input: `.txt` (one claim a line; blank lines are skipped), `.csv` (a `claim` column; optional `id`; other
columns carried through; header names match whatever their case and spacing), `.jsonl` (`{"id"?, "claim",
...}`; other fields carried through; blank lines skipped). Each line becomes a `ClaimItem`, or a `BadItem`
saying what is wrong with it (the run reports it and goes on). Line numbers are physical lines of the file;
a CSV row whose quoted claim spans lines is numbered by its first line.
Output: one full record per claim (JSONL carries everything) and a flat row for CSV with the number of
matching fact-checks and the closest one (reviewer, rating, normalized rating, date, link, similarity,
whether the verdict used it), and the top statement.
An input column whose name an output column already has (an input `verdict`, say) is carried as
`input_<name>`, so nothing the input held is lost.
Every text cell of a CSV the project writes, header included, goes through `csv_safe`: one that begins
with = + - @ tab or carriage return gets a leading `'`, so a spreadsheet shows it as text instead of
running it as a formula (OWASP's advice on CSV injection). Numbers the project writes (confidence, score,
line) are left as they are; JSONL is written verbatim.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, TextIO

from .. import InputError, Result, Settings, validate_claim

FORMATS = ("txt", "csv", "jsonl")
CSV_COLUMNS = (
    "id", "claim", "verdict", "confidence", "reasons", "fact_checks", "fact_check_reviewer", "fact_check_rating",
    "fact_check_normalized_rating", "fact_check_date", "fact_check_url", "fact_check_similarity",
    "fact_check_used", "top_statement_id", "top_statement", "top_source", "top_url", "top_date", "top_score",
    "top_stance", "error", "line",
)  # fmt: skip
#: How a cell that a spreadsheet would run as a formula begins (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A claim over max_claim_chars is a bad line, not an unreadable file: let the csv module read any field.
_FIELD_LIMIT = 2**31 - 1


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
    """Items in input order; lazily, so a long file is never held in memory.

    For CSV, open the file with `newline=""` so that claims with line breaks inside quotes read back whole.
    """
    settings = settings or Settings()
    rows = {"txt": _txt_rows, "csv": _csv_rows, "jsonl": _jsonl_rows}[fmt](stream)
    for line, raw_id, claim, extra, problem in rows:
        try:
            item_id = _item_id(raw_id)
        except InputError as exc:
            yield BadItem(f"line:{line}", line, str(exc), claim, None, extra)
            continue
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


def extra_columns(stream: TextIO, fmt: str) -> list[str]:
    """Names of the carried-through fields, in the order first met: a CSV's other header columns, or every
    field beside id and claim of a JSONL file (the whole file is read, a line at a time)."""
    if fmt == "csv":
        header = next(csv.reader(stream), [])
        names = _header_names(header)
        return [n for n in names if n.casefold() not in ("id", "claim")]
    if fmt == "jsonl":
        seen: dict[str, None] = {}
        for *_, extra, _ in _jsonl_rows(stream):
            seen.update(dict.fromkeys(extra))
        return list(seen)
    return []


def _item_id(raw: Any) -> str | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise InputError(f"id must be a string or a number, got {json.dumps(raw)[:60]}", "id")
    return str(raw)


def _lines(stream: TextIO) -> Iterator[tuple[int, str]]:
    for line, text in enumerate(stream, start=1):
        yield line, text.lstrip("\ufeff") if line == 1 else text  # a BOM the stream's decoding left in


def _txt_rows(stream: TextIO) -> Iterator[tuple]:
    for line, text in _lines(stream):
        if text.strip():
            yield line, None, text.strip(), {}, None


def _jsonl_rows(stream: TextIO) -> Iterator[tuple]:
    for line, text in _lines(stream):
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
        try:
            json.dumps(record, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            yield line, None, None, {}, "holds an unpaired surrogate escape (\\udXXX): not valid Unicode text"
            continue
        extra = {k: v for k, v in record.items() if k not in ("id", "claim")}
        if "claim" not in record:
            yield line, record.get("id"), None, extra, "no 'claim' field"
            continue
        yield line, record.get("id"), record["claim"], extra, None


def _csv_rows(stream: TextIO) -> Iterator[tuple]:
    if csv.field_size_limit() < _FIELD_LIMIT:
        csv.field_size_limit(_FIELD_LIMIT)
    reader = csv.reader(stream)
    try:
        header = _header_names(next(reader, []))
    except csv.Error as exc:
        yield 1, None, None, {}, f"unreadable header: {exc}"
        return
    folded = [name.casefold() for name in header]
    if "claim" not in folded:
        yield 1, None, None, {}, f"no 'claim' column in the header (found: {', '.join(header) or 'nothing'})"
        return
    claim_at = folded.index("claim")
    id_at = folded.index("id") if "id" in folded else None
    last = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield last + 1, None, None, {}, f"unreadable row: {exc}; the rest of the file is skipped"
            return
        start, last = last + 1, reader.line_num
        if not row:
            continue  # a blank line
        extra = {name: value for name, fold, value in zip(header, folded, row) if fold not in ("id", "claim")}
        raw_id = row[id_at] if id_at is not None and id_at < len(row) else None
        claim = row[claim_at] if claim_at < len(row) else None
        if len(row) > len(header):
            yield start, raw_id, claim, extra, f"row has {len(row)} fields, the header has {len(header)}"
        elif len(row) < len(header) and claim is None:
            yield start, raw_id, None, extra, "row has fewer fields than the header"
        else:
            yield start, raw_id, claim, extra, None


def _header_names(header: list[str]) -> list[str]:
    """Header names stripped of spacing (and a BOM), blank ones named by position, repeats numbered."""
    names: list[str] = []
    for position, raw in enumerate(header, start=1):
        name = raw.lstrip("\ufeff").strip() or f"column_{position}"
        base, n = name, 2
        while name in names:
            name, n = f"{base}_{n}", n + 1
        names.append(name)
    return names


def record(item: ClaimItem | BadItem, result: Result | dict[str, Any] | None = None,
           error: str | None = None) -> dict[str, Any]:
    """The full output record of one input line: the result (or its `to_dict()`, as a Ray worker sends it),
    or the error, plus carried-through fields."""
    out: dict[str, Any] = {"key": item.key, "line": item.line, "id": item.id}
    if isinstance(item, BadItem) or error or result is None:
        out.update(claim=item.claim, error=error or getattr(item, "error", None) or "no result")
    else:
        fields = result if isinstance(result, dict) else result.to_dict()
        out.update({k: v for k, v in fields.items() if k != "id"}, error=None)
        if "claim_given" in out:  # a cleaned claim (clean_claims): the record keeps the input's, as resuming reads it
            out["claim"], out["claim_checked"] = out.pop("claim_given"), out["claim"]
    if item.extra:
        out["extra"] = item.extra
    return out


def csv_safe(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as written: text that begins with = + - @ tab or carriage return
    gets a leading `'` (so "-3" given as text becomes "'-3"); numbers and other text are left as they are.
    The one rule for every CSV the project writes."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_column(name: str) -> str:
    """The output column of a carried-through field: its own name, or `input_<name>` where an output
    column has that name; made safe for a spreadsheet (`csv_safe`)."""
    return csv_safe(f"input_{name}" if name in CSV_COLUMNS or name.startswith("input_") else name)


def csv_header(extras: Iterable[str]) -> list[str]:
    """The columns of a CSV results file: CSV_COLUMNS, then the carried-through fields."""
    return list(CSV_COLUMNS) + list(dict.fromkeys(csv_column(name) for name in extras))


def csv_row(rec: dict[str, Any]) -> dict[str, Any]:
    """A flat summary of an output record: verdict, reasons and the top statement; extra columns follow.
    Text cells are made safe for a spreadsheet (`csv_safe`); numbers are left as they are."""
    row: dict[str, Any] = {c: "" for c in CSV_COLUMNS}
    row.update(id=rec.get("id") or "", claim=csv_cell(rec.get("claim")), error=rec.get("error") or "",
               line=rec.get("line", ""))
    if not rec.get("error"):
        row.update(
            verdict=rec["verdict"],
            confidence=rec["confidence"],
            reasons=" | ".join(r["text"] for r in rec["reasons"]),
            fact_checks=len(rec.get("fact_checks") or ()),
        )
        if rec.get("fact_checks"):
            closest = rec["fact_checks"][0]
            row.update(fact_check_reviewer=closest["reviewer"], fact_check_rating=closest["rating"],
                       fact_check_normalized_rating=closest["normalized_rating"],
                       fact_check_date=closest["review_date"], fact_check_url=closest["url"],
                       fact_check_similarity=closest["similarity"], fact_check_used=str(closest["used"]).lower())
        if rec["evidence"]:
            top = rec["evidence"][0]
            s = top["statement"]
            row.update(top_statement_id=s["id"], top_statement=s["text"], top_source=s["source"], top_url=s["url"],
                       top_date=s["date"], top_score=top["score"], top_stance=top["stance"])
    for name, value in (rec.get("extra") or {}).items():
        row[csv_column(name)] = csv_cell(value)
    return {name: csv_safe(value) for name, value in row.items()}


def csv_cell(value: Any) -> str | int | float:
    """A CSV cell: text and numbers as they are, nothing as empty, anything else as JSON."""
    if value is None:
        return ""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return value
    return json.dumps(value, ensure_ascii=False)


def to_csv(records: Iterable[dict[str, Any]]) -> str:
    """CSV text for a list of records (the web page's download); columns: CSV_COLUMNS, then extras."""
    records = list(records)
    extras = sorted({name for r in records for name in (r.get("extra") or {})}, key=csv_column)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=csv_header(extras))
    writer.writeheader()
    writer.writerows(csv_row(r) for r in records)
    return out.getvalue()
