"""Duplicate statements: exact (same words) and near (rapidfuzz ratio above a threshold, same numbers).

Near-duplicates are only looked for among embedding neighbours (cosine >= `near_duplicate_min_cosine`).
A build calls `near_duplicates` once per chunk: each statement is compared with its nearest neighbours in
the vector index built so far (the base and every earlier chunk: HNSW past `approximate_from`, so a
search stays logarithmic) and with the statements before it in its own chunk (a flat search over the
chunk alone), never with the whole corpus at once. Two sentences that differ in a number are never
duplicates: "1,037 troops fled" and "1,036 troops fled" disagree, and a fact-checker must see both.

The search against the index asks HNSW for a statement's 3 nearest at a small efSearch (`dedupe_ef_search`),
not the index's own (128): a near-duplicate is at cosine >= 0.9, which a smaller search finds. Measured with
benchmarks/hnsw_build.py (3,000 stored vectors turned to cosine 0.90 / 0.95; is the stored one among the 3
found?): at 100k and 200k 1.0000 / 0.9997-1.0000 at efSearch 32; at 1M 0.9993 at 32 and 1.0000 at 64 (an
earlier 1M graph: 0.9940 at 32). So 32 while the index holds fewer than 200,000 vectors, 64 from there on
(0.13-0.16 CPU-ms a search at 32 against 0.30 at 64 on a 100k graph).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from ..settings import Settings
from ..statement import Statement
from .store import StatementStore, statement_key
from .vectors import VectorStore

DEDUPE_EF_SEARCH = 64
DEDUPE_EF_SEARCH_SMALL = 32  # while the index holds fewer than DEDUPE_SMALL_UNTIL vectors
DEDUPE_SMALL_UNTIL = 200_000


def dedupe_ef_search(size: int) -> int:
    """The efSearch of the near-duplicate search in an index of `size` vectors."""
    return DEDUPE_EF_SEARCH_SMALL if size < DEDUPE_SMALL_UNTIL else DEDUPE_EF_SEARCH


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Duplicate:
    id: str
    duplicate_of: str
    kind: str  # "exact", "near" or "id"
    origin: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "duplicate_of": self.duplicate_of, "kind": self.kind, "origin": self.origin}


def numbers_of(text: str) -> tuple[str, ...]:
    return tuple(n.replace(",", "") for n in _NUMBER.findall(text))


def exact_duplicates(
    statements: Sequence[Statement], store: StatementStore
) -> tuple[list[Statement], list[Duplicate], list[Statement]]:
    """(kept, duplicates, id_clashes): drop statements whose words or id are already present."""
    keys = [statement_key(s) for s in statements]
    stored = store.ids_for_keys(keys)
    stored_ids = store.existing_ids(s.id for s in statements)
    seen_keys: dict[str, str] = {}
    seen_ids: dict[str, str] = {}
    kept, duplicates, clashes = [], [], []
    for statement, key in zip(statements, keys):
        origin = str(statement.meta.get("origin", ""))
        first = stored.get(key) or seen_keys.get(key)
        if first is not None:
            duplicates.append(Duplicate(statement.id, first, "exact", origin))
        elif statement.id in stored_ids or statement.id in seen_ids:
            clashes.append(statement)
        else:
            seen_keys[key] = statement.id
            seen_ids[statement.id] = key
            kept.append(statement)
    return kept, duplicates, clashes


def near_duplicates(
    statements: Sequence[Statement],
    vectors: np.ndarray,
    existing: VectorStore,
    store: StatementStore,
    settings: Settings,
) -> tuple[list[int], list[Duplicate]]:
    """(indices of statements to keep, near-duplicates found) among new statements and against the store."""
    import faiss
    from rapidfuzz import fuzz

    threshold, min_cos = settings.near_duplicate_threshold, settings.near_duplicate_min_cosine
    keys = [statement_key(s) for s in statements]

    def same(a_key: str, a_text: str, b_key: str, b_text: str) -> bool:
        if "\x1f" in a_key or "\x1f" in b_key:  # a fact-check (see statement_key) is never a near-duplicate
            return False
        return numbers_of(a_text) == numbers_of(b_text) and fuzz.ratio(a_key, b_key) >= threshold

    dropped: dict[int, Duplicate] = {}
    if len(existing) and len(statements):
        own = getattr(existing, "ef_search", 0)
        if own:
            existing.ef_search = min(own, dedupe_ef_search(len(existing)))
        try:
            scores, positions = existing.search(vectors, 3)
        finally:
            if own:
                existing.ef_search = own
        candidates = {int(p) for row, prow in zip(scores, positions) for s, p in zip(row, prow) if p >= 0 and s >= min_cos}
        texts = {p: s for p, s in zip(sorted(candidates), store.by_positions(sorted(candidates)))}
        for i, (row, prow) in enumerate(zip(scores, positions)):
            for score, pos in zip(row, prow):
                if pos < 0 or score < min_cos:
                    continue
                old = texts[int(pos)]
                if same(keys[i], statements[i].text, statement_key(old), old.text):
                    dropped[i] = _near(statements[i], old.id)
                    break
    if len(statements) > 1:
        local = faiss.IndexFlatIP(vectors.shape[1])
        local.add(vectors)
        scores, neighbours = local.search(vectors, min(5, len(statements)))
        for i in range(len(statements)):
            if i in dropped:
                continue
            for score, j in zip(scores[i], neighbours[i]):
                if 0 <= j < i and j not in dropped and score >= min_cos and same(
                    keys[i], statements[i].text, keys[j], statements[j].text
                ):
                    dropped[i] = _near(statements[i], statements[j].id)
                    break
    kept = [i for i in range(len(statements)) if i not in dropped]
    return kept, [dropped[i] for i in sorted(dropped)]


def _near(statement: Statement, first_id: str) -> Duplicate:
    return Duplicate(statement.id, first_id, "near", str(statement.meta.get("origin", "")))
