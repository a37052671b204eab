"""The batch runner: checks a claims file into a results file in input order, streaming and resumable.

Streaming: the input is read lazily and checked in chunks of `batch_chunk_size` claims; each chunk's
records are appended, flushed and fsynced as soon as it is done, so memory stays flat however long the
input, and a killed run loses only the chunks in flight. While the main thread searches, checks and
writes one chunk, a helper thread reads and embeds the next (the encoder releases the GIL), so the checks
overlap the encoder instead of adding to it. A claim repeated within a chunk is embedded, searched and
checked once.

Resume: a results file holds the records of a prefix of the input, in order. A rerun with the same
`--out` reads it back beside the input, record by record; each record must be the input line's (same key
- the id, or the line number where there is none - and same claim). Those are skipped, a record torn
by a kill is dropped, and the run goes on after them. If a record does not match its line, the input
changed since the results were written: the run refuses (ResumeError) rather than mix two inputs'
results; `overwrite=True` starts the file over. Adding lines at the end of the input is not a change:
the rerun checks just those.
"""

from __future__ import annotations

import dataclasses
import gc
import queue
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import numpy as np

from .. import Result, Settings, Verifier
from .claims import (
    CSV_COLUMNS, BadItem, ClaimItem, claims_format, csv_cell, csv_header, csv_safe, extra_columns, read_claims, record,
)
from .output import Existing, ResultsWriter, ResumeError, Written, output_format

MAX_LISTED_FAILURES = 10

Item = ClaimItem | BadItem


@dataclass
class BatchSummary:
    """What a run did, and what the results file holds at its end."""

    input: str
    output: str
    total: int = 0  # records in the results file
    checked: int = 0  # claims this run checked (or found bad)
    resumed: int = 0  # records an earlier run wrote, skipped
    failed: int = 0  # records with an error, in the whole file
    verdicts: Counter = field(default_factory=Counter)  # over the whole file
    failures: list[dict[str, Any]] = field(default_factory=list)  # the first few: line, key, error
    torn_dropped: bool = False  # a record torn by an interrupted run was dropped
    seconds: float = 0.0
    finished: bool = False

    @property
    def rate(self) -> float:
        return self.checked / self.seconds if self.seconds > 0 else 0.0

    @property
    def exit_code(self) -> int:
        """0: every line was checked; 1: some lines failed (their records carry an error)."""
        return 1 if self.failed else 0

    def count(self, key: str, line: int | None, verdict: str | None, error: str | None) -> None:
        self.total += 1
        if error:
            self.failed += 1
            if len(self.failures) < MAX_LISTED_FAILURES:
                self.failures.append({"line": line, "key": key, "error": error})
        else:
            self.verdicts[verdict] += 1

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out.update(verdicts=dict(self.verdicts), rate=round(self.rate, 2), seconds=round(self.seconds, 2),
                   exit_code=self.exit_code)
        return out


