"""Real sentence embeddings for the scale benchmarks, and vectors grown from them to sizes past what can be encoded.

    nice -n 19 python benchmarks/real_vectors.py      # gathers them once under var/bench/real

Corpus vectors: the statements of the fp32 (`onnx`) indexes that `benchmarks/retrieval.py` builds
(var/bench/climate-fever/index: 5,221 Climate-FEVER evidence sentences; var/bench/checkthat/index:
10,186 CheckThat 2020 verified claims), read back from FAISS, so nothing is encoded twice. Queries: the
first `QUERIES` Climate-FEVER claims and CheckThat train tweets, encoded here (fp32 ONNX). Cached in
var/bench/real/ (texts.json, corpus.npy, queries.npy). `synthetic(...)` grows the corpus to any size.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier import Settings, Verifier, load_encoder  # noqa: E402
from verifier.evaluation.datasets import checkthat, climate_fever  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
CACHE = ROOT / "var" / "bench" / "real"
INDEXES = (ROOT / "var" / "bench" / "climate-fever" / "index", ROOT / "var" / "bench" / "checkthat" / "index")
QUERIES = 300  # of each set


def load(cache: Path = CACHE) -> tuple[list[str], np.ndarray, list[str], np.ndarray]:
    """(corpus texts, their vectors, query texts, their vectors), gathered the first time."""
    if (cache / "corpus.npy").is_file():
        texts = json.loads((cache / "texts.json").read_text())
        return texts["corpus"], np.load(cache / "corpus.npy"), texts["queries"], np.load(cache / "queries.npy")
    texts, vectors = [], []
    for path in INDEXES:
        if not path.is_dir():
            sys.exit(f"no index at {path}: run benchmarks/retrieval.py first")
        verifier = Verifier.open(path, Settings(stance_model="off"))
        if verifier.manifest.encoder_backend != "onnx":
            sys.exit(f"{path} was built with {verifier.manifest.encoder_backend}, not onnx (fp32)")
        count = verifier.manifest.count
        texts += [s.text for s in verifier._state.store.by_positions(range(count))]
        vectors.append(verifier._state.retriever.vectors.vectors(np.arange(count)))
    climate = climate_fever(DATA / "climate-fever" / "climate-fever.jsonl")
    tweets = checkthat(DATA / "checkthat2020-task2", "train")
    queries = [q.text for q in climate.queries[:QUERIES]] + [q.text for q in tweets.queries[:QUERIES]]
    started = time.perf_counter()
    query_vectors = load_encoder(Settings(), "onnx").encode(queries)
    print(f"encoded {len(queries)} queries in {time.perf_counter() - started:.0f} s "
          f"(load average {os.getloadavg()[0]:.1f})")
    cache.mkdir(parents=True, exist_ok=True)
    np.save(cache / "corpus.npy", np.concatenate(vectors))
    np.save(cache / "queries.npy", query_vectors)
    (cache / "texts.json").write_text(json.dumps({"corpus": texts, "queries": queries}))
    return load(cache)


def synthetic(real: np.ndarray, n: int, seed: int = 0, neighbours: int = 10) -> np.ndarray:
    """`n` vectors made from real ones, for sizes past what can be encoded here.

    Each is a real vector mixed with one of its 10 nearest real neighbours (weight 0.5-1 on the first) plus
    Gaussian noise drawn from the real vectors' own covariance (the top 64 principal components), then
    normalized. Mixing a sentence with a nearby one keeps new vectors where sentences are (inside the same
    topics, not in the empty space between them) and the noise keeps them from being copies; `ann.py`
    compares the neighbour-cosine distribution of these with real vectors at the same size.
    """
    import faiss

    rng = np.random.default_rng(seed)
    index = faiss.IndexFlatIP(real.shape[1])
    index.add(real)
    near = index.search(real, neighbours + 1)[1][:, 1:]
    mean = real.mean(axis=0)
    _, singular, basis = np.linalg.svd(real - mean, full_matrices=False)
    scale = singular[:64] / np.sqrt(len(real))
    out = np.empty((n, real.shape[1]), dtype=np.float32)
    for start in range(0, n, 65536):
        size = min(65536, n - start)
        first = rng.integers(0, len(real), size)
        second = near[first, rng.integers(0, neighbours, size)]
        weight = rng.uniform(0.5, 1.0, size)[:, None]
        noise = (rng.standard_normal((size, 64)) * scale * NOISE) @ basis[:64]
        mixed = weight * real[first] + (1 - weight) * real[second] + noise
        out[start : start + size] = mixed / np.linalg.norm(mixed, axis=1, keepdims=True)
    return out


NOISE = 0.5  # noise scale, relative to the real spread along each component


if __name__ == "__main__":
    corpus_texts, corpus_vecs, query_texts, query_vecs = load()
    print(f"{len(corpus_texts)} corpus sentences, {len(query_texts)} queries: {CACHE}")
