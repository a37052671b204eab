"""What of a statement's surroundings is indexed with it: its document's title and neighbouring sentences.

A sentence torn from its article often lacks the words a claim uses ("It rose by 2 °C" under the title
"Global warming"). The setting `index_context` chooses what the retrievers see besides the sentence;
the statement shown and checked stays the sentence itself. The modes, measured in docs/retrieval.md
(`benchmarks/rerank.py`):

- `none`: the sentence alone, for the vectors and for BM25;
- `title`: "title. sentence" embedded, and BM25 over title and sentence;
- `title-lexical`: the sentence embedded, BM25 over title and sentence;
- `context-lexical`: the sentence embedded, BM25 over title, neighbouring sentences and sentence.

The mode is recorded in the manifest, so an index is always extended (`--append`) the way it was built.
"""

from __future__ import annotations

from ..errors import SettingsError
from ..statement import Statement

MODES = ("none", "title", "title-lexical", "context-lexical")


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise SettingsError(f"index_context must be one of {', '.join(MODES)}, got {mode!r}")
    return mode


def vector_text(statement: Statement, mode: str) -> str:
    """The text embedded for the statement."""
    if mode == "title" and statement.title and statement.title.casefold() not in statement.text.casefold():
        return f"{statement.title}. {statement.text}"
    return statement.text


def lexical_text(text: str, title: str, context: str, mode: str) -> str:
    """The text BM25 indexes for a statement (given as stored columns, so an append can rebuild it)."""
    if mode in ("title", "title-lexical") and title:
        return f"{title} {text}"
    if mode == "context-lexical":
        return " ".join(part for part in (title, context, text) if part)
    return text
