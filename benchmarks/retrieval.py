"""Retrieval quality (dense, BM25, fusions) and index/query speed on Climate-FEVER and CheckThat 2020.

    python benchmarks/retrieval.py                 # builds indexes under var/bench, ~6 minutes on 2 cores
    python benchmarks/retrieval.py --reuse         # reuse the indexes of an earlier run (quality only)

Fusion weights are chosen on the tuning parts only (CheckThat train tweets, and the Climate-FEVER claims
whose id is even) and reported on the untouched parts (CheckThat dev, Climate-FEVER odd ids) as well.
Speed figures are ratios against baselines measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier import Settings, Verifier  # noqa: E402
from verifier.evaluation.datasets import LabelledSet, checkthat, climate_fever  # noqa: E402
from verifier.evaluation.metrics import retrieval_scores  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
WEIGHTS = (0.5, 0.6, 0.7, 0.8, 0.9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--reuse", action="store_true", help="reuse indexes built by an earlier run")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "retrieval.json")
    args = parser.parse_args()
    if not (args.data / "climate-fever").is_dir() or not (args.data / "checkthat2020-task2").is_dir():
        print(f"SKIP: the datasets are not at {args.data} (see ../shared/data/README.md)")
        return

    climate = climate_fever(args.data / "climate-fever" / "climate-fever.jsonl")
    ct_train = checkthat(args.data / "checkthat2020-task2", "train")
    ct_dev = checkthat(args.data / "checkthat2020-task2", "dev")
    report: dict = {"settings": Settings().to_dict()}

    climate_index, climate_map, report["build_climate"] = build(climate, args.work / "climate-fever", args.reuse)
    ct_index, ct_map, report["build_checkthat"] = build(ct_train, args.work / "checkthat", args.reuse)
    if not args.reuse:
        report["encode_baselines"] = encode_baselines([s.text for s in climate.corpus], report["build_climate"])

    climate_tune = [q for q in climate.queries if int(q.id) % 2 == 0]
    climate_test = [q for q in climate.queries if int(q.id) % 2 == 1]
    parts = {
        "climate-fever tune (even ids)": (climate_index, climate_map, climate_tune),
        "climate-fever test (odd ids)": (climate_index, climate_map, climate_test),
        "checkthat train (tune)": (ct_index, ct_map, ct_train.queries),
        "checkthat dev (test)": (ct_index, ct_map, ct_dev.queries),
    }
    configs = {"dense": {"fusion": "dense"}, "bm25": {"fusion": "lexical"}, "rrf": {"fusion": "rrf"}}
    configs.update({f"convex w={w}": {"fusion": "convex", "dense_weight": w} for w in WEIGHTS})
    quality = {}
    for part, (index, id_map, queries) in parts.items():
        verifier = Verifier.open(index)
        quality[part] = {name: evaluate(verifier.configure(**cfg), queries, id_map) for name, cfg in configs.items()}
    report["quality"] = quality
    report["chosen"] = choose(quality)
    report["latency_checkthat"] = latency(Verifier.open(ct_index), [q.text for q in ct_train.queries[:300]])

    print_report(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(f"\nwrote {args.out}")


def build(data: LabelledSet, path: Path, reuse: bool) -> tuple[Path, dict[str, str], dict]:
    """Index the set's corpus; returns the index, a map from dropped duplicate ids to kept ids, and speed."""
    dup_file = path / "duplicates.json"
    if reuse and dup_file.is_file():
        return path / "index", json.loads(dup_file.read_text()), {}
    started = time.perf_counter()
    result = Verifier.build(path / "index", statements=data.corpus)
    seconds = time.perf_counter() - started
    id_map = {d.id: d.duplicate_of for d in result.duplicates}
    path.mkdir(parents=True, exist_ok=True)
    dup_file.write_text(json.dumps(id_map))
    speed = {
        "statements": len(data.corpus),
        "indexed": result.total,
        "duplicates_skipped": len(result.duplicates),
        "seconds": seconds,
        "statements_per_s": len(data.corpus) / seconds,
        "encode_seconds_inside_build": result.encode_seconds,
    }
    return path / "index", id_map, speed


def encode_baselines(texts: list[str], build_speed: dict) -> dict:
    """Raw `model.encode` throughput on the same sentences, to set the build throughput against."""
    from sentence_transformers import SentenceTransformer

    from verifier import load_encoder

    onnx = load_encoder(Settings())  # first: its model folder is the one sentence-transformers reads
    model = SentenceTransformer(str(onnx.model.path), device="cpu")
    model.encode(texts[:64])
    started = time.perf_counter()
    model.encode(texts, batch_size=64)
    st_rate = len(texts) / (time.perf_counter() - started)
    started = time.perf_counter()
    onnx.encode(texts)
    onnx_rate = len(texts) / (time.perf_counter() - started)
    build_rate = build_speed["statements_per_s"]
    return {
        "sentence_transformers_encode_per_s": st_rate,
        "onnx_encode_per_s": onnx_rate,
        "build_per_s": build_rate,
        "build_vs_sentence_transformers_encode": build_rate / st_rate,
        "build_vs_onnx_encode": build_rate / onnx_rate,
    }


def evaluate(verifier: Verifier, queries, id_map: dict[str, str]) -> dict[str, float]:
    hits = verifier.search_many([q.text for q in queries], k=100)
    runs = []
    for q, ranked in zip(queries, hits):
        gold = frozenset(id_map.get(g, g) for g in q.gold)
        runs.append(([h.statement.id for h in ranked], gold))
    return retrieval_scores(runs)


def choose(quality: dict) -> dict:
    """The convex weight with the best mean of the tuning parts' headline metrics."""
    def headline(part: str, name: str) -> float:
        scores = quality[part][name]
        return scores["recall@5"] if part.startswith("climate") else scores["map@5"]

    tune_parts = [p for p in quality if "tune" in p]
    best = max((f"convex w={w}" for w in WEIGHTS), key=lambda n: np.mean([headline(p, n) for p in tune_parts]))
    return {
        "config": best,
        "hybrid_at_least_best_part": {
            part: headline(part, best) >= max(headline(part, "dense"), headline(part, "bm25")) for part in quality
        },
    }


def latency(verifier: Verifier, claims: list[str]) -> dict[str, float]:
    verifier.search(claims[0])
    times = []
    for claim in claims[1:]:
        started = time.perf_counter()
        verifier.search(claim)
        times.append((time.perf_counter() - started) * 1000)
    return {"queries": len(times), "p50_ms": float(np.percentile(times, 50)), "p99_ms": float(np.percentile(times, 99))}


def print_report(report: dict) -> None:
    for key in ("build_climate", "build_checkthat", "encode_baselines", "latency_checkthat", "chosen"):
        if report.get(key):
            print(f"\n{key}:")
            for name, value in report[key].items():
                print(f"  {name}: {value:.3f}" if isinstance(value, float) else f"  {name}: {value}")
    for part, table in report["quality"].items():
        print(f"\n{part}  (n={next(iter(table.values()))['queries']})")
        print(f"  {'config':<14} {'R@1':>6} {'R@5':>6} {'R@10':>6} {'MAP@5':>6} {'MRR':>6}")
        for name, s in table.items():
            print(f"  {name:<14} {s['recall@1']:6.3f} {s['recall@5']:6.3f} {s['recall@10']:6.3f} "
                  f"{s['map@5']:6.3f} {s['mrr']:6.3f}")


if __name__ == "__main__":
    main()
