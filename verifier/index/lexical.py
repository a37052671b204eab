"""The lexical index: BM25 (bm25s) over stemmed words, with numbers kept whole ("1,037" and "1037" match)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import numpy as np

FOLDER = "bm25"
_THOUSANDS = re.compile(r"(?<=\d)[,\u202f\u00a0](?=\d{3}\b)")
_WORD = re.compile(r"\w+")
_EMPTY = "\x00empty"  # the one token of a text with no words, so that bm25s keeps a row for it


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


def tokenize(text: str) -> list[str]:
    """Lower-cased, stemmed words without stopwords; digit groups joined so numbers stay one token."""
    words = _WORD.findall(_THOUSANDS.sub("", text.casefold()))
    stop = _stopwords()
    return _stemmer().stemWords([w for w in words if w not in stop])


class LexicalBuilder:
    """Token ids gathered a chunk of texts at a time, then indexed by bm25s at once.

    bm25s needs the whole corpus to index (document frequencies), but not as Python lists of strings:
    each text is kept as a small int32 array of vocabulary ids (~4 bytes a word instead of ~60), so a build's
    memory for BM25 grows by a few hundred bytes per statement, not by the texts themselves.
    """

    def __init__(self) -> None:
        self._vocab: dict[str, int] = {}
        self._docs: list[np.ndarray] = []

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> "LexicalBuilder":
        builder = cls()
        builder.add(texts)
        return builder

    def add(self, texts: Iterable[str]) -> None:
        vocab = self._vocab
        for text in texts:
            tokens = tokenize(text) or [_EMPTY]
            self._docs.append(np.fromiter((vocab.setdefault(t, len(vocab)) for t in tokens), np.int32, len(tokens)))

    def build(self) -> "LexicalIndex":
        import bm25s

        bm25 = bm25s.BM25()
        if self._docs:
            vocab = dict(self._vocab)
            vocab.setdefault("", len(vocab))  # what bm25s adds itself when it reads tokens as strings
            bm25.index((self._docs, vocab), show_progress=False)
        return LexicalIndex(bm25)


class LexicalIndex:
    def __init__(self, bm25):
        self._bm25 = bm25

    @classmethod
    def build(cls, texts: Iterable[str]) -> "LexicalIndex":
        return LexicalBuilder.from_texts(texts).build()

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        import bm25s

        return cls(bm25s.BM25.load(str(folder / FOLDER), show_progress=False, verbosity=0))

    def save(self, folder: Path) -> None:
        self._bm25.save(str(folder / FOLDER), show_progress=False)

    def __len__(self) -> int:
        scores = getattr(self._bm25, "scores", None)
        return int(scores["num_docs"]) if scores else 0

    def problem(self, expected: int) -> str | None:
        """What makes this index unusable as the lexical index of `expected` statements, or None: one column
        per statement, and the sparse matrix bm25s scores with (term ids, pointers, postings) consistent."""
        scores = getattr(self._bm25, "scores", None) or {}
        docs = scores.get("num_docs")
        if not isinstance(docs, int) or docs != expected:
            return f"indexes {docs} statements, but manifest.json and statements.sqlite say {expected}"
        data, indices, indptr = (np.asarray(scores.get(name)) for name in ("data", "indices", "indptr"))
        vocab = getattr(self._bm25, "vocab_dict", None)
        if not isinstance(vocab, dict) or data.ndim != 1 or indices.ndim != 1 or indptr.ndim != 1:
            return "does not hold a BM25 vocabulary and score matrix"
        terms = len(indptr) - 1
        # bm25s adds "" after the last row when it tokenizes itself; LexicalBuilder gives it a row of its own
        numbered = sorted(i for token, i in vocab.items() if token != "" or (isinstance(i, int) and i < terms))
        if numbered != list(range(terms)):
            return f"has a vocabulary of {len(numbered)} terms that does not number the matrix's {terms} rows 0..{terms - 1}"
        if (not len(indptr) or indptr[0] != 0 or np.any(np.diff(indptr) < 0) or indptr[-1] != len(indices)
                or len(indices) != len(data)):
            return "has a score matrix whose pointers do not match its postings"
        if len(indices) and (indices.min() < 0 or indices.max() >= expected):
            return f"has postings for statements outside 0..{expected - 1}"
        if not np.all(np.isfinite(data)):
            return "has scores that are not numbers"
        return None

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every statement for this query (zeros where no word matches)."""
        tokens = [t for t in tokenize(query) if t in self._bm25.vocab_dict] if len(self) else []
        if not tokens:
            return np.zeros(len(self), dtype=np.float32)
        return self._bm25.get_scores(tokens)

    def top(self, query: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, positions) of the k best statements, best first; only statements with a match."""
        scores = self.scores(query)
        return top_k(scores, k)


def top_k(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    k = min(k, int((scores > 0).sum()))
    if k <= 0:
        return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, k - 1)[:k]
    order = part[np.argsort(-scores[part], kind="stable")]
    return scores[order], order.astype(np.int64)
