"""Settled figures: the stance model reading a figure the number check found consistent, marked or not.

    python benchmarks/settled_figures.py                 # ~3 min on 2 cores (calib parts)
    python benchmarks/settled_figures.py --part test     # ~9 min (the reported parts)

The shipped model, with `StanceModel.settle_figures` off (every figure the statement does not write alike is
marked `*new*`, as before 7 December 2026) and on (a figure `check_numbers` finds consistent is left
unmarked). Three readings: the running example; the made calib pairs of `training.stance_data` with a
qualified figure ("over 1,000" for 1,037 supports, "over 2,000" contradicts; labelled by the checks' own
interval) and with a figure multiplied (contradicts), per kind the share the model's argmax gets right;
and `benchmarks/stance.py`'s pair sets of `--part`, the model alone and model + checks (what ships). Then
what settling costs: the one step it adds (the number check on the pair) timed against the model's reading
of the Climate-FEVER pairs of `--part` (one call per claim, as the product makes it): warm, the checks'
per-text memo holding the texts' figures (as in the product, where the checks read each pair just before the
model), and cold (that memo emptied before each pair). Timing the reading marked and settled in turn was
tried first: the difference is under the run-to-run noise of a 2-core machine (±15%).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from memo import clear_memo_caches  # noqa: E402
from stance import DATA, PairSet  # noqa: E402

from training.stance_data import SEED, change_figure, qualified_figures, restatement  # noqa: E402
from verifier import Settings, load_encoder  # noqa: E402
from verifier.evaluation.pairs import SETS, read_pairs  # noqa: E402
from verifier.crossencoder import _settled, model_input  # noqa: E402
from verifier.text import fold  # noqa: E402
from verifier.verdict.model import LABELS, load_stance_model  # noqa: E402

EXAMPLE = ("Over 1,000 Afghan troops fled into Tajikistan",
           "Tajikistan's national security committee said on 5 July 2021 that 1,037 Afghan government troops had "
           "fled across the border into Tajikistan to save their lives after overnight clashes with the Taliban.")


def made_pairs() -> list[tuple[str, str, str, str]]:
    """(claim, evidence, label, kind) from the calib parts' evidence sentences: a qualified figure each way,
    and a figure multiplied (the made 'figure' pairs the model was trained on, from the training parts)."""
    rng = random.Random(SEED)
    sentences = {p.evidence for s in SETS for p in read_pairs(DATA, s) if p.part == "calib"}
    out = []
    for sentence in sorted(sentences):
        if len(sentence.split()) < 6:
            continue
        claim = restatement(sentence)
        out += [(text, sentence, label, "qualified") for text, label in qualified_figures(claim, sentence, rng)]
        multiplied = change_figure(claim, rng)
        if multiplied:
            out.append((multiplied, sentence, "contradicts", "figure multiplied"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=("calib", "test"), default="calib")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"SKIP: the datasets are not at {DATA}")
        return
    model, settings = load_stance_model(), Settings()
    encoder = load_encoder(settings)
    made = made_pairs()
    table: dict[str, dict[bool, float]] = defaultdict(dict)
    for settle in (False, True):
        model.settle_figures = settle
        probs = model.predict([EXAMPLE])[0]
        table["running example: p(supports), p(contradicts)"][settle] = f"{probs[0]:.2f}, {probs[1]:.2f}"
        right = defaultdict(list)
        for (_, _, label, kind), row in zip(made, model.predict([m[:2] for m in made])):
            right[f"made calib pairs, {kind}, {label}"].append(LABELS[int(row.argmax())] == label)
        for key, hits in sorted(right.items()):
            table[f"{key} ({len(hits)}): share read right"][settle] = f"{np.mean(hits):.2f}"
        for name in SETS:
            pairs = PairSet(name, args.part, encoder, model, settings)
            for system in ("model", "model+checks"):
                table[f"{name} {args.part} ({len(pairs.pairs)}), {system}: macro-F1"][settle] = \
                    f"{pairs.score(system, settings)['macro_f1']:.4f}"
    model.settle_figures = True
    width = max(map(len, table))
    print(f"{'':{width}}  marked   settled")
    for key, row in table.items():
        print(f"{key:{width}}  {row[False]:>7}  {row[True]:>7}")
    cost(model, args.part)


def cost(model, part: str, rounds: int = 3) -> None:
    """The one step settling adds (`_settled`: the number check on the folded pair) against the model's
    reading of the same pairs, one call per claim as the product makes it."""
    by_claim: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for p in read_pairs(DATA, "climate-fever"):
        if p.part == part:
            by_claim[p.claim].append((p.claim, p.evidence))
    pairs = [pair for group in by_claim.values() for pair in group]
    folded = [(fold(" ".join(c.split())), fold(" ".join(s.split()))) for c, s in pairs]
    reading, step = 0.0, {"warm": 0.0, "cold": 0.0}
    for _ in range(rounds):
        for group in by_claim.values():
            model_input.cache_clear()
            started = time.perf_counter()
            model.predict(group)
            reading += time.perf_counter() - started
        for claim, statement in folded:  # warm: the checks read these texts just before, as in the product
            started = time.perf_counter()
            _settled(claim, statement)
            step["warm"] += time.perf_counter() - started
        for claim, statement in folded:
            clear_memo_caches()
            started = time.perf_counter()
            _settled(claim, statement)
            step["cold"] += time.perf_counter() - started
    n = rounds * len(pairs)
    print(f"Climate-FEVER {part} pairs ({len(pairs)}, {len(by_claim)} calls), {rounds} rounds: the model's reading "
          f"{1000 * reading / n:.2f} ms a pair; settling {1000 * step['warm'] / n:.3f} ms warm "
          f"({step['warm'] / reading:.1%} of it), {1000 * step['cold'] / n:.3f} ms cold ({step['cold'] / reading:.1%})")


if __name__ == "__main__":
    main()
