"""Choose the stance and verdict thresholds on the tuning parts; report them on the untouched parts.

    python benchmarks/tune_verdict.py            # ~10 minutes on 2 cores (the Climate-FEVER index is reused)

Tuning parts: Climate-FEVER claims with even ids (claim-level verdicts, 3-way macro-F1) and HealthVer dev
pairs of even topics (pair-level stance macro-F1). The objective is the mean of the two macro-F1s. The
same figures are printed for the odd ids / odd topics, which play no part in the choice. Retrieval and
the checks run once; the grid only re-decides stances and verdicts.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier import Settings  # noqa: E402
from verifier.checks import check_pair  # noqa: E402
from verifier import load_encoder  # noqa: E402
from verifier.evaluation.cli import _index  # noqa: E402
from verifier.evaluation.datasets import climate_fever, healthver_pairs  # noqa: E402
from verifier.evaluation.harness import CLAIM_LABELS, PAIR_LABELS, classification_scores  # noqa: E402
from verifier.results import Evidence, Stance  # noqa: E402
from verifier.verdict import decide  # noqa: E402
from verifier.verdict.stance import Judgement, claim_overlap, stance_of  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
GRID = {
    "related_similarity": (0.35, 0.4, 0.45),
    "support_similarity": (0.45, 0.5, 0.55, 0.6),
    "paraphrase_similarity": (0.5, 0.55, 0.6, 0.65, 0.7, 0.75),
    "conflict_similarity": (0.4, 0.45, 0.5, 0.6),
    "conflict_overlap": (0.3, 0.4, 0.5),
    "verdict_margin": (0.1, 0.15),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "eval" / "tuning.json")
    parser.add_argument("--model-path", default="", help="embedder (setting model_path; all-MiniLM-L6-v2: the base)")
    parser.add_argument("--index-context", default=Settings().index_context, help="index_context of the index")
    args = parser.parse_args()
    if not (args.data / "climate-fever").is_dir() or not (args.data / "healthver").is_dir():
        print(f"SKIP: the datasets are not at {args.data} (see ../shared/data/README.md)")
        return
    base = Settings(model_path=args.model_path, index_context=args.index_context)
    claims = prepare_claims(args.data, base)
    pairs = prepare_pairs(args.data, base)
    results = []
    names = list(GRID)
    for values in itertools.product(*GRID.values()):
        settings = base.replace(**dict(zip(names, values)))
        scores = {part: score_claims(claims[part], settings) for part in claims}
        scores.update({part: score_pairs(pairs[part], settings) for part in pairs})
        objective = (scores["climate tune"] + scores["healthver tune"]) / 2
        results.append((objective, dict(zip(names, values)), scores))
    results.sort(key=lambda r: -r[0])
    default = {name: getattr(base, name) for name in names}
    default_scores = {part: score_claims(claims[part], base) for part in claims}
    default_scores.update({part: score_pairs(pairs[part], base) for part in pairs})
    best_objective, best, best_scores = results[0]
    print("macro-F1             " + "  ".join(f"{p:>16}" for p in best_scores))
    print("defaults             " + "  ".join(f"{default_scores[p]:16.3f}" for p in best_scores), default)
    print("best on tune parts   " + "  ".join(f"{best_scores[p]:16.3f}" for p in best_scores), best)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"default": [default, default_scores], "top": results[:20]}, indent=2))
    print(f"wrote {args.out}")


def prepare_claims(data: Path, settings: Settings) -> dict[str, list]:
    """Per claim: gold label and its retrieved statements with their findings (checked once)."""
    cf = climate_fever(data / "climate-fever" / "climate-fever.jsonl")
    verifier, _ = _index(cf, ROOT / "var" / "eval" / cf.name, settings, rebuild=False)
    queries = [q for q in cf.queries if q.label in CLAIM_LABELS]
    hits = verifier.search_many([q.text for q in queries], settings.top_k)
    parts: dict[str, list] = {"climate tune": [], "climate test": []}
    for q, found in zip(queries, hits):
        checked = []
        for h in found:
            report = check_pair(q.text, h.statement.text, statement_date=h.statement.published, settings=settings)
            checked.append((h, report, claim_overlap(q.text, h.statement.text, report)))
        parts["climate tune" if int(q.id) % 2 == 0 else "climate test"].append((q.text, q.label, checked))
    return parts


def prepare_pairs(data: Path, settings: Settings) -> dict[str, list]:
    pairs = healthver_pairs(data / "healthver" / "healthver_dev.csv")
    encoder = load_encoder(settings)
    texts = sorted({p.claim for p in pairs} | {p.evidence for p in pairs})
    vectors = dict(zip(texts, encoder.encode(texts)))
    parts: dict[str, list] = {"healthver tune": [], "healthver test": []}
    for p in pairs:
        report = check_pair(p.claim, p.evidence, settings=settings)
        similarity = float(vectors[p.claim] @ vectors[p.evidence])
        part = "healthver tune" if int(p.topic) % 2 == 0 else "healthver test"
        parts[part].append((p.label, report, similarity, claim_overlap(p.claim, p.evidence, report)))
    return parts


def score_claims(rows: list, settings: Settings) -> float:
    gold, predicted = [], []
    for claim, label, checked in rows:
        judged = []
        for h, report, overlap in checked:
            if h.dense < settings.related_similarity:
                j = Judgement(Stance.NEUTRAL, 0.0, (), "not about the claim")
            else:
                j = stance_of(report, h.dense, settings, overlap)
            judged.append(Evidence(h.statement, h.rank, h.score, h.dense, j.stance, j.score, j.findings, j.note))
        gold.append(label)
        predicted.append(decide(claim, judged, settings).verdict.value)
    return classification_scores(gold, predicted, CLAIM_LABELS).macro_f1


def score_pairs(rows: list, settings: Settings) -> float:
    gold, predicted = [], []
    for label, report, similarity, overlap in rows:
        stance = Stance.NEUTRAL if similarity < settings.related_similarity else stance_of(
            report, similarity, settings, overlap).stance
        gold.append(label)
        predicted.append(stance.value)
    return classification_scores(gold, predicted, PAIR_LABELS).macro_f1


if __name__ == "__main__":
    main()
