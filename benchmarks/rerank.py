"""Retrieval stages measured one after another: first stage alone, + context indexed with the sentence,
+ the rerank stage (the stance model reading the top N candidates), on Climate-FEVER, CheckThat 2020 and
HealthVer; and what the rerank costs per claim.

    python benchmarks/rerank.py                      # builds indexes under var/bench/rerank (~10 min), then
                                                     # the model reads the top 100 of every query (~20 min)
    python benchmarks/rerank.py --reuse              # reuse the indexes and model readings of an earlier run
    python benchmarks/rerank.py --cost-only --reuse  # only the latency/throughput part
    python benchmarks/rerank.py --cost-only --cost-index var/bench/checkthat/index \
        --cost-short-index var/bench/climate-fever/index  # cost on indexes built earlier, nothing built

Everything is chosen on the tuning parts only (Climate-FEVER even claim ids, CheckThat train tweets,
HealthVer even topics) and reported on the untouched parts (odd ids, CheckThat dev, odd topics):
the context mode, then the depth N and the weight of the fused score. The stance model itself was trained
on Climate-FEVER and HealthVer tuning parts only (docs/stance-model.md); it never saw CheckThat.

Model readings are computed once per query over its first-stage top 100 (one model call per claim, as
the product does) and reused for N = 20 and 50; the product reads exactly the top N, so its int8
activations are quantized over N pairs instead of 100 (differences in the third decimal).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from verifier import Settings, Statement, Verifier  # noqa: E402
from verifier.evaluation.datasets import Query, checkthat, climate_fever, healthver_pairs  # noqa: E402
from verifier.evaluation.metrics import retrieval_scores  # noqa: E402
from verifier.rerank import NEUTRAL  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
CONTEXTS = ("none", "title", "title-lexical")
DEPTHS = (20, 50, 100)
WEIGHTS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0)


def healthver_set(path: Path) -> tuple[list[Statement], list[Query]]:
    """Corpus: HealthVer dev's unique evidence passages; queries: its claims; gold: the non-neutral ones."""
    corpus: dict[str, Statement] = {}
    gold: dict[str, set[str]] = defaultdict(set)
    topics: dict[str, str] = {}
    for pair in healthver_pairs(path):
        statement = corpus.setdefault(pair.evidence, Statement(text=pair.evidence, source="HealthVer"))
        topics.setdefault(pair.claim, pair.topic or "0")
        gold[pair.claim]  # noqa: B018  (every claim is a query, with or without gold)
        if pair.label != "neutral":
            gold[pair.claim].add(statement.id)
    queries = [Query(f"{topics[c]}/{i}", c, frozenset(g)) for i, (c, g) in enumerate(gold.items())]
    return list(corpus.values()), queries


def parts(data: Path, limit: int) -> dict[str, tuple[str, list[Query], bool]]:
    """part name -> (corpus name, queries, is_tuning)."""
    climate = climate_fever(data / "climate-fever" / "climate-fever.jsonl")
    ct_train = checkthat(data / "checkthat2020-task2", "train")
    ct_dev = checkthat(data / "checkthat2020-task2", "dev")
    _, health = healthver_set(data / "healthver" / "healthver_dev.csv")
    even = [q for q in climate.queries if int(q.id) % 2 == 0 and q.gold]
    odd = [q for q in climate.queries if int(q.id) % 2 == 1 and q.gold]
    return {
        "climate-fever tune (even ids)": ("climate-fever", even[:limit] if limit else even, True),
        "climate-fever test (odd ids)": ("climate-fever", odd, False),
        "checkthat train (tune)": ("checkthat", list(ct_train.queries)[:limit] if limit else list(ct_train.queries), True),
        "checkthat dev (test)": ("checkthat", list(ct_dev.queries), False),
        "healthver tune (even topics)": ("healthver", [q for q in health if int(q.id.split("/")[0]) % 2 == 0 and q.gold], True),
        "healthver test (odd topics)": ("healthver", [q for q in health if int(q.id.split("/")[0]) % 2 == 1 and q.gold], False),
    }


