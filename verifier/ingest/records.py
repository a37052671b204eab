"""Record-per-line corpus formats: JSONL (one statement object a line, or one fact-check object: a
ClaimReview, a DataFeed or a fact-check search API claim, see claimreview.py) and CSV/TSV (a `text` column)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Iterator, Mapping

from ..errors import InputError
from ..settings import Settings
from ..statement import Statement
from .claimreview import fact_checks, is_fact_check_shape
from .factcheck_files import found
from .problems import Problem

EXTRA = "\x00extra"  # DictReader's key for fields beyond the header


def read_jsonl(path: Path, settings: Settings) -> Iterator[Statement | Problem]:
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8").strip()
            except UnicodeDecodeError as exc:
                yield Problem(str(path), number, f"not UTF-8 ({exc.reason} at byte {exc.start})")
                continue
            if not line:
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Problem(str(path), number, f"invalid JSON: {exc.msg} at column {exc.colno}")
                continue
            except RecursionError:
                yield Problem(str(path), number, "invalid JSON: nested too deep to read")
                continue
            if not isinstance(record, dict):
                yield Problem(str(path), number, f"expected a JSON object, got {type(record).__name__}")
                continue
            if is_fact_check_shape(record):
                yield from found(fact_checks(record), path, number, f"{path.name}:{number}")
                continue
            yield from _statement(record, path, number)


def read_csv(path: Path, settings: Settings) -> Iterator[Statement | Problem]:
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    with open(path, newline="", encoding="utf-8-sig", errors="strict") as fh:
        reader = csv.DictReader(fh, delimiter=delimiter, restkey=EXTRA)
        try:
            header = reader.fieldnames
        except (csv.Error, UnicodeDecodeError) as exc:
            yield Problem(str(path), 1, f"unreadable header: {exc}")
            return
        if not header or "text" not in header:
            found = ", ".join(header or []) or "nothing"
            yield Problem(str(path), 1, f"no 'text' column in the header (found: {found})")
            return
        last_line = reader.line_num
        while True:
            start = last_line + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as exc:
                yield Problem(str(path), reader.line_num or start, f"unreadable row: {exc}; the rest of the file is skipped")
                return
            last_line = reader.line_num
            if EXTRA in row:
                yield Problem(
                    str(path), start,
                    f"row has {len(header) + len(row[EXTRA])} fields, the header has {len(header)}",
                )
                continue
            if any(value is None for value in row.values()):
                missing = [k for k, v in row.items() if v is None]
                if "text" in missing:
                    yield Problem(str(path), start, f"row has fewer fields than the header (no {', '.join(missing)})")
                    continue
            yield from _statement({k: v for k, v in row.items() if v not in (None, "")}, path, start)


def _statement(record: Mapping[str, Any], path: Path, line: int) -> Iterator[Statement | Problem]:
    try:
        yield Statement.from_record({"origin": f"{path.name}:{line}", **record})
    except InputError as exc:
        yield Problem(str(path), line, str(exc))
