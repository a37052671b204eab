"""Labelled (claim, evidence) pairs for the stance model, and the one rule that splits each set into parts.

Every pair-level set is read here as `Pair`s with a `group` (what must stay on one side of a split: a
claim, a topic, a source post, an evidence sentence) and a `part`:
- `train`: what the stance model learns from;
- `calib`: held out of training inside the tuning side; temperature, thresholds and early stopping are
  chosen on it;
- `test`: never trained or tuned on; the figures reported.

| set | tuning side (train + calib) | test part |
|---|---|---|
| Climate-FEVER | even claim ids | odd claim ids (as `verifier eval`) |
| HealthVer dev | even topics | odd topics (as `verifier eval`) |
| SciFact-RTE | train.tsv | dev.tsv |
| COVID-Fact | source posts with crc32 % 5 != 0 | crc32 % 5 == 0 |
| FEVER-Symmetric dev | evidence sentences with even crc32 | odd crc32 |

Within the tuning side, one group in seven (by crc32) is `calib`. SciFact-RTE's `not_entailment` mixes
contradiction and neutral, so its label is `not_supports`: it says only that the pair is not support.
"""

from __future__ import annotations

import csv
import json
import os
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

STANCES = ("supports", "contradicts", "neutral")
CLIMATE = {"SUPPORTS": "supports", "REFUTES": "contradicts", "NOT_ENOUGH_INFO": "neutral"}
HEALTHVER = {"Supports": "supports", "Refutes": "contradicts", "Neutral": "neutral"}
SETS = ("climate-fever", "healthver", "scifact-rte", "covid-fact", "fever-symmetric")


@dataclass(frozen=True)
class StancePair:
    dataset: str
    id: str
    claim: str
    evidence: str
    label: str  # supports / contradicts / neutral, or not_supports (SciFact-RTE's not_entailment)
    group: str
    part: str  # train / calib / test


def read_pairs(data: str | os.PathLike[str], dataset: str) -> list[StancePair]:
    """Every labelled pair of one set under `data` (the shared data folder), each with its part."""
    root = Path(data)
    reader = {
        "climate-fever": _climate_fever, "healthver": _healthver, "scifact-rte": _scifact,
        "covid-fact": _covid_fact, "fever-symmetric": _fever_symmetric,
    }[dataset]
    return list(reader(root))


def _part(tuning: bool, group: str) -> str:
    if not tuning:
        return "test"
    return "calib" if in_calib(group) else "train"


def in_calib(group: str) -> bool:
    """Whether a tuning-side group (a Climate-FEVER claim id, a HealthVer topic, ...) is in the `calib` part."""
    return _crc(group) % 7 == 0


def _crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def _climate_fever(root: Path) -> Iterator[StancePair]:
    with open(root / "climate-fever" / "climate-fever.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            claim_id = str(row["claim_id"])
            part = _part(int(claim_id) % 2 == 0, claim_id)
            for ev in row["evidences"]:
                yield StancePair("climate-fever", f"{claim_id}/{ev['evidence_id']}", row["claim"].strip(),
                                 ev["evidence"].strip(), CLIMATE[ev["evidence_label"]], claim_id, part)


def _healthver(root: Path) -> Iterator[StancePair]:
    with open(root / "healthver" / "healthver_dev.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            topic = row.get("topic_ip") or "0"
            yield StancePair("healthver", row["id"], row["claim"].strip(), row["evidence"].strip(),
                             HEALTHVER[row["label"]], topic, _part(int(topic) % 2 == 0, topic))


def _scifact(root: Path) -> Iterator[StancePair]:
    for name, tuning in (("train.tsv", True), ("dev.tsv", False)):
        with open(root / "scifact-rte" / name, newline="", encoding="utf-8") as fh:
            rows = csv.reader(fh, delimiter="\t")
            next(rows)
            for index, evidence, claim, label in rows:
                yield StancePair("scifact-rte", f"{name[:-4]}/{index}", claim.strip(), evidence.strip(),
                                 "supports" if label == "entailment" else "not_supports", claim.strip(),
                                 _part(tuning, claim.strip()))


def _covid_fact(root: Path) -> Iterator[StancePair]:
    with open(root / "covid-fact" / "COVIDFACT_dataset.jsonl", encoding="utf-8") as fh:
        for number, line in enumerate(fh):
            if not line.strip():
                continue
            row = json.loads(line)
            source = row.get("gold_source") or str(number)
            evidence = closest_sentence(row["claim"], row["evidence"])
            label = "supports" if row["label"] == "SUPPORTED" else "contradicts"
            yield StancePair("covid-fact", str(number), row["claim"].strip(), evidence, label, source,
                             _part(_crc(source) % 5 != 0, source))


def _fever_symmetric(root: Path) -> Iterator[StancePair]:
    with open(root / "fever-symmetric" / "fever_symmetric_dev.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            evidence = row["evidence"].strip()
            label = "supports" if row["label"] == "SUPPORTS" else "contradicts"
            yield StancePair("fever-symmetric", str(row["id"]), row["claim"].strip(), evidence, label, evidence,
                             _part(_crc(evidence) % 2 == 0, evidence))


_WORD = re.compile(r"\w+")


def closest_sentence(claim: str, sentences: list[str]) -> str:
    """The evidence sentence sharing most words with the claim (COVID-Fact gives a list per claim)."""
    words = set(_WORD.findall(claim.lower()))
    best = max(sentences, key=lambda s: len(words & set(_WORD.findall(s.lower()))), default="")
    return " ".join(best.split())