def corpora(data: Path) -> dict[str, list[Statement]]:
    return {
        "climate-fever": list(climate_fever(data / "climate-fever" / "climate-fever.jsonl").corpus),
        "checkthat": list(checkthat(data / "checkthat2020-task2", "dev").corpus),
        "healthver": healthver_set(data / "healthver" / "healthver_dev.csv")[0],
    }


def build(statements: list[Statement], path: Path, context: str, reuse: bool) -> tuple[Path, dict[str, str]]:
    dup_file = path / "duplicates.json"
    if reuse and dup_file.is_file():
        return path / "index", json.loads(dup_file.read_text())
    report = Verifier.build(path / "index", statements=statements, settings=Settings(index_context=context))
    path.mkdir(parents=True, exist_ok=True)
    id_map = {d.id: d.duplicate_of for d in report.duplicates}
    dup_file.write_text(json.dumps(id_map))
    return path / "index", id_map


def first_stage(verifier: Verifier, queries: list[Query], id_map: dict[str, str], depth: int):
    """Per query: (hits at `depth`, gold ids mapped onto kept duplicates)."""
    hits = verifier.configure(rerank=False).search_many([q.text for q in queries], k=depth)
    return [(found, frozenset(id_map.get(g, g) for g in q.gold)) for q, found in zip(queries, hits)]


def scores_of(runs) -> dict[str, float]:
    return retrieval_scores([([h.statement.id for h in found], gold) for found, gold in runs])


def reranked(runs, about: list[np.ndarray], depth: int, weight: float):
    out = []
    for (found, gold), a in zip(runs, about):
        top, a = found[:depth], a[:depth]
        fused = weight * a + (1 - weight) * np.array([h.score for h in top])
        order = np.argsort(-fused, kind="stable")
        out.append(([top[i] for i in order] + list(found[depth:]), gold))
    return out


def headline(part: str, s: dict[str, float]) -> float:
    return s["map@5"] if part.startswith("checkthat") else s["recall@5"]


def main() -> None:
    global DEPTHS
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "bench" / "rerank")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--tune-limit", type=int, default=300, help="queries per tuning part (0: all)")
    parser.add_argument("--depths", type=int, nargs="+", default=list(DEPTHS),
                        help="the N to measure (the model reads the largest)")
    parser.add_argument("--cost-only", action="store_true")
    parser.add_argument("--no-cost", action="store_true", help="skip the latency/throughput part")
    parser.add_argument("--cost-claims", type=int, default=150)
    parser.add_argument("--cost-index", type=Path, help="the CheckThat index to time on (default: the one built here)")
    parser.add_argument("--cost-short-index", type=Path,
                        help="a Climate-FEVER evidence index: also time its short news claims")
    parser.add_argument("--cost-depths", type=int, nargs="+", default=[10, 20, 50, 100])
    args = parser.parse_args()
    DEPTHS = tuple(sorted(args.depths))
    if not (args.data / "climate-fever").is_dir():
        print(f"SKIP: the datasets are not at {args.data}")
        return
    print(f"load average at start: {os.getloadavg()}")
    report: dict = {}
    the_parts = parts(args.data, args.tune_limit)
    if not (args.cost_only and args.cost_index):
        statements = corpora(args.data)
        indexes = {(name, ctx): build(statements[name], args.work / f"{name}-{ctx}", ctx, args.reuse)
                   for name in statements for ctx in (CONTEXTS if name != "healthver" else ("none",))}
    if not args.cost_only:
        report["quality"] = quality(the_parts, indexes, args)
    index = args.cost_index or indexes[("checkthat", "none")][0]
    report["cost"] = {} if args.no_cost else cost(index, [q.text for q in the_parts["checkthat train (tune)"][1]], args.cost_claims,
                          args.cost_depths, "tweets")
    if args.cost_short_index and not args.no_cost:
        claims = [q.text for q in climate_fever(args.data / "climate-fever" / "climate-fever.jsonl").queries]
        report["cost_short"] = cost(args.cost_short_index, claims, args.cost_claims, args.cost_depths,
                                    "short news claims (Climate-FEVER claims)")
    print(f"load average at end: {os.getloadavg()}")
    args.work.mkdir(parents=True, exist_ok=True)
    out = args.work / ("rerank-cost.json" if args.cost_only else "rerank.json")
    out.write_text(json.dumps(report, indent=2))
    print(f"wrote {out}")


