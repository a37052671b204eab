"""The statement store: SQLite rows whose `pos` is the statement's position in the vector and lexical indexes."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from ..factcheck import is_fact_check
from ..statement import Statement
from .context import lexical_text

DB = "statements.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS statements (
    pos INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    publisher TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    context TEXT NOT NULL DEFAULT '',
    meta TEXT NOT NULL DEFAULT '{}',
    text_key TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS statements_text_key ON statements (text_key);
CREATE TABLE IF NOT EXISTS features (
    pos INTEGER PRIMARY KEY,
    blob BLOB NOT NULL
);
"""
# `features`: what the checks extract from each statement, stored by the build (verifier/checks/stored.py);
# an index made before it has no such table, and its checks extract as they always did.
COLUMNS = ("pos", "id", "text", "source", "publisher", "url", "title", "date", "context", "meta")


def text_key(text: str) -> str:
    """What exact duplicates share: the words, case-folded, without punctuation or spacing differences."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def statement_key(statement: Statement) -> str:
    """A statement's duplicate key: its words, and for a fact-check also who reviewed it where. Two
    fact-checkers' reviews of one claim, or a review of a claim a source also states, are not duplicates."""
    key = text_key(statement.text)
    if is_fact_check(statement):
        key += f"\x1f{text_key(str(statement.meta.get('reviewer', '')))}\x1f{statement.url}"
    return key


class StatementStore:
    def __init__(self, folder: Path, readonly: bool = False):
        path = folder / DB
        if readonly:
            self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        else:
            self._db = sqlite3.connect(path, check_same_thread=False)
            self._db.executescript(SCHEMA)
        # One connection shared by request threads; SQLite calls are short, so a lock is enough.
        self._lock = threading.Lock()
        self._has_features = self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'features'").fetchone() is not None

    def close(self) -> None:
        self._db.close()

    def problem(self, expected: int) -> str | None:
        """What makes this file unusable as the store of `expected` statements, or None: SQLite's own
        quick_check (every page and b-tree readable), the statements table with its columns, and positions
        0..expected-1, the rows of the vector and lexical indexes."""
        with self._lock:
            try:
                found = self._db.execute("PRAGMA quick_check(1)").fetchone()
                if found != ("ok",):
                    return f"fails SQLite's integrity check ({found[0] if found else 'no answer'})"
                try:
                    self._db.execute(f"SELECT {', '.join(COLUMNS)}, text_key FROM statements LIMIT 0")
                except sqlite3.OperationalError as exc:
                    return f"has no statements table with the columns this verifier reads ({exc})"
                count, low, high = self._db.execute("SELECT COUNT(*), MIN(pos), MAX(pos) FROM statements").fetchone()
            except sqlite3.DatabaseError as exc:
                return f"cannot be read as an SQLite database ({exc})"
        if count != expected:
            return f"holds {count} statements, but manifest.json says {expected}"
        if count and (low, high) != (0, count - 1):
            return f"numbers its {count} statements {low}..{high}, not 0..{count - 1} as the vector index does"
        return None

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM statements").fetchone()[0]

    def add(self, statements: Sequence[Statement], start: int,
            features: Sequence[bytes | None] | None = None) -> None:
        rows = [
            (start + i, s.id, s.text, s.source, s.publisher, s.url, s.title, s.date, s.context, s.meta_json(),
             statement_key(s))
            for i, s in enumerate(statements)
        ]
        with self._lock, self._db:
            self._db.executemany(f"INSERT INTO statements ({', '.join(COLUMNS)}, text_key) VALUES "
                                 f"({', '.join('?' * (len(COLUMNS) + 1))})", rows)
            if features is not None:
                self._db.executemany("INSERT INTO features (pos, blob) VALUES (?, ?)",
                                     [(start + i, blob) for i, blob in enumerate(features) if blob])

    def by_positions(self, positions: Sequence[int]) -> list[Statement]:
        """Statements at these positions, in the order asked."""
        if not positions:
            return []
        wanted = [int(p) for p in positions]
        found: dict[int, Statement] = {}
        with self._lock:
            for chunk in _chunks(sorted(set(wanted)), 500):
                query = f"SELECT {', '.join(COLUMNS)} FROM statements WHERE pos IN ({', '.join('?' * len(chunk))})"
                for row in self._db.execute(query, chunk):
                    found[row[0]] = _statement(row)
        return [found[p] for p in wanted if p in found]

    def features_at(self, positions: Sequence[int]) -> dict[int, bytes]:
        """The stored check features of the statements at these positions (none for an older index)."""
        if not positions or not self._has_features:
            return {}
        wanted = sorted({int(p) for p in positions})
        out: dict[int, bytes] = {}
        with self._lock:
            for chunk in _chunks(wanted, 500):
                query = f"SELECT pos, blob FROM features WHERE pos IN ({', '.join('?' * len(chunk))})"
                out.update(self._db.execute(query, chunk).fetchall())
        return out

    def position_of(self, statement_id: str) -> int | None:
        with self._lock:
            row = self._db.execute("SELECT pos FROM statements WHERE id = ?", (statement_id,)).fetchone()
        return row[0] if row else None

    def get(self, statement_id: str) -> Statement | None:
        pos = self.position_of(statement_id)
        return None if pos is None else self.by_positions([pos])[0]

    def ids_for_keys(self, keys: Iterable[str]) -> dict[str, str]:
        """Map each text key already stored to the id of the statement that has it."""
        out: dict[str, str] = {}
        with self._lock:
            for chunk in _chunks(list(set(keys)), 500):
                query = f"SELECT text_key, id FROM statements WHERE text_key IN ({', '.join('?' * len(chunk))})"
                out.update(self._db.execute(query, chunk).fetchall())
        return out

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        found: set[str] = set()
        with self._lock:
            for chunk in _chunks(list(set(ids)), 500):
                query = f"SELECT id FROM statements WHERE id IN ({', '.join('?' * len(chunk))})"
                found.update(r[0] for r in self._db.execute(query, chunk))
        return found

    def texts(self, chunk: int = 4096, context: str = "none") -> Iterator[str]:
        """Every statement's lexical text in position order (the lexical index is rebuilt from these), read a
        chunk at a time; see index/context.py for what `context` adds to the sentence."""
        last = -1
        while True:
            with self._lock:
                rows = self._db.execute(
                    "SELECT pos, text, title, context FROM statements WHERE pos > ? ORDER BY pos LIMIT ?", (last, chunk)
                ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield from (lexical_text(text, title, near, context) for _, text, title, near in rows)

    def counts(self, column: str) -> dict[str, int]:
        """How many statements per value of `column` ("source" or "publisher"), most first."""
        if column not in {"source", "publisher"}:
            raise ValueError(column)
        with self._lock:
            rows = self._db.execute(f"SELECT {column}, COUNT(*) FROM statements GROUP BY {column}").fetchall()
        return dict(Counter({(name or "(none)"): n for name, n in rows}).most_common())

    def date_range(self) -> tuple[str, str] | None:
        with self._lock:
            low, high = self._db.execute("SELECT MIN(date), MAX(date) FROM statements WHERE date != ''").fetchone()
        return (low, high) if low else None


def _statement(row: tuple) -> Statement:
    _, sid, text, source, publisher, url, title, date, context, meta = row
    return Statement(
        id=sid, text=text, source=source, publisher=publisher, url=url, title=title, date=date, context=context,
        meta=json.loads(meta),
    )


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
