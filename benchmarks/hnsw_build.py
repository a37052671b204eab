"""What HNSW insertion costs against what it keeps: build CPU and recall by M, efConstruction and threads.

    nice -n 5 python benchmarks/hnsw_build.py --size 100000 32,200,2 32,200,1 32,100,2 32,80,2
    nice -n 5 python benchmarks/hnsw_build.py --size 1000000 32,80,2 32,100,2

Each spec is M,efConstruction,OpenMP threads[,until,efConstruction after]: with the last two, vectors are
inserted at the first efConstruction while the index holds fewer than `until`, and at the second from there on
(what `verifier/index/vectors.py`'s `ef_construction_for` does by size). Vectors and queries as in benchmarks/ann.py (real embeddings,
grown past 15,407 by `real_vectors.synthetic`); added in chunks of 4,096 as a build adds them. Reported:
insertion CPU and wall time, recall@10 against the exact top 10 (600 real queries) at efSearch 64 / 128 /
192, the near-duplicate search's recall (3,000 stored vectors turned to cosine 0.90 / 0.95: is the stored one
among the 3 found, at efSearch 32 and 64?), and the CPU-ms of one near-duplicate search (4,096 stored vectors, k 3, efSearch 64, as
verifier/index/dedupe.py searches) with one and two threads. Why the build keeps M 32, efConstruction 200:
docs/speed.md, "A build that scales".
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import real_vectors  # noqa: E402


def main() -> None:
    import faiss

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--ef", default="64,128,192", help="efSearch values to measure recall@10 at")
    parser.add_argument("specs", nargs="+", help="M,efConstruction,threads[,until,efConstruction after]")
    args = parser.parse_args()
    _, real, _, queries = real_vectors.load()
    n = args.size
    x = np.concatenate([real, real_vectors.synthetic(real, n - len(real))]) if n > len(real) else real[:n]
    x = np.ascontiguousarray(x, dtype=np.float32)
    exact = faiss.IndexFlatIP(x.shape[1])
    exact.add(x)
    truth = exact.search(queries, 10)[1]
    print(f"{n:,} vectors, {len(queries)} queries, load average {os.getloadavg()[0]:.1f}")
    for spec in args.specs:
        m, ef_construction, threads, *after = map(int, spec.split(","))
        until, ef_after = after or (n, ef_construction)
        faiss.omp_set_num_threads(threads)
        index = faiss.IndexHNSWFlat(x.shape[1], m, faiss.METRIC_INNER_PRODUCT)
        cpu, wall = time.process_time(), time.perf_counter()
        for start in range(0, n, 4096):
            # a chunk that crosses `until` is split there, so each vector gets the efConstruction of its place
            for lo, hi in ((start, min(start + 4096, max(start, until), n)), (max(start, until), min(start + 4096, n))):
                if hi > lo:
                    index.hnsw.efConstruction = ef_construction if lo < until else ef_after
                    index.add(x[lo:hi])
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        recalls = []
        faiss.omp_set_num_threads(1)
        for ef in map(int, args.ef.split(",")):
            index.hnsw.efSearch = ef
            found = index.search(queries, 10)[1]
            recalls.append(f"ef{ef} {np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, truth)]):.4f}")
        moved = {c: _moved(x, c) for c in (0.90, 0.95)}
        for ef in (32, 64):  # the near-duplicate pass's question: is the stored vector among the 3 found?
            index.hnsw.efSearch = ef
            found = {c: np.mean([i in row for i, row in enumerate(index.search(q, 3)[1])]) for c, q in moved.items()}
            recalls.append(f"near-duplicate ef{ef} {found[0.90]:.4f} / {found[0.95]:.4f}")
        index.hnsw.efSearch = 64
        dedupe = []
        for t in (1, 2):
            faiss.omp_set_num_threads(t)
            started = time.process_time()
            index.search(x[:4096], 3)
            dedupe.append(f"{(time.process_time() - started) / 4096 * 1000:.3f} ms ({t} thread{'s' * (t > 1)})")
        print(
            f"M {m}, efConstruction {ef_construction}{f' below {until:,}, then {ef_after}' if after else ''}, {threads} thread(s): insertion {cpu:.1f} CPU-s, "
            f"{wall:.1f} s wall; recall@10 {', '.join(recalls)}; near-duplicate search {', '.join(dedupe)}",
            flush=True,
        )


def _moved(x: np.ndarray, cosine: float, count: int = 3000) -> np.ndarray:
    """The first `count` stored vectors, each turned to `cosine` from itself in a random direction."""
    rng = np.random.default_rng(0)
    v = x[:count]
    noise = rng.standard_normal(v.shape).astype(np.float32)
    noise -= (noise * v).sum(1, keepdims=True) * v
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    return np.ascontiguousarray(cosine * v + np.sqrt(1 - cosine**2) * noise, dtype=np.float32)


if __name__ == "__main__":
    main()
