"""Stances and verdicts with the stance model: the rules of before, the model alone, and model + checks.

    python benchmarks/stance.py --part test                 # the reported figures (~10 min on 2 cores)
    python benchmarks/stance.py --part calib --tune         # choose stance_about/support/contradict

Pair level, on each set's part as `verifier.evaluation.pairs` splits it (Climate-FEVER, HealthVer dev,
SciFact-RTE, COVID-Fact, FEVER-Symmetric dev): per-label precision and recall, accuracy and macro-F1.
SciFact-RTE is two-way (supports / not_supports: a prediction other than supports counts as
not_supports); COVID-Fact and FEVER-Symmetric are two-way (supports / contradicts) and a neutral answer
counts as wrong. Claim level (`--claims`): Climate-FEVER's claims over its 5,240-sentence corpus, the
verdict of each system from the same retrieved statements. `--tune` searches the three thresholds on the
calib part only (never on test) for the best mean macro-F1 with "supports" and "contradicts" precision
kept as high as the best found; it prints the choice to copy into verifier/settings.py.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier import Settings, Verifier, load_encoder  # noqa: E402
from verifier.checks import check_pair  # noqa: E402
from verifier.evaluation.datasets import climate_fever  # noqa: E402
from verifier.evaluation.pairs import SETS, read_pairs  # noqa: E402
from verifier.verdict import decide, read_all  # noqa: E402
from verifier.verdict.model import LABELS, load_stance_model  # noqa: E402
from verifier.verdict.stance import Reading, claim_overlap, judge_hit, read_stance, stance_of  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
SYSTEMS = ("rules", "model", "model+checks")
TWO_WAY = {"covid-fact": ("supports", "contradicts"), "fever-symmetric": ("supports", "contradicts"),
           "scifact-rte": ("supports", "not_supports")}


def scores(gold: list[str], pred: list[str], labels: tuple[str, ...]) -> dict:
    out = {"n": len(gold), "accuracy": round(float(np.mean([g == p for g, p in zip(gold, pred)])), 4)}
    f1s = []
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, pred))
        npred, ngold = pred.count(label), gold.count(label)
        precision, recall = (tp / npred if npred else 0.0), (tp / ngold if ngold else 0.0)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        f1s.append(f1)
        out[label] = {"precision": round(precision, 3), "recall": round(recall, 3), "predicted": npred, "gold": ngold}
    out["macro_f1"] = round(float(np.mean(f1s)), 4)
    return out


class PairSet:
    """One set's pairs with everything the systems need worked out once: similarity, readings, check reports."""

    def __init__(self, name: str, part: str, encoder, model, settings: Settings):
        self.name = name
        self.pairs = [p for p in read_pairs(DATA, name) if p.part == part]
        texts = sorted({p.claim for p in self.pairs} | {p.evidence for p in self.pairs})
        vectors = dict(zip(texts, encoder.encode(texts)))
        self.similarity = [float(vectors[p.claim] @ vectors[p.evidence]) for p in self.pairs]
        self.probs = model.predict([(p.claim, p.evidence) for p in self.pairs])
        self.reports = [check_pair(p.claim, p.evidence, settings=settings) for p in self.pairs]
        self.overlap = [claim_overlap(p.claim, p.evidence, r) for p, r in zip(self.pairs, self.reports)]
        self.labels = TWO_WAY.get(name, LABELS)

    def predict(self, system: str, settings: Settings) -> list[str]:
        out = []
        for i, _ in enumerate(self.pairs):
            if system == "model":
                out.append(LABELS[int(self.probs[i].argmax())])
            elif self.similarity[i] < settings.related_similarity:
                out.append("neutral")
            elif system == "rules":
                out.append(stance_of(self.reports[i], self.similarity[i], settings, self.overlap[i]).stance.value)
            else:
                out.append(read_stance(self.reports[i], Reading.of(self.probs[i]), settings).stance.value)
        if self.name == "scifact-rte":
            out = [p if p == "supports" else "not_supports" for p in out]
        return out

    def score(self, system: str, settings: Settings) -> dict:
        return scores([p.label for p in self.pairs], self.predict(system, settings), self.labels)