def quality(the_parts, indexes, args) -> dict:
    report: dict = {"first_stage": {}, "context_chosen": {}, "rerank": {}}
    # 1. First stage with each context mode.
    runs: dict = {}
    for (name, ctx), (index, id_map) in indexes.items():
        verifier = Verifier.open(index)
        for part, (corpus, queries, _) in the_parts.items():
            if corpus == name:
                runs[(part, ctx)] = first_stage(verifier, queries, id_map, max(DEPTHS))
                report["first_stage"][f"{part} | {ctx}"] = scores_of(runs[(part, ctx)])
    # 1b. Claims as pasted (clean_claims off) against cleaned, first stage, no context.
    for (name, ctx), (index, id_map) in indexes.items():
        if ctx != "none":
            continue
        raw = Verifier.open(index, settings=Settings(clean_claims=False))
        for part, (corpus, queries, _) in the_parts.items():
            if corpus == name:
                report["first_stage"][f"{part} | none, not cleaned"] = scores_of(
                    first_stage(raw, queries, id_map, max(DEPTHS)))
    # 2. The context mode with the best mean headline on the tuning parts (per corpus with titles).
    chosen = {}
    for corpus in ("climate-fever", "checkthat"):
        tune = [p for p, (c, _, t) in the_parts.items() if c == corpus and t]
        chosen[corpus] = max(CONTEXTS, key=lambda ctx: np.mean(
            [headline(p, report["first_stage"][f"{p} | {ctx}"]) for p in tune]))
    # one mode for the product: the best mean over both corpora's tuning parts
    tune_all = [p for p, (c, _, t) in the_parts.items() if t and c != "healthver"]
    product = max(CONTEXTS, key=lambda ctx: np.mean([headline(p, report["first_stage"][f"{p} | {ctx}"])
                                                     for p in tune_all]))
    report["context_chosen"] = {"per_corpus": chosen, "product": product}
    # 3. The model reads the top 100 of every query (context mode `product`; HealthVer has none).
    about: dict = {}
    cache = args.work / f"about-{product}.pkl"
    if args.reuse and cache.is_file():
        about = pickle.loads(cache.read_bytes())
    from verifier.verdict.model import load_stance_model

    model = load_stance_model()
    for part, (corpus, queries, _) in the_parts.items():
        ctx = product if corpus != "healthver" else "none"
        if part in about and all(len(a) >= min(max(DEPTHS), len(f)) for a, (f, _) in zip(about[part], runs[(part, ctx)])):
            continue
        started = time.perf_counter()
        about[part] = [1.0 - model.predict([(q.text, h.statement.text) for h in found[:max(DEPTHS)]])[:, NEUTRAL]
                       if found else np.zeros(0) for q, (found, _) in zip(queries, runs[(part, ctx)])]
        pairs = sum(len(a) for a in about[part])
        print(f"  model read {pairs} pairs of {part} in {time.perf_counter() - started:.0f} s", flush=True)
        cache.write_bytes(pickle.dumps(about))
    grid = {}
    for part, (corpus, _, _) in the_parts.items():
        ctx = product if corpus != "healthver" else "none"
        for depth in DEPTHS:
            for w in WEIGHTS:
                grid[(part, depth, w)] = scores_of(reranked(runs[(part, ctx)], about[part], depth, w))
    tune_parts = [p for p, (_, _, t) in the_parts.items() if t]
    best = max(((d, w) for d in DEPTHS for w in WEIGHTS),
               key=lambda dw: np.mean([headline(p, grid[(p, *dw)]) for p in tune_parts]))
    report["rerank"] = {
        "chosen": {"depth": best[0], "weight": best[1]},
        "grid": {f"{p} | N={d} w={w}": s for (p, d, w), s in grid.items()},
    }
    print_quality(the_parts, report, grid, best, product)
    return report


