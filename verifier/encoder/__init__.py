"""Sentence encoders: one interface, backends chosen by the `encoder_backend` setting, loaded once per process.

Backends give the same kind of vectors (float32, L2-normalized, one row per text):
- `torch`: sentence-transformers itself, the reference.
- `onnx`: the same weights exported once to ONNX and run by ONNX Runtime (fp32; cosine ~1.0 to torch,
  faster on CPUs without bf16 units, and a claim needs no torch import at query time).
- `onnx-int8`: that export with int8 dynamic quantization (faster again; cosine ~0.99 to fp32).
"""

from __future__ import annotations

import threading
from typing import Protocol, Sequence

import numpy as np

from ..errors import SettingsError
from ..settings import Settings
from .model_files import ModelFiles, resolve_model
from .order import length_order

BACKENDS = ("torch", "onnx", "onnx-int8")


class Encoder(Protocol):
    model: ModelFiles
    backend: str

    @property
    def dim(self) -> int: ...

    def encode(self, texts: Sequence[str], *, batch_size: int | None = None, progress: bool = False) -> np.ndarray:
        """Float32 array of shape (len(texts), dim), rows L2-normalized."""
        ...


_cache: dict[tuple, Encoder] = {}
_lock = threading.Lock()


def load_encoder(settings: Settings, backend: str | None = None) -> Encoder:
    """The encoder for these settings, built on first use and shared by every caller in the process."""
    backend = backend or settings.encoder_backend
    if backend not in BACKENDS:
        raise SettingsError(f"encoder_backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    model = resolve_model(settings.model_path)
    key = (str(model.path), model.weights_sha256, backend, settings.max_seq_length, settings.threads)
    with _lock:
        if key not in _cache:
            _cache[key] = _build(model, backend, settings)
        return _cache[key]


def _build(model: ModelFiles, backend: str, settings: Settings) -> Encoder:
    if backend == "torch":
        from .torch_backend import TorchEncoder

        return TorchEncoder(model, settings)
    from .onnx_backend import OnnxEncoder

    return OnnxEncoder(model, settings, quantized=backend == "onnx-int8")


__all__ = ["BACKENDS", "Encoder", "ModelFiles", "load_encoder", "length_order", "resolve_model"]
