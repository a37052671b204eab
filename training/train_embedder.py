"""Fine-tune the first stage's sentence embedder for claim → evidence retrieval (issue 11), from tuning parts only.

    python -m training.relevance_data --out var/relevance/pairs.jsonl     # the pairs (~3 min)
    python -m training.train_embedder --pairs var/relevance/pairs.jsonl --out var/embedder/model --epochs 4 --context title
    python benchmarks/embedder.py --model var/embedder/model               # first stage before / after

Starts from the packaged all-MiniLM-L6-v2 and trains it as a bi-encoder with in-batch negatives (the
"multiple negatives ranking" loss of sentence-transformers, written out here so that a document that is gold
for a query is never counted as that query's negative, and a hard negative per row can be added): each row is
(query, a relevant statement, an unrelated one the first stage retrieved or the set's makers labelled), the
loss is the cross-entropy of the query's scaled cosine over every statement in the batch, the relevant one
being the target. The pairs come from `training/relevance_data.py` (CheckThat 2020 train tweets, Climate-FEVER
even claim ids, HealthVer even topics; their `train` part: the `calib` queries are left for choosing).

The result is a sentence-transformers folder; `model_path` (a setting) points the verifier at it. Needs torch.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import defaultdict
from pathlib import Path

import numpy as np


def base_model_dir() -> Path:
    from verifier.encoder.model_files import packaged_model_dir

    return packaged_model_dir()


def titled_texts(data: Path) -> dict[str, str]:
    """Statement text -> the text an index built with `index_context=title` embeds for it ("title. sentence"),
    for the sets whose statements have titles (Climate-FEVER's Wikipedia articles, CheckThat's fact-checks)."""
    from verifier.evaluation.datasets import checkthat, climate_fever
    from verifier.index.context import vector_text

    corpus = (list(climate_fever(data / "climate-fever" / "climate-fever.jsonl").corpus)
              + list(checkthat(data / "checkthat2020-task2", "train").corpus))
    return {s.text: vector_text(s, "title") for s in corpus}


def triplets(path: Path, part: str, rng: random.Random, negatives: int = 1,
             as_indexed: dict[str, str] | None = None, skip_stance_calib: bool = False) -> tuple[list[tuple], dict[str, set]]:
    """(query, relevant, up to `negatives` unrelated) rows of one part, and each query's relevant texts; with
    `as_indexed`, statements are given as the index embeds them; with `skip_stance_calib`, without the queries
    that are stance calib claims (`in_stance_calib`)."""
    by_query: dict[tuple[str, str], dict] = defaultdict(lambda: {"gold": [], "neg": []})
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        if row["part"] != part or (skip_stance_calib and in_stance_calib(row)):
            continue
        entry = by_query[(row["set"], row["claim"])]
        text = (as_indexed or {}).get(row["evidence"], row["evidence"])
        (entry["gold"] if row["label"] == "relevant" else entry["neg"]).append(text)
    rows, gold = [], {}
    for (_, claim), entry in by_query.items():
        gold[claim] = set(entry["gold"])
        for positive in entry["gold"]:
            picked = rng.sample(entry["neg"], min(negatives, len(entry["neg"])))
            rows.append((claim, positive, tuple(picked)))
    return rows, gold


def in_stance_calib(row: dict) -> bool:
    """Whether a relevance row's query is a claim of the stance model's calib part (Climate-FEVER: by claim id,
    HealthVer: by topic; verifier/evaluation/pairs.py). The two splits differ, so an embedder trained on every
    relevance `train` query has seen some stance calib claims; a stance model started from it
    (`train_stance --base`) can only be chosen on calib if those are left out."""
    from verifier.evaluation.pairs import in_calib

    if row["set"] == "climate-fever":
        return in_calib(row["query"])
    if row["set"] == "healthver":
        return in_calib(row["query"].split("/")[0])
    return False


def stance_rows(data: Path, name: str, gold: dict[str, set]) -> list[tuple]:
    """(claim, its evidence, no hard negative) rows from the `train` part of a stance set's pairs
    (`verifier.evaluation.pairs`: the calib and test parts of those sets stay unread): a statement that supports
    or contradicts a claim, or that SciFact-RTE gives as its rationale, is what a search for the claim should
    find. `gold` gains the claims' relevant statements (so that none counts as another row's negative)."""
    from verifier.evaluation.pairs import read_pairs

    rows, seen = [], set()
    for pair in read_pairs(data, name):
        if pair.part != "train" or pair.label == "neutral" or (pair.claim, pair.evidence) in seen:
            continue
        seen.add((pair.claim, pair.evidence))
        gold.setdefault(pair.claim, set()).add(pair.evidence)
        rows.append((pair.claim, pair.evidence, ()))
    return rows


def not_negatives(queries: list[str], docs: list[str], gold: dict[str, set]) -> list[list[bool]]:
    """Where row i's query meets a statement that is gold for it other than its own target (column i):
    a claim has several relevant statements, and none of them may be counted as its negative."""
    return [[j != i and doc in gold[query] for j, doc in enumerate(docs)] for i, query in enumerate(queries)]


def train(args: argparse.Namespace) -> dict:
    import torch
    from sentence_transformers import SentenceTransformer

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    model = SentenceTransformer(str(args.base or base_model_dir()), device="cpu")
    model.max_seq_length = args.max_length
    transformer = model[0].auto_model
    for p in transformer.embeddings.parameters():
        p.requires_grad = not args.freeze_embeddings
    for layer in transformer.encoder.layer[: args.freeze_layers]:
        for p in layer.parameters():
            p.requires_grad = False
    as_indexed = titled_texts(Path(args.data)) if args.context == "title" else None
    rows, gold = triplets(Path(args.pairs), "train", rng, args.negatives, as_indexed, args.skip_stance_calib)
    for name in args.extra:
        extra_rows = stance_rows(Path(args.data), name, gold)
        rows += extra_rows
        print(f"{name}: {len(extra_rows)} rows from its stance train part", flush=True)
    steps = args.epochs * ((len(rows) + args.batch_size - 1) // args.batch_size)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    from transformers import get_linear_schedule_with_warmup

    schedule = get_linear_schedule_with_warmup(optimizer, int(0.1 * steps), steps)

    def embed(texts: list[str]):
        features = (model.preprocess if hasattr(model, "preprocess") else model.tokenize)(texts)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.precision == "bf16"):
            out = model(features)["sentence_embedding"]
        return torch.nn.functional.normalize(out.float(), dim=-1)

    started, step = time.time(), 0
    model.train()
    for epoch in range(args.epochs):
        order = list(range(len(rows)))
        rng.shuffle(order)
        for start in range(0, len(order), args.batch_size):
            batch = [rows[i] for i in order[start: start + args.batch_size]]
            queries = [q for q, _, _ in batch]
            docs = [p for _, p, _ in batch] + [n for _, _, picked in batch for n in picked]
            q, d = embed(queries), embed(docs)
            scores = args.scale * q @ d.T
            scores = scores.masked_fill(torch.tensor(not_negatives(queries, docs, gold)), float("-inf"))
            loss = torch.nn.functional.cross_entropy(scores, torch.arange(len(batch)))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            if step % args.log_every == 0:
                print(f"epoch {epoch} step {step}/{steps} loss {loss.item():.3f} "
                      f"{step * args.batch_size / (time.time() - started):.1f} rows/s", flush=True)
    model.eval()
    return {"model": model, "train_rows": len(rows), "train_queries": len(gold), "steps": step,
            "seconds": round(time.time() - started, 1)}


def calib_mrr(model, path: Path, rng: random.Random) -> float:
    """Mean reciprocal rank of the first relevant statement among each calib query's listed candidates."""
    by_query: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        if row["part"] == "calib":
            by_query[row["claim"]].append((row["evidence"], row["label"] == "relevant"))
    ranks = []
    for claim, candidates in by_query.items():
        if not any(rel for _, rel in candidates):
            continue
        vectors = model.encode([claim] + [t for t, _ in candidates], normalize_embeddings=True)
        order = np.argsort(-(vectors[1:] @ vectors[0]), kind="stable")
        first = next(r for r, i in enumerate(order) if candidates[i][1])
        ranks.append(1.0 / (first + 1))
    return round(float(np.mean(ranks)), 4)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description="Fine-tune the sentence embedder for retrieval.")
    parser.add_argument("--pairs", default="var/relevance/pairs.jsonl")
    parser.add_argument("--out", default="var/embedder/model")
    parser.add_argument("--base", default=None, help="sentence-transformers folder (default: packaged MiniLM-L6)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--scale", type=float, default=20.0, help="cosine scale in the loss (sentence-transformers' default)")
    parser.add_argument("--context", choices=("none", "title"), default="none",
                        help="train on statements as an index with this index_context embeds them")
    parser.add_argument("--data", default=str(Path(__file__).resolve().parent.parent.parent / "shared" / "data"))
    parser.add_argument("--negatives", type=int, default=1, help="hard negatives per row (each query's unrelated ones)")
    parser.add_argument("--extra", nargs="*", default=[], choices=("scifact-rte", "covid-fact", "fever-symmetric"),
                        help="also train on these stance sets' train-part (claim, evidence) pairs, in-batch negatives only")
    parser.add_argument("--skip-stance-calib", action="store_true",
                        help="leave out the queries that are stance calib claims (for a stance model started from it)")
    parser.add_argument("--freeze-embeddings", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--freeze-layers", type=int, default=0)
    parser.add_argument("--precision", choices=("fp32", "bf16"), default="fp32")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--log-every", type=int, default=20)
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    trained = train(args)
    model = trained.pop("model")
    model.max_seq_length = 256  # as the packaged model: the verifier's max_seq_length setting decides
    model.save(str(out))
    log = {**trained, "args": vars(args),
           "calib_mrr": calib_mrr(model, Path(args.pairs), random.Random(args.seed))}
    (out / "train_log.json").write_text(json.dumps(log, indent=2) + "\n")
    print(json.dumps(log, indent=2))
    return log


if __name__ == "__main__":
    main()
