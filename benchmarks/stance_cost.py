"""What the stance model costs: `check` latency and batch throughput with it and without it, in one run.

    python benchmarks/stance_cost.py [--n 200] [--batch 1000]

Index: the CheckThat 2020 task 2 verified claims (10,375 statements, built once under var/bench/). Claims:
CheckThat training tweets. One claim at a time (the web page's case): p50/p99 of `check` with
`stance_model=off` (the rules alone) and with the shipped model, the two interleaved claim by claim so
that both see the same machine, each first half the time, the checks' memo caches emptied before each
call (else the second call of a pair finds the texts already analysed). Then `check_many` over `--batch`
claims in chunks of 256 (the batch runner's case), claims/s for each, and with the model's claims read one by
one instead of side by side. Also the model's load time and file size.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier import Settings, Verifier  # noqa: E402
from verifier.evaluation.datasets import checkthat  # noqa: E402
from verifier.verdict import read_all  # noqa: E402
from verifier.verdict.model import DEFAULT_DIR, StanceModel  # noqa: E402

from memo import clear_memo_caches  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "checkthat2020-task2"


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, default=ROOT / "var" / "bench" / "checkthat-stance" / "index")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"SKIP: the CheckThat data is not at {DATA}")
        return
    started = time.perf_counter()
    StanceModel(DEFAULT_DIR)
    load = time.perf_counter() - started
    size = (DEFAULT_DIR / "model.onnx").stat().st_size / 1e6
    print(f"stance model: {size:.1f} MB, loads in {load:.2f} s")
    train = checkthat(DATA, "train")
    if not (args.index / "CURRENT").exists():
        Verifier.build(args.index, statements=checkthat(DATA, "dev").corpus, settings=Settings())
    with_model = Verifier.open(args.index, Settings())
    without = with_model.configure(stance_model="off")
    claims = [q.text for q in train.queries]
    one = claims[: args.n]
    for v in (with_model, without):
        v.check(one[0])  # warm-up: caches, sessions
    times: dict[str, list[float]] = {"rules": [], "model+checks": []}
    for number, claim in enumerate(one[1:]):
        systems = [("rules", without), ("model+checks", with_model)]
        for name, v in systems if number % 2 else systems[::-1]:  # each goes first half the time
            clear_memo_caches()  # both start cold: the checks' memo caches would favour the second
            t = time.perf_counter()
            v.check(claim)
            times[name].append(time.perf_counter() - t)
    print(f"\none claim at a time, {len(one) - 1} tweets, {with_model.info().count} statements:")
    for name, ts in times.items():
        print(f"  {name:<13} p50 {1000 * statistics.median(ts):6.1f} ms   p99 {1000 * pct(ts, 0.99):6.1f} ms")
    added = [b - a for a, b in zip(times["rules"], times["model+checks"])]
    print(f"  added by the model: p50 {1000 * statistics.median(added):.1f} ms, p99 {1000 * pct(added, 0.99):.1f} ms")
    many = (claims * (args.batch // len(claims) + 1))[: args.batch]
    print(f"\ncheck_many, {len(many)} claims in chunks of 256:")
    rates = {}
    side_by_side = Verifier._read
    for name, v in (("rules", without), ("one by one", with_model), ("model+checks", with_model)):
        # "one by one": the model reads the claims of a chunk one after another on its multi-threaded session,
        # as check_many did before it read them side by side (one per core); the same results
        Verifier._read = (lambda self, texts, hits: read_all(self._stance, texts, hits, self.settings)) \
            if name == "one by one" else side_by_side
        clear_memo_caches()
        t = time.perf_counter()
        for start in range(0, len(many), 256):
            v.check_many(many[start:start + 256])
        rates[name] = len(many) / (time.perf_counter() - t)
        print(f"  {name:<13} {rates[name]:6.1f} claims/s")
    Verifier._read = side_by_side
    print(f"  ratio model+checks / rules: {rates['model+checks'] / rates['rules']:.2f}; "
          f"side by side / one by one: {rates['model+checks'] / rates['one by one']:.2f}")


if __name__ == "__main__":
    main()
