"""How close the shipped embedder (int8 weights, unpacked to fp32: verifier/encoder/packed.py) is to the fp32
model it was packed from, and whether a text's vector depends on the texts batched with it.

    python benchmarks/packed_embedder.py --fp32 var/embedder/model      # the torch folder training wrote

Texts: the Climate-FEVER evidence sentences (../shared/data). Prints the cosine of each text's vector to the
fp32 model's (min, mean), the same for ONNX Runtime's dynamic int8 of the fp32 model (`encoder_backend=onnx-int8`),
and the largest change of a vector between encoding a text alone and in a batch of 16.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier import Settings, load_encoder  # noqa: E402

DATA = ROOT.parent / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fp32", required=True, help="the fine-tuned torch folder the shipped model was packed from")
    parser.add_argument("--limit", type=int, default=2000)
    args = parser.parse_args()
    path = DATA / "climate-fever" / "climate-fever.jsonl"
    if not path.is_file():
        print(f"SKIP: no {path}")
        return
    texts = sorted({e["evidence"] for line in path.open() for e in json.loads(line)["evidences"]})[: args.limit]
    reference = load_encoder(Settings(model_path=str(Path(args.fp32).resolve())), "onnx").encode(texts)
    shipped = load_encoder(Settings(), "onnx")
    dynamic = load_encoder(Settings(model_path=str(Path(args.fp32).resolve())), "onnx-int8")
    for name, encoder in (("shipped (int8 weights, fp32 run)", shipped), ("dynamic int8 of fp32", dynamic)):
        cos = (encoder.encode(texts) * reference).sum(axis=1)
        alone = np.vstack([encoder.encode([t]) for t in texts[:64]])
        batched = encoder.encode(texts[:64], batch_size=16)
        drift = 1 - (alone * batched).sum(axis=1)
        print(f"{name:<34} cosine to fp32: min {cos.min():.4f} mean {cos.mean():.4f} (n {len(texts)}); "
              f"alone vs batched: max 1-cos {drift.max():.2e}")


if __name__ == "__main__":
    main()
