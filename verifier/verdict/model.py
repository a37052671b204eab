"""The stance model: a cross-encoder that reads a claim and a statement together and says whether the
statement supports it, contradicts it or is neutral to it, with calibrated probabilities.

It is all-MiniLM-L6-v2 fine-tuned by `training/train_stance.py` (docs/stance-model.md) and runs through
ONNX Runtime from `verifier/models/stance/` (model.onnx, tokenizer.json, stance.json); the runtime is
`verifier/crossencoder.py`, shared with the rerank stage's relevance model.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path

from ..crossencoder import CrossEncoder, ModelCard, model_input, softmax
from ..crossencoder import describe as _describe

__all__ = ["LABELS", "DEFAULT_DIR", "ModelCard", "StanceModel", "describe", "load_stance_model", "model_input",
           "softmax"]

LABELS = ("supports", "contradicts", "neutral")
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "models" / "stance"


class StanceModel(CrossEncoder):
    """Probabilities of supports / contradicts / neutral for (claim, statement) pairs, batched."""

    kind = "stance"
    labels = LABELS
    null_label = "neutral"
    meta = "stance.json"

    def __init__(self, folder: str | os.PathLike[str] = DEFAULT_DIR, threads: int | None = None,
                 windows: bool = True):
        super().__init__(folder, threads, windows)


def describe(folder: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """The name and weights checksum of the stance model in `folder`, without loading it."""
    return _describe(Path(folder) if folder else DEFAULT_DIR, StanceModel.kind, StanceModel.meta)


_LOCK = threading.Lock()


@lru_cache(maxsize=4)
def _cached(folder: str, threads: int | None) -> StanceModel:
    return StanceModel(folder, threads)


def load_stance_model(folder: str | os.PathLike[str] | None = None, threads: int | None = None) -> StanceModel:
    """The stance model in `folder` (default: the one shipped in the package), loaded once per process."""
    with _LOCK:
        return _cached(str(Path(folder) if folder else DEFAULT_DIR), threads)
