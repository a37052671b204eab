"""The statement record: a short sourced text, the unit the corpus, the index and every result share."""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field, fields
from typing import Any, Mapping

from .errors import InputError

#: Fields a statement has of its own; anything else a corpus file gives is kept in `meta`.
CORE_FIELDS = ("id", "text", "source", "publisher", "url", "title", "date", "context")
#: Fields a record may give as text or as a number (an id of 7 is the id "7").
_TEXT_FIELDS = ("id", "source", "publisher", "url", "title")

ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$")


def check_date(value: str) -> str | None:
    """A message if `value` is not an ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD, optionally with a time)."""
    if not value or ISO_DATE.match(value):
        return None
    return f"date {value!r} is not ISO 8601 (write YYYY-MM-DD, YYYY-MM or YYYY)"


def record_problem(record: Mapping[str, Any]) -> tuple[str, str] | None:
    """What is wrong with a statement record, as (field, message), or None if it makes a statement.

    The one rule for a statement from outside: corpus files (verifier/ingest) and `POST /api/v1/statements`
    both go through `Statement.from_record`, which applies it.
    """
    text = record.get("text")
    if not isinstance(text, str):
        return "text", "no 'text' field" if text is None else f"'text' must be a string, got {type(text).__name__}"
    if not text.strip():
        return "text", "empty text"
    date = record.get("date")
    if date is not None:
        message = check_date(str(date))
        if message:
            return "date", message
    for name in _TEXT_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, (str, int)):
            return name, f"'{name}' must be text, got {type(value).__name__}"
    return None


def normalize_text(text: str) -> str:
    """Unicode-normalized, whitespace-collapsed text: what a statement's identity is computed on."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def statement_id(text: str, source: str = "") -> str:
    """A stable id from text and source, for statements that come without one."""
    key = normalize_text(text).casefold() + "\x1f" + normalize_text(source).casefold()
    return "s-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Statement:
    text: str
    id: str = ""
    source: str = ""
    publisher: str = ""
    url: str = ""
    title: str = ""
    date: str = ""
    context: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", normalize_text(self.text))
        if not self.id:
            object.__setattr__(self, "id", statement_id(self.text, self.source))

    @classmethod
    def from_mapping(cls, record: Mapping[str, Any]) -> "Statement":
        """Build from a loose record (a JSONL object, a CSV row); unknown fields go to `meta`."""
        known = {name: _as_text(record.get(name)) for name in CORE_FIELDS if record.get(name) is not None}
        meta = {k: v for k, v in record.items() if k not in CORE_FIELDS and v not in (None, "")}
        if isinstance(record.get("meta"), Mapping):
            meta.pop("meta")
            meta = {**record["meta"], **meta}
        return cls(meta=meta, **known)

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> "Statement":
        """A statement from a record given from outside (a corpus line, an API request), checked first:
        InputError(message, field) says what is wrong (see `record_problem`)."""
        problem = record_problem(record)
        if problem is not None:
            name, message = problem
            raise InputError(message, name)
        return cls.from_mapping(record)

    def to_dict(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in _FIELD_NAMES}
        out["meta"] = dict(self.meta)
        return out

    @property
    def published(self) -> _dt.date | None:
        """The statement's date as a day, where it gives a full one."""
        try:
            return _dt.date.fromisoformat(self.date[:10]) if len(self.date) >= 10 else None
        except ValueError:
            return None

    def meta_json(self) -> str:
        return json.dumps(dict(self.meta), ensure_ascii=False, sort_keys=True, default=str)


_FIELD_NAMES = tuple(f.name for f in fields(Statement))  # dataclasses.fields() is slow enough to show in batch runs


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)