def claim_level(part: str, settings: Settings, work: Path) -> dict:
    """Climate-FEVER claims (odd ids: test; even ids not trained on: calib) over its evidence corpus."""
    data = climate_fever(DATA / "climate-fever" / "climate-fever.jsonl")
    from verifier.evaluation.pairs import _part  # the same split as the pairs

    queries = [q for q in data.queries if q.label in {"supported", "contradicted", "not_enough_evidence"}
               and _part(int(q.id) % 2 == 0, q.id) == part]
    index = work / "climate-fever-index"
    if not (index / "CURRENT").exists():
        Verifier.build(index, statements=data.corpus, settings=settings)
    verifier = Verifier.open(index, settings)
    texts = [q.text for q in queries]
    hits = verifier.search_many(texts)
    model = load_stance_model(settings.stance_model or None)
    readings = read_all(model, texts, hits, settings)
    labels = ("supported", "contradicted", "not_enough_evidence")
    out = {}
    for system in SYSTEMS:
        predicted = []
        for text, found, read in zip(texts, hits, readings):
            if system == "rules":
                result = decide(text, [judge_hit(text, h, settings) for h in found], settings)
            elif system == "model+checks":
                result = decide(text, [judge_hit(text, h, settings, r) for h, r in zip(found, read)], settings)
            else:
                result = decide(text, [_model_only(text, h, r) for h, r in zip(found, read)], settings)
            verdict = result.verdict.value
            predicted.append("contradicted" if verdict == "mixed" else verdict)  # mixed cites a contradiction
        out[system] = scores([q.label for q in queries], predicted, labels)
    return out


def _model_only(claim, hit, reading):
    from verifier import Evidence, Stance

    if reading is None:
        stance, score = Stance.NEUTRAL, 0.0
    else:
        i = int(np.argmax([reading.supports, reading.contradicts, reading.neutral]))
        stance = Stance(LABELS[i])
        score = 0.0 if stance is Stance.NEUTRAL else [reading.supports, reading.contradicts][i]
    return Evidence(hit.statement, hit.rank, hit.score, hit.dense, stance, score)


def tune(sets: list[PairSet], settings: Settings) -> dict:
    grid = [round(0.2 + 0.05 * i, 2) for i in range(16)]  # 0.2 ... 0.95
    tried = []
    for about, support, contradict in itertools.product(grid, grid, grid):
        s = settings.replace(stance_about=about, stance_support=support, stance_contradict=contradict)
        per = {ps.name: ps.score("model+checks", s) for ps in sets}
        f1 = float(np.mean([r["macro_f1"] for r in per.values()]))
        three = [per[n] for n in ("climate-fever", "healthver") if n in per]
        p_sup = min((r["supports"]["precision"] for r in three), default=1.0)
        p_con = min((r["contradicts"]["precision"] for r in three), default=1.0)
        tried.append({"stance_about": about, "stance_support": support, "stance_contradict": contradict,
                      "mean_macro_f1": round(f1, 4), "min_precision_supports": p_sup,
                      "min_precision_contradicts": p_con})
    # Precision first (a wrong "supported" or "contradicted" costs a fact-checker most), then macro-F1:
    # among settings within 0.01 of the best macro-F1, the one with the highest worse-side precision.
    best_f1 = max(t["mean_macro_f1"] for t in tried)
    near = [t for t in tried if t["mean_macro_f1"] >= best_f1 - 0.01]
    return max(near, key=lambda t: (min(t["min_precision_supports"], t["min_precision_contradicts"]),
                                    t["mean_macro_f1"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=("test", "calib"), default="test")
    parser.add_argument("--model", default="", help="stance model folder (default: the shipped one)")
    parser.add_argument("--sets", nargs="*", default=list(SETS))
    parser.add_argument("--claims", action="store_true", help="also score Climate-FEVER claim-level verdicts")
    parser.add_argument("--tune", action="store_true", help="choose the thresholds (only with --part calib)")
    parser.add_argument("--work", default="var/stance-eval")
    parser.add_argument("--model-path", default="", help="embedder (setting model_path; all-MiniLM-L6-v2: the base)")
    parser.add_argument("--index-context", default=Settings().index_context, help="index_context of the claim index")
    parser.add_argument("--out", default=None)
    parser.add_argument("--plot", default=None, help="write a reliability plot (PNG) of the three-way sets here")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"SKIP: the datasets are not at {DATA}")
        return
    if args.tune and args.part != "calib":
        parser.error("--tune chooses thresholds on the calib part only")
    settings = Settings(stance_model=args.model, model_path=args.model_path, index_context=args.index_context)
    started = time.time()
    encoder, model = load_encoder(settings), load_stance_model(args.model or None)
    print(f"stance model {model.card.name} sha256 {model.card.sha256[:12]} temperature {model.card.temperature}")
    sets = [PairSet(name, args.part, encoder, model, settings) for name in args.sets]
    report: dict = {"part": args.part, "model": model.card.__dict__, "pairs": {}}
    if args.tune:
        choice = tune(sets, settings)
        report["tuned"] = choice
        print("chosen on calib:", json.dumps(choice))
        settings = settings.replace(**{k: choice[k] for k in ("stance_about", "stance_support", "stance_contradict")})
    for ps in sets:
        report["pairs"][ps.name] = {system: ps.score(system, settings) for system in SYSTEMS}
        _print(f"{ps.name} ({args.part}, pairs)", report["pairs"][ps.name], ps.labels)
    if args.claims:
        report["claims"] = claim_level(args.part, settings, Path(args.work))
        _print(f"climate-fever ({args.part}, claims)", report["claims"], ("supported", "contradicted", "not_enough_evidence"))
    if args.plot:
        report["calibration"] = reliability([ps for ps in sets if ps.labels == LABELS], model, args.plot)
    report["seconds"] = round(time.time() - started, 1)
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=2) + "\n")


