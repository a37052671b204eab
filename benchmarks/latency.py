"""One claim at a time, as the web page and the API see it: `search` and `check` latency, p50 and p99.

    python benchmarks/latency.py [--index var/bench/checkthat/index] [--n 300]

Claims: the first N CheckThat 2020 task 2 training tweets, one call each, after one warm-up call (the model
and the index load once per process and are not timed). The index defaults to the CheckThat verified-claims
index that `benchmarks/retrieval.py` builds (10,186 statements). `check` is `search` plus the consistency
checks and the verdict; the checks' memo caches start empty (and are emptied again before each
concurrent run), so each check extracts its figures, dates and names afresh. For the encoder's share, the same claims are encoded alone.

Then the web server's case: `--clients` threads (default 4, waitress's default thread count) call `check`
at once, each taking the next claim, once with CPython's default GIL switch interval (5 ms) and once
with the 0.5 ms `verifier serve` sets. With the default, a thread that drops the GIL for a moment
(numpy, SQLite, FAISS) waits up to a whole interval to get it back while another thread runs the checks.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier import Verifier  # noqa: E402
from verifier.evaluation.datasets import checkthat  # noqa: E402

from memo import clear_memo_caches  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "checkthat2020-task2"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=ROOT / "var" / "bench" / "checkthat" / "index")
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--clients", type=int, default=4)
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
    for interval in (0.005, 0.0005):
        report[f"check_{args.clients}_clients_switch_{interval * 1000:g}ms"] = concurrent(
            verifier.check, claims[1:], args.clients, interval)
    for name, r in report.items():
        if isinstance(r, dict):
            print(f"{name:<32} p50 {r['p50_ms']:6.1f} ms   p99 {r['p99_ms']:6.1f} ms   mean {r['mean_ms']:6.1f} ms"
                  + (f"   {r['claims_per_s']:.1f} claims/s" if "claims_per_s" in r else ""))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(f"{report['claims']} claims against {report['statements']} statements; wrote {args.out}")


def concurrent(call, claims: list[str], clients: int, interval: float) -> dict[str, float]:
    """Latency of each call while `clients` threads call at once, with the given GIL switch interval."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(interval)
    clear_memo_caches()  # as cold as the one-at-a-time run: the checks' share is what the threads contend for
    todo, lock, times = iter(claims), threading.Lock(), []

    def client() -> None:
        while True:
            with lock:
                claim = next(todo, None)
            if claim is None:
                return
            started = time.perf_counter()
            call(claim)
            times.append((time.perf_counter() - started) * 1000)

    try:
        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - started
    finally:
        sys.setswitchinterval(before)
    return {"p50_ms": float(np.percentile(times, 50)), "p99_ms": float(np.percentile(times, 99)),
            "mean_ms": statistics.fmean(times), "claims_per_s": len(times) / seconds}


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
