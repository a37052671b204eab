"""One claim at a time, as the web page and the API see it: `search` and `check` latency, p50 and p99.

    python benchmarks/latency.py [--index var/bench/checkthat/index] [--n 300]

Claims: the first N CheckThat 2020 task 2 training tweets, one call each, after one warm-up call (the model
and the index load once per process and are not timed). The index defaults to the CheckThat verified-claims
index that `benchmarks/retrieval.py` builds (10,186 statements). `check` is `search` plus the consistency
checks and the verdict; the checks' memo caches start empty, so each tweet's first check extracts its
figures, dates and names afresh. For the encoder's share, the same claims are encoded alone.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier import Verifier  # noqa: E402
from verifier.evaluation.datasets import checkthat  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "checkthat2020-task2"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=ROOT / "var" / "bench" / "checkthat" / "index")
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "latency.json")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"SKIP: {DATA} is absent (see ../shared/data/README.md)")
        return
    if not (args.index / "CURRENT").is_file():
        print(f"SKIP: no index at {args.index}; run benchmarks/retrieval.py first (it builds it)")
        return
    claims = list(dict.fromkeys(q.text for q in checkthat(DATA, "train").queries))[: args.n + 1]
    verifier = Verifier.open(args.index).configure(query_cache_size=0)  # every call embeds its claim
    verifier.check(claims[0])
    report = {"index": str(args.index), "statements": verifier.info().count, "claims": len(claims) - 1}
    report["encode_one"] = timings(lambda c: verifier.encoder.encode([c]), claims[1:])
    report["search"] = timings(verifier.search, claims[1:])
    report["check"] = timings(verifier.check, claims[1:])
    for name in ("encode_one", "search", "check"):
        r = report[name]
        print(f"{name:<11} p50 {r['p50_ms']:6.1f} ms   p99 {r['p99_ms']:6.1f} ms   mean {r['mean_ms']:6.1f} ms")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(f"{report['claims']} claims against {report['statements']} statements; wrote {args.out}")


def timings(call, claims: list[str]) -> dict[str, float]:
    times = []
    for claim in claims:
        started = time.perf_counter()
        call(claim)
        times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": float(np.percentile(times, 50)), "p99_ms": float(np.percentile(times, 99)),
            "mean_ms": statistics.fmean(times)}


if __name__ == "__main__":
    main()
