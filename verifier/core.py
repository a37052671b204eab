"""`Verifier`: the one entry class. It opens an index folder once and answers searches (and, later, checks)."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from .checks import check_pair
from .checks.stored import features_of, seed
from .claim_text import clean_claim
from .encoder import Encoder, load_encoder
from .encoder.model_files import model_path_for_index
from .claim import Claim, validate_claim
from .encoder.shared import SharedCores, single_threaded
from .errors import InputError
from .index.build import BuildReport, build_index
from .index.folder import IndexFolder
from .index.integrity import look, open_generation
from .index.manifest import Manifest
from .index.store import StatementStore
from .index.stores import open_store
from .rerank import rerank
from .results import Result
from .retrieve import Hit, HybridRetriever
from .settings import Settings
from .statement import Statement
from .textcheck import TextResult, check_text
from .verdict import judge, read_all
from .verdict.stance import Reading
from .verdict.model import StanceModel, describe, load_stance_model


@dataclass(frozen=True)
class IndexInfo:
    """What an index holds and what built it: its manifest's fields (`model` is the manifest's `model_name`)
    and where it is. Built from the manifest field by field, so a manifest field IndexInfo lacks fails at once."""

    path: str
    count: int
    model: str
    model_sha256: str
    dim: int
    encoder_backend: str
    vector_index: str
    ef_search: int
    created: str
    updated: str
    sources: dict[str, int]
    publishers: dict[str, int]
    dates: tuple[str, str] | None
    index_context: str
    format_version: int
    vector_store: str
    milvus_uri: str
    collection: str

    @classmethod
    def from_manifest(cls, path: str, manifest: Manifest) -> "IndexInfo":
        return cls(path=path, **{_INFO_NAMES.get(f.name, f.name): getattr(manifest, f.name) for f in fields(Manifest)})

    @property
    def vector_search(self) -> str:
        """How claims search the vectors, in words: "flat (exact)" or "hnsw (approximate, efSearch 64)"."""
        if self.vector_index == "flat":
            return "flat (exact)"
        return f"{self.vector_index} (approximate, efSearch {self.ef_search or 'as saved'})"

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["dates"] = list(self.dates) if self.dates else None
        return out

    def manifest_dict(self) -> dict[str, Any]:
        """The manifest's own JSON form (its names and order), as `verifier info --json` prints it."""
        return Manifest(**{f.name: getattr(self, _INFO_NAMES.get(f.name, f.name)) for f in fields(Manifest)}).to_dict()


_INFO_NAMES = {"model_name": "model"}  # manifest field -> IndexInfo field, where the names differ


@dataclass(frozen=True)
class _Loaded:
    """One generation's heavy state; replaced as a whole so a concurrent reader never sees a mix."""

    generation: Path
    manifest: Manifest
    encoder: Encoder
    store: StatementStore
    retriever: HybridRetriever


