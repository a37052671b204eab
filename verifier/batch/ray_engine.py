"""`verifier batch --engine ray`: the same batch run, its claims checked on Ray Data.

The driver (this process) does what the local run does around the checks: it reads the claims file,
skips and verifies what the results file already holds (the same resume rules, `BatchRun._skip_written`),
writes the records in input order a chunk at a time (flushed and fsynced), counts the summary and moves
the progress bar. The checks run in `Dataset.map_batches` over an actor pool: each actor opens one
`Verifier` on the index once and checks `batch_chunk_size` claims per call (a claim repeated within a
batch is checked once), and sends back each result's `to_dict()` as JSON, the form the records are made
of. `preserve_order` makes Ray hand the batches back in input order, so the file is written as the local
run writes it and an interrupted run resumes the same way.

Without an address Ray starts on this machine; with one (`ray://host:10001` or `host:6379`, or `auto`)
the actors run on that cluster, where the package and the index folder must be at the same path (and a
Milvus-backed index reachable through a server `milvus_uri`: Milvus Lite serves one process at a time).

The driver holds the claims still to check (their text, id, line and carried fields) while Ray works on
them, so its memory grows with the input, unlike the local run's; results are written and dropped a
chunk at a time.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import Any, Iterator

from .. import Settings, Verifier
from ..errors import SettingsError, VerifierError
from .claims import ClaimItem, record
from .output import ResultsWriter
from .run import BatchRun, Item, internal_error


class RayBatchRun(BatchRun):
    """A BatchRun whose checks run on Ray actors; `actors` defaults to the cluster's CPUs."""

    def __init__(self, index: str | os.PathLike[str], settings: Settings, claims: str | Path, out: str | Path, *,
                 address: str | None = None, actors: int | None = None, k: int | None = None,
                 overwrite: bool = False, progress: bool = False):
        self.verifier = None  # the actors load it; the driver loads no model
        self._setup(settings, claims, out, k, overwrite, progress)
        self.index = str(Path(index).resolve())
        info = Verifier.inspect(self.index)  # no index, or another format: refused before Ray starts
        if actors is not None and actors < 1:
            raise SettingsError("--actors must be at least 1")
        self.address = address
        self.actors = actors
        self.timings: dict[str, float] = {}  # seconds into the run: Ray started, first results back (benchmarks/scale.py)
        self._milvus_lite = info.vector_store == "milvus" and "://" not in (settings.milvus_uri or info.milvus_uri)

    def _check_rest(self, items: Iterator[Item], writer: ResultsWriter) -> None:
        ray = _start(self.address)
        self.timings["ray_started"] = time.perf_counter() - self._started
        actors = self.actors or max(1, int(ray.cluster_resources().get("CPU", 1)))
        if self._milvus_lite and actors > 1:
            raise SettingsError(
                f"this index keeps its vectors in Milvus Lite, which serves one process at a time, and {actors} Ray "
                "actors would open it; use --actors 1, or serve the vectors from a Milvus server (milvus_uri)")
        pending = list(items)
        bar = self._bar()
        try:
            claims = [{"seq": i, "claim": item.claim} for i, item in enumerate(pending) if isinstance(item, ClaimItem)]
            done: dict[int, Any] = {}
            written = ready = 0  # records written; input lines whose result is in
            for batch in (self._results(ray, claims, actors) if claims else ()):
                done.update(batch)
                self.timings.setdefault("first_results", time.perf_counter() - self._started)
                while ready < len(pending) and (not isinstance(pending[ready], ClaimItem) or ready in done):
                    ready += 1
                while ready - written >= self.chunk_size:  # the local run's chunks: chunk_size lines a write
                    written = self._write(pending, written, written + self.chunk_size, done, writer, bar)
            while written < len(pending):  # the last chunk, bad lines included
                written = self._write(pending, written, min(written + self.chunk_size, len(pending)), done, writer, bar)
        finally:
            if bar is not None:
                bar.close()

    def _results(self, ray: Any, claims: list[dict[str, Any]], actors: int) -> Iterator[dict[int, Any]]:
        """{input position: result dict, or the exception's text} per batch, in input order."""
        import ray.data

        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        logging.getLogger("ray.data").setLevel(logging.WARNING)
        settings = self.settings.replace(threads=1)  # one core per actor: ONNX and FAISS use one thread each
        dataset = ray.data.from_items(claims, override_num_blocks=max(1, -(-len(claims) // self.chunk_size)))
        checked = dataset.map_batches(
            _Checker, fn_constructor_args=(self.index, settings, self.k), batch_size=self.chunk_size,
            batch_format="pandas", compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=1,
        )
        for batch in checked.iter_batches(batch_size=self.chunk_size, batch_format="pandas", prefetch_batches=1):
            yield {int(seq): json.loads(result) for seq, result in zip(batch["seq"], batch["result"])}

    def _write(self, pending: list[Item], start: int, end: int, done: dict[int, Any], writer: ResultsWriter,
               bar: Any) -> int:
        chunk, records = pending[start:end], []
        for seq, item in enumerate(chunk, start):
            if not isinstance(item, ClaimItem):
                records.extend(self._records([item], {}))
                continue
            outcome = done.pop(seq)
            if "exception" in outcome:
                records.append(record(item, error=outcome["exception"]))
            else:
                records.append(record(item, outcome))
        writer.write(records)
        self._count(chunk, records, bar)
        return end


class _Checker:
    """One Ray actor: a Verifier loaded once, checking a batch of claims per call."""

    def __init__(self, index: str, settings: Settings, k: int | None):
        self.verifier = Verifier.open(index, settings)
        self.k = k

    def __call__(self, batch: Any) -> Any:
        texts = list(batch["claim"])
        unique = list(dict.fromkeys(texts))
        outcomes = dict(zip(unique, self.verifier.check_many(unique, self.k, return_exceptions=True)))
        batch = batch[["seq"]].copy()
        batch["result"] = [
            json.dumps({"exception": internal_error(o)} if isinstance(o, Exception) else o.to_dict(), ensure_ascii=False)
            for o in (outcomes[t] for t in texts)
        ]
        return batch


def _start(address: str | None) -> Any:
    """Ray, joined to `address` or started on this machine (once per process; a test may have started it)."""
    try:
        import ray
    except ImportError as exc:
        raise SettingsError('--engine ray needs Ray: pip install -e ".[scale]"') from exc
    if not ray.is_initialized():
        try:
            ray.init(address=address, include_dashboard=False, log_to_driver=False, configure_logging=False,
                     logging_level=logging.WARNING)
        except Exception as exc:  # Ray raises bare Exceptions and ConnectionErrors for a cluster it cannot reach or start
            where = f"the Ray cluster at {address}" if address else "a local Ray"
            raise VerifierError(f"could not start or join {where}: {exc}") from exc
    return ray
