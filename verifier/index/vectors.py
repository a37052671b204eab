"""Vector stores: the small interface dense retrieval needs, and its FAISS implementation.

The interface is what a distributed engine would implement later: add vectors at the next positions,
search by inner product (vectors are normalized, so this is cosine), fetch stored vectors, save, load.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import SettingsError

FILE = "vectors.faiss"
KINDS = ("flat", "hnsw")
CHOICES = ("auto",) + KINDS
HNSW_M = 32
# HNSW insertion by size: efConstruction 100 for an index's first HNSW_SMALL_UNTIL vectors, 200 from there on.
# At 100k vectors insertion costs 24.6 CPU-s at 100 against 51.1 at 200 and keeps 0.9985 of the exact top 10
# at efSearch 128 (0.9993 at 200). A whole 1M graph at 100 fell to 0.973, so later vectors go in at 200; at 1M
# the first 100k at 100 kept 0.9902 (all at 200: 0.9903), the first 200k 0.9880, the first 400k 0.9843, so the
# cheap part stops at 100k (docs/speed.md, "A build that scales"; benchmarks/hnsw_build.py).
HNSW_EF_CONSTRUCTION = 200
HNSW_EF_CONSTRUCTION_SMALL = 100
HNSW_SMALL_UNTIL = 100_000
BLAS_QUERIES = 20  # batches of at least this many queries go through BLAS


def choose_kind(setting: str, count: int, approximate_from: int) -> str:
    """The index type for `count` vectors: the setting itself, or with 'auto' exact search below
    `approximate_from` vectors and HNSW from there on (the figures behind the default: docs/speed.md)."""
    if setting not in CHOICES:
        raise SettingsError(f"vector_index must be one of {', '.join(CHOICES)}, got {setting!r}")
    if setting != "auto":
        return setting
    return "hnsw" if count >= approximate_from else "flat"


def ef_construction_for(position: int) -> int:
    """HNSW's efConstruction for a vector inserted when the index holds `position` vectors."""
    return HNSW_EF_CONSTRUCTION_SMALL if position < HNSW_SMALL_UNTIL else HNSW_EF_CONSTRUCTION


def blas_threshold(dim: int) -> int:
    """FAISS's `distance_compute_blas_threshold` for `BLAS_QUERIES` queries, in its units (queries x dim)."""
    return BLAS_QUERIES * dim


class VectorStore(Protocol):
    kind: str

    @property
    def dim(self) -> int: ...

    def __len__(self) -> int: ...

    def add(self, vectors: np.ndarray) -> None: ...

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, positions), each of shape (len(queries), k); missing hits have position -1."""
        ...

    def vectors(self, positions: np.ndarray) -> np.ndarray: ...

    def save(self, folder: Path) -> None: ...


class FaissStore:
    def __init__(self, index, kind: str):
        import faiss

        # FAISS compares this threshold with queries x dimension (its default, 128,000, sends every realistic
        # batch down the one-query-at-a-time path). In those units 20 queries: one query stays off the BLAS
        # path (a bare 20 sent it there: 32.5 ms instead of 11.3 ms over 100k vectors, issue 13), batches on it.
        faiss.cvar.distance_compute_blas_threshold = blas_threshold(index.d)
        self._threads = os.cpu_count() or 1
        self._index = index
        self.kind = kind

    @classmethod
    def create(cls, dim: int, kind: str = "flat", ef_search: int = 0) -> "FaissStore":
        import faiss

        if kind == "flat":
            return cls(faiss.IndexFlatIP(dim), kind)
        if kind == "hnsw":
            index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = ef_construction_for(0)
            store = cls(index, kind)
            store.ef_search = ef_search or 128
            return store
        raise SettingsError(f"vector_index must be one of {', '.join(KINDS)}, got {kind!r}")

    @classmethod
    def load(cls, folder: Path, kind: str, ef_search: int = 0) -> "FaissStore":
        """The saved index; `ef_search` 0 keeps the efSearch saved in the file (indexes from before the
        manifest recorded it were saved with 128)."""
        import faiss

        store = cls(faiss.read_index(str(folder / FILE)), kind)
        if ef_search and kind == "hnsw":
            store.ef_search = ef_search
        return store

    def converted(self, kind: str, ef_search: int = 0, chunk: int = 65536) -> "FaissStore":
        """The same vectors, in the same positions, in an index of another type (an index that grew past
        `approximate_from` becomes HNSW)."""
        other = FaissStore.create(self.dim, kind, ef_search)
        for start in range(0, len(self), chunk):
            other.add(self.vectors(np.arange(start, min(start + chunk, len(self)))))
        return other

    @property
    def ef_search(self) -> int:
        """HNSW's efSearch (candidates kept while searching; more is slower and closer to exact); 0 for flat."""
        return int(self._index.hnsw.efSearch) if self.kind == "hnsw" else 0

    @ef_search.setter
    def ef_search(self, value: int) -> None:
        if self.kind == "hnsw":
            self._index.hnsw.efSearch = int(value)

    @property
    def dim(self) -> int:
        return self._index.d

    def __len__(self) -> int:
        return self._index.ntotal

    def add(self, vectors: np.ndarray) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if self.kind != "hnsw":
            if len(vectors):
                self._index.add(vectors)
            return
        # split where the index reaches HNSW_SMALL_UNTIL, so each vector is inserted at its place's efConstruction
        split = min(len(vectors), max(0, HNSW_SMALL_UNTIL - len(self)))
        for part in (vectors[:split], vectors[split:]):
            if len(part):
                self._index.hnsw.efConstruction = ef_construction_for(len(self))
                self._index.add(part)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        import faiss

        # A few queries are memory-bound scans: extra OpenMP threads only add wake-up and spin cost
        # (measured 1.1 ms with one thread against 1.8-8 ms with two on 10k vectors); batches use all cores.
        faiss.omp_set_num_threads(1 if len(queries) < BLAS_QUERIES else self._threads)
        k = max(1, min(k, len(self)))
        if not len(self):
            empty = np.zeros((len(queries), 0))
            return empty.astype(np.float32), empty.astype(np.int64)
        return self._index.search(np.ascontiguousarray(queries, dtype=np.float32), k)

    @property
    def index_type(self) -> str:
        """FAISS's class and metric: what `create` makes for each kind (IndexFlatIP, IndexHNSWFlat, inner product)."""
        import faiss

        metric = "inner product" if self._index.metric_type == faiss.METRIC_INNER_PRODUCT else "another metric"
        return f"{type(self._index).__name__} ({metric})"

    def expected_type(self) -> str:
        return type(self).create(self.dim, self.kind).index_type

    def stored(self) -> np.ndarray:
        """Every stored vector, (len, dim) float32, as a view of FAISS's own memory (no copy)."""
        import faiss

        flat = faiss.downcast_index(self._index.storage) if self.kind == "hnsw" else self._index
        if not len(self):
            return np.zeros((0, self.dim), dtype=np.float32)
        return faiss.rev_swig_ptr(flat.get_xb(), len(self) * self.dim).reshape(len(self), self.dim)

    def vectors(self, positions: np.ndarray) -> np.ndarray:
        positions = np.asarray(positions, dtype=np.int64)
        if not len(positions):
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._index.reconstruct_batch(positions)

    def save(self, folder: Path) -> None:
        import faiss

        faiss.write_index(self._index, str(folder / FILE))
