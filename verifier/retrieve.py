"""Hybrid retrieval: dense (FAISS) and lexical (BM25) candidates, fused into one ranking with provenance.

Fusion `convex` (the default) scores every candidate of either side on both: the dense cosine, and the
BM25 score divided by the best BM25 score for the query (so 1.0 is the best lexical match), and ranks by
`dense_weight * dense + (1 - dense_weight) * lexical`. Unweighted reciprocal rank fusion (`rrf`) was
measured below dense-only on claim-matching data; the numbers that chose the default are in
docs/retrieval.md and come from benchmarks/retrieval.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from .errors import SettingsError
from .index.lexical import LexicalIndex, top_k
from .index.store import StatementStore
from .index.vectors import VectorStore
from .settings import Settings
from .statement import Statement

FUSIONS = ("convex", "rrf", "dense", "lexical")


@dataclass(frozen=True)
class Hit:
    statement: Statement
    score: float  # the fused score the ranking is by
    dense: float  # cosine similarity of claim and statement
    lexical: float  # raw BM25 score (0 when no word matches)
    rank: int
    # Set by the rerank stage (verifier/rerank.py): the model's p(about) and its three probabilities,
    # which the verdict reuses instead of reading the pair again.
    relevance: float | None = None
    reading: tuple[float, ...] | None = field(default=None, repr=False, compare=False)
    # (start, end) in the statement's text of the part read, when a long statement was read in windows.
    reading_window: tuple[int, int] | None = field(default=None, repr=False, compare=False)
    # The statement's check features as the index stored them (verifier/checks/stored.py), if it did.
    features: bytes | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "rank": self.rank,
            "score": round(self.score, 4),
            "dense": round(self.dense, 4),
            "lexical": round(self.lexical, 4),
            "statement": self.statement.to_dict(),
        }
        if self.relevance is not None:
            out["relevance"] = round(self.relevance, 4)
        return out


class HybridRetriever:
    def __init__(self, vectors: VectorStore, lexical: LexicalIndex, store: StatementStore, settings: Settings):
        if settings.fusion not in FUSIONS:
            raise SettingsError(f"fusion must be one of {', '.join(FUSIONS)}, got {settings.fusion!r}")
        self.vectors = vectors
        self.lexical = lexical
        self.store = store
        self.settings = settings

    def search_many(self, query_vectors: np.ndarray, queries: Sequence[str], k: int) -> list[list[Hit]]:
        """Top-k hits per query; one batched FAISS call for all queries."""
        if not len(self.vectors):
            return [[] for _ in queries]
        depth = max(k, self.settings.candidates)
        _, dense_positions = self.vectors.search(query_vectors, depth)
        ranked = [
            self._fuse(vector, query, positions[positions >= 0], k)
            for vector, query, positions in zip(query_vectors, queries, dense_positions)
        ]
        wanted = sorted({int(p) for hits in ranked for p, *_ in hits})
        by_pos = dict(zip(wanted, self.store.by_positions(wanted)))
        stored = self.store.features_at(wanted)
        return [
            [Hit(by_pos[p], score, dense, lexical, rank, features=stored.get(p))
             for rank, (p, score, dense, lexical) in enumerate(hits, 1)]
            for hits in ranked
        ]

    def _fuse(self, vector: np.ndarray, query: str, dense_positions: np.ndarray, k: int) -> list[tuple]:
        fusion, depth = self.settings.fusion, max(k, self.settings.candidates)
        bm25 = self.lexical.scores(query)
        _, lexical_positions = top_k(bm25, depth)
        if fusion == "dense":
            candidates = dense_positions
        elif fusion == "lexical":
            candidates = lexical_positions
        else:
            candidates = np.unique(np.concatenate([dense_positions, lexical_positions]))
        if not len(candidates):
            return []
        dense = self.vectors.vectors(candidates) @ vector
        lexical = bm25[candidates]
        if fusion == "dense":
            fused = dense
        elif fusion == "lexical":
            fused = lexical
        elif fusion == "convex":
            best = float(bm25.max()) if len(bm25) else 0.0
            w = self.settings.dense_weight
            fused = w * dense + (1 - w) * (lexical / best if best > 0 else 0.0)
        else:
            fused = _rrf(candidates, dense_positions, lexical_positions, self.settings.rrf_k)
        order = np.argsort(-fused, kind="stable")[:k]
        return [(int(candidates[i]), float(fused[i]), float(dense[i]), float(lexical[i])) for i in order]


def _rrf(candidates: np.ndarray, dense: np.ndarray, lexical: np.ndarray, offset: int) -> np.ndarray:
    dense_rank = {int(p): r for r, p in enumerate(dense, 1)}
    lexical_rank = {int(p): r for r, p in enumerate(lexical, 1)}
    return np.array(
        [
            (1 / (offset + dense_rank[p]) if p in dense_rank else 0.0)
            + (1 / (offset + lexical_rank[p]) if p in lexical_rank else 0.0)
            for p in map(int, candidates)
        ]
    )
