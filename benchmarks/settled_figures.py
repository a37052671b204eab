"""Settled figures: the stance model reading a figure the number check found consistent, marked or not.

    python benchmarks/settled_figures.py                 # ~3 min on 2 cores (calib parts)
    python benchmarks/settled_figures.py --part test     # ~9 min (the reported parts)

The shipped model, with `StanceModel.settle_figures` off (every figure the statement does not write alike is
marked `*new*`, as before 7 December 2026) and on (a figure `check_numbers` finds consistent is left
unmarked). Three readings: the running example; the made calib pairs of `training.stance_data` with a
qualified figure ("over 1,000" for 1,037 supports, "over 2,000" contradicts; labelled by the checks' own
interval) and with a figure multiplied (contradicts), per kind the share the model's argmax gets right;
and `benchmarks/stance.py`'s pair sets of `--part`, the model alone and model + checks (what ships).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from stance import DATA, PairSet  # noqa: E402

from training.stance_data import SEED, change_figure, qualified_figures, restatement  # noqa: E402
from verifier import Settings, load_encoder  # noqa: E402
from verifier.evaluation.pairs import SETS, read_pairs  # noqa: E402
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


if __name__ == "__main__":
    main()