class Verifier:
    """Check claims against a corpus index: the statements about a claim, their stances, and a verdict.

    One loaded model and index serve every call (threads may share a Verifier). `check`/`check_many` are
    the one way every surface (CLI, web, API, batch) gets a verdict; `search` returns the statements alone.

    >>> v = Verifier.open("var/demo-index")            # doctest: +SKIP
    >>> v.search("Over 1,000 Afghan troops fled into Tajikistan", k=3)[0].statement.source  # doctest: +SKIP
    'Tajikistan national security committee'
    >>> v.check("2,000 Afghan troops fled into Tajikistan").verdict.value  # doctest: +SKIP
    'contradicted'
    """

    def __init__(self, root: Path, generation: Path, settings: Settings, encoder: Encoder | None = None):
        self.root = root
        self.settings = settings
        self._write_lock = threading.Lock()
        self._query_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._load(generation, encoder)  # first: a damaged index fails before any model loads
        self._stance = _stance_model(settings)
        self._single: tuple[_Loaded, Verifier] | None = None  # see single_threaded

    # --- opening and building ------------------------------------------------------------------------
    @classmethod
    def open(
        cls, path: str | os.PathLike[str], settings: Settings | None = None, encoder: Encoder | None = None
    ) -> "Verifier":
        """Open an index folder; refuses an index built with another model or format (IndexMismatch), and one
        with a part missing, unreadable or at odds with the others (IndexDamaged, naming the file).

        `encoder` lets callers share one already-loaded encoder; by default the index's own backend is loaded.
        """
        root = Path(path)
        return cls(root, IndexFolder(root).current(), settings or Settings(), encoder)

    @classmethod
    def build(
        cls,
        path: str | os.PathLike[str],
        files: Sequence[str | os.PathLike[str]] = (),
        statements: Iterable[Statement] = (),
        settings: Settings | None = None,
        **options: Any,
    ) -> BuildReport:
        """Build (or with append=True extend) the index in `path` from corpus files and/or statements."""
        settings = settings or Settings()
        return build_index(path, files, statements, settings=settings, features=_features(settings), **options)

    def _load(self, generation: Path, encoder: Encoder | None) -> None:
        # Every part is checked to agree with the others first (IndexDamaged names the file at fault), and
        # before the model loads, so a damaged index fails at once.
        parts = open_generation(generation)
        try:
            # The index's own backend embeds claims, so queries always meet vectors made the same way.
            # An index built with the base model keeps it while model_path is left empty (model_path_for_index).
            model_path = model_path_for_index(self.settings.model_path, parts.manifest.model_name)
            encoder = encoder or load_encoder(self.settings.replace(model_path=model_path), parts.manifest.encoder_backend)
            parts.manifest.check_model(encoder.model)
            vectors = parts.vectors or open_store(self.root, generation, parts.manifest, self.settings)
            retriever = HybridRetriever(vectors, parts.lexical, parts.store, self.settings)
        except BaseException:
            parts.store.close()
            raise
        self._state = _Loaded(generation, parts.manifest, encoder, parts.store, retriever)

    def add(self, statements: Iterable[Statement], **options: Any) -> BuildReport:
        """Add statements to this index (a new generation) and start answering from it."""
        with self._write_lock:
            report = build_index(
                self.root, (), statements, settings=self.settings, append=True, encoder=self.encoder,
                features=_features(self.settings), **options
            )
            # The old generation's store is left to the garbage collector: a request still running on it
            # keeps a working connection.
            self._load(IndexFolder(self.root).current(), self.encoder)
            return report

    def configure(self, **changes: Any) -> "Verifier":
        """A Verifier over the same loaded index and model with some retrieval settings changed."""
        other = object.__new__(Verifier)
        other.__dict__.update(self.__dict__)
        other.settings = self.settings.replace(**changes)
        other._single = None
        if "stance_model" in changes:
            other._stance = _stance_model(other.settings)
        state = self._state
        retriever = HybridRetriever(state.retriever.vectors, state.retriever.lexical, state.store, other.settings)
        other._state = _Loaded(state.generation, state.manifest, state.encoder, state.store, retriever)
        return other

    def single_threaded(self) -> "Verifier":
        """This Verifier with single-threaded ONNX sessions (the encoder's and the stance model's), for a caller
        that runs checks side by side, one per core (the server's check queue): each check's ONNX runs on its
        own thread, and one check's encoder or stance model runs while another runs the Python checks. The
        same results to the float. It follows `add`: after a new generation loads, the next call gives a view
        of that one."""
        state = self._state
        with self._cache_lock:
            if self._single is None or self._single[0] is not state:
                other = object.__new__(Verifier)
                other.__dict__.update(self.__dict__)  # the query cache and its lock are shared
                other.settings = self.settings.replace(threads=1)
                other._stance = _stance_model(other.settings) if self._stance is not None else None
                other._single = None
                encoder = single_threaded(state.encoder, other.settings)
                other._state = _Loaded(state.generation, state.manifest, encoder, state.store, state.retriever)
                self._single = (state, other)
            return self._single[1]

    def warm_up(self) -> None:
        """Build now, once, what the first check would otherwise build while a user waits: the place-name
        table, the unit registry, the encoder's and the stance model's first run. `serve` calls it before it
        answers ready, so no two requests build them at once."""
        claim = "Over 1,000 Afghan troops fled 20 miles into Tajikistan on 5 July 2021"
        statement = "Tajikistan said 1,037 Afghan soldiers crossed the border, some 32 kilometres, on 5 July."
        check_pair(claim, statement, settings=self.settings)
        self.encoder.encode([claim])
        if self._stance is not None:
            self._stance.predict([(claim, statement)])

    @staticmethod
    def describe_stance_model(settings: Settings | None = None) -> dict[str, str] | None:
        """Name and weights SHA-256 of the stance model the settings choose, without loading it (None: off)."""
        settings = settings or Settings()
        if settings.stance_model.strip().lower() == "off":
            return None
        return describe(settings.stance_model or None)

    # --- state ---------------------------------------------------------------------------------------
    @property
    def stance_model(self) -> dict[str, str] | None:
        """The stance model's name and the SHA-256 of its weights; None when it is switched off."""
        if self._stance is None:
            return None
        return {"name": self._stance.card.name, "sha256": self._stance.card.sha256}

    @property
    def manifest(self) -> Manifest:
        return self._state.manifest

    @property
    def encoder(self) -> Encoder:
        return self._state.encoder

    def info(self) -> IndexInfo:
        return IndexInfo.from_manifest(str(self.root), self.manifest)

    @staticmethod
    def inspect(path: str | os.PathLike[str]) -> IndexInfo:
        """What the index in `path` holds, read from its manifest without loading the model or the index.

        IndexNotFound if there is no index there; IndexMismatch if it is of another format version;
        IndexDamaged if the manifest is incomplete or a part is missing or empty (`open` checks the rest).
        """
        root = Path(path)
        return IndexInfo.from_manifest(str(root), look(IndexFolder(root).current()))

    def statement(self, statement_id: str) -> Statement | None:
        return self._state.store.get(statement_id)

    # --- checking ------------------------------------------------------------------------------------
    def check(self, claim: str, k: int | None = None, claim_id: str | None = None) -> Result:
        """The verdict on a claim, with reasons and every retrieved statement's stance and findings."""
        return self.check_many([claim], k, [claim_id])[0]

    def check_many(
        self,
        claims: Sequence[str],
        k: int | None = None,
        ids: Sequence[str | None] | None = None,
        *,
        vectors: np.ndarray | None = None,
        return_exceptions: bool = False,
    ) -> list[Result]:
        """Verdicts for many claims: one batched embedding and search, then the checks per claim.

        `vectors`, when given, are the claims' embeddings from `embed` (the batch runner embeds the next
        chunk in another thread while this one is searched and checked). With `return_exceptions`, a claim
        whose checks raise gets the exception in its place in the list, and the others their results.
        """
        given = [self._validated(c) for c in claims]
        texts = [self._cleaned(c) for c in given]
        hits = self.search_many(texts, k, vectors)
        ids = list(ids) if ids is not None else [None] * len(texts)
        _seed_stored(hits, self.settings)
        readings = self._read(texts, hits)
        model = self.stance_model
        out: list[Any] = []
        for text, original, found, claim_id, read in zip(texts, given, hits, ids, readings):
            try:
                result = judge(str(text), found, self.settings, claim_id, read, model)
                out.append(result if text == original else replace(result, given=str(original)))
            except Exception as exc:
                if not return_exceptions:
                    raise
                out.append(exc)
        return out

    def _read(self, texts: Sequence[Claim], hits: list[list[Hit]]) -> list[list[Reading | None]]:
        """The stance model's readings of the claims' candidates; several claims are read side by side, one
        per core, on single-threaded sessions (with `threads` 1, as in the server's check queue, one by one)."""
        workers = min(len(texts), self.settings.threads or os.cpu_count() or 1)
        if self._stance is None or workers <= 1:
            return read_all(self._stance, texts, hits, self.settings)
        return read_all(_stance_model(self.settings.replace(threads=1)), texts, hits, self.settings, workers)

    def check_text(self, text: str, format: str = "text", k: int | None = None, *,
                   limits: Settings | None = None,
                   check_many: Callable[[list[str], int | None], list[Result]] | None = None) -> TextResult:
        """Every sentence of a text (`format` "text", "markdown" or "html"), and for each checkable one (a figure,
        a date, a name, a comparison, a quotation) its result, all checked in one `check_many` batch.

        InputError for a text that is empty or not text; TextTooLarge over max_text_chars or max_text_sentences.
        `limits`: the settings whose limits apply (a web app's own); by default this Verifier's.
        `check_many`: what checks the chosen sentences (a server passes its check queue, so that a long text
        waits its turn in groups like any batch); by default this Verifier's `check_many`.
        """
        check = check_many or (lambda claims, k: self.check_many(claims, k))
        return check_text(text, check, limits or self.settings, format, k, self.stance_model)

    def _validated(self, claim: Any) -> Claim:
        return claim if isinstance(claim, Claim) else validate_claim(claim, self.settings)

    def _cleaned(self, claim: Claim) -> Claim:
        """What is searched and checked: the claim without a post's links, handles, hashtags and emoji
        (`clean_claims`; verifier/claim_text.py)."""
        return Claim(clean_claim(claim)) if self.settings.clean_claims else claim

    # --- retrieval -----------------------------------------------------------------------------------
    def embed(self, claims: Sequence[str], encode: Callable[[list[str]], np.ndarray] | None = None) -> np.ndarray:
        """Claim vectors; a claim repeated among `claims`, or seen recently (`query_cache_size`), is embedded once.

        `encode` embeds the claims not cached (default: the index's encoder); the batch runner passes one that
        keeps both cores busy while the checks run.
        """
        unique = list(dict.fromkeys(claims))
        with self._cache_lock:  # a snapshot: another thread may evict while this one encodes
            known = {c: self._query_cache[c] for c in unique if c in self._query_cache}
            for c in known:
                self._query_cache.move_to_end(c)
        missing = [c for c in unique if c not in known]
        fresh = dict(zip(missing, (encode or self.encoder.encode)(missing))) if missing else {}
        with self._cache_lock:
            self._query_cache.update(fresh)
            while len(self._query_cache) > max(0, self.settings.query_cache_size):
                self._query_cache.popitem(last=False)
        rows = [known[c] if c in known else fresh[c] for c in claims]
        return np.vstack(rows) if rows else np.zeros((0, self.encoder.dim), dtype=np.float32)

    def batch_encoder(self) -> SharedCores:
        """An encoder for a long run beside the checks: its `encode` goes to `embed(claims, encode)`, and
        `close()` ends it. With an ONNX encoder on several cores it runs one single-threaded session per core
        (see verifier/encoder/shared.py); otherwise it is the index's encoder."""
        return SharedCores(self.encoder, self.settings)

    def search(self, claim: str, k: int | None = None) -> list[Hit]:
        """The k statements that best match the claim, best first, with scores and provenance."""
        return self.search_many([claim], k)[0]

    def search_many(
        self, claims: Sequence[str], k: int | None = None, vectors: np.ndarray | None = None
    ) -> list[list[Hit]]:
        """Hits for many claims: one embedding (see `embed`) and one FAISS search for all.

        `vectors`, when given, are the claims' embeddings from `embed` (the batch runner embeds the next
        chunk in another thread while this one is searched and checked).
        """
        texts = [self._cleaned(self._validated(c)) for c in claims]
        k = k or self.settings.top_k
        if k < 1:
            raise InputError("k must be at least 1", "top_k")
        if vectors is None:
            vectors = self.embed(texts)
        elif len(vectors) != len(texts):
            raise ValueError(f"{len(vectors)} vectors for {len(texts)} claims")
        if not (self.settings.rerank and self._stance is not None):
            return self._state.retriever.search_many(vectors, texts, k)
        found = self._state.retriever.search_many(vectors, texts, max(k, self.settings.rerank_depth))
        return rerank(self._stance, texts, found, k, self.settings.rerank_weight)


def _features(settings: Settings):
    """What the build stores beside each statement for the checks (`store_features`), or None."""
    if not settings.store_features:
        return None
    return lambda statement: features_of(statement.text, statement.published, settings)


def _seed_stored(hits: Sequence[Sequence[Hit]], settings: Settings) -> None:
    """Hand the checks the stored features of the statements they are about to read (those above the
    relatedness floor), so that they read them back instead of extracting them (`store_features`)."""
    if not settings.store_features:
        return
    for found in hits:
        for hit in found:
            if hit.features is not None and hit.dense >= settings.related_similarity:
                seed(hit.statement.text, hit.statement.published, settings, hit.features)


def _stance_model(settings: Settings) -> StanceModel | None:
    """The stance model the settings name: the shipped one by default, none when 'off'."""
    if settings.stance_model.strip().lower() == "off":
        return None
    return load_stance_model(settings.stance_model or None, settings.threads or None)
