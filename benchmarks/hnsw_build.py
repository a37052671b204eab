"""What HNSW insertion costs against what it keeps: build CPU and recall by M, efConstruction and threads.

    nice -n 5 python benchmarks/hnsw_build.py --size 100000 32,200,2 32,200,1 32,100,2 32,80,2
    nice -n 5 python benchmarks/hnsw_build.py --size 1000000 32,80,2 32,100,2

Each spec is M,efConstruction,OpenMP threads. Vectors and queries as in benchmarks/ann.py (real embeddings,
grown past 15,407 by `real_vectors.synthetic`); added in chunks of 4,096 as a build adds them. Reported:
insertion CPU and wall time, recall@10 against the exact top 10 (600 real queries) at efSearch 64 / 128 /
192, and the CPU-ms of one near-duplicate search (4,096 stored vectors, k 3, efSearch 64, as
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
    parser.add_argument("specs", nargs="+", help="M,efConstruction,threads")
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
        m, ef_construction, threads = map(int, spec.split(","))
        faiss.omp_set_num_threads(threads)
        index = faiss.IndexHNSWFlat(x.shape[1], m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = ef_construction
        cpu, wall = time.process_time(), time.perf_counter()
        for start in range(0, n, 4096):
            index.add(x[start : start + 4096])
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        recalls = []
        faiss.omp_set_num_threads(1)
        for ef in (64, 128, 192):
            index.hnsw.efSearch = ef
            found = index.search(queries, 10)[1]
            recalls.append(f"ef{ef} {np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, truth)]):.4f}")
        index.hnsw.efSearch = 64
        dedupe = []
        for t in (1, 2):
            faiss.omp_set_num_threads(t)
            started = time.process_time()
            index.search(x[:4096], 3)
            dedupe.append(f"{(time.process_time() - started) / 4096 * 1000:.3f} ms ({t} thread{'s' * (t > 1)})")
        print(
            f"M {m}, efConstruction {ef_construction}, {threads} thread(s): insertion {cpu:.1f} CPU-s, "
            f"{wall:.1f} s wall; recall@10 {', '.join(recalls)}; near-duplicate search {', '.join(dedupe)}",
            flush=True,
        )


if __name__ == "__main__":
    main()
