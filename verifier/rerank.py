"""The second retrieval stage: the claim–statement model reads each of the first stage's top candidates
with the claim and the order is redrawn from both.

The model is the stance model (verifier/verdict/model.py): one pass over a (claim, statement) pair gives
how much the statement is *about* the claim (p(supports) + p(contradicts), i.e. 1 − p(neutral)) and its
stance, so the readings are kept on the hits and the verdict reuses them instead of reading the pair again.
The final score, the one displayed and ranked by, is

    rerank_weight × about + (1 − rerank_weight) × first-stage score

(the weight and the depth `rerank_depth` were chosen on tuning parts, docs/retrieval.md). One model call
per claim over its candidates, as for the readings: the int8 model quantizes activations per call, so a
claim's order never depends on the other claims checked with it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import numpy as np

from .crossencoder import CrossEncoder
from .retrieve import Hit
from .verdict.model import LABELS, StanceModel

NEUTRAL = LABELS.index("neutral")


class RelevanceModel(CrossEncoder):
    """p(relevant) of (claim, statement) pairs: a cross-encoder trained for the rerank stage alone
    (`python -m training.train_stance --task relevance`). None ships: the one trained was measured and
    not adopted (docs/retrieval.md, "A relevance model of its own"); `benchmarks/relevance.py` loads one."""

    kind = "relevance"
    labels = ("relevant", "unrelated")
    null_label = "unrelated"
    meta = "relevance.json"


def rerank(model: StanceModel, claims: Sequence[str], hits: Sequence[Sequence[Hit]], k: int,
           weight: float) -> list[list[Hit]]:
    """The top k of each claim's candidates after the model has read them, best first."""
    out = []
    for claim, found in zip(claims, hits):
        if not found:
            out.append([])
            continue
        probs, windows = model.predict_windows([(claim, h.statement.text) for h in found])
        about = 1.0 - probs[:, NEUTRAL]
        first = np.array([h.score for h in found], dtype=np.float64)
        fused = weight * about + (1.0 - weight) * first
        order = np.argsort(-fused, kind="stable")[:k]
        out.append([
            replace(found[i], score=float(fused[i]), rank=rank, relevance=float(about[i]),
                    reading=tuple(float(p) for p in probs[i]), reading_window=windows[i])
            for rank, i in enumerate(order, 1)
        ])
    return out
