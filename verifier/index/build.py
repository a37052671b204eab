"""Building and extending an index: read, drop duplicates, embed, store, and switch generations atomically."""

from __future__ import annotations

import itertools
import os
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from ..encoder import Encoder, load_encoder
from ..encoder.model_files import model_path_for_index
from ..errors import CorpusError, NoStatements
from ..ingest import Problem, iter_file, reader_for
from ..settings import Settings
from ..statement import Statement
from .dedupe import Duplicate, exact_duplicates, near_duplicates
from .context import check_mode, lexical_text, vector_text
from .folder import IndexFolder
from .integrity import open_generation
from .lexical import LexicalBuilder
from .manifest import Manifest, now
from .store import DB, StatementStore
from .stores import appended_store, chosen_store, discarder, new_store, placement
from .vectors import FaissStore, VectorStore, choose_kind

CHUNK = 4096  # statements read, embedded and written at a time
TIMED = ("encode", "near_duplicates", "vector_index", "lexical", "features")
# What the checks extract from a statement, to store beside it (verifier/checks/stored.py); the core passes
# it in, so that the index does not depend on the checks.
Features = Callable[[Statement], "bytes | None"]


@dataclass(frozen=True)
class BuildReport:
    index: str
    added: int
    total: int
    duplicates: tuple[Duplicate, ...]
    problems: tuple[Problem, ...]
    files: tuple[str, ...]
    seconds: float
    encode_seconds: float  # wall-clock seconds in the encoder
    near_duplicate_seconds: float = 0.0  # wall-clock seconds in the near-duplicate pass
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # the process's CPU time: build, encode, ...

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "added": self.added,
            "total": self.total,
            "duplicates": [d.to_dict() for d in self.duplicates],
            "problems": [p.to_dict() for p in self.problems],
            "files": list(self.files),
            "seconds": round(self.seconds, 3),
            "encode_seconds": round(self.encode_seconds, 3),
            "near_duplicate_seconds": round(self.near_duplicate_seconds, 3),
            "cpu_seconds": {name: round(value, 3) for name, value in self.cpu_seconds.items()},
        }


def build_index(
    root: str | os.PathLike[str],
    paths: Sequence[str | os.PathLike[str]] = (),
    statements: Iterable[Statement] = (),
    *,
    settings: Settings | None = None,
    append: bool = False,
    strict: bool = False,
    progress: bool = False,
    encoder: Encoder | None = None,
    chunk_size: int = CHUNK,
    features: Features | None = None,
) -> BuildReport:
    """Index corpus files and/or statements into `root`; with `append`, add them to the live index.

    Statements stream through in chunks of `chunk_size`: each chunk is checked for duplicates against what
    is already indexed (SQLite for exact ones, the vector index for near ones), embedded, and written, so
    memory holds one chunk of statements besides the vectors and the lexical index's token ids.
    Nothing is visible until the whole build succeeded: an error or an interruption leaves the previous
    index exactly as it was. `features`, when given, is stored beside each new statement.
    """
    started, cpu_started = time.perf_counter(), time.process_time()
    settings = settings or Settings()
    for path in paths:  # refuse an unknown format or a missing file before reading anything
        reader_for(Path(path))
        if not Path(path).is_file():
            raise CorpusError("no such file", path=str(path))
    problems: list[Problem] = []
    chunks = _chunks(_statements(paths, statements, settings, strict, problems), max(1, chunk_size))
    first = next(chunks, [])
    folder = IndexFolder(root)
    store_kind = chosen_store(settings)  # a bad setting is refused before anything is read or written
    # Appending starts from the live generation; a folder whose CURRENT names none is IndexDamaged, never
    # an empty index to append to (that would keep only the new statements).
    base = folder.live() if append else None
    base_manifest = Manifest.load(base) if base else None
    if not first and base is None:  # an empty index would be no index (bm25s cannot even save one)
        _no_statements(paths, problems)
    if encoder is None:
        backend = base_manifest.encoder_backend if base_manifest else settings.encoder_backend
        model_path = model_path_for_index(settings.model_path, base_manifest.model_name) if base_manifest else None
        encoder = load_encoder(settings.replace(model_path=model_path) if model_path else settings, backend)
    if base_manifest:
        base_manifest.check_model(encoder.model)
    context = check_mode(base_manifest.index_context if base_manifest else settings.index_context)

    bar = _progress_bar() if progress else None
    with folder.writing(discard=discarder(Path(root), settings)) as staging:
        if append and folder.live() != base:  # another writer switched generations before we had the lock
            base = folder.live()
            base_manifest = Manifest.load(base) if base else None
            if base_manifest:
                base_manifest.check_model(encoder.model)
        if base and base_manifest:
            # The live generation's statements (and FAISS vectors) are carried over only once found whole and
            # in agreement (IndexDamaged otherwise: appending to 5 of 15 vectors would lose 10 statements for
            # good); its BM25 index is not needed, as the new generation's is built from all the statements.
            live = open_generation(base, lexical=False)
            try:
                _copy_statements(base, staging)
            finally:
                live.store.close()
            vectors = appended_store(Path(root), staging, base, base_manifest, settings)
        else:
            kind = choose_kind(settings.vector_index, 0, settings.approximate_from)
            vectors = new_store(Path(root), staging, settings, encoder.dim, kind, store_kind)
        store = StatementStore(staging)
        try:
            lexical = LexicalBuilder.from_texts(store.texts(context=context)) if base else LexicalBuilder()
            kept_total, duplicates, timing = 0, [], dict.fromkeys(TIMED, 0.0)
            for chunk in itertools.chain([first], chunks):
                kept, dups = _add_chunk(chunk, encoder, vectors, store, lexical, settings, strict, problems, timing,
                                        context, features)
                kept_total += kept
                duplicates += dups
                with _timed(timing, "vector_index"):
                    vectors = _grown(vectors, settings)
                if bar is not None:
                    bar.update(len(chunk))
            with _timed(timing, "lexical"):
                lexical.build().save(staging)
            vectors.save(staging)
            stamp = now()
            Manifest(
                model_name=encoder.model.name,
                model_sha256=encoder.model.weights_sha256,
                dim=encoder.dim,
                encoder_backend=encoder.backend,
                vector_index=vectors.kind,
                ef_search=getattr(vectors, "ef_search", 0),
                count=len(store),
                created=base_manifest.created if base_manifest else stamp,
                updated=stamp,
                sources=store.counts("source"),
                publishers=store.counts("publisher"),
                dates=store.date_range(),
                index_context=context,
                **placement(vectors, staging),
            ).save(staging)
            total = len(store)
        finally:
            store.close()
            if bar is not None:
                bar.close()
    return BuildReport(
        index=str(root),
        added=kept_total,
        total=total,
        duplicates=tuple(duplicates),
        problems=tuple(problems),
        files=tuple(str(p) for p in paths),
        seconds=time.perf_counter() - started,
        encode_seconds=timing["encode"],
        near_duplicate_seconds=timing["near_duplicates"],
        cpu_seconds={"build": time.process_time() - cpu_started,
                     **{name[4:]: value for name, value in timing.items() if name.startswith("cpu ")}},
    )