def print_quality(the_parts, report, grid, best, product) -> None:
    print(f"\ncontext mode chosen on tuning parts: {report['context_chosen']}")
    print(f"rerank chosen on tuning parts: N={best[0]}, weight={best[1]}")
    for part, (corpus, _, _) in the_parts.items():
        ctx = product if corpus != "healthver" else "none"
        print(f"\n{part}")
        print(f"  {'stage':<32} {'R@1':>6} {'R@5':>6} {'R@10':>6} {'MAP@5':>6} {'MRR':>6}")
        rows = [("first stage, claims not cleaned", report["first_stage"][f"{part} | none, not cleaned"]),
                ("first stage (none)", report["first_stage"][f"{part} | none"])]
        if corpus != "healthver":
            rows += [(f"first stage ({c})", report["first_stage"][f"{part} | {c}"]) for c in CONTEXTS[1:]]
        rows += [(f"+ rerank N={d} w={best[1]} ({ctx})", grid[(part, d, best[1])]) for d in DEPTHS]
        rows += [(f"  model only N={best[0]} (w=1)", grid[(part, best[0], 1.0)])]
        for name, s in rows:
            print(f"  {name:<32} {s['recall@1']:6.3f} {s['recall@5']:6.3f} {s['recall@10']:6.3f} "
                  f"{s['map@5']:6.3f} {s['mrr']:6.3f}")


def cost(index: Path, texts: list[str], n: int, depths: list[int], kind: str) -> dict:
    """p50/p99 of search and check per claim, and batch claims/s, rerank off and on, interleaved; everything
    else as shipped (the stance model on)."""
    from memo import clear_memo_caches

    base = Verifier.open(index)
    claims = list(dict.fromkeys(texts))[:n]
    variants = {"off": base.configure(rerank=False)}
    variants.update({f"on N={d}": base.configure(rerank=True, rerank_depth=d) for d in depths})
    for v in variants.values():
        v.check(claims[0])
    times: dict = {(name, op): [] for name in variants for op in ("search", "check")}
    for i, claim in enumerate(claims[1:]):
        names = list(variants) if i % 2 == 0 else list(reversed(variants))
        for name in names:
            for op in ("search", "check"):
                clear_memo_caches()
                base._query_cache.clear()
                started = time.perf_counter()
                getattr(variants[name], op)(claim)
                times[(name, op)].append((time.perf_counter() - started) * 1000)
    out: dict = {}
    for (name, op), t in times.items():
        out[f"{op} {name}"] = {"p50_ms": float(np.percentile(t, 50)), "p99_ms": float(np.percentile(t, 99))}
    for name, v in variants.items():
        base._query_cache.clear()
        started = time.perf_counter()
        v.check_many(claims)
        out[f"check_many {name}"] = {"claims_per_s": len(claims) / (time.perf_counter() - started)}
    off = out["check_many off"]["claims_per_s"]
    print(f"\ncost on {index}, {kind} ({len(claims) - 1} claims, one at a time, interleaved; "
          f"load {os.getloadavg()}):")
    for key, value in out.items():
        if "p50_ms" in value:
            print(f"  {key:<18} p50 {value['p50_ms']:7.1f} ms  p99 {value['p99_ms']:7.1f} ms")
        else:
            print(f"  {key:<18} {value['claims_per_s']:6.1f} claims/s ({value['claims_per_s'] / off:.2f}x off)")
    return out


if __name__ == "__main__":
    main()
