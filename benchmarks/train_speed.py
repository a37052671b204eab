"""Training speed of the stance model: pairs a second in fp32 and under bf16 autocast, in one run.

    python benchmarks/train_speed.py                       # 60 steps each, the stage-1 recipe
    python benchmarks/train_speed.py --steps 100 --max-length 192

Needs var/stance/pairs.jsonl (`python -m training.stance_data`). The steps are the first ones of the
stage-1 recipe (batch 16, at most 128 word pieces, word embeddings frozen, same seed, so both precisions
see the same batches); the ratio is bf16 over fp32. bf16 pays where the CPU has AMX or AVX-512 bf16
(`lscpu | grep -o amx_bf16`); elsewhere it may be slower than fp32.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from training import train_stance  # noqa: E402


def rate(precision: str, args: argparse.Namespace) -> float:
    run = argparse.Namespace(
        task="stance",
        pairs=args.pairs,
        base=None,
        epochs=2,
        batch_size=16,
        max_length=args.max_length,
        lr=5e-5,
        limit=16000,
        made_limit=None,
        class_weights="none",
        freeze_embeddings=True,
        freeze_layers=0,
        max_minutes=0,
        max_steps=args.steps,
        threads=args.threads,
        seed=13,
        log_every=10**9,
        precision=precision,
    )
    trained = train_stance.train(run)
    return trained["pairs_seen"] / trained["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", default=str(ROOT / "var" / "stance" / "pairs.jsonl"))
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}, {args.threads} threads, {args.steps} steps of 16 pairs")
    rates = {precision: rate(precision, args) for precision in ("fp32", "bf16")}
    for precision, value in rates.items():
        print(f"{precision}: {value:.1f} pairs/s")
    print(f"bf16 / fp32: {rates['bf16'] / rates['fp32']:.2f}")


if __name__ == "__main__":
    main()
