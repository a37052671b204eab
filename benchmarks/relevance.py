"""The rerank stage with a relevance model of its own (trained by `training.train_stance --task relevance`),
against the first stage alone, on the reported parts (`--stance` also fuses the stance model's p(about), as
`benchmarks/rerank.py` does, for comparison: twice the model reading).

    python -m training.relevance_data && python -m training.train_stance --task relevance ...   # the model
    python benchmarks/relevance.py --model var/relevance/model

Depth N and the fused weight are chosen on the relevance data's `calib` queries (tuning parts the relevance
model was not trained on); the reported parts (Climate-FEVER odd claim ids, CheckThat 2020 dev, HealthVer
odd topics) are read by nothing else. The final score is weight × p(relevant) + (1 − weight) × first-stage
score, as `verifier/rerank.py` fuses. Also times the model's reading of N candidates for one claim.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from training.relevance_data import DATA, healthver, part_of, tuning_sets  # noqa: E402
from verifier import Verifier  # noqa: E402
from verifier.evaluation.datasets import checkthat, climate_fever  # noqa: E402
from verifier.evaluation.metrics import retrieval_scores  # noqa: E402
from verifier.rerank import NEUTRAL, RelevanceModel  # noqa: E402
from verifier.verdict.model import load_stance_model  # noqa: E402

DEPTHS = (10, 20)
WEIGHTS = (0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def reported_sets(data: Path) -> dict:
    climate = climate_fever(data / "climate-fever" / "climate-fever.jsonl")
    _, hv, _ = healthver(data / "healthver" / "healthver_dev.csv")
    return {
        "climate-fever": [q for q in climate.queries if int(q.id) % 2 == 1 and q.gold],
        "checkthat": [q for q in checkthat(data / "checkthat2020-task2", "dev").queries if q.gold],
        "healthver": [q for q in hv if int(q.id.split("/")[0]) % 2 == 1 and q.gold],
    }


def kept(verifier: Verifier, gold: frozenset[str], text: dict[str, str]) -> frozenset[str]:
    """Gold ids, a statement the build dropped as a duplicate standing for the one it kept (found by its text)."""
    return frozenset(g if verifier.statement(g) is not None else verifier.search(text[g], k=1)[0].statement.id
                     for g in gold)


def headline(name: str, s: dict) -> float:
    return s["map@5"] if name == "checkthat" else s["recall@5"]


def fused_runs(runs, probs, depth, weight):
    out = []
    for (found, gold), p in zip(runs, probs):
        top = found[:depth]
        fused = weight * p[:depth] + (1 - weight) * np.array([h.score for h in top])
        order = np.argsort(-fused, kind="stable")
        out.append(([top[i].statement.id for i in order] + [h.statement.id for h in found[depth:]], gold))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=ROOT / "var" / "relevance" / "model")
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "relevance")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--stance", action="store_true", help="also rerank by the stance model's p(about)")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}")
    relevance = RelevanceModel(args.model)
    stance = load_stance_model() if args.stance else None
    tuning = tuning_sets(DATA)
    reported = reported_sets(DATA)
    depth = max(DEPTHS)
    runs, probs = {}, {}
    for name in reported:
        verifier = Verifier.open(args.work / f"index-{name}").configure(rerank=False)
        text = {s.id: s.text for s in tuning[name][0]}
        calib = [q for q in tuning[name][1] if part_of(name, q.id) == "calib"]
        for part, queries in (("calib", calib), ("test", reported[name])):
            hits = verifier.search_many([q.text for q in queries], k=depth)
            runs[(name, part)] = [(found, kept(verifier, q.gold, text)) for q, found in zip(queries, hits)]
            started = time.perf_counter()
            probs[(name, part, "relevance")] = [
                relevance.predict([(q.text, h.statement.text) for h in found])[:, 0] if found else np.zeros(0)
                for q, found in zip(queries, hits)]
            if stance is not None:
                probs[(name, part, "stance")] = [
                    1 - stance.predict([(q.text, h.statement.text) for h in found])[:, NEUTRAL] if found
                    else np.zeros(0) for q, found in zip(queries, hits)]
            print(f"{name} {part}: {len(queries)} queries read in {time.perf_counter() - started:.0f} s", flush=True)
    report: dict = {}
    for model in ("relevance", "stance") if stance is not None else ("relevance",):
        best = max(((d, w) for d in DEPTHS for w in WEIGHTS), key=lambda dw: np.mean(
            [headline(n, retrieval_scores(fused_runs(runs[(n, "calib")], probs[(n, "calib", model)], *dw)))
             for n in reported]))
        report[model] = {"chosen_on_calib": {"depth": best[0], "weight": best[1]}, "parts": {}}
        print(f"\n{model} model: N={best[0]} weight={best[1]} chosen on calib")
        for name in reported:
            for part in ("calib", "test"):
                first = retrieval_scores([([h.statement.id for h in f], g) for f, g in runs[(name, part)]])
                rows = {"first stage": first}
                for d in DEPTHS:
                    rows[f"+ rerank N={d}"] = retrieval_scores(fused_runs(runs[(name, part)],
                                                                          probs[(name, part, model)], d, best[1]))
                report[model]["parts"][f"{name} {part}"] = rows
                print(f"  {name} {part} ({len(runs[(name, part)])} queries)")
                for label, s in rows.items():
                    print(f"    {label:<18} R@1 {s['recall@1']:.3f} R@5 {s['recall@5']:.3f} R@10 {s['recall@10']:.3f}"
                          f" MAP@5 {s['map@5']:.3f} MRR {s['mrr']:.3f}")
    report["cost"] = cost(relevance, [q.text for q in reported["checkthat"]][:100],
                          Verifier.open(args.work / "index-checkthat").configure(rerank=False))
    print(f"load average at end: {os.getloadavg()}")
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n")


def cost(model: RelevanceModel, claims: list[str], verifier: Verifier) -> dict:
    """Time of the model's reading of one claim's top N (one call), p50/p99 over the claims."""
    out = {}
    hits = verifier.search_many(claims, k=max(DEPTHS))
    for depth in DEPTHS:
        times = []
        for claim, found in zip(claims, hits):
            started = time.perf_counter()
            model.predict([(claim, h.statement.text) for h in found[:depth]])
            times.append((time.perf_counter() - started) * 1000)
        out[f"N={depth}"] = {"p50_ms": round(float(np.percentile(times, 50)), 1),
                             "p99_ms": round(float(np.percentile(times, 99)), 1)}
        print(f"reading N={depth}: p50 {out[f'N={depth}']['p50_ms']} ms, p99 {out[f'N={depth}']['p99_ms']} ms")
    return out


if __name__ == "__main__":
    main()
