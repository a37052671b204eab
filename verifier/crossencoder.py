"""Cross-encoders the project trains itself, run through ONNX Runtime: a claim and a statement read together.

Two ship in the package: the stance model (`verdict/model.py`: supports / contradicts / neutral) and the
relevance model of the rerank stage (`rerank.py`: relevant / unrelated). Both are all-MiniLM-L6-v2
fine-tuned by `training/train_stance.py`, kept in a folder with `model.onnx`, `tokenizer.json` and a JSON
file naming the labels, the temperature and the maximum length; torch is never imported here. The claim is
read with the words the statement does not have marked (`*word*`), so the model is pointed at the detail
that differs ("death metal" against the statement's "dancehall"). A figure the number check finds consistent
with the statement's is not marked, though written otherwise ("Over 1,000" against "1,037"): the model
cannot compare figures, and a marked figure reads to it as a changed one (docs/stance-model.md, "Settled
figures").

A statement too long to read with the claim in `max_length` word pieces (an abstract, a fact-check's
paragraph) is not cut: it is read in windows of whole consecutive sentences that fit, each overlapping the
one before by a sentence, each with the claim's marks drawn from the window alone, and the window that
speaks most to the claim (the lowest probability of `null_label`: neutral, unrelated) gives the pair's
reading. Cutting kept the start of the passage; on SciFact-RTE, where a third of the pairs are longer than
128 word pieces, the answer is often further on (docs/stance-model.md, "Long statements").
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

from .checks.findings import Outcome
from .checks.numbers import check_numbers
from .errors import ModelError
from .ingest.document import split_sentences
from .text import fold

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d[\d,.]*")
_STOP = frozenset(
    """a an the and or but if of to in on at by for with from into over under about as is are was were be been
    being has have had do does did will would can could should may might must this that these those it its
    they them their there here than then so such not no nor also very more most less least some any all each
    which who whom whose what when where why how he she his her we our you your i me my us""".split()
)


@lru_cache(maxsize=4096)
def model_input(claim: str, statement: str, settle: bool = True) -> tuple[str, str]:
    """The (claim, statement) pair as the models read it: folded, the claim's words new to the statement
    marked, except (`settle`) the figures the number check finds consistent with the statement's."""
    claim, statement = fold(" ".join(claim.split())), fold(" ".join(statement.split()))
    known = {_stem(w) for w in _WORD.findall(statement.lower())}
    settled = _settled(claim, statement) if settle else ()

    def mark(m: re.Match[str]) -> str:
        word = m.group()
        if word.lower() in _STOP or (len(word) < 3 and not word[0].isdigit()) or _stem(word.lower()) in known:
            return word
        if any(a <= m.start() < b for a, b in settled):
            return word
        return f"*{word}*"

    return _WORD.sub(mark, claim), statement


def _settled(claim: str, statement: str) -> tuple[tuple[int, int], ...]:
    """The claim's spans (qualifier, figure, unit) that the number check finds consistent with the statement."""
    if not any(c.isdigit() for c in claim) or not any(c.isdigit() for c in statement):
        return ()
    return tuple((f.claim_span.start, f.claim_span.end) for f in check_numbers(claim, statement)
                 if f.outcome is Outcome.CONSISTENT and f.claim_span is not None)


def _stem(word: str) -> str:
    return word.rstrip(".,").replace(",", "")[:6] if not word[0].isdigit() else word.rstrip(".,").replace(",", "")


@dataclass(frozen=True)
class ModelCard:
    name: str
    sha256: str
    temperature: float
    max_length: int