def reliability(sets: list[PairSet], model, path: str, bins: int = 10) -> dict:
    """Confidence (the top probability) against accuracy, before and after the temperature; ECE of each."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from verifier.verdict.model import softmax

    probs = np.vstack([ps.probs for ps in sets])
    gold = np.array([LABELS.index(p.label) for ps in sets for p in ps.pairs])
    logits = np.log(np.clip(probs, 1e-9, 1)) * model.card.temperature  # back to the model's own scale
    out = {}
    fig, ax = plt.subplots(figsize=(5, 5), dpi=100)
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="perfect calibration")
    for name, p in (("raw (T=1)", softmax(logits)), (f"calibrated (T={model.card.temperature:.2f})", probs)):
        confidence, correct = p.max(axis=1), (p.argmax(axis=1) == gold)
        edges = np.linspace(1 / 3, 1, bins + 1)
        xs, ys, ece = [], [], 0.0
        for lo, hi in zip(edges[:-1], edges[1:]):
            inside = (confidence >= lo) & (confidence < hi if hi < 1 else confidence <= hi)
            if inside.sum() >= 5:
                xs.append(confidence[inside].mean())
                ys.append(correct[inside].mean())
                ece += inside.sum() / len(gold) * abs(xs[-1] - ys[-1])
        out[name] = round(float(ece), 4)
        ax.plot(xs, ys, marker="o", label=f"{name}, ECE {ece:.3f}")
    ax.set_xlabel("confidence (top probability)")
    ax.set_ylabel("accuracy")
    ax.set_title(f"Stance model reliability, test parts\n({', '.join(ps.name for ps in sets)}; {len(gold)} pairs)")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    print(f"\nreliability plot -> {path}: ECE {out}")
    return out


def _print(title: str, systems: dict, labels: tuple[str, ...]) -> None:
    print(f"\n{title}: n={next(iter(systems.values()))['n']}")
    print(f"  {'system':<14}{'acc':>7}{'F1':>7}" + "".join(f"{lab[:11]:>14} P/R" for lab in labels))
    for name, s in systems.items():
        cells = "".join(f"{s[lab]['precision']:>10.2f}/{s[lab]['recall']:.2f}" for lab in labels)
        print(f"  {name:<14}{s['accuracy']:>7.3f}{s['macro_f1']:>7.3f}{cells}")


if __name__ == "__main__":
    main()
