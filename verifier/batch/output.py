"""Results files of a batch run: appending whole records durably, and reading back what an earlier run wrote.

A run appends each chunk's records in one write, then flushes and fsyncs, so a killed run leaves whole
records followed at worst by one torn record (the kill came mid-write). `Existing` reads a results file
back record by record and knows where the last whole record ends; `cut()` drops anything after it before
a resumed run appends. A record is whole when it ends with a newline and parses: a JSON object for
JSONL; for CSV (read strictly, so a quoted field left open by the kill is an error, not a short value) a
row with as many fields as the header. An unreadable record with whole records after it was not torn by
a kill: the file was edited or is not a results file, and resuming refuses it.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import orjson

from .. import InputError
from .claims import CSV_COLUMNS, csv_header, csv_row

OUTPUT_FORMATS = ("jsonl", "csv")


class ResumeError(InputError):
    """The results file cannot be resumed: it is not a results file, or the input changed under it."""


def output_format(name: str | os.PathLike[str]) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in OUTPUT_FORMATS:
        raise InputError(f"results file {str(name)!r} must end in .jsonl (everything) or .csv (a summary)", "out")
    return suffix


@dataclass(frozen=True)
class Written:
    """What resume needs of one record an earlier run wrote."""

    key: str
    claim: Any  # as written: the claim text, or a bad line's raw value (a CSV cell for CSV)
    verdict: str | None
    error: str | None


class ResultsWriter:
    """Appends chunks of records to a results file; each chunk is on disk before `write` returns."""

    def __init__(self, path: Path, fmt: str, extras: list[str] | None = None):
        self.fmt = fmt
        self._columns = csv_header(extras or [])
        self._fh = open(path, "ab")
        if fmt == "csv" and self._fh.tell() == 0:
            self._append(_csv_text([self._columns]).encode("utf-8"))

    @property
    def columns(self) -> list[str]:
        return self._columns

    def write(self, records: list[dict[str, Any]]) -> None:
        if not records:
            return
        if self.fmt == "jsonl":
            data = b"".join(_json_line(r) for r in records)
        else:
            rows = [csv_row(r) for r in records]
            data = _csv_text([[row.get(c, "") for c in self._columns] for row in rows]).encode("utf-8")
            unknown = {k for row in rows for k in row} - set(self._columns)
            if unknown:  # the header is fixed when the file is made; losing a field silently is worse than stopping
                raise ResumeError(f"records have fields {sorted(unknown)} that the results file has no column for")
        self._append(data)

    def _append(self, data: bytes) -> None:
        self._fh.write(data)
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> "ResultsWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _json_line(rec: dict[str, Any]) -> bytes:
    # orjson: a run spends a tenth of the time json.dumps takes on these 15 KB records (benchmarks/batch.py)
    try:
        return orjson.dumps(rec) + b"\n"
    except (orjson.JSONEncodeError, TypeError):
        # A lone surrogate (escaped, the only lossless way to write it), a key that is not a string, an
        # integer beyond 64 bits: what orjson refuses and json writes.
        return (json.dumps(rec) + "\n").encode("utf-8")


def _csv_text(rows: list[list[Any]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


class Existing:
    """The records of a results file an earlier run wrote, read lazily; `end` is the byte offset just past
    the last whole record read so far, and `header` the CSV columns."""

    def __init__(self, path: Path, fmt: str):
        self.path = path
        self.fmt = fmt
        self.end = 0
        self.header: list[str] | None = None
        self.torn = False  # whether a torn record was found (and will be cut)

    def records(self) -> Iterator[Written]:
        with open(self.path, "rb") as fh:
            yield from self._jsonl(fh) if self.fmt == "jsonl" else self._csv(fh)

    def cut(self) -> None:
        """Drop whatever follows the last whole record (a record torn by a kill)."""
        if self.path.stat().st_size > self.end:
            with open(self.path, "r+b") as fh:
                fh.truncate(self.end)
                fh.flush()
                os.fsync(fh.fileno())

    def _jsonl(self, fh: Any) -> Iterator[Written]:
        offset = 0
        for number, raw in enumerate(fh, start=1):
            offset += len(raw)
            if not raw.endswith(b"\n"):
                self.torn = True  # only the last line can lack its newline
                return
            written = _parse_json_record(raw)
            if written is None:
                raise self._not_results(number)
            self.end = offset
            yield written

    def _csv(self, fh: Any) -> Iterator[Written]:
        if csv.field_size_limit() < 2**31 - 1:
            csv.field_size_limit(2**31 - 1)
        lines = _Lines(fh)
        reader = csv.reader(lines, strict=True)
        try:
            header = next(reader)
        except (StopIteration, csv.Error, UnicodeDecodeError):
            header = None
        ours = ",".join(CSV_COLUMNS)
        if header is None or not lines.whole:
            fh.seek(0)
            start = fh.read(len(ours) + 1).decode("utf-8", errors="replace")
            if not (ours.startswith(start) or start.startswith(ours)):
                raise self._not_results(1)
            self.torn = bool(start)
            return  # empty, or killed while writing the header: start over
        self.header, self.end = header, lines.offset
        if header[: len(CSV_COLUMNS)] != list(CSV_COLUMNS):
            raise self._not_results(1)
        bad = None
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except (csv.Error, UnicodeDecodeError):
                bad = reader.line_num or 1
                break  # a strict reader cannot go on past an error
            if not lines.whole or len(row) != len(header):
                bad = reader.line_num
                break
            self.end = lines.offset
            yield _csv_record(dict(zip(header, row)))
        if bad is not None and lines.rest_has_records(self.end, len(header)):
            raise self._not_results(bad)
        self.torn = bad is not None

    def _not_results(self, line: int) -> ResumeError:
        return ResumeError(
            f"{self.path}:{line} is not a record of `verifier batch` (and no record torn by an interrupted run): "
            "the file was edited or is something else; use --overwrite to replace it, or another --out"
        )


class _Lines:
    """Decoded lines of a binary file for the csv reader, counting the bytes handed over so far."""

    def __init__(self, fh: Any):
        self._fh = fh
        self.offset = 0
        self.whole = True  # whether the last line handed over ended with a newline

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        raw = self._fh.readline()
        if not raw:
            raise StopIteration
        self.offset += len(raw)
        self.whole = raw.endswith(b"\n")
        return raw.decode("utf-8-sig" if self.offset == len(raw) else "utf-8")

    def rest_has_records(self, end: int, width: int) -> bool:
        """Whether whole records follow a bad one at `end`: from some later line on, the rest of the file
        reads as whole rows. A kill tears only the last record, whose tail never does."""
        self._fh.seek(end)
        rest = self._fh.read().decode("utf-8", errors="replace")
        if not rest.endswith("\n"):
            return False
        lines = rest.splitlines(keepends=True)
        for i in range(1, len(lines)):
            try:
                rows = list(csv.reader(io.StringIO("".join(lines[i:]), newline=""), strict=True))
            except csv.Error:
                continue
            if rows and all(len(r) == width for r in rows):
                return True
        return False


def _parse_json_record(raw: bytes) -> Written | None:
    try:
        rec = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    if not isinstance(rec, dict) or not isinstance(rec.get("key"), str):
        return None
    return Written(rec["key"], rec.get("claim"), rec.get("verdict"), rec.get("error"))


def _csv_record(row: dict[str, str]) -> Written:
    key = row["id"] or f"line:{row['line']}"
    return Written(key, row["claim"], row["verdict"] or None, row["error"] or None)
