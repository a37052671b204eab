"""The stance model: a cross-encoder that reads a claim and a statement together and says whether the
statement supports it, contradicts it or is neutral to it, with calibrated probabilities.

It is all-MiniLM-L6-v2 fine-tuned by `training/train_stance.py` (docs/stance-model.md) and runs through
ONNX Runtime from `verifier/models/stance/` (model.onnx, tokenizer.json, stance.json); torch is never
imported here. The claim is read with the words the statement does not have marked (`*word*`), so the
model is pointed at the detail that differs ("death metal" against the statement's "dancehall").
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import ModelError
from ..text import fold

LABELS = ("supports", "contradicts", "neutral")
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "models" / "stance"

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d[\d,.]*")
_STOP = frozenset(
    """a an the and or but if of to in on at by for with from into over under about as is are was were be been
    being has have had do does did will would can could should may might must this that these those it its
    they them their there here than then so such not no nor also very more most less least some any all each
    which who whom whose what when where why how he she his her we our you your i me my us""".split()
)


def model_input(claim: str, statement: str) -> tuple[str, str]:
    """The (claim, statement) pair as the model reads it: folded, the claim's words new to the statement marked."""
    claim, statement = fold(" ".join(claim.split())), fold(" ".join(statement.split()))
    known = {_stem(w) for w in _WORD.findall(statement.lower())}

    def mark(m: re.Match[str]) -> str:
        word = m.group()
        if word.lower() in _STOP or (len(word) < 3 and not word[0].isdigit()) or _stem(word.lower()) in known:
            return word
        return f"*{word}*"

    return _WORD.sub(mark, claim), statement


def _stem(word: str) -> str:
    return word.rstrip(".,").replace(",", "")[:6] if not word[0].isdigit() else word.rstrip(".,").replace(",", "")


@dataclass(frozen=True)
class ModelCard:
    name: str
    sha256: str
    temperature: float
    max_length: int


class StanceModel:
    """Probabilities of supports / contradicts / neutral for (claim, statement) pairs, batched."""

    def __init__(self, folder: str | os.PathLike[str] = DEFAULT_DIR, threads: int | None = None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = Path(folder)
        meta_file, onnx_file = folder / "stance.json", folder / "model.onnx"
        if not meta_file.is_file() or not onnx_file.is_file():
            raise ModelError(f"no stance model in {folder} (model.onnx and stance.json are needed)")
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        if tuple(meta["labels"]) != LABELS:
            raise ModelError(f"{meta_file}: labels {meta['labels']} are not {list(LABELS)}")
        self.card = ModelCard(meta["name"], _sha256(onnx_file), float(meta.get("temperature", 1.0)),
                              int(meta.get("max_length", 128)))
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or (os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=self.card.max_length)
        self._tokenizer.no_padding()
        self._lock = threading.Lock()

    def logits(self, pairs: Sequence[tuple[str, str]], batch_size: int = 32) -> np.ndarray:
        out = np.zeros((len(pairs), len(LABELS)), dtype=np.float32)
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            out[rows] = self._run([model_input(*pairs[i]) for i in rows])
        return out

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Calibrated probabilities, one row per pair, columns in `LABELS` order."""
        return softmax(self.logits(pairs) / self.card.temperature)

    def _run(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        with self._lock:
            encodings = self._tokenizer.encode_batch(pairs)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        types = np.zeros_like(ids)
        for i, e in enumerate(encodings):
            n = len(e.ids)
            ids[i, :n], mask[i, :n], types[i, :n] = e.ids, e.attention_mask, e.type_ids
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        return self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]


def softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def describe(folder: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """The name and weights checksum of the stance model in `folder`, without loading it."""
    folder = Path(folder) if folder else DEFAULT_DIR
    meta_file, onnx_file = folder / "stance.json", folder / "model.onnx"
    if not meta_file.is_file() or not onnx_file.is_file():
        raise ModelError(f"no stance model in {folder} (model.onnx and stance.json are needed)")
    return {"name": json.loads(meta_file.read_text(encoding="utf-8"))["name"], "sha256": _sha256(onnx_file)}


_LOCK = threading.Lock()


@lru_cache(maxsize=4)
def _cached(folder: str, threads: int | None) -> StanceModel:
    return StanceModel(folder, threads)


def load_stance_model(folder: str | os.PathLike[str] | None = None, threads: int | None = None) -> StanceModel:
    """The stance model in `folder` (default: the one shipped in the package), loaded once per process."""
    with _LOCK:
        return _cached(str(Path(folder) if folder else DEFAULT_DIR), threads)
