"""Encoder backends side by side: throughput, one-claim latency, and agreement with sentence-transformers.

    python benchmarks/encoders.py [--n 1000]

Sentences: the first N unique Climate-FEVER evidence sentences (or the demo corpus where ../shared/data is
absent). The baseline is sentence-transformers' own `model.encode` (torch, fp32) in the same run; every
figure is also printed as a ratio to it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier import ENCODER_BACKENDS as BACKENDS  # noqa: E402
from verifier import Settings, load_encoder  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "climate-fever" / "climate-fever.jsonl"
CLAIM = "Over 1,000 Afghan troops fled into Tajikistan in July 2021"


def sentences(n: int) -> list[str]:
    if DATA.is_file():
        seen: dict[str, None] = {}
        for line in DATA.open(encoding="utf-8"):
            for ev in json.loads(line)["evidences"]:
                seen.setdefault(ev["evidence"], None)
        return list(seen)[:n]
    print(f"note: {DATA} is absent; using the demo corpus")
    return [json.loads(line)["text"] for line in (ROOT / "corpus" / "demo.jsonl").open()]


def timed(fn, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args()
    texts = sentences(args.n)
    settings = Settings()
    rows = {}
    vectors = {}
    for backend in BACKENDS:
        encoder = load_encoder(settings, backend)
        encoder.encode(texts[:64])  # warm up
        seconds = timed(lambda: vectors.__setitem__(backend, encoder.encode(texts)))  # noqa: B023 (called at once)
        encoder.encode([CLAIM])
        single = []
        for _ in range(50):
            started = time.perf_counter()
            encoder.encode([CLAIM])
            single.append((time.perf_counter() - started) * 1000)
        rows[backend] = {"per_s": len(texts) / seconds, "one_claim_ms": statistics.median(single)}
    base = rows["torch"]
    print(f"{len(texts)} sentences; baseline: sentence-transformers model.encode (torch fp32), same run\n")
    print(f"{'backend':<10} {'sent/s':>8} {'x torch':>8} {'1 claim ms':>11} {'x torch':>8} {'min cos':>8} {'mean cos':>9}")
    for backend, r in rows.items():
        cos = (vectors[backend] * vectors["torch"]).sum(axis=1)
        print(f"{backend:<10} {r['per_s']:8.1f} {r['per_s'] / base['per_s']:8.2f} {r['one_claim_ms']:11.2f} "
              f"{base['one_claim_ms'] / r['one_claim_ms']:8.2f} {float(cos.min()):8.4f} {float(np.mean(cos)):9.4f}")


if __name__ == "__main__":
    main()
