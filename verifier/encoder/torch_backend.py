"""The reference encoder: sentence-transformers running the model folder with torch on the CPU."""

from __future__ import annotations

import os
from typing import Sequence

import numpy as np

from ..errors import ModelError
from ..settings import Settings
from .model_files import ModelFiles


class TorchEncoder:
    backend = "torch"

    def __init__(self, model: ModelFiles, settings: Settings):
        if model.onnx is not None:
            raise ModelError(
                f"{model.path} ships its transformer as ONNX only ({model.onnx.name}); the torch backend needs torch "
                "weights: set encoder_backend=onnx, or model_path to a sentence-transformers folder "
                "(model_path=all-MiniLM-L6-v2 names the base model)"
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import torch
        from sentence_transformers import SentenceTransformer

        if settings.threads:
            torch.set_num_threads(settings.threads)
        self.model = model
        self._batch_size = settings.encode_batch_size
        self._st = SentenceTransformer(str(model.path), device="cpu", local_files_only=True)
        self._st.max_seq_length = min(settings.max_seq_length, model.max_seq_length)

    @property
    def dim(self) -> int:
        return self.model.dim

    def encode(self, texts: Sequence[str], *, batch_size: int | None = None, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._st.encode(
            list(texts),
            batch_size=batch_size or self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)
