"""Retrieval with the int8 encoder (`onnx-int8`) against fp32 (`onnx`), on the dev sets: should int8 be the default?

    nice -n 19 python benchmarks/int8_retrieval.py                 # the untouched parts of both sets
    nice -n 19 python benchmarks/int8_retrieval.py --sets climate --all-parts

For each backend the Climate-FEVER evidence sentences (5,240) and the CheckThat 2020 verified claims
(10,375) are indexed as `verifier index` does. The fp32 indexes are the ones `benchmarks/retrieval.py`
builds (var/bench/climate-fever/index, var/bench/checkthat/index; reused when present, built otherwise);
the int8 ones go under var/bench/int8. A gold id that the index dropped as a duplicate is mapped, for both
backends alike, to the stored statement with the same words, else to the statement its own text retrieves
first. Both are queried with the default retrieval (convex fusion, dense weight 0.8). Reported on
every part, tuning parts included, with the headline metrics recall@5 and MAP@5; the decision rule (issue 13)
is on the untouched parts (Climate-FEVER odd ids, CheckThat dev): int8 becomes the default only if both
drop by less than half a point (0.005). The dense side alone is shown too: it is what int8 changes.
Also the encode rate of each backend on the same sentences, measured back to back in the same run.
Each (backend, part)'s scores are kept in var/bench/int8/results.json as soon as they are measured, so an
interrupted run goes on from there (delete the file to measure again).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier import Settings, Verifier  # noqa: E402
from verifier.evaluation.datasets import LabelledSet, checkthat, climate_fever  # noqa: E402
from verifier.evaluation.metrics import retrieval_scores  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
BACKENDS = ("onnx", "onnx-int8")
MAX_DROP = 0.005


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--sets", default="climate,checkthat", help="which sets, in this order")
    parser.add_argument("--all-parts", action="store_true", help="the tuning parts too, not only the untouched ones")
    parser.add_argument("--no-rates", action="store_true", help="skip the encode-rate comparison")
    args = parser.parse_args()
    if not (args.data / "climate-fever").is_dir() or not (args.data / "checkthat2020-task2").is_dir():
        print(f"SKIP: the datasets are not at {args.data} (see ../shared/data/README.md)")
        return
    print(f"load average at start: {os.getloadavg()}")
    climate = climate_fever(args.data / "climate-fever" / "climate-fever.jsonl")
    ct_train = checkthat(args.data / "checkthat2020-task2", "train")
    ct_dev = checkthat(args.data / "checkthat2020-task2", "dev")
    parts = {
        "climate-fever tune (even ids)": ("climate", [q for q in climate.queries if int(q.id) % 2 == 0], "recall@5"),
        "climate-fever test (odd ids)": ("climate", [q for q in climate.queries if int(q.id) % 2 == 1], "recall@5"),
        "checkthat train (tune)": ("checkthat", ct_train.queries, "map@5"),
        "checkthat dev (test)": ("checkthat", ct_dev.queries, "map@5"),
    }
    parts = {p: v for p, v in parts.items() if args.all_parts or "test" in p}
    results_file = args.work / "int8" / "results.json"
    report = json.loads(results_file.read_text()) if results_file.is_file() else {"quality": {}, "build_seconds": {}}
    for name in args.sets.split(","):
        data = {"climate": climate, "checkthat": ct_train}[name]
        folder = {"climate": "climate-fever", "checkthat": "checkthat"}[name]
        for backend in BACKENDS:
            todo = [p for p, v in parts.items() if v[0] == name and backend not in report["quality"].get(p, {})]
            if not todo:
                continue
            settings = Settings(encoder_backend=backend)
            path = args.work / folder / "index" if backend == "onnx" else args.work / "int8" / folder
            verifier = index(data, path, settings, report["build_seconds"], backend)
            id_map = duplicates_map(verifier, data)
            for part in todo:
                queries = parts[part][1]
                report["quality"].setdefault(part, {})[backend] = {
                    "hybrid": evaluate(verifier, queries, id_map),
                    "dense": evaluate(verifier.configure(fusion="dense"), queries, id_map),
                }
                results_file.parent.mkdir(parents=True, exist_ok=True)
                results_file.write_text(json.dumps(report, indent=2))
                print(f"{part} {backend}: {report['quality'][part][backend]['hybrid']} (load average {os.getloadavg()})")
    if not args.no_rates:
        report["encode_rate"] = encode_rates([s.text for s in climate.corpus][:500])
    print(f"load average at end: {os.getloadavg()}")
    done = {p: v for p, v in parts.items() if len(report["quality"].get(p, {})) == len(BACKENDS)}
    print_report(report, done)
    results_file.write_text(json.dumps(report, indent=2))


def index(data: LabelledSet, path: Path, settings: Settings, seconds: dict, backend: str) -> Verifier:
    """The set's index with this backend: reused if one is there (built with this backend), else built."""
    if path.is_dir():
        verifier = Verifier.open(path, settings)
        if verifier.manifest.encoder_backend == backend:
            print(f"reusing {path} ({verifier.manifest.count} statements, built {verifier.manifest.created})")
            return verifier
    started = time.perf_counter()
    Verifier.build(path, statements=data.corpus, settings=settings)
    seconds[f"{backend} {path.parent.name}/{path.name} build s"] = time.perf_counter() - started
    return Verifier.open(path, settings)


