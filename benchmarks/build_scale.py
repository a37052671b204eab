"""How an index build scales: CPU time against the raw encoder, peak memory by corpus size, and the
near-duplicate pass (its share of the build, and the duplicates it finds against an all-against-all pass).

    nice -n 19 python benchmarks/build_scale.py                        # 1,000 real + 10k and 100k replayed
    nice -n 19 python benchmarks/build_scale.py --real 2000 --sizes 10000,50000,100000
    nice -n 19 python benchmarks/build_scale.py --real 0 --sizes 10000,100000 --keep var/bench/sized  # keep them

`--keep DIR` keeps each size's index as DIR/SIZE (for benchmarks/check_scale.py) instead of deleting it.

1. Real encoder: `--real` statements (spread over the Climate-FEVER evidence and CheckThat verified claims)
   built with the fp32 ONNX encoder, against `encoder.encode` of the same texts, raw then build then raw again (the mean of
   the raws is the baseline). CPU time of the whole process (all threads), so other load changes it less
   than wall time; the ratio raw / build is the issue's "build CPU-time ratio to the raw encoder".
2. Sizes: each size built in a fresh process (for its peak RSS) with a replay encoder that returns real
   embeddings (benchmarks/real_vectors.py; past 15,407, vectors grown from them) at no cost, so what is
   measured is everything in a build but the encoder: reading, exact and near duplicates, SQLite, HNSW,
   BM25. Texts are the real sentences, each copy tagged with its number spelled in letters ("... [qbx]"),
   so copies are not duplicates of each other. (Until 6 December 2026 the tag was the number in digits, which
   put a figure in every statement: 69% of the real sentences have none, and the digits made the stored
   features 0.29 CPU-ms a statement against 0.24 untagged; a letter tag costs 0.23.) Reported: CPU by part, peak RSS above the process's RSS before the build
   (the replayed vectors and texts are already in memory then), and the vectors' own size. With the real
   encoder's CPU per statement from part 1, the build's ratio to the raw encoder at that size follows.
3. Near duplicates on the real statements as the data sets give them (Climate-FEVER evidence and CheckThat
   verified claims, duplicates included: the texts the benchmark indexes dropped are encoded for real,
   the rest replayed): the pass as it was (all new statements against each other at once: `chunk_size`
   past the corpus, flat) against the chunked pass through the vector index (flat and HNSW): duplicates
   found by each and the recall of the all-against-all ones.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import real_vectors  # noqa: E402

from verifier import Settings, Statement, Verifier, load_encoder  # noqa: E402

TAG = re.compile(r" \[([a-z]+)\]$")


def tag(i: int) -> str:
    """`i` in base 26, written a-z: a tag with no digit in it (a digit would be a figure for the checks)."""
    out = ""
    while True:
        i, r = divmod(i, 26)
        out = chr(97 + r) + out
        if not i:
            return out


def untag(letters: str) -> int:
    value = 0
    for ch in letters:
        value = value * 26 + ord(ch) - 97
    return value


class ReplayEncoder:
    """Embeddings looked up, not computed: real vectors for real texts, in a build that costs no encoding."""

    backend = "onnx"

    def __init__(self, texts: Sequence[str], vectors: np.ndarray):
        self.model = load_encoder(Settings(), "onnx").model
        self._rows = {t: i for i, t in enumerate(texts)}
        self._vectors = vectors

    @property
    def dim(self) -> int:
        return self.model.dim

    def encode(self, texts: Sequence[str], *, batch_size: int | None = None, progress: bool = False) -> np.ndarray:
        missing = [t for t in texts if t not in self._rows and not TAG.search(t)]
        if missing:  # statements the benchmark indexes dropped as duplicates: encoded for real, once
            encoder = load_encoder(Settings(), "onnx")
            self._rows.update({t: len(self._vectors) + i for i, t in enumerate(missing)})
            self._vectors = np.concatenate([self._vectors, encoder.encode(missing)])
        rows = [untag(m.group(1)) if (m := TAG.search(t)) else self._rows[t] for t in texts]
        return self._vectors[rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--real", type=int, default=1000, help="statements built with the real encoder (0: skip)")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # one size, in this process (JSON out)
    parser.add_argument("--duplicates-only", action="store_true", help="only part 3")
    parser.add_argument("--keep", type=Path, help="keep each size's index as KEEP/SIZE (and skip part 3)")
    args = parser.parse_args()
    if args.duplicates_only:
        texts, vectors, _, _ = real_vectors.load()
        duplicates(texts, vectors)
        return
    if args.one:
        print(json.dumps(one_size(args.one, args.keep)))
        return
    texts, vectors, _, _ = real_vectors.load()
    print(f"load average at start {load()}")
    # a sample spread over the texts, as the sizes below cycle through all of them (Climate-FEVER evidence
    # first, longer; CheckThat verified claims after, shorter)
    per_statement = real_encoder(texts[:: max(1, len(texts) // args.real)][: args.real]) if args.real else None
    sizes = {}
    for size in (int(s) for s in args.sizes.split(",")):
        keep = ["--keep", str(args.keep)] if args.keep else []
        out = subprocess.run([sys.executable, __file__, "--one", str(size), *keep], capture_output=True, text=True,
                             check=True)
        sizes[size] = json.loads(out.stdout.strip().splitlines()[-1])
        report_size(size, sizes[size], per_statement)
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        growth = sizes[large]["peak_rss_growth_mb"] - sizes[small]["peak_rss_growth_mb"]
        vectors_mb = (large - small) * 384 * 4 / 2**20
        print(f"\npeak RSS growth {large:,} vs {small:,}: +{growth:.0f} MB; the extra vectors alone: {vectors_mb:.0f} MB "
              f"({growth / vectors_mb:.2f}x; {growth * 2**20 / (large - small):.0f} bytes per extra statement)")
    if not args.keep:
        duplicates(texts, vectors)
    print(f"\nload average at end {load()}")


def real_encoder(texts: list[str]) -> float:
    """Build CPU against raw encoder CPU on the same texts; returns the raw encoder's CPU-s per statement."""
    encoder = load_encoder(Settings(), "onnx")
    encoder.encode(texts[:16])
    statements = [Statement(id=f"r{i}", text=t) for i, t in enumerate(texts)]
    raws = []
    with tempfile.TemporaryDirectory() as tmp:
        raws.append(cpu(lambda: encoder.encode(texts)))
        built = cpu(lambda: Verifier.build(Path(tmp) / "idx", statements=statements, encoder=encoder))
        raws.append(cpu(lambda: encoder.encode(texts)))
    raw = float(np.mean(raws))
    print(f"\n1. {len(texts):,} real statements, fp32 ONNX encoder (load average {load()}):")
    print(f"   raw encode {raws[0]:.1f} / {raws[1]:.1f} CPU-s, build {built:.1f} CPU-s: "
          f"build runs at {raw / built:.3f} of the raw encoder")
    return raw / len(texts)


