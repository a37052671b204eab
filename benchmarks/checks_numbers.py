"""Benchmark of the numbers check: extraction precision/recall on the hand-labelled gold (dev and held-out),
time per (claim, statement) pair, and how often the check fires and is right on HealthVer dev.

    python benchmarks/checks_numbers.py              # everything
    python benchmarks/checks_numbers.py --libraries  # also measure quantulum3 / text2num / number-parser

Data is read from ../shared/data relative to the repository root; parts that need it are skipped, saying so.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier.checks.findings import Outcome  # noqa: E402
from verifier.checks.numbers import check_numbers, extract_quantities  # noqa: E402
from verifier.checks.numbers.mentions import _extract  # noqa: E402

GOLD = ROOT / "tests" / "cases" / "extraction_gold.jsonl"
DATA = ROOT.parent / "shared" / "data"
HEALTHVER = DATA / "healthver" / "healthver_dev.csv"
CLIMATE_FEVER = DATA / "climate-fever" / "climate-fever.jsonl"


def load_gold() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def value_matches(gold: dict, low: float, high: float | None) -> bool:
    if gold.get("vague"):
        return True
    if "low" in gold:
        return _close(gold["low"], low) and _close(gold["high"], high)
    return _close(gold["value"], low) and high is None


def score(rows: list[dict], predict) -> dict:
    """Precision/recall of predicted quantities against gold: a hit overlaps a gold span and has its value."""
    tp = span_tp = n_pred = n_gold = 0
    misses, false = [], []
    for row in rows:
        preds = list(predict(row["text"]))  # (start, end, low, high)
        gold = row["quantities"]
        n_pred += len(preds)
        n_gold += len(gold)
        used: set[int] = set()
        for g in gold:
            hit = span_hit = None
            for i, (start, end, low, high) in enumerate(preds):
                if i in used or not (start < g["end"] and g["start"] < end):
                    continue
                span_hit = i
                if value_matches(g, low, high):
                    hit = i
                    break
            if hit is not None:
                used.add(hit)
                tp += 1
                span_tp += 1
            elif span_hit is not None:
                used.add(span_hit)
                span_tp += 1
                misses.append((row["id"], g["text"], "wrong value"))
            else:
                misses.append((row["id"], g["text"], "missed"))
        false += [(row["id"], row["text"][s:e]) for i, (s, e, _, _) in enumerate(preds) if i not in used]
    return {
        "sentences": len(rows), "gold": n_gold, "predicted": n_pred,
        "precision": tp / n_pred if n_pred else 0.0, "recall": tp / n_gold if n_gold else 0.0,
        "span_precision": span_tp / n_pred if n_pred else 0.0, "span_recall": span_tp / n_gold if n_gold else 0.0,
        "misses": misses, "false_positives": false,
    }


def ours(text: str):
    return [(q.span.start, q.span.end, q.value, q.high_value) for q in extract_quantities(text)]


def report_extraction(name: str, predict, verbose: bool) -> None:
    gold = load_gold()
    for split in ("dev", "heldout"):
        r = score([row for row in gold if row["split"] == split], predict)
        print(f"{name:14s} {split:8s} sentences={r['sentences']:3d} gold={r['gold']:3d} predicted={r['predicted']:3d} "
              f"P={r['precision']:.3f} R={r['recall']:.3f} (span only P={r['span_precision']:.3f} R={r['span_recall']:.3f})")
        if verbose and split == "dev":  # the held-out part is only ever scored, never read
            for m in r["misses"]:
                print("    miss", m)
            for f in r["false_positives"]:
                print("    false", f)


def report_timing(pairs: list[tuple[str, str]]) -> None:
    """µs per check_numbers pair: cold (extraction cache cleared before every pair) and warm. pint's unit
    registry (~0.8 s, once per process) is loaded before timing."""
    check_numbers("The road is 10 miles long", "The road is 16 km long")
    cold = []
    for claim, statement in pairs:
        _extract.cache_clear()
        t = time.perf_counter()
        check_numbers(claim, statement)
        cold.append((time.perf_counter() - t) * 1e6)
    for claim, statement in pairs:
        check_numbers(claim, statement)
    warm = []
    for _ in range(3):
        for claim, statement in pairs:
            t = time.perf_counter()
            check_numbers(claim, statement)
            warm.append((time.perf_counter() - t) * 1e6)
    for name, xs in (("cold", cold), ("warm", warm)):
        xs.sort()
        print(f"check_numbers {name}: {len(pairs)} pairs, median {statistics.median(xs):.0f} µs, "
              f"p90 {xs[int(0.9 * len(xs))]:.0f} µs, mean {statistics.fmean(xs):.0f} µs")


def healthver_rows() -> list[dict] | None:
    if not HEALTHVER.exists():
        print(f"SKIPPED HealthVer: {HEALTHVER} not found (the shared data folder is absent)")
        return None
    with HEALTHVER.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def pair_verdict(claim: str, evidence: str) -> str:
    """Pair-level: INCONSISTENT if any finding is, else CONSISTENT if any is, else silent."""
    outcomes = {f.outcome for f in check_numbers(claim, evidence)}
    return ("inconsistent" if Outcome.INCONSISTENT in outcomes
            else "consistent" if Outcome.CONSISTENT in outcomes else "silent")


def report_pairs(name: str, pairs: list[tuple[str, str, str]]) -> None:
    """`pairs` of (label in supports/refutes, claim, evidence): how often the check fires and is right
    (INCONSISTENT on refutes, CONSISTENT on supports)."""
    table: Counter = Counter((label, pair_verdict(claim, evidence)) for label, claim, evidence in pairs)
    numeric = sum(1 for _, claim, _ in pairs if extract_quantities(claim))
    for label in ("supports", "refutes"):
        n = sum(v for (lab, _), v in table.items() if lab == label)
        fired = n - table[(label, "silent")]
        print(f"{name} {label:8s}: pairs={n} fired={fired} ({fired / max(n, 1):.1%}) "
              f"consistent={table[(label, 'consistent')]} inconsistent={table[(label, 'inconsistent')]}")
    right = table[("supports", "consistent")] + table[("refutes", "inconsistent")]
    wrong = table[("supports", "inconsistent")] + table[("refutes", "consistent")]
    fired = right + wrong
    print(f"{name} pairs whose claim has a quantity: {numeric}; when fired: right={right} wrong={wrong} "
          + (f"accuracy={right / fired:.1%}" if fired else "(never fired)"))


def report_healthver(rows: list[dict]) -> None:
    pairs = [(r["label"].lower(), r["claim"], r["evidence"]) for r in rows if r["label"] in ("Supports", "Refutes")]
    report_pairs("HealthVer dev", pairs)


def report_climate_fever() -> None:
    """Claim-evidence pairs labelled SUPPORTS / REFUTES; even claim ids were read while developing, odd ones
    never: both are reported."""
    if not CLIMATE_FEVER.exists():
        print(f"SKIPPED Climate-FEVER: {CLIMATE_FEVER} not found (the shared data folder is absent)")
        return
    splits: dict[str, list[tuple[str, str, str]]] = {"dev": [], "heldout": []}
    for line in CLIMATE_FEVER.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        split = "dev" if int(row["claim_id"]) % 2 == 0 else "heldout"
        for e in row["evidences"]:
            if e["evidence_label"] in ("SUPPORTS", "REFUTES"):
                splits[split].append((e["evidence_label"].lower(), row["claim"], e["evidence"]))
    for split, pairs in splits.items():
        report_pairs(f"Climate-FEVER {split}", pairs)


def timing_pairs(rows: list[dict] | None) -> list[tuple[str, str]]:
    demo = [json.loads(line)["text"] for line in (ROOT / "corpus" / "demo.jsonl").read_text().splitlines() if line]
    pairs = [("Over 1,000 Afghan troops fled into Tajikistan in July 2021", s) for s in demo]
    if rows:
        rng = random.Random(7)
        pairs += [(r["claim"], r["evidence"]) for r in rng.sample(rows, 300)]
    return pairs


def report_libraries() -> None:
    """quantulum3 as an extractor on the same gold; text2num and number-parser on the gold's number words."""
    import warnings

    warnings.filterwarnings("ignore")
    from quantulum3 import classifier, parser

    classifier.USE_CLF = False  # its shipped classifier does not load under the installed scikit-learn

    def q3(text: str):
        out = []
        for q in parser.parse(text):
            out.append((q.span[0], q.span[1], q.value, None))
        return out

    gold = load_gold()
    parser.parse("warm up 5 km")
    t = time.perf_counter()
    for row in gold:
        parser.parse(row["text"])
    print(f"quantulum3: {(time.perf_counter() - t) / len(gold) * 1e3:.1f} ms a sentence")
    report_extraction("quantulum3", q3, False)
    from number_parser import parse as np_parse
    from text_to_num import alpha2digit

    for name, fn in (("text2num.alpha2digit", lambda s: alpha2digit(s, "en")), ("number_parser.parse", np_parse)):
        t = time.perf_counter()
        for row in gold:
            fn(row["text"])
        print(f"{name}: {(time.perf_counter() - t) / len(gold) * 1e6:.0f} µs a sentence (rewrites text, no spans)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--libraries", action="store_true", help="also measure the candidate libraries")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss and false positive")
    args = ap.parse_args()
    report_extraction("ours", ours, args.verbose)
    rows = healthver_rows()
    report_timing(timing_pairs(rows))
    if rows:
        report_healthver(rows)
    report_climate_fever()
    if args.libraries:
        report_libraries()


if __name__ == "__main__":
    main()
