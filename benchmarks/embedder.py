"""The first stage with the packaged embedder against a fine-tuned one (`training/train_embedder.py`).

    python benchmarks/embedder.py --model var/embedder/model            # ~10 min on 2 cores (two sets of builds)
    python benchmarks/embedder.py --model DIR --context title --backend onnx-int8 --no-packaged \
        --dense-weight 0.7 --dense-weight 0.8 --dense-weight 0.9        # the int8 encoder, three fusion weights

Builds an index of each corpus (Climate-FEVER evidence, CheckThat 2020 verified claims, HealthVer dev passages)
with each embedder, everything else as shipped, and scores the hybrid first stage (rerank off) on:
- the calib queries of the tuning parts (`training/relevance_data.py`'s `calib`: never trained on, what a
  choice between embedders is made on), and
- the reported parts, as in docs/retrieval.md: Climate-FEVER odd claim ids, CheckThat dev, HealthVer odd topics.
The fine-tuned embedder was trained on the other tuning queries only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from rerank import DATA, corpora, first_stage, parts, scores_of  # noqa: E402

from verifier import Settings, Verifier  # noqa: E402

PART_SET = {"climate-fever": "climate-fever", "checkthat": "checkthat", "healthver": "healthver"}
METRICS = ("recall@1", "recall@5", "recall@10", "map@5", "mrr")


def calib_parts(the_parts: dict) -> dict:
    """The tuning parts cut to their calib queries (1 in 5 by crc32, as the training data split them)."""
    from training.relevance_data import part_of

    out = {}
    for name, (corpus, queries, tuning) in the_parts.items():
        if tuning:
            kept = [q for q in queries if part_of(corpus, q.id) == "calib"]
            out[name.replace("tune", "calib").replace("(calib)", "calib")] = (corpus, kept, True)
    return out


def build(statements, path: Path, settings: Settings) -> tuple[Path, dict[str, str]]:
    dup_file = path / "duplicates.json"
    if dup_file.is_file():
        return path / "index", json.loads(dup_file.read_text())
    report = Verifier.build(path / "index", statements=statements, settings=settings)
    dup_file.write_text(json.dumps({d.id: d.duplicate_of for d in report.duplicates}))
    return path / "index", json.loads(dup_file.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", action="append", required=True, help="fine-tuned sentence-transformers folder")
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "bench" / "embedder")
    parser.add_argument("--context", default="none", help="index_context of every index")
    parser.add_argument("--backend", default="onnx", help="encoder_backend: onnx (fp32), onnx-int8 or torch")
    parser.add_argument(
        "--dense-weight", type=float, action="append", help="score each index at these dense_weight values too"
    )
    parser.add_argument("--no-packaged", action="store_true", help="leave out the packaged embedder")
    args = parser.parse_args()
    if not (DATA / "climate-fever").is_dir():
        print(f"SKIP: the datasets are not at {DATA}")
        return
    print(f"load average at start: {os.getloadavg()}")
    the_parts = parts(DATA, 0)
    reported = {n: p for n, p in the_parts.items() if not p[2]}
    scored = calib_parts(the_parts) | reported
    statements = corpora(DATA)
    report = {}
    models = [] if args.no_packaged else [("packaged", "")]
    models += [(Path(m).name, m) for m in args.model]
    backend = "" if args.backend == "onnx" else f"-{args.backend}"
    for label, model in models:
        settings = Settings(
            model_path=str(Path(model).resolve()) if model else "",
            index_context=args.context,
            encoder_backend=args.backend,
        )
        for name, corpus in statements.items():
            path = args.work / f"{label}-{args.context}{backend}-{name}"
            path.mkdir(parents=True, exist_ok=True)
            index, id_map = build(corpus, path, settings)
            for weight in args.dense_weight or [settings.dense_weight]:
                key = label if not args.dense_weight else f"{label} w{weight:g}"
                verifier = Verifier.open(index, replace(settings, dense_weight=weight))
                for part, (corpus_name, queries, _) in scored.items():
                    if corpus_name == name:
                        report.setdefault(key, {})[part] = scores_of(first_stage(verifier, queries, id_map, 10))
    print(f"load average at end: {os.getloadavg()}")
    print(f"\n{'part':<34}{'embedder':<16}{'n':>5}" + "".join(f"{m:>11}" for m in METRICS))
    for part in scored:
        for label in report:
            s = report[label][part]
            print(f"{part:<34}{label:<16}{s['queries']:>5}" + "".join(f"{s[m]:>11.3f}" for m in METRICS))
    args.work.mkdir(parents=True, exist_ok=True)
    (args.work / f"embedder-{args.context}{backend}.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
