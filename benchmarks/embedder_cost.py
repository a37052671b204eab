"""What the project's embedder costs per claim against the base model: `search` and `check`, p50/p99, one run.

    python benchmarks/embedder_cost.py [--n 200] [--batch 500]

Two indexes of the CheckThat 2020 task 2 verified claims (built once under var/bench/embedder_cost/): one with
the base model and no context (`model_path=all-MiniLM-L6-v2`, `index_context=none`, the defaults before
6 December 2026), one with the defaults (the project's embedder, `index_context=title`). Claims: CheckThat
training tweets, one call each, the two verifiers interleaved claim by claim (each first half the time) so that
both see the same machine, the checks' memo caches emptied before each call and the query cache off. Then
`check_many` over `--batch` claims, claims/s for each. Load time of each verifier (model and index) too.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier import Settings, Verifier  # noqa: E402
from verifier.evaluation.datasets import checkthat  # noqa: E402

from memo import clear_memo_caches  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "checkthat2020-task2"
SETUPS = {
    "base model, no context": Settings(model_path="all-MiniLM-L6-v2", index_context="none"),
    "project's embedder, title": Settings(),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "bench" / "embedder_cost")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"SKIP: {DATA} is absent (see ../shared/data/README.md)")
        return
    train = checkthat(DATA, "train")
    claims = list(dict.fromkeys(q.text for q in train.queries))
    verifiers = {}
    for i, (name, settings) in enumerate(SETUPS.items()):
        path = args.work / f"index-{i}"
        if not (path / "CURRENT").is_file():
            started = time.perf_counter()
            Verifier.build(path, statements=train.corpus, settings=settings)
            print(f"{name}: built in {time.perf_counter() - started:.0f} s", flush=True)
        started = time.perf_counter()
        verifiers[name] = Verifier.open(path, settings).configure(query_cache_size=0)
        verifiers[name].check(claims[0])
        print(f"{name}: opened and first check in {time.perf_counter() - started:.2f} s", flush=True)
    names = list(verifiers)
    times = {(name, call): [] for name in names for call in ("search", "check")}
    for k, claim in enumerate(claims[1: args.n + 1]):
        order = names if k % 2 == 0 else names[::-1]
        for call in ("search", "check"):
            for name in order:
                clear_memo_caches()
                started = time.perf_counter()
                getattr(verifiers[name], call)(claim)
                times[(name, call)].append((time.perf_counter() - started) * 1000)
    print(f"\n{args.n} claims, one at a time, against {verifiers[names[0]].info().count} statements")
    for (name, call), t in times.items():
        print(f"  {call:<7} {name:<28} p50 {np.percentile(t, 50):6.1f} ms  p99 {np.percentile(t, 99):6.1f} ms"
              f"  mean {statistics.fmean(t):6.1f} ms")
    batch = claims[1: args.batch + 1]
    rates = {}
    for name in names:
        clear_memo_caches()
        started = time.perf_counter()
        verifiers[name].check_many(batch)
        rates[name] = len(batch) / (time.perf_counter() - started)
        print(f"  check_many {len(batch)} claims, {name:<28} {rates[name]:6.1f} claims/s")
    print(f"  ratio (project's / base): {rates[names[1]] / rates[names[0]]:.2f}")


if __name__ == "__main__":
    main()
