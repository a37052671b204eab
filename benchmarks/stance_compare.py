"""Is a retrained stance model better than the shipped one? A paired bootstrap on the calib parts.

    python benchmarks/stance_compare.py --model var/stance2/model     # ~2 min on 2 cores
    python benchmarks/stance_compare.py --model '' --unsettled-baseline --keep-thresholds
                                    # the shipped model, figures settled or not (a change of input, not of model)
    python benchmarks/stance_compare.py --model DIR --baseline CONTROL
                                    # against a same-session retrain by the shipped recipe (its own thresholds)
    python benchmarks/stance_compare.py --model DIR --demo   # first: the demo claims, each model's verdict

`--demo` checks the claims whose verdicts the README and the tests promise (on the demo corpus, indexed in a
temporary folder) with both models and their thresholds, and stops there: a model that breaks them does not
ship whatever its calib figures (session 21: a retrain ahead on calib in 94% of resamples called "2,000
troops" not enough evidence and "Kabul in July 2021" supported).

Each model gets the thresholds `stance.py --tune` would choose for it (the shipped one: the settings'
defaults), then both answer the same calib pairs with model + checks. The mean macro-F1 over the five
sets is compared on 300 resamples drawn by claim within each set (a claim's pairs stay together), so the
spread of the difference says how much the calib parts can tell: ship only what is ahead by clearly more
than that spread (docs/stance-model.md). It reads only the calib parts.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from stance import DATA, TWO_WAY, PairSet, scores, tune  # noqa: E402

from verifier import Settings, Verifier, load_encoder  # noqa: E402
from verifier.evaluation.pairs import SETS  # noqa: E402
from verifier.verdict.model import LABELS, load_stance_model  # noqa: E402

THRESHOLDS = ("stance_about", "stance_support", "stance_contradict")
DEMO = ROOT / "corpus" / "demo.jsonl"
# The demo claims and the verdicts promised for them (README, tests/test_verdict.py, tests/test_stance_rules.py).
DEMO_CLAIMS = {
    "Over 1,000 Afghan troops fled into Tajikistan": ("supported",),
    "Over 1,000 Afghan troops fled into Tajikistan in July 2021": ("supported",),
    "2,000 Afghan troops fled into Tajikistan": ("contradicted",),
    "More than 1,000 Afghan troops fled into Uzbekistan": ("contradicted", "mixed"),
    "The Taliban captured Kabul in July 2021": ("not_enough_evidence",),
    "The Taliban seized Afghanistan's main border crossing into Tajikistan in June 2021": ("supported",),
}


def demo_verdicts(settings: Settings, encoder) -> tuple[dict[str, str], int]:
    """Each demo claim's verdict under `settings`, and how many break the promise."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        Verifier.build(Path(tmp) / "idx", [DEMO])
        verifier = Verifier.open(Path(tmp) / "idx", settings, encoder)
        said = {claim: verifier.check(claim).verdict.value for claim in DEMO_CLAIMS}
    return said, sum(said[c] not in DEMO_CLAIMS[c] for c in DEMO_CLAIMS)


def answers(model_dir: str | None, encoder, choose: bool, settle: bool = True) -> tuple[dict, dict, dict]:
    """Per set: the gold labels, model + checks' answers and the claims; thresholds tuned if `choose`.
    `settle=False` reads with every figure the statement does not write alike marked (before 7 Dec 2026)."""
    settings = Settings(stance_model=model_dir or "")
    model = load_stance_model(model_dir)
    model.settle_figures = settle
    sets = [PairSet(name, "calib", encoder, model, settings) for name in SETS]
    model.settle_figures = True
    if choose:
        choice = tune(sets, settings)
        settings = settings.replace(**{k: choice[k] for k in THRESHOLDS})
    print(f"  {model_dir or 'shipped'}: " + ", ".join(f"{k} {getattr(settings, k)}" for k in THRESHOLDS))
    gold = {ps.name: [p.label for p in ps.pairs] for ps in sets}
    said = {ps.name: ps.predict("model+checks", settings) for ps in sets}
    claims = {ps.name: [p.claim for p in ps.pairs] for ps in sets}
    return gold, said, claims, settings


def set_f1(gold: dict, said: dict, picks: dict, n: str) -> float:
    return scores([gold[n][i] for i in picks[n]], [said[n][i] for i in picks[n]], TWO_WAY.get(n, LABELS))["macro_f1"]


