"""Reading corpus files into statements: format by extension, problems collected with file and line.

Each reader yields `Statement`s and `Problem`s in file order. `read_corpus` gathers them; by default a
malformed record is skipped and reported, and with `strict=True` the first problem stops everything
(raised as a `CorpusError` naming file and line), so that nothing of a faulty corpus gets indexed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from ..errors import CorpusError
from ..settings import Settings
from ..statement import Statement
from .problems import Problem
from .records import read_csv, read_jsonl
from .articles import read_article
from .factcheck_files import read_html, read_json

READERS = {
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".csv": read_csv,
    ".tsv": read_csv,
    ".txt": read_article,
    ".md": read_article,
    ".html": read_html,
    ".htm": read_html,
}


@dataclass
class CorpusRead:
    statements: list[Statement] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def reader_for(path: Path):
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise CorpusError(
            f"unknown corpus format {path.suffix or '(no extension)'}; "
            f"use one of {', '.join(sorted(READERS))}",
            path=str(path),
        )
    return reader


def iter_file(path: str | os.PathLike[str], settings: Settings) -> Iterator[Statement | Problem]:
    path = Path(path)
    if not path.is_file():
        raise CorpusError("no such file", path=str(path))
    yield from reader_for(path)(path, settings)


def read_corpus(
    paths: Sequence[str | os.PathLike[str]] | Iterable[str | os.PathLike[str]],
    settings: Settings | None = None,
    strict: bool = False,
) -> CorpusRead:
    settings = settings or Settings()
    result = CorpusRead()
    paths = list(paths)
    for path in paths:  # refuse an unknown format before reading anything
        reader_for(Path(path))
    for path in paths:
        result.files.append(str(path))
        for item in iter_file(path, settings):
            if isinstance(item, Problem):
                if strict:
                    raise CorpusError(item.message + " (--strict refuses the file)", item.path, item.line)
                result.problems.append(item)
            else:
                result.statements.append(item)
    return result


__all__ = ["CorpusRead", "Problem", "read_corpus", "iter_file", "READERS"]