def _add_chunk(
    chunk: list[Statement],
    encoder: Encoder,
    vectors: VectorStore,
    store: StatementStore,
    lexical: LexicalBuilder,
    settings: Settings,
    strict: bool,
    problems: list[Problem],
    timing: dict[str, float],
    context: str = "none",
    features: Features | None = None,
) -> tuple[int, list[Duplicate]]:
    """Drop the chunk's duplicates of anything indexed so far (or earlier in the chunk), embed and write
    the rest; returns (statements added, duplicates dropped)."""
    kept, duplicates, clashes = exact_duplicates(chunk, store)
    for statement in clashes:
        problem = _clash_problem(statement)
        if strict:
            raise CorpusError(problem.message + " (--strict refuses the file)", problem.path, problem.line)
        problems.append(problem)
    with _timed(timing, "encode"):
        embedded = encoder.encode([vector_text(s, context) for s in kept])
    with _timed(timing, "near_duplicates"):
        keep, near = near_duplicates(kept, embedded, vectors, store, settings)
    kept = [kept[i] for i in keep]
    with _timed(timing, "features"):
        stored = [features(s) for s in kept] if features else None
    store.add(kept, start=len(vectors), features=stored)
    with _timed(timing, "vector_index"):
        vectors.add(embedded[keep])
    lexical.add(lexical_text(s.text, s.title, s.context, context) for s in kept)
    return len(kept), duplicates + near


def _grown(vectors: VectorStore, settings: Settings) -> VectorStore:
    """With vector_index=auto, exact search becomes HNSW once the index holds `approximate_from` vectors
    (FAISS; a Milvus collection keeps the kind it was created with)."""
    if isinstance(vectors, FaissStore) and vectors.kind == "flat" and settings.vector_index == "auto":
        kind = choose_kind("auto", len(vectors), settings.approximate_from)
        if kind != "flat":
            return vectors.converted(kind, settings.hnsw_ef_search)
    return vectors


def _statements(
    paths: Sequence[str | os.PathLike[str]],
    statements: Iterable[Statement],
    settings: Settings,
    strict: bool,
    problems: list[Problem],
) -> Iterator[Statement]:
    """Every statement of the files, then the given ones, read lazily; malformed records go to `problems`
    (with `strict`, the first one stops the build)."""
    for path in paths:
        for item in iter_file(path, settings):
            if isinstance(item, Problem):
                if strict:
                    raise CorpusError(item.message + " (--strict refuses the file)", item.path, item.line)
                problems.append(item)
            else:
                yield item
    yield from statements


def _chunks(items: Iterator[Statement], size: int) -> Iterator[list[Statement]]:
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def _no_statements(paths: Sequence, problems: list[Problem]) -> None:
    where = ", ".join(str(p) for p in paths) or "the statements given"
    why = f"{len(problems)} malformed record{'s' if len(problems) != 1 else ''} skipped" if problems else "none found"
    raise NoStatements(f"no valid statements to index in {where} ({why}); the previous index, if any, is "
                       "unchanged", tuple(problems))


@contextmanager
def _timed(timing: dict[str, float], name: str) -> Iterator[None]:
    """Add the block's wall-clock time to timing[name] and its CPU time (all threads) to timing["cpu " + name]."""
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        timing[name] = timing.get(name, 0.0) + time.perf_counter() - wall
        timing["cpu " + name] = timing.get("cpu " + name, 0.0) + time.process_time() - cpu


def _progress_bar():
    from tqdm import tqdm

    return tqdm(desc="Indexing", unit="statement")


def _copy_statements(source: Path, target: Path) -> None:
    # The SQLite backup API copies a consistent snapshot even if a reader has the file open.
    with sqlite3.connect(f"file:{source / DB}?mode=ro", uri=True) as src, sqlite3.connect(target / DB) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _clash_problem(statement: Statement) -> Problem:
    origin = str(statement.meta.get("origin", ""))
    path, _, line = origin.rpartition(":")
    return Problem(
        path or origin or "(statements)",
        int(line) if line.isdigit() else None,
        f"id {statement.id!r} is already used by a different statement; give this one another id",
    )
