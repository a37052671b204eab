"""Offline fact-checking claim verifier.

The public API is what `__all__` lists (tests/test_public_api.py pins it); the CLI, the web app, batch
checking, the evaluation and the benchmarks use nothing else of this package but `verifier.checks`.
"""

from .errors import (
    CorpusError, IndexDamaged, IndexMismatch, IndexNotFound, InputError, ModelError, SettingsError, TextTooLarge, VerifierError,
)
from .core import Claim, IndexInfo, Verifier, validate_claim
from .encoder import BACKENDS as ENCODER_BACKENDS
from .encoder import Encoder, load_encoder
from .index.build import BuildReport
from .ingest import CorpusRead, Problem, read_corpus
from .factcheck import FactCheck
from .results import Evidence, FactCheckMatch, Reason, Result, Stance, Verdict
from .retrieve import Hit
from .settings import Settings
from .statement import Statement
from .textcheck import SentenceCheck, TextResult
from .verdict.stance import Judgement, judge_statement

__version__ = "0.1.0"

__all__ = [
    "BuildReport",
    "Claim",
    "CorpusError",
    "CorpusRead",
    "ENCODER_BACKENDS",
    "Encoder",
    "Evidence",
    "FactCheck",
    "FactCheckMatch",
    "Hit",
    "IndexDamaged",
    "IndexInfo",
    "IndexMismatch",
    "IndexNotFound",
    "InputError",
    "Judgement",
    "ModelError",
    "Problem",
    "Reason",
    "Result",
    "SentenceCheck",
    "Settings",
    "SettingsError",
    "Stance",
    "Statement",
    "TextResult",
    "TextTooLarge",
    "Verdict",
    "Verifier",
    "VerifierError",
    "__version__",
    "judge_statement",
    "load_encoder",
    "read_corpus",
    "validate_claim",
]
