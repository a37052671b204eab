"""Would learned weights beat the stance rules? Logistic regression on the rules' own features, pair level.

    pip install scikit-learn && python benchmarks/stance_learned.py      # ~4 minutes on 2 cores

Pairs: every Climate-FEVER (claim, evidence sentence) with its evidence label, and every HealthVer dev
(claim, evidence) pair. Features: cosine, word overlaps, and one indicator per check kind and outcome.
The model is trained on the tuning parts (even claim ids, even topics) and scored on the untouched parts
against the rules and a similarity-only stance. Per-class precision is printed because a fact-checker
pays for a false "contradicts" far more than for a missed one. The rules stay in the product because the
learned model's extra macro-F1 comes from calling many pairs "contradicts" at low precision
(docs/verdicts.md has the figures).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier import Settings  # noqa: E402
from verifier.checks import Kind, Outcome, check_pair  # noqa: E402
from verifier.checks.lexicon import word_overlap  # noqa: E402
from verifier import load_encoder  # noqa: E402
from verifier.evaluation.datasets import climate_fever, healthver_pairs  # noqa: E402
from verifier.evaluation.harness import PAIR_LABELS, classification_scores  # noqa: E402
from verifier.verdict.stance import claim_overlap, stance_of  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
TO_STANCE = {"supported": "supports", "contradicted": "contradicts", "not_enough_evidence": "neutral"}


def main() -> None:
    if not (DATA / "climate-fever").is_dir() or not (DATA / "healthver").is_dir():
        print(f"SKIP: the datasets are not at {DATA}")
        return
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        print("SKIP: this experiment needs scikit-learn (pip install scikit-learn)")
        return
    settings = Settings()
    rows = pairs()
    encoder = load_encoder(settings)
    texts = sorted({r[2] for r in rows} | {r[3] for r in rows})
    vectors = dict(zip(texts, encoder.encode(texts)))
    features, rules = [], []
    for _, _, claim, evidence, _ in rows:
        report = check_pair(claim, evidence, settings=settings)
        similarity = float(vectors[claim] @ vectors[evidence])
        overlap = claim_overlap(claim, evidence, report)
        row = [similarity, overlap, word_overlap(claim, evidence)]
        for kind in Kind:
            row += [float(any(f.kind is kind and f.outcome is o for f in report.findings)) for o in Outcome]
        features.append(row)
        rules.append("neutral" if similarity < settings.related_similarity
                     else stance_of(report, similarity, settings, overlap).stance.value)
    X, gold = np.array(features), np.array([r[4] for r in rows])
    part, dataset = np.array([r[0] for r in rows]), np.array([r[1] for r in rows])
    similarity_only = np.where(X[:, 0] >= settings.support_similarity, "supports", "neutral")
    model = LogisticRegression(max_iter=2000, class_weight="balanced").fit(X[part == "tune"], gold[part == "tune"])
    learned = model.predict(X)
    rules = np.array(rules)
    for name in ("climate-fever", "healthver"):
        for which in ("tune", "test"):
            keep = (part == which) & (dataset == name)
            print(f"\n{name} {which} pairs ({keep.sum()})")
            for system, predicted in (("rules", rules), ("learned", learned), ("similarity", similarity_only)):
                s = classification_scores(list(gold[keep]), list(predicted[keep]), PAIR_LABELS)
                line = f"  {system:<11} macro-F1 {s.macro_f1:.3f}"
                for label in ("supports", "contradicts"):
                    said = (predicted[keep] == label).sum()
                    right = ((predicted[keep] == label) & (gold[keep] == label)).sum()
                    line += f"  {label}: said {said:>4}, precision {right / max(1, said):.2f}, recall " \
                            f"{right / max(1, (gold[keep] == label).sum()):.2f}"
                print(line)


def pairs() -> list[tuple[str, str, str, str, str]]:
    """(part, dataset, claim, evidence, stance) for every labelled pair of both sets."""
    cf = climate_fever(DATA / "climate-fever" / "climate-fever.jsonl")
    text = {s.id: s.text for s in cf.corpus}
    out = [
        ("tune" if int(q.id) % 2 == 0 else "test", "climate-fever", q.text, text[eid], TO_STANCE[label])
        for q in cf.queries for eid, label in q.evidence.items()
    ]
    out += [
        ("tune" if int(p.topic) % 2 == 0 else "test", "healthver", p.claim, p.evidence, p.label)
        for p in healthver_pairs(DATA / "healthver" / "healthver_dev.csv")
    ]
    return out


if __name__ == "__main__":
    main()