class BatchRun:
    """One run of a claims file into a results file; `summary` tells how far it got, even if interrupted."""

    def __init__(self, verifier: Verifier, claims: str | Path, out: str | Path, *, k: int | None = None,
                 overwrite: bool = False, progress: bool = False):
        self.verifier = verifier
        self._setup(verifier.settings, claims, out, k, overwrite, progress)
        self._encoding = verifier.batch_encoder()

    def _setup(self, settings: Settings, claims: str | Path, out: str | Path, k: int | None, overwrite: bool,
               progress: bool) -> None:
        """What every engine's run needs: the files, their formats, the options and the summary."""
        self.settings = settings
        self.claims, self.out = Path(claims), Path(out)
        self.in_fmt, self.out_fmt = claims_format(str(claims)), output_format(out)
        self.k = k
        self.overwrite = overwrite
        self.progress = progress
        self.chunk_size = settings.batch_chunk_size
        if self.chunk_size < 1:
            raise ResumeError("batch_chunk_size must be at least 1", "batch_chunk_size")
        self.summary = BatchSummary(str(claims), str(out))
        self._started = 0.0

    def run(self) -> BatchSummary:
        self._started = time.perf_counter()
        if self.claims.resolve() == self.out.resolve():
            raise ResumeError(f"--out {self.out} is the claims file itself; write the results to another file", "out")
        extras = self._extras()
        if self.overwrite:
            self.out.unlink(missing_ok=True)
        try:
            with self._open_claims() as stream:
                items = read_claims(stream, self.in_fmt, self.settings)
                self._skip_written(items, extras)
                with ResultsWriter(self.out, self.out_fmt, extras) as writer, _rare_full_collections():
                    self._check_rest(items, writer)
            self.summary.finished = True
        finally:
            self.summary.seconds = time.perf_counter() - self._started
        return self.summary

    # --- resume --------------------------------------------------------------------------------------
    def _skip_written(self, items: Iterator[Item], extras: list[str]) -> None:
        """Consume the input lines whose records the results file already holds; check they match."""
        if not self.out.is_file() or self.out.stat().st_size == 0:
            return
        existing = Existing(self.out, self.out_fmt)
        for written in existing.records():
            item = next(items, None)
            if item is None:
                raise ResumeError(
                    f"{self.out} holds more records than {self.claims} has claims (record {self.summary.total + 1} "
                    f"is {written.key}): the input changed since the results were written; use --overwrite to "
                    "start over, or another --out", "out")
            if not _matches(item, written, self.out_fmt):
                raise ResumeError(
                    f"{self.claims} line {item.line} ({_describe(item.key, item.claim)}) is not what {self.out} "
                    f"holds for it ({_describe(written.key, written.claim)}): the input changed since the results "
                    "were written; use --overwrite to start over, or another --out", "out")
            self.summary.count(item.key, item.line, written.verdict, written.error)
            self.summary.resumed += 1
        if existing.header is not None and existing.header != csv_header(extras):
            fixed = len(CSV_COLUMNS)
            raise ResumeError(
                f"{self.out} carries the columns {existing.header[fixed:]} but {self.claims} now has "
                f"{csv_header(extras)[fixed:]}: the input changed since the results were written; use --overwrite "
                "to start over, or another --out", "out")
        if existing.torn:
            existing.cut()
            self.summary.torn_dropped = True

    # --- checking ------------------------------------------------------------------------------------
    def _check_rest(self, items: Iterator[Item], writer: ResultsWriter) -> None:
        bar = self._bar()
        chunks = iter(lambda: list(islice(items, self.chunk_size)), [])
        prefetch = _Prefetch(chunks, self._embed)
        try:
            for chunk, (texts, vectors) in prefetch:
                results = self.verifier.check_many(texts, self.k, vectors=vectors, return_exceptions=True) if texts else []
                records = self._records(chunk, dict(zip(texts, results)))
                writer.write(records)
                self._count(chunk, records, bar)
        finally:
            prefetch.close()
            self._encoding.close()
            if bar is not None:
                bar.close()

    def _embed(self, chunk: list[Item]) -> tuple[list[str], np.ndarray | None]:
        # Only the embedding runs in the helper thread: it holds the GIL for moments in seconds of work. The
        # retrieval (BM25, fusion, SQLite) takes and drops it thousands of times a chunk, and each time waits
        # for the checks to yield it (a 5 ms switch interval): 256 claims took 31 s beside the checks, 0.2 s
        # alone, so it runs in the main thread between the checks.
        texts = list(dict.fromkeys(item.claim for item in chunk if isinstance(item, ClaimItem)))
        return texts, (self.verifier.embed(texts, self._encoding.encode) if texts else None)

    def _records(self, chunk: list[Item], done: dict[str, Result | Exception]) -> list[dict[str, Any]]:
        """The chunk's records from the results of its distinct claims (a repeated claim is checked once)."""
        records = []
        for item in chunk:
            if isinstance(item, BadItem):
                records.append(record(item))
                continue
            outcome = done[item.claim]
            if isinstance(outcome, Exception):  # a bug a claim's text triggers in the checks: its line fails, the run goes on
                records.append(record(item, error=internal_error(outcome)))
            else:
                records.append(record(item, dataclasses.replace(outcome, id=item.id)))
        return records

    def _count(self, chunk: list[Item], records: list[dict[str, Any]], bar: Any) -> None:
        for item, rec in zip(chunk, records):
            self.summary.count(item.key, item.line, rec.get("verdict"), rec.get("error"))
        self.summary.checked += len(chunk)
        if bar is not None:
            bar.update(len(chunk))

    # --- files and progress --------------------------------------------------------------------------
    def _open_claims(self) -> Any:
        return open(self.claims, encoding="utf-8-sig", newline="" if self.in_fmt == "csv" else None)

    def _extras(self) -> list[str]:
        """The carried-through columns of a CSV results file (JSONL records carry them as they are)."""
        if self.out_fmt != "csv":
            return []
        with self._open_claims() as stream:
            return extra_columns(stream, self.in_fmt)

    def _bar(self) -> Any:
        if not self.progress:
            return None
        from tqdm import tqdm

        with self._open_claims() as stream:
            total = sum(1 for _ in read_claims(stream, self.in_fmt, self.settings))
        return tqdm(total=total, initial=self.summary.resumed, unit="claim", desc="Checking", dynamic_ncols=True,
                    smoothing=0.1)