def one_size(size: int, keep: Path | None = None) -> dict:
    texts, vectors, _, _ = real_vectors.load()
    if size > len(vectors):
        vectors = np.concatenate([vectors, real_vectors.synthetic(vectors, size - len(vectors))])
    statements = (Statement(id=f"s{i}", text=f"{texts[i % len(texts)]} [{tag(i)}]") for i in range(size))
    encoder = ReplayEncoder(texts, vectors)
    before = rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        folder = keep / str(size) if keep else Path(tmp) / "idx"
        shutil.rmtree(folder, ignore_errors=True)
        report = Verifier.build(folder, statements=statements, encoder=encoder)
        kind = Verifier.inspect(folder).vector_index
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"cpu": report.cpu_seconds, "total": report.total, "peak_rss_growth_mb": peak - before,
            "rss_before_mb": before, "vector_index": kind, "load": load()}


def report_size(size: int, out: dict, per_statement: float | None) -> None:
    cpu_parts = out["cpu"]
    rest = cpu_parts["build"] - cpu_parts.get("encode", 0.0)
    parts = ", ".join(f"{k} {v:.1f}" for k, v in cpu_parts.items() if k not in ("build", "encode"))
    print(f"\n2. {size:,} statements ({out['vector_index']}), replay encoder (load average {out['load']}):")
    print(f"   build CPU without the encoder {rest:.1f} s ({rest / size * 1000:.2f} ms a statement): {parts}")
    print(f"   peak RSS {out['rss_before_mb'] + out['peak_rss_growth_mb']:.0f} MB, "
          f"+{out['peak_rss_growth_mb']:.0f} MB over the {out['rss_before_mb']:.0f} MB before the build; "
          f"the index's vectors are {size * 384 * 4 / 2**20:.0f} MB")
    if per_statement:
        encode = per_statement * size
        print(f"   with the real encoder ({per_statement * 1000:.1f} CPU-ms a statement): build at "
              f"{encode / (encode + rest):.3f} of the raw encoder; near-duplicate pass "
              f"{cpu_parts['near_duplicates'] / (encode + rest):.1%} of the build")


def duplicates(texts: list[str], vectors: np.ndarray) -> None:
    from verifier.evaluation.datasets import checkthat, climate_fever

    data = real_vectors.DATA
    statements = (climate_fever(data / "climate-fever" / "climate-fever.jsonl").corpus
                  + checkthat(data / "checkthat2020-task2", "train").corpus)  # duplicates and all
    encoder = ReplayEncoder(texts, vectors)
    found = {}
    runs = {"all against all (as before)": ("flat", 10**9), "chunked, flat index": ("flat", 4096),
            "chunked, hnsw index": ("hnsw", 4096)}
    print(f"\n3. near duplicates among {len(statements):,} real statements (load average {load()}):")
    for name, (kind, chunk) in runs.items():
        with tempfile.TemporaryDirectory() as tmp:
            report = Verifier.build(Path(tmp) / "idx", statements=statements, encoder=encoder, chunk_size=chunk,
                                    settings=Settings(vector_index=kind))
        found[name] = {(d.id, d.duplicate_of) for d in report.duplicates if d.kind == "near"}
        exact = sum(d.kind == "exact" for d in report.duplicates)
        base = found["all against all (as before)"]
        recall = len(found[name] & {d for d in base}) / len(base) if base else 1.0
        same_statement = len({i for i, _ in found[name]} & {i for i, _ in base}) / len(base) if base else 1.0
        print(f"   {name:<28} exact {exact}, near {len(found[name])}; recall of the all-against-all near pairs "
              f"{recall:.3f} (of the statements it drops {same_statement:.3f}); near-duplicate pass "
              f"{report.cpu_seconds['near_duplicates']:.2f} CPU-s")


def cpu(fn) -> float:
    started = time.process_time()
    fn()
    return time.process_time() - started


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS")) / 1024


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
