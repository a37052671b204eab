"""Training pairs for the stance model: the labelled sets' training parts plus contrastive pairs made here.

    python -m training.stance_data --data ../shared/data --out var/stance/pairs.jsonl

Real pairs come from `verifier.evaluation.pairs` (its `train` and `calib` parts only; `test` parts are
never read for training). Contrastive pairs are made with the verifier's own extractors, so the model
learns to look at the one detail that differs:
- from a supporting pair, the claim with one detail changed contradicts the same evidence: a figure moved
  outside its interval, a year moved, a person, place or organization swapped for another of its kind
  (taken from the same sets), a negation added or removed, a comparative or direction flipped;
- from an evidence sentence alone, the sentence restates itself (supports) and, changed as above,
  contradicts it: many more contrastive pairs than the labelled sets hold;
- hard neutrals: a claim with the most similar evidence sentence of another claim of the same set
  (similar, but about another matter);
- with `--qualifiers`, figures under a qualifier: an evidence sentence's exact figure restated as a round
  figure with "over", "nearly", "about", "fewer than"... ("over 1,000" for 1,037 supports; "over 2,000"
  contradicts), labelled by the checks' own reading of the qualifier's interval, so that the model learns
  what a qualifier does to a figure instead of reading any other number as a contradiction.
Each made pair keeps its source pair's part and group, and says how it was made (`made`).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable

from verifier.checks import extract_entities, extract_quantities
from verifier.checks.findings import Outcome
from verifier.checks.numbers import check_numbers
from verifier.evaluation.pairs import SETS, StancePair, read_pairs

SEED = 13


@dataclass(frozen=True)
class TrainPair:
    claim: str
    evidence: str
    label: str  # supports / contradicts / neutral / not_supports
    dataset: str
    group: str
    part: str
    made: str = ""  # "" for a labelled pair, else how it was made


# --- one-detail changes -------------------------------------------------------------------------------

_FLIPS = [
    ("increase", "decrease"), ("increases", "decreases"), ("increased", "decreased"), ("increasing", "decreasing"),
    ("higher", "lower"), ("more", "fewer"), ("larger", "smaller"), ("greater", "smaller"), ("rise", "fall"),
    ("rises", "falls"), ("rose", "fell"), ("rising", "falling"), ("above", "below"), ("before", "after"),
    ("warmer", "cooler"), ("warming", "cooling"), ("positive", "negative"), ("gain", "loss"), ("gained", "lost"),
    ("more likely", "less likely"), ("faster", "slower"), ("longer", "shorter"), ("highest", "lowest"),
    ("maximum", "minimum"), ("most", "least"), ("reduces", "increases"), ("reduced", "increased"),
    ("improves", "worsens"), ("improved", "worsened"), ("effective", "ineffective"), ("safe", "unsafe"),
    ("true", "false"), ("accelerating", "slowing"), ("expanding", "shrinking"), ("grew", "shrank"),
    ("won", "lost"), ("north", "south"), ("east", "west"), ("older", "younger"), ("first", "last"),
]
FLIP = {a: b for a, b in _FLIPS} | {b: a for a, b in _FLIPS}
_FLIP_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, FLIP), key=len, reverse=True)) + r")\b", re.I)
_AUX = re.compile(r"\b(is|are|was|were|has|have|had|will|would|can|does|did|do|should)\b( not\b|n't\b)?", re.I)
_DECISIVE = {"PERSON", "PLACE", "ORG"}


def flip_word(text: str, rng: random.Random) -> str | None:
    hits = list(_FLIP_RE.finditer(text))
    if not hits:
        return None
    m = rng.choice(hits)
    word = FLIP[m.group(1).lower()]
    if m.group(1)[0].isupper():
        word = word[0].upper() + word[1:]
    return text[:m.start()] + word + text[m.end():]


def flip_negation(text: str, rng: random.Random) -> str | None:
    m = _AUX.search(text)
    if not m:
        return None
    if m.group(2):  # "is not" -> "is"
        return text[:m.end(1)] + text[m.end():]
    return text[:m.end(1)] + " not" + text[m.end(1):]


def change_figure(text: str, rng: random.Random, evidence: str | None = None) -> str | None:
    spans = [q for q in extract_quantities(text) if q.value and (evidence is None or _digits(q.written) in evidence)]
    figures = []
    for q in spans:
        for m in re.finditer(r"\d[\d,]*(?:\.\d+)?", q.written):
            figures.append((q.span.start + m.start(), q.span.start + m.end(), m.group()))
    if not figures:
        return None
    start, end, figure = rng.choice(figures)
    value = float(figure.replace(",", ""))
    factor = rng.choice([0.25, 0.4, 0.5, 1.8, 2.5, 3, 5, 10])
    new = value * factor
    decimals = len(figure.split(".")[1]) if "." in figure else 0
    shown = f"{new:,.{decimals}f}" if "," in figure else f"{new:.{decimals}f}"
    if shown == figure:
        return None
    return text[:start] + shown + text[end:]


def change_year(text: str, rng: random.Random) -> str | None:
    years = [m for m in re.finditer(r"\b(1[89]\d\d|20\d\d)\b", text)]
    if not years:
        return None
    m = rng.choice(years)
    year = int(m.group()) + rng.choice([-30, -12, -7, -4, -2, 3, 5, 9, 15])
    return text[:m.start()] + str(year) + text[m.end():]


def swap_name(text: str, rng: random.Random, pool: dict[str, list[str]]) -> str | None:
    names = [e for e in extract_entities(text) if e.kind in _DECISIVE and pool.get(e.kind)]
    if not names:
        return None
    e = rng.choice(names)
    others = [n for n in pool[e.kind] if n.lower() != e.span.text.lower()]
    if not others:
        return None
    return text[:e.span.start] + rng.choice(others) + text[e.span.end:]


def _digits(figure: str) -> str:
    m = re.search(r"\d[\d,]*(?:\.\d+)?", figure)
    return m.group() if m else "\0"


def changed(text: str, rng: random.Random, pool: dict[str, list[str]], evidence: str | None = None
            ) -> tuple[str, str] | None:
    """`text` with one detail changed so that it no longer says what it said, and how; None if none applies."""
    makers: list[tuple[str, Callable[[], str | None]]] = [
        ("figure", lambda: change_figure(text, rng, evidence)),
        ("year", lambda: change_year(text, rng)),
        ("name", lambda: swap_name(text, rng, pool)),
        ("negation", lambda: flip_negation(text, rng)),
        ("direction", lambda: flip_word(text, rng)),
    ]
    rng.shuffle(makers)
    for name, make in makers:
        out = make()
        if out and out != text:
            return out, name
    return None


_ABOVE = ("over", "more than", "at least", "above", "in excess of")
_BELOW = ("nearly", "almost", "fewer than", "less than", "under", "up to", "below")
_ABOUT = ("about", "around", "roughly", "approximately", "some")


def _round(value: float, up: bool) -> float | None:
    """`value` to one or two significant figures, rounded up or down; None if that leaves it unchanged."""
    import math

    for digits in (2, 1):
        step = 10 ** (math.floor(math.log10(value)) - digits + 1)
        out = (math.ceil(value / step) if up else math.floor(value / step)) * step
        if out != value and out > 0:
            return float(out)
    return None


def _shown(value: float, like: str) -> str:
    text = f"{value:,.0f}" if "," in like or value >= 10_000 else f"{value:.0f}"
    return text if value >= 1 else f"{value:g}"


def qualified_figures(claim: str, evidence: str, rng: random.Random) -> list[tuple[str, str]]:
    """`claim` with one exact figure it shares with `evidence` put as a qualified round figure, twice: once
    consistent with the evidence's figure and once not, each labelled by the checks' own interval for the
    new figure (a figure the checks would not read as consistent or as outside is dropped). [(claim, label)]"""
    shared = [q for q in extract_quantities(claim) if q.value and q.value >= 10 and not q.qualifier
              and not q.approximate and q.high_value is None and not (1800 <= q.value <= 2100 and q.unit is None)
              and _digits(q.written) in evidence]
    if not shared:
        return []
    q = rng.choice(shared)
    m = re.search(r"\d[\d,]*(?:\.\d+)?", q.written)
    start, end = q.span.start + m.start(), q.span.start + m.end()
    value = q.value
    down, up = _round(value, up=False), _round(value, up=True)
    far_up, far_down = _round(value * rng.choice([1.6, 2, 3, 5]), up=True), _round(value * rng.choice([0.2, 0.4, 0.6]), up=False)
    consistent = [(w, down) for w in _ABOVE] + [(w, up) for w in _BELOW] + [(w, rng.choice([down, up])) for w in _ABOUT]
    inconsistent = [(w, far_up) for w in _ABOVE] + [(w, far_down) for w in _BELOW] + [(w, rng.choice([far_up, far_down])) for w in _ABOUT]
    out = []
    for options, wanted in ((consistent, "supports"), (inconsistent, "contradicts")):
        word, new = rng.choice(options)
        if new is None:
            continue
        text = claim[:start] + word + " " + _shown(new, m.group()) + claim[end:]
        read = [r for r in extract_quantities(text) if r.span.start <= start < r.span.end]
        if not read or read[0].qualifier is None:
            continue
        inside = read[0].interval.low <= value <= read[0].interval.high
        if inside == (wanted == "supports"):
            out.append((text, wanted))
    return out


def still_consistent(claim: str, changed_claim: str, evidence: str) -> bool:
    """Whether the number check finds a figure of `changed_claim` consistent with `evidence` that it did not
    find in `claim`: the change left the claim true of the evidence (a wider range, a looser bound)."""
    def consistent(text: str) -> set[str]:
        return {f.claim_span.text for f in check_numbers(text, evidence)
                if f.outcome is Outcome.CONSISTENT and f.claim_span is not None}
    return bool(consistent(changed_claim) - consistent(claim))


def restatement(sentence: str) -> str:
    """A sentence as a claim: its first clause when it is long (claims are shorter than their sources)."""
    words = sentence.split()
    if len(words) > 28:
        cut = re.split(r"[;:]|, (?:while|whereas|but|which|and)\b", sentence)[0]
        if len(cut.split()) >= 8:
            return cut.strip().rstrip(",") + "."
    return sentence


# --- putting it together --------------------------------------------------------------------------------

def build(data: str | Path, per_sentence: int = 1, neutral_per_claim: int = 1, seed: int = SEED,
          encode: Callable[[list[str]], "object"] | None = None, qualifiers: bool = False,
          checked_figures: bool = False) -> list[TrainPair]:
    """The training pairs. `checked_figures`: drop a changed figure that the number check still finds
    consistent with the evidence ("up to 50 °C" against "up to 20 °C"), which would be labelled wrongly."""
    rng = random.Random(seed)
    real = [p for s in SETS for p in read_pairs(data, s) if p.part != "test"]
    pool = _name_pool(real)
    out = [TrainPair(p.claim, p.evidence, p.label, p.dataset, p.group, p.part) for p in real]
    # One changed claim per supporting pair: it contradicts the same evidence.
    for p in real:
        if p.label == "supports":
            made = changed(p.claim, rng, pool, p.evidence)
            if made and not (checked_figures and made[1] == "figure" and still_consistent(p.claim, made[0], p.evidence)):
                out.append(TrainPair(made[0], p.evidence, "contradicts", p.dataset, p.group, p.part, made[1]))
    # Evidence sentences against themselves: restated (supports) and changed (contradicts).
    sentences = {}
    for p in real:
        sentences.setdefault(p.evidence, p)
    for sentence, p in sentences.items():
        if len(sentence.split()) < 6:
            continue
        claim = restatement(sentence)
        for _ in range(per_sentence):
            made = changed(claim, rng, pool)
            if made and not (checked_figures and made[1] == "figure" and still_consistent(claim, made[0], sentence)):
                out.append(TrainPair(claim, sentence, "supports", p.dataset, p.group, p.part, "restated"))
                out.append(TrainPair(made[0], sentence, "contradicts", p.dataset, p.group, p.part, made[1]))
    if encode is not None:
        out += _hard_neutrals(real, encode, neutral_per_claim)
    if qualifiers:  # its own random stream, so that the pairs above stay what they were without it
        out += _qualifier_pairs(real, sentences, random.Random(seed + 1))
    rng.shuffle(out)
    return out


def _qualifier_pairs(real: list[StancePair], sentences: dict[str, StancePair], rng: random.Random) -> list[TrainPair]:
    """Qualified figures from each supporting pair's claim and from each evidence sentence restated."""
    out = []
    sources = [(p.claim, p.evidence, p) for p in real if p.label == "supports"]
    sources += [(restatement(s), s, p) for s, p in sentences.items() if len(s.split()) >= 6]
    for claim, evidence, p in sources:
        for text, label in qualified_figures(claim, evidence, rng):
            out.append(TrainPair(text, evidence, label, p.dataset, p.group, p.part, "qualifier"))
    return out


