"""Approximate search (`vector_index=hnsw`) against exact search (`flat`), on real embeddings.

    python benchmarks/ann.py

Corpus: the Climate-FEVER evidence sentences and the CheckThat 2020 verified claims (about 15,600
sentences), embedded with the packaged model. Queries: the Climate-FEVER claims and the CheckThat tweets
(about 2,500). For each query the exact top 100 (FAISS flat inner product) is the truth; the HNSW index
is built as `verifier` builds it (M=32, efConstruction=200) and searched at several efSearch values
(`verifier` uses 128). Reports recall@10 and recall@100 against exact search, and one-query latency of
both, in the same run.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier import Settings  # noqa: E402
from verifier import load_encoder  # noqa: E402
from verifier.evaluation.datasets import checkthat, climate_fever  # noqa: E402
from verifier.index.vectors import FaissStore  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
K = 100


def main() -> None:
    cf_file, ct_dir = DATA / "climate-fever" / "climate-fever.jsonl", DATA / "checkthat2020-task2"
    if not cf_file.is_file() or not ct_dir.is_dir():
        print(f"SKIP: Climate-FEVER and CheckThat 2020 are not at {DATA} (see ../shared/data/README.md)")
        return
    cf, ct_train, ct_dev = climate_fever(cf_file), checkthat(ct_dir, "train"), checkthat(ct_dir, "dev")
    corpus = list(dict.fromkeys([s.text for s in cf.corpus] + [s.text for s in ct_train.corpus]))
    queries = list(dict.fromkeys([q.text for q in cf.queries] + [q.text for q in ct_train.queries + ct_dev.queries]))
    encoder = load_encoder(Settings())
    started = time.perf_counter()
    docs, qs = encoder.encode(corpus), encoder.encode(queries)
    print(f"{len(corpus)} sentences, {len(queries)} queries embedded in {time.perf_counter() - started:.0f} s")

    flat = FaissStore.create(encoder.dim, "flat")
    flat.add(docs)
    truth = flat.search(qs, K)[1]
    started = time.perf_counter()
    hnsw = FaissStore.create(encoder.dim, "hnsw")
    hnsw.add(docs)
    print(f"HNSW built in {time.perf_counter() - started:.1f} s\n")

    print(f"{'index':<22} {'recall@10':>9} {'recall@100':>10} {'1 query p50 ms':>15} {'p99 ms':>7}")
    print(f"{'flat (exact)':<22} {1.0:9.3f} {1.0:10.3f} " + latency(flat, qs))
    for ef in (64, 128, 256):
        hnsw._index.hnsw.efSearch = ef
        found = hnsw.search(qs, K)[1]
        r10 = statistics.fmean(len(set(f[:10]) & set(t[:10])) / 10 for f, t in zip(found, truth))
        r100 = statistics.fmean(len(set(f) & set(t)) / K for f, t in zip(found, truth))
        print(f"{f'hnsw efSearch={ef}':<22} {r10:9.3f} {r100:10.3f} " + latency(hnsw, qs))


def latency(store: FaissStore, queries: np.ndarray) -> str:
    times = []
    for q in queries[:500]:
        started = time.perf_counter()
        store.search(q[None, :], K)
        times.append((time.perf_counter() - started) * 1000)
    return f"{np.percentile(times, 50):15.2f} {np.percentile(times, 99):7.2f}"


if __name__ == "__main__":
    main()