class CrossEncoder:
    """Calibrated probabilities over `labels` for (claim, statement) pairs, batched.

    `meta` is the folder's JSON file (e.g. stance.json); its labels must be `labels`, in that order.
    `windows=False` cuts a long pair at `max_length` instead of reading it in windows (to measure them)."""

    kind: str = ""  # "stance", "relevance": named in errors
    labels: tuple[str, ...] = ()
    null_label: str = ""  # the label that says the statement does not speak to the claim
    max_windows = 8  # a statement longer than this many windows (~1,000 word pieces) is read up to there
    settle_figures = True  # False: figures consistent with the statement's are marked too (as before; to measure)
    meta: str = ""

    def __init__(self, folder: str | os.PathLike[str], threads: int | None = None, windows: bool = True):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = Path(folder)
        meta_file, onnx_file = folder / self.meta, folder / "model.onnx"
        if not meta_file.is_file() or not onnx_file.is_file():
            raise ModelError(f"no {self.kind} model in {folder} (model.onnx and {self.meta} are needed)")
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        if tuple(meta["labels"]) != self.labels:
            raise ModelError(f"{meta_file}: labels {meta['labels']} are not {list(self.labels)}")
        self.card = ModelCard(meta["name"], sha256(onnx_file), float(meta.get("temperature", 1.0)),
                              int(meta.get("max_length", 128)))
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or (os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=self.card.max_length)
        self._tokenizer.no_padding()
        self._counter = Tokenizer.from_str(self._tokenizer.to_str())  # the same, uncut: to measure a pair
        self._counter.no_truncation()
        self._null = self.labels.index(self.null_label)
        self._windowed = windows  # False: a long pair is cut at max_length (as before windows; for measuring)
        self._lock = threading.Lock()

    def logits(self, pairs: Sequence[tuple[str, str]], batch_size: int = 32) -> np.ndarray:
        """Raw logits, one row per pair; a long statement's row is that of its window read as most on topic."""
        return self._read(pairs, batch_size)[0]

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Calibrated probabilities, one row per pair, columns in `labels` order."""
        return self.predict_windows(pairs)[0]

    def predict_windows(self, pairs: Sequence[tuple[str, str]]) -> tuple[np.ndarray, list[tuple[int, int] | None]]:
        """Calibrated probabilities as `predict`, and for each pair the part of its statement they are the
        reading of: (start, end) character offsets of the window chosen, or None when it was read whole."""
        raw, chosen = self._read(pairs)
        return softmax(raw / self.card.temperature), chosen

    def _read(self, pairs: Sequence[tuple[str, str]], batch_size: int = 32
              ) -> tuple[np.ndarray, list[tuple[int, int] | None]]:
        reads: list[tuple[str, str]] = []  # one per pair, or one per window of a long statement
        owner: list[int] = []
        spans: list[tuple[int, int] | None] = []
        for i, (claim, statement) in enumerate(pairs):
            windows = self.windows(claim, statement)
            for a, b in windows:
                reads.append((claim, statement[a:b]))
                owner.append(i)
                spans.append((a, b) if len(windows) > 1 else None)
        raw = np.zeros((len(reads), len(self.labels)), dtype=np.float32)
        order = sorted(range(len(reads)), key=lambda i: len(reads[i][0]) + len(reads[i][1]))
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            raw[rows] = self._run([model_input(*reads[i], self.settle_figures) for i in rows])
        if len(reads) == len(pairs):
            return raw, [None] * len(pairs)
        null = softmax(raw / self.card.temperature)[:, self._null]
        best: dict[int, int] = {}
        for row, i in enumerate(owner):
            if i not in best or null[row] < null[best[i]]:
                best[i] = row
        rows = [best[i] for i in range(len(pairs))]
        return raw[rows], [spans[row] for row in rows]

    def windows(self, claim: str, statement: str) -> list[tuple[int, int]]:
        """The parts of the statement the model reads with `claim`, as (start, end) character offsets: the
        whole if the pair fits in `max_length` word pieces (or is one sentence), else runs of whole
        consecutive sentences that fit, each starting with the last sentence of the one before, at most
        `max_windows` of them (a whole article given as one statement is read up to there, not to its end:
        each window is a model run)."""
        whole = [(0, len(statement))]
        if not self._windowed:
            return whole
        if len(statement) <= self.card.max_length * 12 and self._length(claim, statement) <= self.card.max_length:
            return whole  # (longer than 12 characters a word piece, it would not fit: no need to measure)
        head = statement[:self.max_windows * self.card.max_length * 8]  # more than max_windows can hold
        sentences = _locate(statement, split_sentences(head))
        if len(head) < len(statement):
            sentences = sentences[:-1]  # the last may be cut off
        if len(sentences) < 2:
            return whole

        def fits(first: int, last: int) -> bool:  # sentences first..last, inclusive
            return self._length(claim, statement[sentences[first][0]:sentences[last][1]]) <= self.card.max_length

        out, start = [], 0
        while True:
            end = start + 1
            while end < len(sentences) and fits(start, end):
                end += 1
            out.append((sentences[start][0], sentences[end - 1][1]))
            if end >= len(sentences) or len(out) == self.max_windows:
                return out
            start = end - 1 if end - 1 > start and fits(end - 1, end) else end

    def _length(self, claim: str, statement: str) -> int:
        with self._lock:
            return len(self._counter.encode(*model_input(claim, statement, self.settle_figures)).ids)

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


def _locate(text: str, sentences: list[str]) -> list[tuple[int, int]]:
    """Character offsets of each sentence in `text`, in order (the splitter may have changed whitespace);
    [] if one cannot be found, so that the text is read whole."""
    out, pos = [], 0
    for sentence in sentences:
        found = re.compile(r"\s+".join(map(re.escape, sentence.split()))).search(text, pos)
        if not found:
            return []
        out.append((found.start(), found.end()))
        pos = found.end()
    return out


def softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def describe(folder: Path, kind: str, meta: str) -> dict[str, str]:
    """The name and weights checksum of the `kind` model in `folder`, without loading it."""
    meta_file, onnx_file = folder / meta, folder / "model.onnx"
    if not meta_file.is_file() or not onnx_file.is_file():
        raise ModelError(f"no {kind} model in {folder} (model.onnx and {meta} are needed)")
    return {"name": json.loads(meta_file.read_text(encoding="utf-8"))["name"], "sha256": sha256(onnx_file)}
