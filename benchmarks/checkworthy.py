"""How often the check-text selection rule chooses sentences that are known claims (recall on positives only).

    python benchmarks/checkworthy.py [--sample 2000]

No labelled check-worthiness data (CheckThat task 1 style: sentences or tweets marked check-worthy or not) is
in ../shared/data, so precision cannot be measured and nothing is tuned here. What can be measured is recall
on sets whose every item is a claim someone checked: the Climate-FEVER claims and the Snopes verified claims
of CheckThat 2020 task 2 (a seeded sample). A rule that chose everything would score 1.0 here, so this
bounds how much the rule misses, not how good it is; the share chosen for each feature says why.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier.textcheck import FEATURES, checkable  # noqa: E402

DATA = ROOT.parent / "shared" / "data"


def climate_fever() -> list[str]:
    path = DATA / "climate-fever" / "climate-fever.jsonl"
    return [json.loads(line)["claim"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def snopes(sample: int) -> list[str]:
    path = DATA / "checkthat2020-task2" / "verified_claims.docs.tsv"
    with path.open(encoding="utf-8", newline="") as f:
        claims = [row["vclaim"] for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE) if row.get("vclaim")]
    return random.Random(0).sample(claims, min(sample, len(claims)))


def measure(name: str, claims: list[str]) -> dict:
    started = time.perf_counter()
    found = [checkable(c) for c in claims]
    seconds = time.perf_counter() - started
    features = Counter(f for fs in found for f in fs)
    chosen = sum(1 for fs in found if fs)
    report = {"set": name, "claims": len(claims), "chosen": chosen, "recall": round(chosen / len(claims), 3),
              "per_feature": {f: round(features[f] / len(claims), 3) for f in FEATURES},
              "ms_per_sentence": round(1000 * seconds / len(claims), 2)}
    missed = [c for c, fs in zip(claims, found) if not fs][:5]
    print(json.dumps(report))
    for c in missed:
        print("   missed:", c[:140])
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=2000, help="Snopes verified claims to sample (seed 0).")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: no data folder at {DATA}")
        return
    measure("climate-fever claims (all)", climate_fever())
    measure(f"CheckThat 2020 task 2 verified claims (sample of {args.sample}, seed 0)", snopes(args.sample))


if __name__ == "__main__":
    main()
