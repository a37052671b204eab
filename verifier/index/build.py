"""Building and extending an index: read, drop duplicates, embed, store, and switch generations atomically."""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..encoder import Encoder, load_encoder
from ..errors import CorpusError, NoStatements
from ..ingest import Problem, read_corpus
from ..settings import Settings
from ..statement import Statement
from .context import check_mode, vector_text
from .dedupe import Duplicate, exact_duplicates, near_duplicates
from .folder import IndexFolder
from .integrity import open_generation
from .lexical import LexicalIndex
from .manifest import Manifest, now
from .store import DB, StatementStore
from .stores import appended_store, chosen_store, discarder, new_store, placement


@dataclass(frozen=True)
class BuildReport:
    index: str
    added: int
    total: int
    duplicates: tuple[Duplicate, ...]
    problems: tuple[Problem, ...]
    files: tuple[str, ...]
    seconds: float
    encode_seconds: float

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
) -> BuildReport:
    """Index corpus files and/or statements into `root`; with `append`, add them to the live index.

    Nothing is visible until the whole build succeeded: an error or an interruption leaves the previous
    index exactly as it was.
    """
    started = time.perf_counter()
    settings = settings or Settings()
    corpus = read_corpus(paths, settings, strict=strict)
    incoming = corpus.statements + list(statements)
    problems = list(corpus.problems)
    folder = IndexFolder(root)
    store_kind = chosen_store(settings)  # a bad setting is refused before anything is read or written
    # Appending starts from the live generation; a folder whose CURRENT names none is IndexDamaged, never
    # an empty index to append to (that would keep only the new statements).
    base = folder.live() if append else None
    base_manifest = Manifest.load(base) if base else None
    if not incoming and base is None:  # an empty index would be no index (bm25s cannot even save one)
        where = ", ".join(str(p) for p in paths) or "the statements given"
        why = f"{len(problems)} malformed record{'s' if len(problems) != 1 else ''} skipped" if problems else "none found"
        raise NoStatements(f"no valid statements to index in {where} ({why}); the previous index, if any, is "
                           "unchanged", tuple(problems))
    if encoder is None:
        backend = base_manifest.encoder_backend if base_manifest else settings.encoder_backend
        encoder = load_encoder(settings, backend)
    if base_manifest:
        base_manifest.check_model(encoder.model)
    context = check_mode(base_manifest.index_context if base_manifest else settings.index_context)

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
            vectors = new_store(Path(root), staging, settings, encoder.dim, settings.vector_index, store_kind)
        store = StatementStore(staging)
        try:
            kept, duplicates, clashes = exact_duplicates(incoming, store)
            for statement in clashes:
                problem = _clash_problem(statement)
                if strict:
                    raise CorpusError(problem.message + " (--strict refuses the file)", problem.path, problem.line)
                problems.append(problem)
            encode_started = time.perf_counter()
            embedded = encoder.encode([vector_text(s, context) for s in kept], progress=progress)
            encode_seconds = time.perf_counter() - encode_started
            keep, near = near_duplicates(kept, embedded, vectors, store, settings)
            kept = [kept[i] for i in keep]
            store.add(kept, start=len(vectors))
            vectors.add(embedded[keep])
            LexicalIndex.build(store.texts(context)).save(staging)
            vectors.save(staging)
            stamp = now()
            Manifest(
                model_name=encoder.model.name,
                model_sha256=encoder.model.weights_sha256,
                dim=encoder.dim,
                encoder_backend=encoder.backend,
                vector_index=vectors.kind,
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
    return BuildReport(
        index=str(root),
        added=len(kept),
        total=total,
        duplicates=tuple(duplicates + near),
        problems=tuple(problems),
        files=tuple(corpus.files),
        seconds=time.perf_counter() - started,
        encode_seconds=encode_seconds,
    )


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
