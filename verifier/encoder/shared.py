"""An encoder for long runs beside other work (the batch runner): one single-threaded session per core."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ..settings import Settings
from . import Encoder, length_order, load_encoder


class SharedCores:
    """Embeds a run's claims with one single-threaded encoder session per core, each on its own batches.

    One multi-threaded session works in lockstep: when the checks (one Python thread) take a core from one
    of its threads, the others wait for it at every step, and on 2 cores the encoder ran at half speed for
    as long as the checks ran. Single-threaded runs of the same session on separate batches do not wait on
    each other: with the checks beside them the cores stay busy, and alone they go as fast as one session
    with a thread per core (benchmarks/batch.py). Vectors are the same to the float. Other backends (torch)
    encode as they are.
    """

    def __init__(self, encoder: Encoder, settings: Settings):
        self._encoder = encoder
        self._settings = settings
        self._workers = settings.threads or os.cpu_count() or 1
        self._single = _one_thread_session(encoder, settings) if self._workers > 1 else None
        self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="batch-encode") if self._single else None

    def encode(self, texts: list[str]) -> np.ndarray:
        if self._single is None:
            return self._encoder.encode(texts)
        out = np.zeros((len(texts), self._single.dim), dtype=np.float32)
        order = length_order(texts)
        size = self._settings.encode_batch_size
        batches = [order[start : start + size] for start in range(0, len(order), size)]
        shares = [batches[w :: self._workers] for w in range(self._workers)]  # longest first, dealt in turn
        for share, vectors in zip(shares, self._pool.map(self._encode_share, [(texts, s) for s in shares])):
            for rows, block in zip(share, vectors):
                out[rows] = block
        return out

    def _encode_share(self, job: tuple[list[str], list[np.ndarray]]) -> list[np.ndarray]:
        texts, share = job
        return [self._single.encode([texts[i] for i in rows]) for rows in share]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()


def single_threaded(encoder: Encoder, settings: Settings) -> Encoder:
    """The encoder's single-threaded ONNX session (one per process, shared), for callers that run one per core
    side by side; other backends as they are."""
    return _one_thread_session(encoder, settings) or encoder


def _one_thread_session(full: Encoder, settings: Settings) -> Encoder | None:
    from .onnx_backend import OnnxEncoder

    if not isinstance(full, OnnxEncoder):
        return None
    single = load_encoder(settings.replace(threads=1), full.backend)
    return single if single.model.weights_sha256 == full.model.weights_sha256 else None
