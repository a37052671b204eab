"""The evaluation harness: the whole pipeline and named baselines on a labelled set, scored the same way.

Systems compared on claim-level sets:
- `verifier`: hybrid retrieval, the consistency checks and the verdict rules (the product);
- `dense+checks`: the same verdict over dense-only retrieval (does the lexical side help?);
- `bm25+similarity`: BM25 retrieval and a similarity-only verdict (supported when the best statement
  is at least `support_similarity` close, else not enough evidence): what retrieval alone can do;
- `dense+similarity`: the same with dense retrieval.
On pair-level sets (HealthVer) the stance of each (claim, evidence) pair is scored against a
similarity-only stance.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from .. import Encoder, Settings, Stance, Verdict, Verifier, judge_statement
from .datasets import LabelledSet, Pair, Query
from .metrics import retrieval_scores

# The labels scored, in the order of the library's enums: the datasets' claims are 3-way (no `mixed`).
CLAIM_LABELS = tuple(v.value for v in Verdict if v is not Verdict.MIXED)
PAIR_LABELS = tuple(s.value for s in Stance)
_NUMBER_WORDS = set(
    """two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen
    eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion
    trillion dozen half twice double triple percent quarter third""".split()
)


def has_number(text: str) -> bool:
    """The datasets' own rule (their SOURCE.md): a standalone number or number word, bare years excluded."""
    for token in re.findall(r"(?<![\w-])[\d][\d,.]*%?(?![\w-])|[A-Za-z]+", text):
        if token[0].isdigit():
            digits = token.rstrip("%").replace(",", "").rstrip(".")
            if not (digits.isdigit() and len(digits) == 4 and 1800 <= int(digits) <= 2099):
                return True
        elif token.lower() in _NUMBER_WORDS:
            return True
    return False


@dataclass(frozen=True)
class Scores:
    n: int
    accuracy: float
    macro_f1: float
    confusion: dict[str, dict[str, int]]
    per_label_f1: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def classification_scores(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> Scores:
    """Accuracy, macro-F1 over `labels`, and a confusion matrix (rows gold, columns predicted)."""
    confusion: dict[str, dict[str, int]] = {g: Counter() for g in labels}
    for g, p in zip(gold, predicted):
        confusion.setdefault(g, Counter())[p] += 1
    f1 = {}
    for label in labels:
        tp = confusion.get(label, {}).get(label, 0)
        predicted_n = sum(row.get(label, 0) for row in confusion.values())
        gold_n = sum(confusion.get(label, {}).values())
        precision = tp / predicted_n if predicted_n else 0.0
        recall = tp / gold_n if gold_n else 0.0
        f1[label] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    n = len(gold)
    return Scores(
        n=n,
        accuracy=sum(g == p for g, p in zip(gold, predicted)) / n if n else 0.0,
        macro_f1=float(np.mean([f1[label] for label in labels])) if labels else 0.0,
        confusion={g: dict(row) for g, row in confusion.items()},
        per_label_f1=f1,
    )


def similarity_verdict(best_similarity: float, settings: Settings) -> str:
    return Verdict.SUPPORTED.value if best_similarity >= settings.support_similarity else Verdict.NOT_ENOUGH_EVIDENCE.value


SYSTEMS: dict[str, tuple[dict[str, Any], bool]] = {
    # name: (retrieval settings, full verdict?)
    "verifier": ({}, True),
    "dense+checks": ({"fusion": "dense"}, True),
    "bm25+similarity": ({"fusion": "lexical"}, False),
    "dense+similarity": ({"fusion": "dense"}, False),
}


def evaluate_claims(
    verifier: Verifier,
    data: LabelledSet,
    queries: Sequence[Query],
    id_map: dict[str, str] | None = None,
    systems: Sequence[str] = tuple(SYSTEMS),
    subsets: dict[str, Callable[[Query], bool]] | None = None,
) -> dict[str, Any]:
    """Verdict and evidence-retrieval scores of each system on `queries` (3-way; 'disputed' scored apart)."""
    id_map = id_map or {}
    subsets = {"all": lambda q: True, **(subsets or {})}
    out: dict[str, Any] = {"dataset": data.name, "corpus": len(data.corpus), "systems": {}}
    for name in systems:
        changes, full = SYSTEMS[name]
        system = verifier.configure(**changes)
        k = system.settings.top_k
        if full:
            results = system.check_many([q.text for q in queries], k)
            predicted = [r.verdict.value for r in results]
            ranked = [[e.statement.id for e in r.evidence] for r in results]
        else:
            hits = system.search_many([q.text for q in queries], k)
            predicted = [similarity_verdict(max((h.dense for h in hs), default=0.0), system.settings) for hs in hits]
            ranked = [[h.statement.id for h in hs] for hs in hits]
        per_subset = {}
        for subset, keep in subsets.items():
            rows = [i for i, q in enumerate(queries) if keep(q)]
            scored = [i for i in rows if queries[i].label in CLAIM_LABELS]
            disputed = [i for i in rows if queries[i].label == "disputed"]
            per_subset[subset] = {
                "verdict": classification_scores(
                    [queries[i].label for i in scored], [predicted[i] for i in scored], CLAIM_LABELS
                ).to_dict(),
                "predicted_mixed": sum(predicted[i] == Verdict.MIXED.value for i in scored),
                "disputed": dict(Counter(predicted[i] for i in disputed)),
                "retrieval": retrieval_scores(
                    [(ranked[i], frozenset(id_map.get(g, g) for g in queries[i].gold)) for i in rows]
                ),
            }
        out["systems"][name] = per_subset
    return out


def evaluate_pairs(encoder: Encoder, pairs: Sequence[Pair], settings: Settings) -> dict[str, Any]:
    """Pair-level stance (supports / contradicts / neutral) against gold, and a similarity-only baseline."""
    texts = sorted({p.claim for p in pairs} | {p.evidence for p in pairs})
    vectors = dict(zip(texts, encoder.encode(texts)))
    gold, ours, baseline = [], [], []
    for pair in pairs:
        similarity = float(vectors[pair.claim] @ vectors[pair.evidence])
        stance = judge_statement(pair.claim, pair.evidence, similarity, settings).stance
        gold.append(pair.label)
        ours.append(stance.value)
        baseline.append((Stance.SUPPORTS if similarity >= settings.support_similarity else Stance.NEUTRAL).value)
    return {
        "pairs": len(pairs),
        "systems": {
            "verifier": classification_scores(gold, ours, PAIR_LABELS).to_dict(),
            "similarity-only": classification_scores(gold, baseline, PAIR_LABELS).to_dict(),
        },
    }
