"""Batch throughput (`verifier batch`) against the raw encoder, on 2,000 distinct claims.

    python benchmarks/batch.py              # builds the index under var/bench/batch (~3 minutes on 2 cores)
    python benchmarks/batch.py --reuse      # reuse the index of an earlier run
    python benchmarks/batch.py --reuse --repeats 5

Claims: the CheckThat 2020 task 2 tweets (train and dev, 997 distinct after whitespace is collapsed), then
Climate-FEVER claims in file order until there are 2,000 distinct ones. Index: the 10,375 Snopes verified
claims of CheckThat 2020 (10,186 after duplicates are dropped), the corpus the tweets are meant to match.

Each repeat times, in this order and in the same process: the index's ONNX encoder on all the claims
(`Verifier.open(...).encoder.encode`, one call), a whole batch run (`run_batch` from a JSONL file to a JSONL
results file: reading, embedding, retrieval, every check, writing and fsync), the ONNX encoder again, and
sentence-transformers' own `model.encode` (torch). The batch's ratio is to the mean of the two ONNX runs
around it, so that load from other processes touches both sides alike. One-time loading (model, gazetteer,
unit registry) is done before timing, as for the encoders; the checks' memo caches are emptied before each
batch run, so every repeat extracts every claim and statement afresh.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier import Verifier  # noqa: E402
from verifier.batch import run_batch  # noqa: E402
from verifier.evaluation.datasets import checkthat  # noqa: E402

from memo import clear_memo_caches  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
WARM_UP = [
    "The river rose 3 metres, about 10 feet, in Paris on 5 May 2019.",
    "The WHO did not say that 40% of Americans in New York were infected last month.",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "bench" / "batch")
    parser.add_argument("--reuse", action="store_true", help="reuse the index an earlier run built")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--claims", type=int, default=2000)
    parser.add_argument("--no-torch", action="store_true", help="skip the sentence-transformers baseline")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "batch.json")
    args = parser.parse_args()
    checkthat_dir, climate_file = args.data / "checkthat2020-task2", args.data / "climate-fever" / "climate-fever.jsonl"
    if not checkthat_dir.is_dir() or not climate_file.is_file():
        print(f"SKIP: the CheckThat 2020 and Climate-FEVER data are not at {args.data} (see ../shared/data/README.md)")
        return

    claims, origin, spare = load_claims(checkthat_dir, climate_file, args.claims)
    index, build_seconds = build(checkthat_dir, args.work / "index", args.reuse)
    args.work.mkdir(parents=True, exist_ok=True)
    claims_file = write_claims(args.work / "claims.jsonl", claims)
    verifier = Verifier.open(index)
    report = {"claims": len(claims), "origin": origin, "index": str(index), "statements": verifier.info().count,
              "build_seconds": build_seconds, "chunk_size": verifier.settings.batch_chunk_size,
              "cpus": os.cpu_count(), "repeats": []}
    model = None if args.no_torch else sentence_transformer(verifier)
    warm_up(verifier, model, claims, spare, args.work)

    for number in range(1, args.repeats + 1):
        row = {"repeat": number}
        row["onnx_before"] = rate(len(claims), lambda: verifier.encoder.encode(claims))
        clear_memo_caches()
        started = time.perf_counter()
        summary = run_batch(Verifier.open(index), claims_file, args.work / "results.jsonl", overwrite=True)
        row["batch"] = len(claims) / (time.perf_counter() - started)
        row["onnx_after"] = rate(len(claims), lambda: verifier.encoder.encode(claims))
        if model is not None:
            row["torch"] = rate(len(claims), lambda: model.encode(claims, batch_size=verifier.settings.encode_batch_size))
        row["ratio"] = row["batch"] / statistics.mean([row["onnx_before"], row["onnx_after"]])
        row["load"] = os.getloadavg()[0]
        row["verdicts"] = dict(summary.verdicts)
        report["repeats"].append(row)
        print_row(row)

    ratios = [r["ratio"] for r in report["repeats"]]
    report.update(ratio_median=statistics.median(ratios), ratio_min=min(ratios), ratio_max=max(ratios),
                  peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print_report(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(f"\nwrote {args.out}")


def load_claims(checkthat_dir: Path, climate_file: Path, n: int) -> tuple[list[str], dict, list[str]]:
    """n distinct claims: CheckThat tweets first, then Climate-FEVER claims; and the unused Climate-FEVER ones."""
    seen: dict[str, None] = {}
    for split in ("train", "dev"):
        with open(checkthat_dir / split / "tweets.queries.tsv", newline="", encoding="utf-8") as fh:
            rows = csv.reader(fh, delimiter="\t")
            next(rows)
            seen.update((" ".join(row[1].split()), None) for row in rows)
    tweets = len(seen)
    spare = []
    with open(climate_file, encoding="utf-8") as fh:
        for line in fh:
            claim = " ".join(json.loads(line)["claim"].split())
            if len(seen) < n:
                seen.setdefault(claim)
            elif claim not in seen:
                spare.append(claim)
    claims = list(seen)[:n]
    origin = {"checkthat2020_tweets_train_dev": min(tweets, n), "climate_fever_claims": len(claims) - min(tweets, n)}
    return claims, origin, spare


def build(checkthat_dir: Path, path: Path, reuse: bool) -> tuple[Path, float | None]:
    if reuse and (path / "CURRENT").is_file():
        return path, None
    started = time.perf_counter()
    report = Verifier.build(path, statements=checkthat(checkthat_dir, "train").corpus, progress=sys.stderr.isatty())
    seconds = time.perf_counter() - started
    print(f"built {path}: {report.total} statements in {seconds:.0f} s")
    return path, seconds


def write_claims(path: Path, claims: list[str]) -> Path:
    path.write_text("".join(json.dumps({"id": f"c{i}", "claim": c}) + "\n" for i, c in enumerate(claims)))
    return path


def sentence_transformer(verifier: Verifier):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(verifier.encoder.model.path), device="cpu", local_files_only=True)
    model.max_seq_length = min(verifier.settings.max_seq_length, verifier.encoder.model.max_seq_length)
    return model


def warm_up(verifier: Verifier, model, claims: list[str], spare: list[str], work: Path) -> None:
    """Load everything that is loaded once per process, on claims that are not measured."""
    verifier.encoder.encode(claims[:64])
    if model is not None:
        model.encode(claims[:64])
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        warm = write_claims(Path(tmp) / "warm.jsonl", WARM_UP + spare[:100])
        run_batch(Verifier.open(verifier.root), warm, Path(tmp) / "warm-results.jsonl")


def rate(n: int, work) -> float:
    started = time.perf_counter()
    work()
    return n / (time.perf_counter() - started)


def print_row(row: dict) -> None:
    torch = f"  torch {row['torch']:6.1f}" if "torch" in row else ""
    print(f"repeat {row['repeat']}: onnx {row['onnx_before']:6.1f} / {row['onnx_after']:6.1f} claims/s  "
          f"batch {row['batch']:6.1f} claims/s  ratio {row['ratio']:.3f}{torch}  (load {row['load']:.1f})", flush=True)


def print_report(report: dict) -> None:
    rows = report["repeats"]
    onnx = statistics.median(statistics.mean([r["onnx_before"], r["onnx_after"]]) for r in rows)
    batch = statistics.median(r["batch"] for r in rows)
    print(f"\n{report['claims']} distinct claims ({report['origin']['checkthat2020_tweets_train_dev']} CheckThat 2020 "
          f"tweets, train+dev; {report['origin']['climate_fever_claims']} Climate-FEVER claims) against "
          f"{report['statements']} CheckThat verified claims; chunks of {report['chunk_size']}; {report['cpus']} CPUs")
    print(f"median over {len(rows)} repeats: batch {batch:.1f} claims/s, raw ONNX encoder {onnx:.1f} claims/s")
    if all("torch" in r for r in rows):
        torch = statistics.median(r["torch"] for r in rows)
        print(f"                       sentence-transformers model.encode {torch:.1f} claims/s "
              f"(batch/torch {batch / torch:.2f})")
    print(f"batch / raw ONNX encoder: median {report['ratio_median']:.3f} (min {report['ratio_min']:.3f}, "
          f"max {report['ratio_max']:.3f}); peak RSS {report['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
