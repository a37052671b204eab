"""Precision first: what `verdict_min_confidence` trades, on Climate-FEVER claims (claim level).

    python benchmarks/min_confidence.py            # ~4 min on 2 cores (index build, model readings)

Each claim with a three-way label is checked as shipped (`Verifier.check_many`, model + checks, `top_k` 10) over Climate-FEVER's evidence
corpus; a verdict taking a side whose confidence is under the threshold becomes not_enough_evidence, as
`verifier.verdict.decide` does with the setting. The threshold is chosen on the calib claims (even ids, 1 in
7 groups, whose pairs the stance model was not trained on): the lowest at which "supported" is right at least
70% of the time (the issue's precision target). The test claims (odd ids) are scored at every threshold and
read only after the choice. "mixed" counts as contradicted (it cites a contradiction).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier import Settings, Verifier  # noqa: E402
from verifier.evaluation.datasets import climate_fever  # noqa: E402
from verifier.evaluation.pairs import _part  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
LABELS = ("supported", "contradicted", "not_enough_evidence")
GRID = (0.0, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8)
TARGET = 0.70


def verdicts(work: Path, settings: Settings) -> dict[str, list[tuple[str, str, float]]]:
    """part -> (gold, verdict, confidence) per claim, with the threshold off."""
    data = climate_fever(DATA / "climate-fever" / "climate-fever.jsonl")
    index = work / "climate-fever-index"
    if not (index / "CURRENT").exists():
        Verifier.build(index, statements=data.corpus, settings=settings)
    verifier = Verifier.open(index, settings)
    out = {}
    for part in ("calib", "test"):
        queries = [q for q in data.queries if q.label in LABELS and _part(int(q.id) % 2 == 0, q.id) == part]
        results = verifier.check_many([q.text for q in queries])
        out[part] = [(q.label, r.verdict.value, r.confidence) for q, r in zip(queries, results)]
    return out


def score(rows: list[tuple[str, str, float]], threshold: float) -> dict:
    gold, pred = [], []
    for label, verdict, confidence in rows:
        verdict = "contradicted" if verdict == "mixed" else verdict
        if verdict != "not_enough_evidence" and confidence < threshold:
            verdict = "not_enough_evidence"
        gold.append(label)
        pred.append(verdict)
    out, f1s = {}, []
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, pred))
        said, true = pred.count(label), gold.count(label)
        p, r = (tp / said if said else 0.0), (tp / true if true else 0.0)
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
        out[label] = {"precision": round(p, 3), "recall": round(r, 3), "said": said}
    out["macro_f1"] = round(float(np.mean(f1s)), 4)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "bench" / "min_confidence")
    args = parser.parse_args()
    if not (DATA / "climate-fever").is_dir():
        print(f"SKIP: the datasets are not at {DATA}")
        return
    args.work.mkdir(parents=True, exist_ok=True)
    rows = verdicts(args.work, Settings(verdict_min_confidence=0.0))
    table = {part: {t: score(r, t) for t in GRID} for part, r in rows.items()}
    reaching = [t for t in GRID if table["calib"][t]["supported"]["precision"] >= TARGET]
    chosen = min(reaching) if reaching else None
    print(f"claims: calib {len(rows['calib'])}, test {len(rows['test'])}; chosen on calib: {chosen}")
    print(f"{'part':<6}{'t':>6}{'F1':>7}   supported P/R (said)   contradicted P/R (said)   nee P/R (said)")
    for part, by_t in table.items():
        for t, s in by_t.items():
            cells = "".join(f"   {s[lab]['precision']:.2f}/{s[lab]['recall']:.2f} ({s[lab]['said']:>3})      "
                            for lab in LABELS)
            print(f"{part:<6}{t:>6.2f}{s['macro_f1']:>7.3f}{cells}{'  <- chosen' if t == chosen else ''}")
    (args.work / "min_confidence.json").write_text(json.dumps({"chosen": chosen, "table": table}, indent=1))


if __name__ == "__main__":
    main()
