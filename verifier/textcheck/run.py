"""Checking a whole text: read it (text, Markdown or HTML), choose its checkable sentences, check them in one
batch, and put each result beside its sentence."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from ..claim import Claim, validate_claim
from ..errors import InputError, TextTooLarge
from ..ingest.articles import front_matter
from ..ingest.document import FORMATS, read_document
from ..ingest.problems import Problem
from ..results import Result
from ..settings import Settings
from ..statement import lone_surrogate
from .result import SentenceCheck, TextResult
from .select import checkable

CheckMany = Callable[[Sequence[Claim], "int | None"], Sequence[Result]]


def check_text(text: str, check_many: CheckMany, settings: Settings, fmt: str = "text", k: int | None = None,
               stance_model: dict[str, str] | None = None) -> TextResult:
    """The text's sentences, each chosen one with its result. InputError for a text that is not text, empty
    or in an unknown format; TextTooLarge over max_text_chars or max_text_sentences."""
    raw = _validated(text, settings, fmt)
    document = read_document(raw, fmt)
    if not document.sentences:
        raise InputError("the text holds no sentences to read", "text")
    sentences = [SentenceCheck(s.index, s.text, s.block, s.section, checkable(s.text, settings))
                 for s in document.sentences]
    chosen = [s for s in sentences if s.checkable]
    if len(chosen) > settings.max_text_sentences:
        raise TextTooLarge(f"text: {len(chosen)} sentences to check; at most {settings.max_text_sentences} at once "
                           "(setting max_text_sentences); split the text", "text")
    claims: dict[int, Claim] = {}
    errors: dict[int, str] = {}
    for s in chosen:
        try:
            claims[s.index] = validate_claim(s.text, settings, f"sentence {s.index + 1}")
        except InputError as exc:
            errors[s.index] = str(exc)
    results = dict(zip(claims, check_many(list(claims.values()), k))) if claims else {}
    out = tuple(SentenceCheck(s.index, s.text, s.block, s.section, s.checkable, results.get(s.index), errors.get(s.index))
                for s in sentences)
    return TextResult(document.blocks, out, stance_model)


def _validated(text: object, settings: Settings, fmt: str) -> str:
    if not isinstance(text, str):
        raise InputError(f"text must be a string, got {type(text).__name__}", "text")
    if fmt not in FORMATS:
        raise InputError(f"format: {fmt!r} is not one of {', '.join(FORMATS)}", "format")
    at = lone_surrogate(text)
    if at is not None:
        raise InputError(f"text holds the lone surrogate U+{ord(text[at]):04X} at character {at}, which is not text; "
                         "send valid UTF-8", "text")
    if len(text) > settings.max_text_chars:
        raise TextTooLarge(f"text is {len(text):,} characters long; the limit is {settings.max_text_chars:,} "
                           "(setting max_text_chars); split it", "text")
    if not text.strip():
        raise InputError("text is empty; give the text to check", "text")
    if fmt != "html":
        text, meta = front_matter(text, Path("text"))
        if isinstance(meta, Problem):
            raise InputError(f"text: {meta.message}", "text")
    return text