def duplicates_map(verifier: Verifier, data: LabelledSet) -> dict[str, str]:
    """Each corpus id the index lacks (dropped as a duplicate) -> the id of the stored statement it duplicates."""
    from verifier.index.store import text_key

    store = verifier._state.store
    missing = [s for s in data.corpus if verifier.statement(s.id) is None]
    by_key = store.ids_for_keys(text_key(s.text) for s in missing)
    out = {s.id: by_key[text_key(s.text)] for s in missing if text_key(s.text) in by_key}
    rest = [s for s in missing if s.id not in out]
    dense = verifier.configure(fusion="dense")
    for statement, hits in zip(rest, dense.search_many([s.text for s in rest], k=1) if rest else []):
        out[statement.id] = hits[0].statement.id
    print(f"{len(missing)} corpus statements dropped as duplicates ({len(rest)} near)")
    return out


def evaluate(verifier: Verifier, queries, id_map: dict[str, str]) -> dict[str, float]:
    hits = verifier.search_many([q.text for q in queries], k=100)
    runs = [([h.statement.id for h in ranked], frozenset(id_map.get(g, g) for g in q.gold))
            for q, ranked in zip(queries, hits)]
    return retrieval_scores(runs)


def encode_rates(texts: list[str]) -> dict[str, float]:
    """Sentences/s of each backend on the same sentences, alternated twice so load changes hit both."""
    from verifier import load_encoder

    encoders = {b: load_encoder(Settings(encoder_backend=b), b) for b in BACKENDS}
    for encoder in encoders.values():
        encoder.encode(texts[:32])
    seconds = dict.fromkeys(BACKENDS, 0.0)
    for _ in range(2):
        for backend, encoder in encoders.items():
            started = time.process_time()
            encoder.encode(texts)
            seconds[backend] += time.process_time() - started
    return {f"{b} sentences per CPU-s": 2 * len(texts) / s for b, s in seconds.items()}


def print_report(report: dict, parts: dict) -> None:
    print(f"\n{'part':<30} {'side':<7} {'metric':<7} {'onnx':>7} {'int8':>7} {'drop':>7}")
    verdicts = []
    for part, (_, queries, headline) in parts.items():
        for side in ("hybrid", "dense"):
            for metric in ("recall@5", "map@5"):
                fp32 = report["quality"][part]["onnx"][side][metric]
                int8 = report["quality"][part]["onnx-int8"][side][metric]
                mark = " *" if metric == headline else ""
                print(f"{part:<30} {side:<7} {metric:<7} {fp32:7.4f} {int8:7.4f} {fp32 - int8:+7.4f}{mark}")
                if side == "hybrid" and "test" in part:
                    verdicts.append(fp32 - int8 < MAX_DROP)
    print("(* the set's headline metric; drop = onnx - int8, in absolute terms: 0.005 is half a point)")
    for name, value in {**report["build_seconds"], **report.get("encode_rate", {})}.items():
        print(f"  {name}: {value:.1f}")
    tested = [p for p in parts if "test" in p]
    print(f"\nint8 holds up on the untouched parts measured ({', '.join(tested)}: every hybrid recall@5 and MAP@5 "
          f"drop < {MAX_DROP}): {all(verdicts)}")


if __name__ == "__main__":
    main()
