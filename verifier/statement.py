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
# ISO_DATE's parts, to check that they name a real day and time (ISO_DATE alone takes 2021-02-30).
_DATE_PARTS = re.compile(
    r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))?)?)?)?$"
)
# Characters that make an id impossible to ask for (a newline, a tab, NUL...): Unicode category Cc.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def check_date(value: str) -> str | None:
    """A message if `value` is not an ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD, optionally with a time)
    that exists on the calendar."""
    if not value:
        return None
    if not ISO_DATE.match(value):
        return f"date {value!r} is not ISO 8601 (write YYYY-MM-DD, YYYY-MM or YYYY)"
    if not _on_the_calendar(value):
        return f"date {value!r} is not a real date or time (check the month, the day and the time)"
    return None


def _on_the_calendar(value: str) -> bool:
    match = _DATE_PARTS.match(value)
    if match is None:
        return False
    year, month, day, hour, minute, second, off_hour, off_minute = (int(g) if g else None for g in match.groups())
    try:
        _dt.date(year or 0, month or 1, day or 1)
    except ValueError:
        return False
    limits = ((hour, 23), (minute, 59), (second, 59), (off_hour, 23), (off_minute, 59))
    return all(part is None or part <= limit for part, limit in limits)


def _is_blank(text: str) -> bool:
    """Whether text holds nothing visible: only whitespace and format characters (category Cf: U+200B
    zero width space, U+200C, U+200D, U+FEFF, U+2060 word joiner, soft hyphens, direction marks)."""
    return all(c.isspace() or unicodedata.category(c) == "Cf" for c in text)


#: How deep a record's values may nest (a meta object in a list in an object...): deeper is refused, so that
#: nothing that walks a record later (storing its meta as JSON, answering it) runs out of stack.
MAX_DEPTH = 100


def lone_surrogate(text: str) -> int | None:
    """Where `text` holds a character UTF-8 cannot encode, or None. Only lone surrogates are such
    characters: a JSON escape of half a pair ("\\ud800"), or (U+DC80 to U+DCFF) a byte that was not UTF-8,
    as Python reads command-line arguments and file names. Such text cannot be stored, printed or sent."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


def shown(text: str) -> str:
    """`text` safe to put in a message: lone surrogates written as \\udXXX escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _surrogate_message(text: str, at: int, what: str) -> str:
    return (f"{what} holds the lone surrogate U+{ord(text[at]):04X} at character {at}, which is not text "
            "(half of a UTF-16 pair, or a byte that was not UTF-8); send valid UTF-8")


def _structure_problem(record: Mapping[str, Any]) -> tuple[str, str] | None:
    """A record's field names and values, to any depth, walked without recursion: the first string
    that is not text (see `lone_surrogate`), or nesting deeper than MAX_DEPTH."""
    stack: list[tuple[str, Any, int]] = [("", record, 0)]
    while stack:
        path, value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return path, f"'{path}' nests deeper than {MAX_DEPTH} levels; flatten it"
        if isinstance(value, str):
            at = lone_surrogate(value)
            if at is not None:
                return path, _surrogate_message(value, at, f"'{path}'")
        elif isinstance(value, Mapping):
            children = []
            for key, item in value.items():
                name = shown(str(key))
                child = f"{path}.{name}" if path else name
                at = lone_surrogate(key) if isinstance(key, str) else None
                if at is not None:
                    return child, _surrogate_message(key, at, f"the field name '{child}'")
                children.append((child, item, depth + 1))
            stack.extend(reversed(children))
        elif isinstance(value, (list, tuple)):
            stack.extend(reversed([(f"{path}[{i}]", item, depth + 1) for i, item in enumerate(value)]))
    return None


def record_problem(record: Mapping[str, Any]) -> tuple[str, str] | None:
    """What is wrong with a statement record, as (field, message), or None if it makes a statement.

    The one rule for a statement from outside: corpus files (verifier/ingest) and `POST /api/v1/statements`
    both go through `Statement.from_record`, which applies it.
    """
    structure = _structure_problem(record)
    if structure is not None:
        return structure
    text = record.get("text")
    if not isinstance(text, str):
        return "text", "no 'text' field" if text is None else f"'text' must be a string, got {type(text).__name__}"
    if not text.strip():
        return "text", "empty text"
    if _is_blank(text):
        return "text", "empty text (only invisible characters such as U+200B zero width space)"
    date = record.get("date")
    if date is not None:
        message = check_date(str(date))
        if message:
            return "date", message
    for name in _TEXT_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, (str, int)):
            return name, f"'{name}' must be text, got {type(value).__name__}"
    control = _CONTROL.search(str(record.get("id") or ""))
    if control:
        return "id", (f"'id' holds the control character U+{ord(control.group()):04X}, so the statement could not be "
                      "asked for by it; give an id of printable characters on one line")
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
