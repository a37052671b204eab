"""FAISS against Milvus Lite, and the local batch against Ray, side by side in one run, on CheckThat 2020.

    python benchmarks/scale.py                      # builds everything under var/bench/scale (encodes the corpus)
    python benchmarks/scale.py --from-index DIR     # start from a FAISS CheckThat index built earlier (same model)
    python benchmarks/scale.py --reuse              # reuse the indexes of an earlier run (no build timing)
    python benchmarks/scale.py --claims 500 --skip-ray

Corpus: the 10,375 Snopes verified claims of CheckThat 2020 task 2 (10,186 after duplicates). Queries: the dev
tweets (parity), the train tweets (latency), and the first `--claims` distinct train+dev tweets (batch).

1. Build: the same statements into a FAISS index and a Milvus Lite one (FLAT, inner product), alternating,
   with an encoder that serves the corpus's vectors computed once: statements/s of everything but the
   encoder (SQLite, duplicates, BM25, the vector store), which both stores share, and the encoder's own rate.
2. Parity: top-10 ids of every dev tweet from each store (dense search alone, and the whole hybrid
   retrieval), Milvus FLAT and HNSW (M 32, efConstruction 200, ef 128) against exact FAISS.
3. One query at a time, alternating FAISS and Milvus: retrieval p50/p99 (claim vectors given), and where
   Milvus's time goes (dense search, fetching candidates' vectors for the fusion, the SQLite statements).
4. Statement metadata: the 10 hits' statements from SQLite against Milvus scalar fields (a query by
   position, or the search returning them).
5. Lexical: Milvus Lite's BM25 function against bm25s: build time, query p50, overlap of the top 10.
6. Batch: `--claims` claims through the local run on the FAISS and the Milvus index and through Ray (2 actors,
   FAISS index): claims/s, and the Ray run's records compared record for record with the local run's.

Timings on a shared machine are noisy: the sides alternate, the load average is printed beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier import Settings, Verifier  # noqa: E402
from verifier.batch import run_batch  # noqa: E402
from verifier.evaluation.datasets import checkthat  # noqa: E402
from verifier.index.folder import IndexFolder  # noqa: E402
from verifier.index.store import StatementStore  # noqa: E402

from memo import clear_memo_caches  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
MILVUS = Settings(vector_store="milvus")


class ServedEncoder:
    """The index's encoder, answering the corpus's texts from vectors computed once (build timing without it)."""

    def __init__(self, encoder, vectors: dict[str, np.ndarray]):
        self._encoder, self._vectors = encoder, vectors
        self.model, self.backend = encoder.model, encoder.backend

    @property
    def dim(self) -> int:
        return self._encoder.dim

    def encode(self, texts, *, batch_size=None, progress=False):
        missing = [t for t in texts if t not in self._vectors]
        if missing:
            self._vectors.update(zip(missing, self._encoder.encode(missing)))
        return np.vstack([self._vectors[t] for t in texts]) if texts else np.zeros((0, self.dim), np.float32)


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "bench" / "scale")
    parser.add_argument("--from-index", type=Path, help="a FAISS index of the CheckThat corpus to take vectors from")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--claims", type=int, default=500)
    parser.add_argument("--queries", type=int, default=200, help="train tweets timed one at a time")
    parser.add_argument("--skip-ray", action="store_true")
    parser.add_argument("--parts", default="parity,latency,metadata,bm25,batch",
                        help="which parts to run after the build (comma-separated)")
    args = parser.parse_args()
    root = args.data / "checkthat2020-task2"
    if not root.is_dir():
        print(f"SKIP: CheckThat 2020 is not at {root} (see ../shared/data/README.md)")
        return
    args.work.mkdir(parents=True, exist_ok=True)
    train, dev = checkthat(root, "train"), checkthat(root, "dev")
    report: dict = {"load_start": load()}
    print(f"load average at start: {report['load_start']}")

    encoder, faiss_dir, milvus_dir = build_both(args, train.corpus, report)
    faiss = Verifier.open(faiss_dir, encoder=encoder)
    milvus = Verifier.open(milvus_dir, MILVUS, encoder=encoder)
    report["statements"] = faiss.info().count

    parts = set(args.parts.split(","))
    if "parity" in parts:
        parity(faiss, milvus, [q.text for q in dev.queries], encoder, args.work, report)
    if "latency" in parts:
        latency(faiss, milvus, [q.text for q in train.queries][: args.queries], report)
    if parts & {"metadata", "bm25"}:
        metadata_and_bm25(faiss, milvus, [q.text for q in train.queries][: args.queries], [q.text for q in dev.queries],
                          report, parts)
    if "batch" in parts:
        batch(args, faiss_dir, milvus_dir, train, dev, report)
    report["load_end"] = load()
    out = args.work / "report.json"
    out.write_text(json.dumps(report, indent=2))
    print(f"\nload average at end: {report['load_end']}\nwrote {out}")


def build_both(args, corpus, report):
    faiss_dir, milvus_dir = args.work / "faiss", args.work / "milvus"
    if args.reuse and IndexFolder(faiss_dir).exists() and IndexFolder(milvus_dir).exists():
        return Verifier.open(faiss_dir).encoder, faiss_dir, milvus_dir
    source = args.from_index
    if source is None:
        source = args.work / "source"
        started = time.perf_counter()
        Verifier.build(source, statements=corpus)
        report["encode_build_seconds"] = time.perf_counter() - started
    generation = IndexFolder(source).current()
    from verifier.index.vectors import FaissStore

    vectors = FaissStore.load(generation, "flat")
    store = StatementStore(generation, readonly=True)
    texts = list(store.texts())
    served = dict(zip(texts, vectors.vectors(np.arange(len(texts)))))
    encoder = Verifier.open(source).encoder
    started = time.perf_counter()
    encoder.encode(texts[:500])
    report["encoder_sentences_per_s"] = 500 / (time.perf_counter() - started)
    served_encoder = ServedEncoder(encoder, served)
    rows = []
    for name, folder, settings in (("faiss", faiss_dir, Settings()), ("milvus", milvus_dir, MILVUS)):
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        built = Verifier.build(folder, statements=corpus, settings=settings, encoder=served_encoder)
        seconds = time.perf_counter() - started
        rows.append({"store": name, "statements": built.total, "seconds": seconds, "per_s": built.total / seconds,
                     "load": load()})
    report["build"] = rows
    print("\n== build (encoder excluded: the corpus's vectors served from memory) ==")
    for r in rows:
        print(f"  {r['store']:7} {r['statements']} statements in {r['seconds']:.1f} s = {r['per_s']:.0f} statements/s "
              f"(load {r['load']})")
    print(f"  encoder (onnx, shared by both): {report['encoder_sentences_per_s']:.0f} sentences/s")
    return encoder, faiss_dir, milvus_dir


def parity(faiss, milvus, queries, encoder, work, report):
    vectors = faiss.embed(queries)
    want = faiss._state.retriever.vectors.search(vectors, 10)[1]
    got = milvus._state.retriever.vectors.search(vectors, 10)[1]
    same_list = float(np.mean([list(a) == list(b) for a, b in zip(want, got)]))
    same_set = float(np.mean([set(a) == set(b) for a, b in zip(want, got)]))
    hybrid_f = [[h.statement.id for h in hits] for hits in faiss.search_many(queries, 10, vectors)]
    hybrid_m = [[h.statement.id for h in hits] for hits in milvus.search_many(queries, 10, vectors)]
    same_hybrid = float(np.mean([a == b for a, b in zip(hybrid_f, hybrid_m)]))
    hnsw = hnsw_parity(faiss, vectors, want, work)
    report["parity"] = {"queries": len(queries), "milvus_index": "FLAT, metric IP", "dense_same_top10_order": same_list,
                        "dense_same_top10_set": same_set, "hybrid_same_top10": same_hybrid, "hnsw": hnsw}
    print(f"\n== parity: {len(queries)} dev tweets, top-10 ids, Milvus Lite against exact FAISS ==")
    print(f"  FLAT (IP): same top-10 in the same order {same_list:.1%}, same set {same_set:.1%}; whole hybrid "
          f"retrieval same top-10 {same_hybrid:.1%}")
    print(f"  HNSW (M 32, efConstruction 200, ef 128): same set {hnsw['same_set']:.1%}, recall@10 {hnsw['recall10']:.4f}")


def hnsw_parity(faiss, vectors, want, work):
    from verifier.index.milvus import MilvusStore, connect

    client = connect(str(work / "hnsw.db"))
    if client.has_collection("hnsw"):
        client.drop_collection("hnsw")
    store = MilvusStore.create(client, "hnsw", faiss.encoder.dim, "hnsw")
    base = faiss._state.retriever.vectors
    store.add(base.vectors(np.arange(len(base))))
    store.save(work)
    got = store.search(vectors, 10)[1]
    recall = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(want, got)]))
    return {"same_set": float(np.mean([set(a) == set(b) for a, b in zip(want, got)])), "recall10": recall}


def latency(faiss, milvus, queries, report):
    vectors = faiss.embed(queries)
    for v in (faiss, milvus):  # warm both
        v.search_many(queries[:5], 10, vectors[:5])
    times = {"faiss": [], "milvus": []}
    parts = {"dense_search": [], "candidate_vectors": [], "sqlite_statements": []}
    mstore, sqlite = milvus._state.retriever.vectors, milvus._state.store
    for i, query in enumerate(queries):
        order = (("faiss", faiss), ("milvus", milvus)) if i % 2 == 0 else (("milvus", milvus), ("faiss", faiss))
        for name, v in order:
            started = time.perf_counter()
            v.search_many([query], 10, vectors[i : i + 1])
            times[name].append(time.perf_counter() - started)
        started = time.perf_counter()
        _, positions = mstore.search(vectors[i : i + 1], milvus.settings.candidates)
        parts["dense_search"].append(time.perf_counter() - started)
        started = time.perf_counter()
        mstore.vectors(positions[0][:150])
        parts["candidate_vectors"].append(time.perf_counter() - started)
        started = time.perf_counter()
        sqlite.by_positions([int(p) for p in positions[0][:10]])
        parts["sqlite_statements"].append(time.perf_counter() - started)
    report["latency_ms"] = {k: {"p50": pct(t, 50), "p99": pct(t, 99)} for k, t in {**times, **parts}.items()}
    report["latency_load"] = load()
    print(f"\n== one query at a time, {len(queries)} train tweets, retrieval only (vectors given), alternating "
          f"(load {report['latency_load']}) ==")
    for name, t in times.items():
        print(f"  {name:7} p50 {pct(t, 50):7.2f} ms  p99 {pct(t, 99):7.2f} ms")
    print("  where Milvus's time goes (p50): dense search (100 candidates) "
          f"{pct(parts['dense_search'], 50):.2f} ms, 150 candidates' vectors for the fusion "
          f"{pct(parts['candidate_vectors'], 50):.2f} ms, 10 statements from SQLite {pct(parts['sqlite_statements'], 50):.2f} ms")


def metadata_and_bm25(faiss, milvus, queries, dev_queries, report, parts):

    from verifier.index.store import COLUMNS

    client = milvus._state.retriever.vectors._client
    store = faiss._state.store
    n = len(store)
    statements = store.by_positions(list(range(n)))
    fields = [c for c in COLUMNS if c not in ("pos", "meta")]
    for name in ("meta_fields", "bm25_text"):
        if client.has_collection(name):
            client.drop_collection(name)
    if "metadata" in parts:
        metadata(client, store, statements, fields, faiss, queries, report)
    if "bm25" in parts:
        bm25(client, statements, faiss, dev_queries, n, report)


def metadata(client, store, statements, fields, faiss, queries, report):
    from pymilvus import DataType, MilvusClient

    n = len(statements)
    # statement metadata as Milvus scalar fields beside the vector
    schema = MilvusClient.create_schema(auto_id=False)
    schema.add_field("pos", DataType.INT64, is_primary=True)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=faiss.encoder.dim)
    for f in fields:
        schema.add_field(f, DataType.VARCHAR, max_length=65535)
    schema.add_field("meta", DataType.VARCHAR, max_length=65535)
    index = client.prepare_index_params()
    index.add_index(field_name="vector", index_type="FLAT", metric_type="IP")
    client.create_collection("meta_fields", schema=schema, index_params=index)
    base = faiss._state.retriever.vectors.vectors(np.arange(n))
    for start in range(0, n, 2000):
        client.insert("meta_fields", [{"pos": p, "vector": base[p].tolist(), "meta": s.meta_json(),
                                       **{f: getattr(s, f) for f in fields}}
                                      for p, s in zip(range(start, min(n, start + 2000)), statements[start : start + 2000])])
    client.flush("meta_fields")
    client.load_collection("meta_fields")
    vectors = faiss.embed(queries)
    sqlite_t, query_t, search_t = [], [], []
    for i in range(len(queries)):
        positions = [int(p) for p in faiss._state.retriever.vectors.search(vectors[i : i + 1], 10)[1][0]]
        started = time.perf_counter()
        store.by_positions(positions)
        sqlite_t.append(time.perf_counter() - started)
        started = time.perf_counter()
        client.query("meta_fields", filter=f"pos in {positions}", output_fields=fields + ["meta"], limit=10)
        query_t.append(time.perf_counter() - started)
        started = time.perf_counter()
        client.search("meta_fields", data=[vectors[i].tolist()], limit=10, anns_field="vector",
                      search_params={"metric_type": "IP"}, output_fields=fields + ["meta"])
        search_t.append(time.perf_counter() - started)
    bare = report.get("latency_ms", {}).get("dense_search", {}).get("p50", float("nan"))
    report["metadata_ms_p50"] = {"sqlite_10_statements": pct(sqlite_t, 50), "milvus_query_10_by_pos": pct(query_t, 50),
                                 "milvus_search_with_fields": pct(search_t, 50)}
    print(f"\n== statement metadata for 10 hits, p50 over {len(queries)} queries (load {load()}) ==")
    print(f"  SQLite by position {pct(sqlite_t, 50):.2f} ms; Milvus query by position with scalar fields "
          f"{pct(query_t, 50):.2f} ms; Milvus search returning the fields {pct(search_t, 50):.2f} ms "
          f"(bare dense search of 100 was {bare:.2f} ms)")
    client.drop_collection("meta_fields")


def bm25(client, statements, faiss, dev_queries, n, report):
    from pymilvus import DataType, Function, FunctionType, MilvusClient

    # BM25 full-text search in Milvus Lite against bm25s
    schema = MilvusClient.create_schema(auto_id=False)
    schema.add_field("pos", DataType.INT64, is_primary=True)
    schema.add_field("text", DataType.VARCHAR, max_length=65535, enable_analyzer=True)
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_function(Function(name="bm25", function_type=FunctionType.BM25, input_field_names=["text"],
                                 output_field_names=["sparse"]))
    index = client.prepare_index_params()
    index.add_index(field_name="sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25", params={})
    started = time.perf_counter()
    client.create_collection("bm25_text", schema=schema, index_params=index)
    for start in range(0, n, 2000):
        client.insert("bm25_text", [{"pos": p, "text": statements[p].text} for p in range(start, min(n, start + 2000))])
    client.flush("bm25_text")
    client.load_collection("bm25_text")
    milvus_build = time.perf_counter() - started
    from verifier.index.lexical import LexicalIndex, top_k

    started = time.perf_counter()
    LexicalIndex.build(s.text for s in statements)
    bm25s_build = time.perf_counter() - started
    lexical = faiss._state.retriever.lexical
    mt, bt, overlap = [], [], []
    for query in dev_queries:
        started = time.perf_counter()
        found = client.search("bm25_text", data=[query], anns_field="sparse", limit=100,
                              search_params={"metric_type": "BM25"}, output_fields=[])
        mt.append(time.perf_counter() - started)
        started = time.perf_counter()
        _, mine = top_k(lexical.scores(query), 100)
        bt.append(time.perf_counter() - started)
        theirs = [hit["pos"] for hit in found[0]][:10]
        if len(mine):
            overlap.append(len(set(theirs) & set(int(p) for p in mine[:10])) / min(10, len(mine)))
    report["bm25"] = {"milvus_build_s": milvus_build, "bm25s_build_s": bm25s_build, "milvus_query_p50_ms": pct(mt, 50),
                      "bm25s_query_p50_ms": pct(bt, 50), "top10_overlap": float(np.mean(overlap)), "queries": len(dev_queries)}
    print(f"\n== lexical: Milvus Lite BM25 function against bm25s, {len(dev_queries)} dev tweets (load {load()}) ==")
    print(f"  build: Milvus {milvus_build:.1f} s, bm25s {bm25s_build:.1f} s; query top-100 p50: Milvus {pct(mt, 50):.2f} ms, "
          f"bm25s {pct(bt, 50):.2f} ms; share of bm25s's top 10 in Milvus's top 10: {np.mean(overlap):.1%}")
    client.drop_collection("bm25_text")


def batch(args, faiss_dir, milvus_dir, train, dev, report):
    seen: dict[str, None] = {}
    for q in list(train.queries) + list(dev.queries):
        seen.setdefault(" ".join(q.text.split()))
    claims = list(seen)[: args.claims]
    claims_file = args.work / "claims.jsonl"
    claims_file.write_text("".join(json.dumps({"id": f"t{i}", "claim": c}) + "\n" for i, c in enumerate(claims)))
    rows = {}
    for name, folder, settings in (("local_faiss", faiss_dir, Settings()), ("local_milvus", milvus_dir, MILVUS)):
        out = args.work / f"{name}.jsonl"
        clear_memo_caches()  # every run extracts every claim and statement afresh, as Ray's new actors do
        started = time.perf_counter()
        run_batch(Verifier.open(folder, settings), claims_file, out, overwrite=True)
        seconds = time.perf_counter() - started
        rows[name] = {"seconds": seconds, "claims_per_s": len(claims) / seconds, "load": load()}
    if not args.skip_ray:
        from verifier.batch.ray_engine import RayBatchRun

        out = args.work / "ray_faiss.jsonl"
        run = RayBatchRun(faiss_dir, Settings(), claims_file, out, overwrite=True)
        started = time.perf_counter()
        run.run()
        seconds = time.perf_counter() - started
        rows["ray_faiss"] = {"seconds": seconds, "claims_per_s": len(claims) / seconds, "load": load(), **run.timings}
        clear_memo_caches()
        started = time.perf_counter()
        run_batch(Verifier.open(faiss_dir), claims_file, args.work / "local_faiss_again.jsonl", overwrite=True)
        seconds = time.perf_counter() - started
        rows["local_faiss_after_ray"] = {"seconds": seconds, "claims_per_s": len(claims) / seconds, "load": load()}
    local = [json.loads(line) for line in (args.work / "local_faiss.jsonl").read_text().splitlines()]
    compare = {}
    for name in ("local_milvus", "ray_faiss"):
        path = args.work / f"{name}.jsonl"
        if path.is_file() and name in rows:
            other = [json.loads(line) for line in path.read_text().splitlines()]
            compare[name] = {
                "records": len(other),
                "same_verdict": sum(a.get("verdict") == b.get("verdict") for a, b in zip(local, other)),
                "same_record": sum(a == b for a, b in zip(local, other)),
                "same_order": [a["id"] for a in local] == [b["id"] for b in other],
            }
    report["batch"] = {"claims": len(claims), "runs": rows, "against_local_faiss": compare}
    print(f"\n== batch: {len(claims)} CheckThat tweets (train then dev), default settings (stance model on) ==")
    for name, r in rows.items():
        extra = "".join(f", {k} {r[k]:.1f} s" for k in ("ray_started", "first_results") if k in r)
        print(f"  {name:22} {r['claims_per_s']:6.2f} claims/s ({r['seconds']:.1f} s{extra}; load {r['load']})")
    for name, c in compare.items():
        print(f"  {name} against local_faiss: {c['same_verdict']}/{c['records']} same verdict, {c['same_record']} "
              f"identical records, same order: {c['same_order']}")


if __name__ == "__main__":
    main()
