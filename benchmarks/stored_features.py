"""Would statement-side check features stored at index time cut a check's time? (issue 13, item 7)

    nice -n 19 python benchmarks/stored_features.py [--statements 300]

A check reads each retrieved statement's figures, dates, names and polarity cues; these are memoized per
text, so only a statement's first appearance in a process pays for them. Storing them at index time would
replace that first extraction by reading them back: a pickle load of what extraction returns (SQLite's read
of the bytes comes on top). This measures both, per statement, on real Climate-FEVER evidence sentences
(caches emptied before each timed pass), and the bytes a statement would add to the store. Reading back
must be clearly cheaper than extracting for storing to pay; the build pays the extraction once instead.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from memo import clear_memo_caches  # noqa: E402

from verifier.checks.dates.mentions import extract_dates  # noqa: E402
from verifier.checks.entities.mentions import extract_entities  # noqa: E402
from verifier.checks.numbers.mentions import extract_quantities  # noqa: E402
from verifier.checks.polarity import _read as read_polarity  # noqa: E402
from verifier.evaluation.datasets import climate_fever  # noqa: E402
from verifier.checks.folding import fold  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
EXTRACTORS = {
    "figures": lambda text: extract_quantities(text),
    "dates": lambda text: extract_dates(text),
    "names": lambda text: extract_entities(text),
    "polarity": lambda text: read_polarity(fold(text)),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--statements", type=int, default=300)
    args = parser.parse_args()
    texts = [s.text for s in climate_fever(DATA / "climate-fever" / "climate-fever.jsonl").corpus][: args.statements]
    for text in texts[:5]:  # one-time tables (gazetteer, unit registry) out of the timing
        for fn in EXTRACTORS.values():
            fn(text)
    print(f"{len(texts)} Climate-FEVER evidence sentences; load average {os.getloadavg()}")
    print(f"{'feature':<10} {'extract us':>11} {'read back us':>13} {'read/extract':>13} {'bytes':>7}")
    totals = [0.0, 0.0, 0]
    for name, fn in EXTRACTORS.items():
        clear_memo_caches()
        started = time.process_time()
        stored = [pickle.dumps(fn(t), protocol=pickle.HIGHEST_PROTOCOL) for t in texts]
        extract = (time.process_time() - started) / len(texts) * 1e6
        started = time.process_time()
        for blob in stored:
            pickle.loads(blob)
        read = (time.process_time() - started) / len(texts) * 1e6
        size = sum(map(len, stored)) / len(texts)
        totals = [totals[0] + extract, totals[1] + read, totals[2] + size]
        print(f"{name:<10} {extract:11.1f} {read:13.1f} {read / extract:13.2f} {size:7.0f}")
    print(f"{'all':<10} {totals[0]:11.1f} {totals[1]:13.1f} {totals[1] / totals[0]:13.2f} {totals[2]:7.0f}")
    print("(extract timed with caches emptied, CPU time; pickling time is the build's, not shown)")
    print(f"load average at end {os.getloadavg()}")


if __name__ == "__main__":
    main()
