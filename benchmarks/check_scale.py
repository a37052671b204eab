"""A warm `check` by corpus size (10k, 100k, 1M statements), and efSearch on the large index's own HNSW.

    nice -n 19 python benchmarks/build_scale.py --real 300 --sizes 10000,100000,1000000 --keep var/bench/sized
    python benchmarks/check_scale.py --indexes var/bench/sized --sizes 10000,100000,1000000

The indexes are the ones `build_scale.py --keep` builds, with `verifier`'s defaults (exact flat search below
`approximate_from`, HNSW from there; statement features stored): real sentences (Climate-FEVER evidence,
CheckThat verified claims), each copy tagged with its number, over real embeddings and, past the 15,407
real ones, vectors grown from them (benchmarks/real_vectors.py says why they behave like real ones).

1. Latency: every index opened at once with the real fp32 ONNX encoder (so claims are encoded for real),
   query cache off, warmed with a few checks. Claims are real: short news claims (Climate-FEVER claims)
   and tweets (CheckThat train tweets), which none of the indexes hold. Each claim is checked at every
   size in turn, the order rotating from claim to claim, so a change in the machine's load falls on every
   size alike; p50/p99 per size and kind, and the ratio to the smallest size's. With the stance model on
   (as shipped) and off (`--stance off`, the similarity rules alone: retrieval's share shows more).
2. efSearch: on the largest index's own HNSW (its vectors read back), recall@10 against the exact top 10
   (numpy, in chunks) for the real queries, searching for 10 and for 100 as retrieval does (FAISS 1.15
   keeps the same beam for both: the two columns agree), and one-query latency, by efSearch.

One run on a shared machine: the load average is printed; read ratios within the run.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import real_vectors  # noqa: E402

from verifier import Settings, Verifier, load_encoder  # noqa: E402
from verifier.index.folder import IndexFolder  # noqa: E402
from verifier.index.vectors import FaissStore  # noqa: E402

EF = (32, 48, 64, 96, 128, 192, 256)
K = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--indexes", type=Path, default=ROOT / "var" / "bench" / "sized")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--n", type=int, default=150, help="claims of each kind timed")
    parser.add_argument("--stance", default="on,off", help="stance model on, off, or both (on,off)")
    parser.add_argument("--skip-ef", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    _, _, query_texts, query_vectors = real_vectors.load()
    half = len(query_texts) // 2  # real_vectors: Climate-FEVER claims first, then CheckThat tweets
    kinds = {"short claims": query_texts[:half][: args.n], "tweets": query_texts[half:][: args.n]}
    print(f"load average at start {load()}")
    encoder = load_encoder(Settings(), "onnx")
    opened = {size: Verifier.open(args.indexes / str(size), encoder=encoder) for size in sizes}
    for size, verifier in opened.items():
        info = verifier.info()
        print(f"  {size:>9,}: {info.count:,} statements, vector index {info.vector_index}")
    for stance in args.stance.split(","):
        extra = {"query_cache_size": 0} | ({"stance_model": "off"} if stance == "off" else {})
        verifiers = {size: v.configure(**extra) for size, v in opened.items()}
        latency(verifiers, kinds, stance)
    if not args.skip_ef:
        efsearch(args.indexes / str(max(sizes)), query_vectors)
    print(f"\nload average at end {load()}")


def latency(verifiers: dict[int, Verifier], kinds: dict[str, list[str]], stance: str) -> None:
    sizes = list(verifiers)
    for verifier in verifiers.values():  # warm: model sessions, the checks' one-time tables, the pages read
        for claim in [*kinds["short claims"][-5:], *kinds["tweets"][-5:]]:
            verifier.check(claim)
    print(f"\n== warm check, stance model {stance} (load average {load()}) ==")
    print(f"{'claims':<14} {'size':>10} {'p50 ms':>8} {'p99 ms':>8} {'p50 x':>7} {'p99 x':>7}")
    for kind, claims in kinds.items():
        times: dict[int, list[float]] = {size: [] for size in sizes}
        for i, claim in enumerate(claims):
            for size in sizes[i % len(sizes):] + sizes[: i % len(sizes)]:
                started = time.perf_counter()
                verifiers[size].check(claim)
                times[size].append((time.perf_counter() - started) * 1000)
        base = [np.percentile(times[sizes[0]], q) for q in (50, 99)]
        for size in sizes:
            p50, p99 = (float(np.percentile(times[size], q)) for q in (50, 99))
            print(f"{kind:<14} {size:>10,} {p50:8.1f} {p99:8.1f} {p50 / base[0]:7.2f} {p99 / base[1]:7.2f}")
    print(f"(load average {load()})")


def efsearch(folder: Path, queries: np.ndarray) -> None:
    manifest = Verifier.inspect(folder)
    if manifest.vector_index != "hnsw":
        print(f"\n{folder} is {manifest.vector_index}: no efSearch to measure")
        return
    store = FaissStore.load(IndexFolder(folder).current(), "hnsw")
    count = len(store)
    print(f"\n== efSearch on the {count:,}-statement index's HNSW, {len(queries)} real queries (load {load()}) ==")
    started = time.perf_counter()
    truth = exact(store, queries, count)
    print(f"exact top {K} by numpy over the stored vectors: {time.perf_counter() - started:.1f} s")
    print(f"{'efSearch':>8} {'recall@10':>9} {'k=100':>6} {'1 query p50 ms':>15} {'p99 ms':>7}")
    chosen = None
    for ef in EF:
        store.ef_search = ef
        recall = overlap(store.search(queries, K)[1], truth)
        as_retrieval = overlap(store.search(queries, 100)[1][:, :K], truth)
        times = []
        for q in queries[:200]:
            started = time.perf_counter()
            store.search(q[None, :], K)
            times.append((time.perf_counter() - started) * 1000)
        print(f"{ef:>8} {recall:9.4f} {as_retrieval:6.3f} {np.percentile(times, 50):15.3f} "
              f"{np.percentile(times, 99):7.3f}")
        if chosen is None and recall >= 0.99:
            chosen = ef
    print(f"smallest efSearch with recall@10 >= 0.99: {chosen}; the index's own: {manifest.ef_search}")


def exact(store: FaissStore, queries: np.ndarray, count: int, chunk: int = 65536) -> np.ndarray:
    best_scores = np.full((len(queries), K), -np.inf, dtype=np.float32)
    best_ids = np.zeros((len(queries), K), dtype=np.int64)
    for start in range(0, count, chunk):
        ids = np.arange(start, min(start + chunk, count))
        scores = queries @ store.vectors(ids).T
        scores = np.concatenate([best_scores, scores], axis=1)
        pool = np.concatenate([best_ids, np.broadcast_to(ids, (len(queries), len(ids)))], axis=1)
        keep = np.argpartition(-scores, K, axis=1)[:, :K]
        best_scores = np.take_along_axis(scores, keep, axis=1)
        best_ids = np.take_along_axis(pool, keep, axis=1)
    return best_ids


def overlap(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(t)) / K for f, t in zip(found, truth)]))


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
