"""Do statement-side check features stored at index time cut a check's time? (issue 13, item 7)

    nice -n 19 python benchmarks/stored_features.py [--statements 300]      # extract against read back
    python benchmarks/stored_features.py --checks [--n 200] [--batch 1000]  # in the product, on CheckThat

A check reads each retrieved statement's figures, dates, names and polarity cues; these are memoized per
text, so only a statement's first appearance in a process pays for them. Storing them at index time would
replace that first extraction by reading them back: a pickle load of what extraction returns (SQLite's read
of the bytes comes on top). This measures both, per statement, on real Climate-FEVER evidence sentences
(caches emptied before each timed pass), and the bytes a statement would add to the store. Reading back
must be clearly cheaper than extracting for storing to pay; the build pays the extraction once instead.

`--checks` measures what the product does with them (`store_features`, on by default): the CheckThat 2020
verified claims indexed once (var/bench/checkthat-stored/), with the build's CPU time for the features
against the encoder's; then `check` of CheckThat training tweets one at a time, with the stored features
read back and without (`store_features=off` at check time), interleaved claim by claim, each first half
the time, the memo caches emptied before each call (a statement met for the first time, as most are in a
large corpus); then `check_many` over `--batch` claims in chunks of 256 both ways, caches emptied before each.
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


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def checks(n: int, batch: int, stance: str) -> None:
    import statistics

    from verifier import Settings, Verifier
    from verifier.evaluation.datasets import checkthat

    data = DATA / "checkthat2020-task2"
    index = ROOT / "var" / "bench" / "checkthat-stored" / "index"
    print(f"load average {os.getloadavg()}")
    if not (index / "CURRENT").exists():
        report = Verifier.build(index, statements=checkthat(data, "dev").corpus, settings=Settings())
        cpu = report.cpu_seconds
        print(f"build: {report.total} statements; CPU s: features {cpu['features']:.1f}, encoder {cpu['encode']:.1f} "
              f"(features {cpu['features'] / cpu['encode']:.1%} of the encoder, {cpu['features'] / cpu['build']:.1%} "
              f"of the build's {cpu['build']:.1f})")
    stored = Verifier.open(index, Settings(stance_model=stance)).configure(query_cache_size=0)
    extracted = stored.configure(store_features=False)
    claims = [q.text for q in checkthat(data, "train").queries]
    for v in (stored, extracted):
        v.check(claims[0])  # warm-up: the one-time tables, the sessions
    times: dict[str, list[float]] = {"extracted": [], "stored": []}
    for number, claim in enumerate(claims[1:n]):
        systems = [("extracted", extracted), ("stored", stored)]
        for name, v in systems if number % 2 else systems[::-1]:
            clear_memo_caches()
            t = time.perf_counter()
            v.check(claim)
            times[name].append(time.perf_counter() - t)
    print(f"check one at a time, {n - 1} tweets, {stored.info().count} statements, stance_model={stance or 'shipped'}:")
    for name, ts in times.items():
        print(f"  {name:<10} p50 {1000 * statistics.median(ts):6.1f} ms   p99 {1000 * pct(ts, 0.99):6.1f} ms")
    saved = [a - b for a, b in zip(times["extracted"], times["stored"])]
    print(f"  saved per check: p50 {1000 * statistics.median(saved):.1f} ms; p50 ratio stored/extracted "
          f"{statistics.median(times['stored']) / statistics.median(times['extracted']):.3f}")
    many = (claims * (batch // len(claims) + 1))[:batch]
    rates = {}
    for name, v in (("extracted", extracted), ("stored", stored), ("extracted", extracted), ("stored", stored)):
        clear_memo_caches()
        t = time.perf_counter()
        for start in range(0, len(many), 256):
            v.check_many(many[start:start + 256])
        rates.setdefault(name, []).append(len(many) / (time.perf_counter() - t))
    print(f"check_many, {len(many)} claims in chunks of 256 (two runs each, alternated):")
    for name, r in rates.items():
        print(f"  {name:<10} " + ", ".join(f"{x:.1f}" for x in r) + " claims/s")
    print(f"  ratio stored/extracted (best of each): {max(rates['stored']) / max(rates['extracted']):.3f}")
    print(f"load average at end {os.getloadavg()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--statements", type=int, default=300)
    parser.add_argument("--checks", action="store_true", help="measure checks with and without stored features")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--stance", default="", help="stance_model setting for --checks ('off': rules alone)")
    args = parser.parse_args()
    if args.checks:
        checks(args.n, args.batch, args.stance)
        return
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
