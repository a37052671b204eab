"""A fake encoder for fast unit tests: hashed bag of words, so shared words mean similar vectors."""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import Sequence

import numpy as np

from verifier.encoder import ModelFiles


class FakeEncoder:
    backend = "onnx"

    def __init__(self, dim: int = 64, sha: str = "f" * 64, fail_after: int | None = None):
        self.model = ModelFiles(Path("/fake-model"), "fake-model", dim, sha, 128)
        self.calls = 0
        self.encoded = 0
        self.fail_after = fail_after

    @property
    def dim(self) -> int:
        return self.model.dim

    def encode(self, texts: Sequence[str], *, batch_size: int | None = None, progress: bool = False) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            if self.fail_after is not None and self.encoded >= self.fail_after:
                raise KeyboardInterrupt("simulated interruption while encoding")
            self.encoded += 1
            for word in re.findall(r"\w+", text.lower()):
                h = zlib.crc32(word.encode())
                out[row, h % self.dim] += 1.0 if (h >> 16) & 1 else -1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else 1.0 / np.sqrt(self.dim)
        return out