def run_batch(verifier: Verifier, claims: str | Path, out: str | Path, **options: Any) -> BatchSummary:
    """Check every claim of `claims` (.txt/.csv/.jsonl) into `out` (.jsonl/.csv); see the module docstring."""
    return BatchRun(verifier, claims, out, **options).run()


def internal_error(exc: BaseException) -> str:
    """The error of a line whose text triggered a bug in the checks (its line fails, the run goes on)."""
    return f"internal error while checking this claim ({type(exc).__name__}: {exc}); please report it"


def _matches(item: Item, written: Written, fmt: str) -> bool:
    if fmt == "csv":  # a CSV holds the id and claim as written: made safe for a spreadsheet (csv_safe)
        key = csv_safe(item.id) if item.id else item.key
        return key == written.key and str(csv_safe(csv_cell(item.claim))) == written.claim
    return item.key == written.key and written.claim == item.claim


def _describe(key: str, claim: Any) -> str:
    text = claim if isinstance(claim, str) else repr(claim)
    return f"{key}: {text[:60]!r}" + ("…" if len(text) > 60 else "")


@contextmanager
def _rare_full_collections() -> Iterator[None]:
    """No full garbage collection while the run lasts (young ones, less often, still free any cycles).

    The checks' memo caches and the gazetteer hold a million objects, and every full collection walks them
    all: with CPython's default thresholds that was a quarter of the checks' time (9.1 s against 6.9 s for
    2,000 claims, benchmarks/batch.py). The thresholds are restored afterwards.
    """
    before = gc.get_threshold()
    gc.set_threshold(10_000, 100, 1_000_000_000)
    try:
        yield
    finally:
        gc.set_threshold(*before)


class _Prefetch:
    """Runs `work` on the next chunk in a helper thread while the caller handles the current one.

    One finished chunk waits at most, so memory holds about three chunks. An exception in the helper
    (KeyboardInterrupt included) is raised in the caller when it reaches that chunk.
    """

    def __init__(self, chunks: Iterable[list[Item]], work: Callable[[list[Item]], Any]):
        self._queue: queue.Queue = queue.Queue(maxsize=1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(chunks, work), name="batch-search", daemon=True)
        self._thread.start()

    def _run(self, chunks: Iterable[list[Item]], work: Callable[[list[Item]], Any]) -> None:
        try:
            for chunk in chunks:
                if self._stop.is_set():
                    return
                self._put(("chunk", chunk, work(chunk)))
            self._put(("end", None, None))
        except BaseException as exc:  # handed to the caller, which raises it
            self._put(("error", exc, None))

    def _put(self, message: tuple) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(message, timeout=0.1)
                return
            except queue.Full:
                continue

    def __iter__(self) -> Iterator[tuple[list[Item], Any]]:
        while True:
            kind, chunk, result = self._queue.get()
            if kind == "end":
                return
            if kind == "error":
                raise chunk
            yield chunk, result

    def close(self) -> None:
        """Stop the helper; it finishes the chunk it is on and exits."""
        self._stop.set()
        self._thread.join(timeout=5)
