"""Readers for labelled fact-checking sets: Climate-FEVER, CheckThat 2020 task 2, HealthVer, generic JSONL.

Each reader gives a corpus of statements and queries with their gold statement ids (and a label where the
set has one), so retrieval and verdicts are measured the same way on every set.
"""

from __future__ import annotations

import csv
import json
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from .. import CorpusError, Statement

csv.field_size_limit(10_000_000)


@dataclass(frozen=True)
class Query:
    id: str
    text: str
    gold: frozenset[str] = frozenset()
    label: str | None = None  # supported / contradicted / not_enough_evidence / disputed, where known
    evidence: Mapping[str, str] = field(default_factory=dict)  # statement id -> that evidence's own label


@dataclass(frozen=True)
class LabelledSet:
    name: str
    corpus: tuple[Statement, ...]
    queries: tuple[Query, ...]


CLIMATE_LABELS = {
    "SUPPORTS": "supported",
    "REFUTES": "contradicted",
    "NOT_ENOUGH_INFO": "not_enough_evidence",
    "DISPUTED": "disputed",
}
HEALTHVER_LABELS = {"Supports": "supports", "Refutes": "contradicts", "Neutral": "neutral"}


def climate_fever(path: str | os.PathLike[str]) -> LabelledSet:
    """Corpus: the unique evidence sentences; gold: each claim's SUPPORTS/REFUTES sentences."""
    corpus: dict[str, Statement] = {}
    queries = []
    for line in _lines(path):
        row = json.loads(line)
        evidence = {}
        for ev in row["evidences"]:
            corpus.setdefault(ev["evidence_id"], Statement(
                id=ev["evidence_id"], text=ev["evidence"], source="Wikipedia", title=ev["article"],
            ))
            evidence[ev["evidence_id"]] = CLIMATE_LABELS[ev["evidence_label"]]
        gold = frozenset(i for i, label in evidence.items() if label != "not_enough_evidence")
        queries.append(Query(str(row["claim_id"]), row["claim"], gold, CLIMATE_LABELS[row["claim_label"]], evidence))
    return LabelledSet("climate-fever", tuple(corpus.values()), tuple(queries))


def checkthat(root: str | os.PathLike[str], split: str) -> LabelledSet:
    """Corpus: the Snopes verified claims; queries: the split's tweets; gold: the qrels."""
    root = Path(root)
    corpus = tuple(
        Statement(id=row[0], text=row[1], title=row[2], source="Snopes")
        for row in _tsv(root / "verified_claims.docs.tsv")
    )
    gold: dict[str, set[str]] = defaultdict(set)
    for line in _lines(root / split / "tweet-vclaim-pairs.qrels"):
        tweet, _, vclaim, relevant = line.split()
        if relevant != "0":
            gold[tweet].add(vclaim)
    queries = tuple(
        Query(row[0], row[1], frozenset(gold[row[0]])) for row in _tsv(root / split / "tweets.queries.tsv")
    )
    return LabelledSet(f"checkthat2020-{split}", corpus, queries)


@dataclass(frozen=True)
class Pair:
    id: str
    claim: str
    evidence: str
    label: str  # supports / contradicts / neutral
    topic: str = ""


def healthver_pairs(path: str | os.PathLike[str]) -> tuple[Pair, ...]:
    with open(path, newline="", encoding="utf-8") as fh:
        return tuple(
            Pair(row["id"], row["claim"].strip(), row["evidence"].strip(), HEALTHVER_LABELS[row["label"]],
                 row.get("topic_ip", ""))
            for row in csv.DictReader(fh)
        )


def generic(claims_path: str | os.PathLike[str], corpus_path: str | os.PathLike[str]) -> LabelledSet:
    """`{"id", "claim", "label", "evidence_ids"}` lines over a corpus JSONL of statements."""
    from .. import read_corpus

    corpus = read_corpus([corpus_path], strict=True).statements
    queries = []
    for number, line in enumerate(_lines(claims_path), start=1):
        try:
            row = json.loads(line)
            queries.append(Query(str(row["id"]), row["claim"], frozenset(map(str, row.get("evidence_ids", []))),
                                 row.get("label")))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise CorpusError(f"not a claim record ({exc})", str(claims_path), number) from exc
    return LabelledSet(Path(claims_path).stem, tuple(corpus), tuple(queries))


def _lines(path: str | os.PathLike[str]):
    with open(path, encoding="utf-8") as fh:
        yield from (line for line in fh if line.strip())


def _tsv(path: Path):
    with open(path, newline="", encoding="utf-8") as fh:
        rows = csv.reader(fh, delimiter="\t")
        next(rows)  # header
        yield from rows
