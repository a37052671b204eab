"""Errors a user can cause, each saying what was wrong, where, and how to fix it.

    VerifierError
     ├── SettingsError        unknown setting, or a value of the wrong type
     ├── InputError           a claim that is empty, not text, or too long (the API answers 400)
     │    └── TextTooLarge    a text to check over max_text_chars, or with over max_text_sentences to check (413)
     ├── CorpusError          a corpus file that cannot be read, or a malformed line under --strict
     │    └── NoStatements    nothing to index: every record was malformed (or there were none)
     ├── ModelError           the model folder is missing or unreadable
     └── IndexError_          base of index problems (named so as not to shadow the builtin)
          ├── IndexNotFound   no index in the folder
          │    └── IndexDamaged   an index is there but cannot be used: CURRENT names no generation, or a
          │                       part of the live one is missing, unreadable or disagrees with the others
          └── IndexMismatch   the index was built with another model, weights or format version
"""

from __future__ import annotations


class VerifierError(Exception):
    """Base of every error the verifier raises on purpose."""


class SettingsError(VerifierError):
    pass


class InputError(VerifierError):
    """Invalid user input; `field` names the offending field where there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class TextTooLarge(InputError):
    """A text too large to check at once (`check-text`, the /text page and its API route answer 413)."""


class CorpusError(VerifierError):
    """A corpus file problem; `path` and `line` point at it where known."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        where = f"{path}:{line}: " if path and line else f"{path}: " if path else ""
        super().__init__(where + message)
        self.path = path
        self.line = line
        self.reason = message


class NoStatements(CorpusError):
    """A build with nothing to index, no previous index to keep: every record was malformed, or the files
    held none. `problems` are the records skipped, each with its file and line."""

    def __init__(self, message: str, problems: tuple = ()):
        super().__init__(message)
        self.problems = tuple(problems)


class ModelError(VerifierError):
    pass


class IndexError_(VerifierError):
    pass


class IndexNotFound(IndexError_):
    pass


class IndexDamaged(IndexNotFound):
    """The folder holds an index, but it cannot be used as it is: its CURRENT pointer names no generation
    (nothing can say which is live, so appending, which would start from nothing, is refused rather than
    silently dropping statements), or a part of the live generation (manifest.json, statements.sqlite,
    vectors.faiss, bm25/) is missing, unreadable, or disagrees with the others (counts, dimension,
    positions), so answers from it would be wrong. The message names the file and how to repair it."""


class IndexMismatch(IndexError_):
    pass
