"""Retrieval metrics over ranked statement ids: recall@k, hit@k, MAP@k, MRR."""

from __future__ import annotations

from statistics import mean
from typing import Sequence


def recall_at(ranked: Sequence[str], gold: frozenset[str], k: int) -> float:
    """Share of the gold statements found in the top k."""
    return len(gold.intersection(ranked[:k])) / len(gold) if gold else 0.0


def hit_at(ranked: Sequence[str], gold: frozenset[str], k: int) -> float:
    return 1.0 if gold.intersection(ranked[:k]) else 0.0


def average_precision_at(ranked: Sequence[str], gold: frozenset[str], k: int) -> float:
    """AP@k as in the CheckThat 2020 scorer: precision at each relevant rank, over min(|gold|, k)."""
    if not gold:
        return 0.0
    found, total = 0, 0.0
    for rank, sid in enumerate(ranked[:k], start=1):
        if sid in gold:
            found += 1
            total += found / rank
    return total / min(len(gold), k)


def reciprocal_rank(ranked: Sequence[str], gold: frozenset[str]) -> float:
    for rank, sid in enumerate(ranked, start=1):
        if sid in gold:
            return 1.0 / rank
    return 0.0


def retrieval_scores(runs: Sequence[tuple[Sequence[str], frozenset[str]]]) -> dict[str, float]:
    """Mean metrics over (ranked ids, gold ids) pairs that have gold."""
    runs = [(r, g) for r, g in runs if g]
    if not runs:
        return {}
    return {
        "queries": len(runs),
        "recall@1": mean(recall_at(r, g, 1) for r, g in runs),
        "recall@5": mean(recall_at(r, g, 5) for r, g in runs),
        "recall@10": mean(recall_at(r, g, 10) for r, g in runs),
        "hit@5": mean(hit_at(r, g, 5) for r, g in runs),
        "map@5": mean(average_precision_at(r, g, 5) for r, g in runs),
        "mrr": mean(reciprocal_rank(r, g) for r, g in runs),
    }
