"""Turn a fine-tuned embedder (`training/train_embedder.py`) into the folder the package ships: its transformer as
ONNX with int8 weights (`verifier/encoder/packed.py`), beside the tokenizer and the pooling configuration, and
no torch weights.

    python -m training.export_embedder --model var/embedder/model --out verifier/models/embedder

The export is the one the verifier's ONNX backend makes for any model folder
(`verifier.encoder.onnx_backend.exported_model`: ONNX opset 17), done here once into a scratch cache; then the
weight matrices are packed to int8, one scale per output channel. The verifier unpacks them to fp32 before
running. Needs torch (for the export only).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import tempfile
from pathlib import Path

CONFIG_FILES = ("config.json", "modules.json", "sentence_bert_config.json", "config_sentence_transformers.json",
                "tokenizer.json", "tokenizer_config.json", "1_Pooling/config.json", "2_Normalize/config.json")


def export(model: Path, out: Path) -> Path:
    from verifier.encoder.model_files import resolve_model
    from verifier.encoder.onnx_backend import exported_model
    from verifier.encoder.packed import pack

    files = resolve_model(str(model))
    if files.onnx is not None:
        raise SystemExit(f"{model} is already an ONNX folder; give the torch folder training wrote")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as cache:
        fp32 = exported_model(files, Path(cache), quantized=False)
        pack(fp32, out / "model.onnx")
    for name in CONFIG_FILES:
        if (model / name).is_file():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(model / name, out / name)
    log = model / "train_log.json"
    if log.is_file():
        shutil.copyfile(log, out / "training.json")
    return out / "model.onnx"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, required=True, help="the sentence-transformers folder training wrote")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    onnx = export(args.model, args.out)
    digest = hashlib.sha256(onnx.read_bytes()).hexdigest()
    print(json.dumps({"model.onnx": str(onnx), "bytes": onnx.stat().st_size, "sha256": digest}))


if __name__ == "__main__":
    main()
