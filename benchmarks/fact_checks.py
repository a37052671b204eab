"""Prior fact-checks on CheckThat 2020 task 2: are a tweet's fact-checks shown, and are the shown ones right?

    python benchmarks/fact_checks.py            # writes the ClaimReview file, indexes it (~3 min), checks dev
    python benchmarks/fact_checks.py --reuse    # reuse the index of an earlier run

The 10,375 Snopes verified claims are written as schema.org ClaimReview objects (JSONL; author Snopes,
the claim as `claimReviewed`, the article title as `headline`; the set gives no ratings, so every rating
is "not given in CheckThat 2020", normalised to "other"), indexed through `verifier index`'s own reader,
and every dev tweet is checked with `Verifier.check_many` (default settings, but the stance model off unless
`--with-model`: which fact-checks a result shows does not depend on it, since they are the top_k statements
whose similarity reaches `fact_check_similarity`; only whether their ratings count does, and the set has no
ratings to count). The gold is the qrels' verified claim.

- shown: share of tweets whose gold fact-check is in `fact_checks`;
- wrong: share of the fact-checks shown (all tweets pooled) that are not the tweet's gold one.
The threshold is chosen on the tuning half of dev (even tweet ids) as the one with the best F1 of shown
and 1 - wrong, and reported on the other half (odd ids), which was not looked at to choose it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier import Settings, Verifier  # noqa: E402
from verifier.evaluation.datasets import checkthat  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
GRID = [round(0.30 + 0.01 * i, 2) for i in range(66)]  # 0.30 .. 0.95
ID_PREFIX = "checkthat2020:vclaim/"  # the review's `url`: the set's own id, not a web address (it has none)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "bench" / "fact-checks")
    parser.add_argument("--reuse", action="store_true", help="reuse the index of an earlier run")
    parser.add_argument("--with-model", action="store_true", help="check with the stance model (same fact_checks)")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "fact_checks.json")
    args = parser.parse_args()
    root = args.data / "checkthat2020-task2"
    if not root.is_dir():
        print(f"SKIP: CheckThat 2020 task 2 is not at {root} (see ../shared/data/README.md)")
        return
    dev = checkthat(root, "dev")
    index = args.work / "index"
    report: dict = {"load_average_start": os.getloadavg()}
    if not (args.reuse and index.is_dir()):
        report["build"] = build(dev.corpus, args.work)
    settings = Settings(stance_model="" if args.with_model else "off")
    verifier = Verifier.open(index, settings).configure(fact_check_similarity=0.0)  # every fact-check in the top_k
    queries = [q for q in dev.queries if q.gold]
    started = time.perf_counter()
    results = verifier.check_many([q.text for q in queries])
    report["check_seconds"] = time.perf_counter() - started
    runs = [(int(q.id), {vid for vid in q.gold}, [(_vclaim(m.fact_check.url), m.similarity) for m in r.fact_checks])
            for q, r in zip(queries, results)]
    tune = [r for r in runs if r[0] % 2 == 0]
    held = [r for r in runs if r[0] % 2 == 1]
    grid = {t: score(tune, t) for t in GRID}
    chosen = max(GRID, key=lambda t: (grid[t]["f1"], t))
    report.update(
        settings=settings.to_dict(), top_k=Settings().top_k, corpus=len(dev.corpus),
        tweets={"tune (even ids)": len(tune), "held out (odd ids)": len(held)},
        tune_grid={str(t): grid[t] for t in GRID}, chosen_threshold=chosen,
        at_chosen={"tune (even ids)": grid[chosen], "held out (odd ids)": score(held, chosen),
                   "all dev": score(runs, chosen)},
        load_average_end=os.getloadavg(),
    )
    print_report(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(f"\nwrote {args.out}")


def build(corpus, work: Path) -> dict:
    """The verified claims as a ClaimReview JSONL file, indexed by the product's own reader."""
    work.mkdir(parents=True, exist_ok=True)
    path = work / "checkthat-claimreviews.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for s in corpus:
            fh.write(json.dumps({
                "@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": s.text,
                "headline": s.title, "url": ID_PREFIX + s.id, "author": {"@type": "Organization", "name": "Snopes"},
                "reviewRating": {"@type": "Rating", "alternateName": "not given in CheckThat 2020"},
            }, ensure_ascii=False) + "\n")
    started = time.perf_counter()
    built = Verifier.build(work / "index", [path])
    return {"statements": len(corpus), "indexed": built.total, "problems": len(built.problems),
            "duplicates": len(built.duplicates), "seconds": time.perf_counter() - started}


def _vclaim(url: str) -> str:
    return url.removeprefix(ID_PREFIX)


def score(runs, threshold: float) -> dict:
    """shown (recall of the gold fact-check), wrong (share of shown ones that are not gold), F1 of both."""
    found = shown = wrong = 0
    for _, gold, matches in runs:
        kept = [vid for vid, sim in matches if sim >= threshold]
        found += bool(gold & set(kept))
        shown += len(kept)
        wrong += sum(vid not in gold for vid in kept)
    recall = found / len(runs) if runs else 0.0
    precision = 1 - wrong / shown if shown else 1.0
    f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    return {"tweets": len(runs), "shown": recall, "wrong": wrong / shown if shown else 0.0, "f1": f1,
            "fact_checks_shown": shown, "per_tweet": shown / len(runs) if runs else 0.0,
            "tweets_with_any": sum(any(sim >= threshold for _, sim in m) for _, _, m in runs) / max(1, len(runs))}


def print_report(report: dict) -> None:
    print(f"CheckThat 2020 task 2 dev, {report['corpus']:,} verified claims indexed as fact-checks, top_k "
          f"{report['top_k']}; load average {report['load_average_start']}")
    if "build" in report:
        print(f"build: {report['build']}")
    print(f"checked {sum(report['tweets'].values())} tweets in {report['check_seconds']:.1f} s")
    print("\nthreshold  shown  wrong   F1   per tweet   (tuning half)")
    for t, s in report["tune_grid"].items():
        if round(float(t) * 100) % 5 == 0 or float(t) == report["chosen_threshold"]:
            print(f"  {float(t):.2f}    {s['shown']:.3f}  {s['wrong']:.3f}  {s['f1']:.3f}  {s['per_tweet']:.2f}")
    print(f"\nchosen on the tuning half: fact_check_similarity = {report['chosen_threshold']:.2f}")
    for part, s in report["at_chosen"].items():
        print(f"  {part:<20} tweets {s['tweets']:>3}  shown {s['shown']:.3f}  wrong {s['wrong']:.3f}  "
              f"F1 {s['f1']:.3f}  fact-checks per tweet {s['per_tweet']:.2f}  tweets with any {s['tweets_with_any']:.3f}")


if __name__ == "__main__":
    main()
