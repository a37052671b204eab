"""Offline fact-checking claim verifier."""

from .errors import CorpusError, IndexMismatch, IndexNotFound, InputError, ModelError, SettingsError, VerifierError
from .core import IndexInfo, Verifier
from .index.build import BuildReport
from .retrieve import Hit
from .settings import Settings
from .statement import Statement

__version__ = "0.1.0"

__all__ = [
    "BuildReport",
    "Hit",
    "IndexInfo",
    "Statement",
    "Verifier",
    "CorpusError",
    "IndexMismatch",
    "IndexNotFound",
    "InputError",
    "ModelError",
    "Settings",
    "SettingsError",
    "VerifierError",
    "__version__",
]
