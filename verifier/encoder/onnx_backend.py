"""ONNX Runtime encoder: the model's transformer exported once to ONNX, pooled and normalized as
sentence-transformers does it.

Written by hand rather than through sentence-transformers' own `backend="onnx"` because that path needs
optimum-onnx, which pins transformers<5 and so cannot be installed beside sentence-transformers 6.
The export runs once per weights checksum (it needs torch, ~5 s) and is cached in `cache_dir`; later
processes load the .onnx file directly and never import torch. A folder that ships its transformer as ONNX
(the project's embedder, int8 weights: `packed.py`) is unpacked to fp32 into the same cache instead (~2 s).
"""

from __future__ import annotations

import inspect
import json
import os
import tempfile
import threading
import warnings
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import ModelError
from ..settings import Settings
from .model_files import ModelFiles
from .order import length_order

# By class name: sentence-transformers 6 moved them ("sentence_transformers.models.Pooling" before,
# "sentence_transformers.sentence_transformer.modules.pooling.Pooling" in a folder it saves now).
SUPPORTED_MODULES = {"Transformer", "Pooling", "Normalize"}


class OnnxEncoder:
    def __init__(self, model: ModelFiles, settings: Settings, quantized: bool = False):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.model = model
        self.backend = "onnx-int8" if quantized else "onnx"
        self._batch_size = settings.encode_batch_size
        self._pooling = _pooling_mode(model.path)
        path = exported_model(model, cache_root(settings), quantized)
        options = ort.SessionOptions()
        options.intra_op_num_threads = settings.threads or (os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._tokenizer = Tokenizer.from_file(str(model.path / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=min(settings.max_seq_length, model.max_seq_length))
        self._tokenizer.no_padding()  # padding is done per batch, to the batch's longest text
        self._pad_id = self._tokenizer.token_to_id("[PAD]") or 0
        # Tokenizers carry state (truncation, padding); one lock keeps concurrent requests apart. The session
        # needs none (ONNX Runtime's run is thread-safe), so a one-thread session serves several threads at once.
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        return self.model.dim

    def encode(self, texts: Sequence[str], *, batch_size: int | None = None, progress: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        size = batch_size or self._batch_size
        order = length_order(texts)
        batches = [order[i : i + size] for i in range(0, len(order), size)]
        if progress:
            from tqdm import tqdm

            batches = tqdm(batches, desc="Encoding", unit="batch")
        for rows in batches:
            out[rows] = self._encode_batch([texts[i] for i in rows])
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            encodings = self._tokenizer.encode_batch(texts)
            width = max(len(e.ids) for e in encodings)
            ids = np.full((len(texts), width), self._pad_id, dtype=np.int64)
            mask = np.zeros((len(texts), width), dtype=np.int64)
            for row, e in enumerate(encodings):
                ids[row, : len(e.ids)] = e.ids
                mask[row, : len(e.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        if self._pooling == "cls":
            pooled = hidden[:, 0]
        else:
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.maximum(norms, 1e-12)


def cache_root(settings: Settings) -> Path:
    if settings.cache_dir:
        return Path(settings.cache_dir).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "claim-verifier"


def exported_model(model: ModelFiles, root: Path, quantized: bool) -> Path:
    """Path of the fp32 ONNX model for these weights, exported from torch weights (or unpacked from a shipped
    ONNX file, `packed.py`), and quantized when asked, on first use."""
    folder = root / "onnx" / model.weights_sha256[:16]
    fp32 = folder / "model.onnx"
    if not fp32.is_file():
        if model.onnx is not None:
            from .packed import unpack

            with _staging(fp32) as tmp:
                unpack(model.onnx, tmp)
        else:
            _export(model, fp32)
    if not quantized:
        return fp32
    int8 = folder / "model.int8.onnx"
    if not int8.is_file():
        from onnxruntime.quantization import QuantType, quantize_dynamic

        with _staging(int8) as tmp:
            quantize_dynamic(str(fp32), str(tmp), per_channel=True, weight_type=QuantType.QInt8)
    return int8


def _export(model: ModelFiles, target: Path) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoModel

    try:
        net = AutoModel.from_pretrained(str(model.path), local_files_only=True, attn_implementation="eager").eval()
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot load the transformer in {model.path} for ONNX export: {exc}") from exc
    takes_types = "token_type_ids" in inspect.signature(net.forward).parameters

    class Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = net

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            kwargs = {"token_type_ids": token_type_ids} if takes_types else {}
            return self.net(input_ids=input_ids, attention_mask=attention_mask, **kwargs).last_hidden_state

    sample = torch.ones((2, 8), dtype=torch.long)
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if takes_types else [])
    args = (sample, sample) + ((torch.zeros_like(sample),) if takes_types else ())
    axes = {name: {0: "batch", 1: "tokens"} for name in names + ["last_hidden_state"]}
    with _staging(target) as tmp, warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Hidden(), args, str(tmp), input_names=names, output_names=["last_hidden_state"],
            dynamic_axes=axes, opset_version=17, dynamo=False,
        )


class _staging:
    """Write to a temporary file beside `target`, move it into place only if the block succeeds."""

    def __init__(self, target: Path):
        self.target = target

    def __enter__(self) -> Path:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=self.target.name + ".", suffix=".partial", dir=self.target.parent)
        os.close(fd)
        self.tmp = Path(name)
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            os.replace(self.tmp, self.target)
        else:
            self.tmp.unlink(missing_ok=True)


def _pooling_mode(path: Path) -> str:
    modules_file = path / "modules.json"
    if modules_file.is_file():
        modules = json.loads(modules_file.read_text(encoding="utf-8"))
        unsupported = [m["type"] for m in modules if m["type"].rsplit(".", 1)[-1] not in SUPPORTED_MODULES]
        if unsupported:
            raise ModelError(
                f"the ONNX backend cannot run {', '.join(unsupported)} of {path}; set encoder_backend=torch"
            )
    config_file = path / "1_Pooling" / "config.json"
    config = json.loads(config_file.read_text(encoding="utf-8")) if config_file.is_file() else {}
    mode = config.get("pooling_mode")  # sentence-transformers 6 and later: one key naming the mode
    if mode is not None:
        if mode in ("mean", "cls"):
            return mode
        raise ModelError(f"the ONNX backend supports mean or CLS pooling only ({config_file}); set encoder_backend=torch")
    if config.get("pooling_mode_cls_token"):
        return "cls"
    if config and not config.get("pooling_mode_mean_tokens", True):
        raise ModelError(f"the ONNX backend supports mean or CLS pooling only ({config_file}); set encoder_backend=torch")
    return "mean"
