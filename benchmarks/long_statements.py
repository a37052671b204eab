"""Long statements read in sentence windows against cut at 128 word pieces: what the model reads, and the cost.

    python benchmarks/long_statements.py [--parts calib test] [--repeat 3]

SciFact-RTE is the set whose statements are long (abstracts: a third of its pairs are over 128 word pieces
with the claim). For each part: the model alone (two-way, supports against the rest) macro-F1 and
accuracy, over all pairs and over the long ones, with the model cutting a long pair (`windows=False`, as
before) and reading it in windows (the product); and the time of one `predict` over the part's pairs, the
two interleaved `--repeat` times, as a ratio. Model + checks on every set is `benchmarks/stance.py`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier.evaluation.pairs import read_pairs  # noqa: E402
from verifier.verdict.model import DEFAULT_DIR, LABELS, StanceModel  # noqa: E402

from stance import scores  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
TWO_WAY = ("supports", "not_supports")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--parts", nargs="*", default=["calib", "test"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    models = {"cut": StanceModel(DEFAULT_DIR, windows=False), "windows": StanceModel(DEFAULT_DIR)}
    pairs_all = read_pairs(DATA, "scifact-rte")
    for part in args.parts:
        pairs = [p for p in pairs_all if p.part == part]
        texts = [(p.claim, p.evidence) for p in pairs]
        gold = [p.label for p in pairs]
        long = [i for i, (c, s) in enumerate(texts) if len(models["windows"].windows(c, s)) > 1]
        reads = sum(len(models["windows"].windows(c, s)) for c, s in texts)
        print(f"scifact-rte {part}: {len(pairs)} pairs, {len(long)} over 128 word pieces "
              f"({reads} model reads with windows)")
        times: dict[str, list[float]] = {name: [] for name in models}
        preds: dict[str, list[str]] = {}
        for r in range(args.repeat):
            for name in (models if r % 2 == 0 else reversed(list(models))):
                start = time.perf_counter()
                probs = models[name].predict(texts)
                times[name].append(time.perf_counter() - start)
                preds[name] = ["supports" if LABELS[int(row.argmax())] == "supports" else "not_supports"
                               for row in probs]
        for name in models:
            every = scores(gold, preds[name], TWO_WAY)
            longs = scores([gold[i] for i in long], [preds[name][i] for i in long], TWO_WAY)
            print(f"  {name:8s} macro-F1 {every['macro_f1']:.3f} acc {every['accuracy']:.3f} | long pairs: "
                  f"macro-F1 {longs['macro_f1']:.3f} acc {longs['accuracy']:.3f} | "
                  f"predict {statistics.median(times[name]) * 1000:.0f} ms (median of {args.repeat})")
        ratio = statistics.median(times["windows"]) / statistics.median(times["cut"])
        print(f"  windows / cut time: {ratio:.2f}x")


if __name__ == "__main__":
    main()
