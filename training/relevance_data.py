"""Relevance pairs for the rerank model: (claim, statement, relevant | unrelated), from tuning parts only.

    python -m training.relevance_data --out var/relevance/pairs.jsonl        # ~5 min on 2 cores

Where they come from (the same tuning parts `benchmarks/rerank.py` tunes on; its reported parts, Climate-FEVER
odd claim ids, CheckThat dev and HealthVer odd topics, are never read):
- CheckThat 2020 train tweets: the verified claim the qrels name is relevant; the first stage's other top
  candidates for the tweet are hard negatives.
- Climate-FEVER, even claim ids: the evidence sentences labelled SUPPORTS or REFUTES are relevant; the ones
  labelled NOT_ENOUGH_INFO (retrieved by the set's makers for the claim, and judged not to bear on it) and the
  first stage's other top candidates are unrelated.
- HealthVer dev, even topics: evidence labelled Supports or Refutes is relevant; Neutral evidence and the first
  stage's other candidates are unrelated.

The first stage is the verifier's own hybrid retrieval with the base all-MiniLM-L6-v2, no titles, over each
set's corpus (index built once under `--work`). Each query goes whole to one part: `calib` (crc32 of the set and query id, 1 in 5), on which the
rerank depth and weight are chosen, or `train`.
"""

from __future__ import annotations

import argparse
import json
import random
import zlib
from collections import defaultdict
from pathlib import Path

from verifier import Settings, Statement, Verifier
from verifier.evaluation.datasets import Query, checkthat, climate_fever, healthver_pairs

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
# The hard negatives are mined with the base model's first stage (as the shipped embedder's were), so that the
# pairs do not depend on the embedder trained from them; `--first-stage shipped` mines them with the shipped
# embedder and titles instead (a second round: harder negatives, for an embedder trained from the shipped one).
FIRST_STAGES = {"base": Settings(model_path="all-MiniLM-L6-v2", index_context="none"),
                "shipped": Settings(model_path="", index_context="title")}


def healthver(path: Path) -> tuple[list[Statement], list[Query], dict[str, set[str]]]:
    """HealthVer dev: its evidence passages as corpus, claims as queries (gold: non-neutral evidence), and each
    claim's neutral evidence (labelled unrelated)."""
    corpus: dict[str, Statement] = {}
    gold: dict[str, set[str]] = defaultdict(set)
    neutral: dict[str, set[str]] = defaultdict(set)
    topics: dict[str, str] = {}
    for pair in healthver_pairs(path):
        statement = corpus.setdefault(pair.evidence, Statement(text=pair.evidence, source="HealthVer"))
        topics.setdefault(pair.claim, pair.topic or "0")
        (neutral if pair.label == "neutral" else gold)[pair.claim].add(statement.id)
    claims = list(topics)
    queries = [Query(f"{topics[c]}/{i}", c, frozenset(gold[c])) for i, c in enumerate(claims)]
    return list(corpus.values()), queries, {q.id: neutral[q.text] for q in queries}


def tuning_sets(data: Path) -> dict[str, tuple[list[Statement], list[Query], dict[str, set[str]]]]:
    """set name -> (corpus, tuning queries with gold, labelled negatives per query id)."""
    climate = climate_fever(data / "climate-fever" / "climate-fever.jsonl")
    even = [q for q in climate.queries if int(q.id) % 2 == 0 and q.gold]
    nei = {q.id: {i for i, label in q.evidence.items() if label == "not_enough_evidence"} for q in even}
    ct = checkthat(data / "checkthat2020-task2", "train")
    hv_corpus, hv_queries, hv_neutral = healthver(data / "healthver" / "healthver_dev.csv")
    hv_even = [q for q in hv_queries if int(q.id.split("/")[0]) % 2 == 0 and q.gold]
    return {
        "climate-fever": (list(climate.corpus), even, nei),
        "checkthat": (list(ct.corpus), [q for q in ct.queries if q.gold], {}),
        "healthver": (hv_corpus, hv_even, hv_neutral),
    }


def part_of(name: str, query_id: str) -> str:
    return "calib" if zlib.crc32(f"{name}/{query_id}".encode()) % 5 == 0 else "train"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=Path("var/relevance/pairs.jsonl"))
    parser.add_argument("--work", type=Path, default=Path("var/relevance"))
    parser.add_argument("--depth", type=int, default=30, help="first-stage candidates to draw negatives from")
    parser.add_argument("--negatives", type=int, default=6, help="retrieved negatives per query")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--first-stage", choices=tuple(FIRST_STAGES), default="base",
                        help="the embedder that mines the hard negatives")
    args = parser.parse_args(argv)
    first_stage = FIRST_STAGES[args.first_stage]
    rng = random.Random(args.seed)
    rows: list[dict] = []
    for name, (corpus, queries, labelled_negatives) in tuning_sets(args.data).items():
        index = args.work / (f"index-{name}" if args.first_stage == "base" else f"index-{args.first_stage}-{name}")
        if not (index / "CURRENT").exists():
            Verifier.build(index, statements=corpus, settings=first_stage)
        verifier = Verifier.open(index, first_stage).configure(rerank=False)
        text = {s.id: s.text for s in corpus}
        hits = verifier.search_many([q.text for q in queries], k=args.depth)
        for query, found in zip(queries, hits):
            part = part_of(name, query.id)
            gold_texts = {text[g] for g in query.gold}
            retrieved = [h.statement.text for h in found if h.statement.text not in gold_texts]
            # the hardest few, and a few drawn from further down
            picked = retrieved[: args.negatives // 2]
            rest = retrieved[args.negatives // 2:]
            picked += rng.sample(rest, min(len(rest), args.negatives - len(picked)))
            candidates = ([(text[g], "relevant", "gold") for g in sorted(query.gold)]
                          + [(text[o], "unrelated", "labelled") for o in sorted(labelled_negatives.get(query.id, ()))]
                          + [(t, "unrelated", "retrieved") for t in picked])
            seen = set()
            for statement_text, label, how in candidates:
                if statement_text not in seen:
                    seen.add(statement_text)
                    rows.append({"claim": query.text, "evidence": statement_text, "label": label, "part": part,
                                 "set": name, "query": query.id, "how": how})
        print(f"{name}: {len(queries)} queries", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts = defaultdict(int)
    for row in rows:
        counts[(row["set"], row["part"], row["label"])] += 1
    for key in sorted(counts):
        print(*key, counts[key])


if __name__ == "__main__":
    main()
