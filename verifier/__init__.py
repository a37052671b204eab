"""Offline fact-checking claim verifier."""

from .errors import CorpusError, IndexMismatch, IndexNotFound, InputError, ModelError, SettingsError, VerifierError
from .settings import Settings

__version__ = "0.1.0"

__all__ = [
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