def mean_f1(gold: dict, said: dict, picks: dict) -> float:
    return float(np.mean([set_f1(gold, said, picks, n) for n in gold]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True, help="the retrained model's folder ('' : the shipped one)")
    parser.add_argument("--baseline", default="",
                        help="compare against this model folder, with thresholds chosen for it (default: the shipped "
                             "model with the settings' thresholds). The shipped model survived many comparisons on "
                             "these same calib pairs, so it is favoured on them; a retrain by its recipe is not")
    parser.add_argument("--unsettled-baseline", action="store_true",
                        help="the baseline reads consistent figures marked, as before settled figures")
    parser.add_argument("--keep-thresholds", action="store_true", help="the candidate keeps the settings' thresholds")
    parser.add_argument("--demo", action="store_true",
                        help="check the demo claims with both models (their thresholds) and stop there")
    parser.add_argument("--resamples", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"SKIP: the datasets are not at {DATA}")
        return
    encoder = load_encoder(Settings())
    print("thresholds:")
    gold, shipped, claims, base_settings = answers(args.baseline or None, encoder, choose=bool(args.baseline),
                                                   settle=not args.unsettled_baseline)
    _, candidate, _, settings = answers(args.model or None, encoder, choose=not args.keep_thresholds)
    if args.demo:
        print(f"{'demo claim':<84}{'promised':>22}{'baseline':>22}{'candidate':>22}")
        results = [demo_verdicts(s, encoder) for s in (base_settings, settings)]
        for claim, promised in DEMO_CLAIMS.items():
            print(f"{claim:<84}{' or '.join(promised):>22}{results[0][0][claim]:>22}{results[1][0][claim]:>22}")
        print(f"promises broken: baseline {results[0][1]}, candidate {results[1][1]} of {len(DEMO_CLAIMS)}")
        return
    groups = {n: defaultdict(list) for n in gold}
    for n in gold:
        for i, claim in enumerate(claims[n]):
            groups[n][claim].append(i)
    everything = {n: range(len(gold[n])) for n in gold}
    a, b = mean_f1(gold, shipped, everything), mean_f1(gold, candidate, everything)
    rng = np.random.default_rng(args.seed)
    diffs, by_set = [], defaultdict(list)
    for _ in range(args.resamples):
        picks = {}
        for n, by_claim in groups.items():
            keys = list(by_claim)
            picks[n] = [i for k in rng.integers(0, len(keys), len(keys)) for i in by_claim[keys[k]]]
            by_set[n].append(set_f1(gold, candidate, picks, n) - set_f1(gold, shipped, picks, n))
        diffs.append(mean_f1(gold, candidate, picks) - mean_f1(gold, shipped, picks))
    d = np.array(diffs)
    # Per set: which sets the mean's difference comes from, and how much each can tell (its own spread).
    print(f"{'set':<18}{'pairs':>7}{'baseline':>9}{'candidate':>11}{'difference':>12}{'sd':>7}")
    for n in gold:
        s_a, s_b = set_f1(gold, shipped, everything, n), set_f1(gold, candidate, everything, n)
        print(f"{n:<18}{len(gold[n]):>7}{s_a:>9.3f}{s_b:>11.3f}{s_b - s_a:>+12.3f}{np.std(by_set[n]):>7.3f}")
    base = args.baseline or "shipped"
    # The plain mean gives each set a fifth, whatever its size (66 FEVER-Symmetric calib pairs weigh as much as
    # 503 COVID-Fact ones); the mean weighted by pairs is the other reading, less moved by the small sets.
    size = {n: len(gold[n]) for n in gold}
    weighted = [sum(size[n] * set_f1(gold, s, everything, n) for n in gold) / sum(size.values())
                for s in (shipped, candidate)]
    print(f"calib mean weighted by pairs: {base} {weighted[0]:.4f}, {args.model} {weighted[1]:.4f}, "
          f"difference {weighted[1] - weighted[0]:+.4f}")
    print(f"calib mean macro-F1, model + checks: {base} {a:.4f}, {args.model} {b:.4f}, difference {b - a:+.4f}")
    print(
        f"paired bootstrap by claim ({args.resamples}): sd {d.std():.4f}, 90% of resamples in "
        f"[{np.percentile(d, 5):+.3f}, {np.percentile(d, 95):+.3f}], candidate ahead in {np.mean(d > 0):.0%}"
    )


if __name__ == "__main__":
    main()