def _name_pool(pairs: Iterable[StancePair]) -> dict[str, list[str]]:
    pool: dict[str, set[str]] = {k: set() for k in _DECISIVE}
    for p in pairs:
        for e in extract_entities(p.evidence):
            if e.kind in pool and len(e.span.text) > 2:
                pool[e.kind].add(e.span.text)
    return {k: sorted(v) for k, v in pool.items()}


def _hard_neutrals(real: list[StancePair], encode: Callable, per_claim: int) -> list[TrainPair]:
    """Each claim with the closest evidence sentences of *other* claims of its set and part."""
    import numpy as np

    out = []
    for dataset in SETS:
        for part in ("train", "calib"):
            pairs = [p for p in real if p.dataset == dataset and p.part == part]
            claims = sorted({(p.claim, p.group) for p in pairs})
            evidence = sorted({(p.evidence, p.group) for p in pairs})
            if len(claims) < 2 or len(evidence) < 2:
                continue
            own = {}
            for p in pairs:
                own.setdefault(p.claim, set()).add(p.evidence)
            cv = np.asarray(encode([c for c, _ in claims]))
            ev = np.asarray(encode([e for e, _ in evidence]))
            sims = cv @ ev.T
            for i, (claim, group) in enumerate(claims):
                taken = 0
                for j in np.argsort(-sims[i]):
                    text, other = evidence[j]
                    if other == group or text in own.get(claim, ()):
                        continue
                    out.append(TrainPair(claim, text, "neutral", dataset, group, part, "other-matter"))
                    taken += 1
                    if taken >= per_claim:
                        break
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--out", default="var/stance/pairs.jsonl")
    parser.add_argument("--per-sentence", type=int, default=1)
    parser.add_argument("--no-neutrals", action="store_true", help="skip the hard neutrals (needs the encoder)")
    parser.add_argument("--qualifiers", action="store_true", help="add the qualified-figure pairs")
    parser.add_argument("--checked-figures", action="store_true",
                        help="drop changed figures the number check still finds consistent with the evidence")
    args = parser.parse_args()
    encode = None
    if not args.no_neutrals:
        from verifier import Settings
        from verifier.encoder import load_encoder

        encode = load_encoder(Settings()).encode
    pairs = build(args.data, args.per_sentence, encode=encode, qualifiers=args.qualifiers,
                  checked_figures=args.checked_figures)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        for p in pairs:
            fh.write(json.dumps(asdict(p), ensure_ascii=False) + "\n")
    from collections import Counter

    print(f"{len(pairs)} pairs -> {args.out}")
    for key, n in sorted(Counter((p.part, p.made or "labelled", p.label) for p in pairs).items()):
        print(f"  {key}: {n}")


if __name__ == "__main__":
    main()
