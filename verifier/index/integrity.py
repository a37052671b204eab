"""Opening a generation: every part loaded and checked against the others before any query, so a damaged
index fails at once with one line naming the file, never with a traceback, a dead server or wrong answers.

    manifest.json       present, JSON, every field a query needs, of its type      (manifest.py)
    statements.sqlite   SQLite's quick_check; the statements table; `count` rows at positions 0..count-1
    vectors.faiss       readable; the manifest's dimension and kind; `count` vectors, each of length 1
    bm25/               readable; `count` statements; vocabulary, pointers and postings consistent

`count` is the manifest's; each part must hold exactly that many statements, so a vector file holding 5 of
15 vectors (whose 10 statements a search could never find) is refused, not served. Any failure is
IndexDamaged (verifier/index/folder.py `damaged_part`): the file, what is wrong, and how to repair it.

Why broad `except Exception` around the two loaders: FAISS and bm25s read files this process did not
necessarily write, and raise whatever their parsers meet (RuntimeError, ValueError, EOFError, UnicodeError,
TypeError, MemoryError...); each is turned into IndexDamaged with the original chained, nothing swallowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .folder import damaged_part
from .lexical import FOLDER as LEXICAL
from .lexical import LexicalIndex
from .manifest import Manifest
from .store import DB, StatementStore
from .vectors import FILE as VECTORS
from .vectors import FaissStore

UNIT_TOLERANCE = 1e-2  # encoders write L2-normalized float32 rows; garbled bytes are nowhere near length 1
_ROWS_PER_STEP = 16384  # vectors whose lengths are computed at once (bounds the temporary memory)


@dataclass
class Generation:
    """A generation's parts, opened and found to agree."""

    path: Path
    manifest: Manifest
    store: StatementStore
    vectors: FaissStore | None  # None when the manifest keeps the vectors in Milvus (index/stores.py opens them)
    lexical: LexicalIndex | None


def open_generation(path: Path, lexical: bool = True) -> Generation:
    """Open and check every part of the generation at `path` (the lexical index only if `lexical`: an append
    rebuilds it from the statements). IndexDamaged if any part is missing, unreadable or disagrees.
    Vectors kept in Milvus are not in the folder: `index/stores.py` opens them, and Milvus checks its count."""
    manifest = Manifest.load(path)
    store = open_store(path, manifest)
    try:
        vectors = open_vectors(path, manifest) if manifest.vector_store == "faiss" else None
        words = open_lexical(path, manifest) if lexical else None
    except BaseException:
        store.close()
        raise
    return Generation(path, manifest, store, vectors, words)


def look(path: Path) -> Manifest:
    """The manifest, with every part present and not empty, read without loading any: what `verifier info`
    shows and `serve` checks before it opens the port. IndexDamaged as `open_generation`, for what it sees."""
    manifest = Manifest.load(path)
    for part in (DB, VECTORS) if manifest.vector_store == "faiss" else (DB,):
        _present(path, part)
    if not (path / LEXICAL).is_dir():
        raise damaged_part(path, LEXICAL, "is missing")
    return manifest


def _present(path: Path, part: str) -> None:
    try:
        size = (path / part).stat().st_size
    except FileNotFoundError:
        raise damaged_part(path, part, "is missing") from None
    except OSError as exc:
        raise damaged_part(path, part, f"cannot be read ({exc.strerror})") from exc
    if not (path / part).is_file():
        raise damaged_part(path, part, "is not a file")
    if not size:
        raise damaged_part(path, part, "is empty (0 bytes)")


def open_store(path: Path, manifest: Manifest) -> StatementStore:
    _present(path, DB)
    try:
        store = StatementStore(path, readonly=True)
    except Exception as exc:  # sqlite3.Error, or OSError from the file system
        raise damaged_part(path, DB, f"cannot be opened ({exc})") from exc
    problem = store.problem(manifest.count)
    if problem:
        store.close()
        raise damaged_part(path, DB, problem)
    return store


def open_vectors(path: Path, manifest: Manifest) -> FaissStore:
    _present(path, VECTORS)
    try:
        vectors = FaissStore.load(path, manifest.vector_index, manifest.ef_search)
    except Exception as exc:  # see the module docstring
        raise damaged_part(path, VECTORS, "cannot be read as a FAISS index (empty, cut short, or not written by "
                                          "`verifier index`)") from exc
    if vectors.index_type != vectors.expected_type():
        raise damaged_part(path, VECTORS, f"is a {vectors.index_type} index, not the {vectors.expected_type()} "
                                          f"that manifest.json's vector_index {manifest.vector_index!r} means")
    if vectors.dim != manifest.dim:
        raise damaged_part(path, VECTORS, f"holds vectors of dimension {vectors.dim}, but manifest.json says {manifest.dim}")
    if len(vectors) != manifest.count:
        raise damaged_part(path, VECTORS, f"holds {len(vectors)} vectors, but manifest.json and statements.sqlite "
                                          f"hold {manifest.count} statements")
    bad = _first_not_unit(vectors.stored())
    if bad is not None:
        raise damaged_part(path, VECTORS, f"holds a vector at position {bad} that is not of length 1 (garbled bytes)")
    return vectors


def open_lexical(path: Path, manifest: Manifest) -> LexicalIndex:
    if not (path / LEXICAL).is_dir():
        raise damaged_part(path, LEXICAL, "is missing")
    try:
        lexical = LexicalIndex.load(path)
        problem = lexical.problem(manifest.count)
    except Exception as exc:  # see the module docstring
        raise damaged_part(path, LEXICAL, f"cannot be read as a BM25 index ({type(exc).__name__}: {exc})") from exc
    if problem:
        raise damaged_part(path, LEXICAL, problem)
    return lexical


def _first_not_unit(rows: np.ndarray) -> int | None:
    """Position of the first row that is not finite or not of length 1, or None."""
    for start in range(0, len(rows), _ROWS_PER_STEP):
        block = rows[start : start + _ROWS_PER_STEP]
        with np.errstate(over="ignore", invalid="ignore"):
            lengths = np.sqrt(np.einsum("ij,ij->i", block, block, dtype=np.float64))
        bad = np.flatnonzero(~(np.abs(lengths - 1.0) <= UNIT_TOLERANCE))  # NaN fails the comparison too
        if len(bad):
            return start + int(bad[0])
    return None
