"""Would a learned combiner of the model's reading and the checks' findings beat the rules of `stance.py`?

    python benchmarks/stance_combiner.py            # calib parts only, ~1 min on 2 cores

A study, not a component: a logistic regression over the model's log-probabilities, the similarity, the
word overlap, the checks' findings (conflicts by kind, unaddressed names and figures, figures confirmed)
and the rules' own answer, scored by 5-fold cross-validation on the calib parts (folds by claim, so no claim
is both fitted and scored), against the rules with the thresholds chosen on all of calib (in-sample, so the
comparison favours the rules). Variants keep the product's rules on top of the regression:
- "decided": a conflict the checks decide still makes the statement contradict;
- "floor": a statement below `related_similarity` is neutral (it is not shown as evidence);
- "entailment": "supports" needs the model to read support above contradiction (the issue's rule: never
  similarity or shared names alone).
It reads only the calib parts; the test parts stay untouched.
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from stance import DATA, TWO_WAY, PairSet, scores  # noqa: E402

from verifier import Settings, load_encoder  # noqa: E402
from verifier.checks import Kind, Outcome  # noqa: E402
from verifier.evaluation.pairs import SETS  # noqa: E402
from verifier.verdict.model import LABELS, load_stance_model  # noqa: E402
from verifier.verdict.stance import CHECKED, Reading, unaddressed, read_stance  # noqa: E402

FEATURES = {
    "reading": ("probs",),
    "reading+checks": ("probs", "checks", "rules"),
    "reading+checks+similarity": ("probs", "checks", "rules", "similarity"),
}


def rows_of(ps: PairSet, settings: Settings) -> list[dict]:
    out = []
    for i, pair in enumerate(ps.pairs):
        report, sim = ps.reports[i], ps.similarity[i]
        kinds = {f.kind for f in report.conflicts}
        stated = [f for f in report.findings if f.kind in CHECKED]
        rules = "neutral" if sim < settings.related_similarity else read_stance(report, Reading.of(ps.probs[i]), settings).stance.value
        out.append(
            {
                "set": ps.name,
                "gold": pair.label,
                "claim": pair.claim,
                "probs": ps.probs[i],
                "sim": sim,
                "overlap": ps.overlap[i],
                "rules": rules,
                "conflict": bool(kinds),
                "checks": [
                    Kind.NUMBER in kinds,
                    Kind.DATE in kinds,
                    Kind.ENTITY in kinds,
                    Kind.POLARITY in kinds,
                    min(len(unaddressed(report)), 3),
                    min(sum(f.kind is Kind.NUMBER and f.outcome is Outcome.UNMATCHED for f in report.findings), 3),
                    bool(stated) and all(f.outcome is Outcome.CONSISTENT for f in stated),
                    any(f.outcome is not Outcome.CONSISTENT for f in stated),
                ],
            }
        )
    return out


def features(row: dict, use: tuple[str, ...]) -> list[float]:
    x: list[float] = []
    if "probs" in use:
        x += list(np.log(np.clip(row["probs"], 1e-6, 1)))
    if "checks" in use:
        x += [float(v) for v in row["checks"]]
    if "rules" in use:
        x += [float(row["rules"] == label) for label in LABELS]
    if "similarity" in use:
        x += [row["sim"], row["overlap"], float(row["sim"] < 0.4)]
    return x


def variants(predicted: str, row: dict, floor: float) -> dict[str, str]:
    decided = "contradicts" if row["rules"] == "contradicts" and row["conflict"] else predicted
    floored = "neutral" if row["sim"] < floor else decided
    entailed = floored
    if entailed == "supports" and not row["probs"][0] > row["probs"][1]:
        entailed = "neutral"
    return {"regression alone": predicted, "+ decided": decided, "+ decided + floor": floored, "+ decided + floor + entailment": entailed}


def macro_f1s(rows: list[dict], predicted: list[str]) -> dict[str, float]:
    """Macro-F1 per set, then the worse of Climate-FEVER's and HealthVer's precision for each side."""
    out, precision = {}, {"supports": 1.0, "contradicts": 1.0}
    for name in SETS:
        idx = [i for i, r in enumerate(rows) if r["set"] == name]
        pred = [predicted[i] for i in idx]
        if name == "scifact-rte":
            pred = [p if p == "supports" else "not_supports" for p in pred]
        s = scores([rows[i]["gold"] for i in idx], pred, TWO_WAY.get(name, LABELS))
        out[name] = s["macro_f1"]
        if name not in TWO_WAY:
            for side in precision:
                precision[side] = min(precision[side], s[side]["precision"])
    return out | {f"P {side}": p for side, p in precision.items()}


def show(title: str, f1s: dict[str, float]) -> None:
    per_set = [v for k, v in f1s.items() if not k.startswith("P ")]
    print(f"  {title:<44}" + "".join(f"{v:>8.3f}" for v in per_set) + f"{np.mean(per_set):>8.3f}" + f"{f1s['P supports']:>8.2f}{f1s['P contradicts']:>6.2f}")


def main() -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if not DATA.is_dir():
        print(f"SKIP: the datasets are not at {DATA}")
        return
    settings = Settings()
    encoder, model = load_encoder(settings), load_stance_model(None)
    rows = [r for name in SETS for r in rows_of(PairSet(name, "calib", encoder, model, settings), settings)]
    fold = [zlib.crc32(r["claim"].encode()) % 5 for r in rows]
    print(f"calib pairs: {len(rows)}; macro-F1 per set ({', '.join(SETS)}), their mean, and the worse of the Climate-FEVER and HealthVer precisions of supports and contradicts")
    show("rules (thresholds chosen on all of calib)", macro_f1s(rows, [r["rules"] for r in rows]))
    show("model alone (argmax)", macro_f1s(rows, [LABELS[int(np.argmax(r["probs"]))] for r in rows]))
    for name, use in FEATURES.items():
        predicted: dict[str, list[str]] = {}
        for k in range(5):
            train = [r for r, f in zip(rows, fold) if f != k and r["gold"] in LABELS]
            fitted = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=3000))
            fitted.fit(np.array([features(r, use) for r in train]), [r["gold"] for r in train])
            for i, (r, f) in enumerate(zip(rows, fold)):
                if f == k:
                    p = fitted.predict(np.array([features(r, use)]))[0]
                    for v, label in variants(p, r, settings.related_similarity).items():
                        predicted.setdefault(v, [""] * len(rows))[i] = label
        print(f" regression over {name}, 5-fold by claim:")
        for v, labels in predicted.items():
            show(v, macro_f1s(rows, labels))


if __name__ == "__main__":
    main()
