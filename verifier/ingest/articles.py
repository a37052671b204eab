"""Articles (plain text, Markdown, HTML) split into sentence statements that keep the article's metadata.

Metadata comes, strongest first, from a sidecar `<name>.meta.json` beside the file, the file's YAML front
matter (text and Markdown), the page's own metadata (HTML, read by trafilatura), and a Markdown article's
first top-level heading as its title. The text is read as prose by `document.py` (Markdown rendered to
text, headings kept apart); each statement keeps as `context` the headings above it and its sentence
window (neighbours on each side, within the same section).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

from ..settings import Settings
from ..statement import CORE_FIELDS, Statement
from .document import Document, format_of, read_document, split_sentences
from .problems import Problem, check_date

METADATA_FIELDS = ("source", "publisher", "url", "title", "date")
__all__ = ["context_of", "front_matter", "read_article", "split_sentences"]


def read_article(path: Path, settings: Settings) -> Iterator[Statement | Problem]:
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Problem(str(path), None, f"not UTF-8 ({exc.reason} at byte {exc.start})")
        return
    fmt = format_of(path.name) or "text"
    front: dict[str, Any] | Problem = {}
    if fmt != "html":
        raw, front = front_matter(raw, path)
        if isinstance(front, Problem):
            yield front
            return
    document = read_document(raw, fmt)
    meta: dict[str, Any] = {"title": document.title} if document.title else {}
    meta.update(document.meta)
    meta.update(front)
    sidecar = path.with_name(path.stem + ".meta.json")
    if sidecar.is_file():
        try:
            extra = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            yield Problem(str(sidecar), None, f"unreadable sidecar metadata: {exc}")
            return
        if not isinstance(extra, dict):
            yield Problem(str(sidecar), None, "sidecar metadata must be a JSON object")
            return
        meta.update(extra)
    message = check_date(str(meta["date"])) if meta.get("date") else None
    if message:
        yield Problem(str(sidecar if sidecar.is_file() else path), None, message)
        return
    if not document.sentences:
        yield Problem(str(path), None, "no text found")
        return
    shared = {k: str(v) for k, v in meta.items() if k in METADATA_FIELDS and v}
    extra_meta = {k: v for k, v in meta.items() if k not in CORE_FIELDS and v not in (None, "")}
    for sentence in document.sentences:
        if len(sentence.text) < settings.min_statement_chars:
            continue
        yield Statement(
            text=sentence.text,
            context=context_of(document, sentence.index, settings.context_sentences),
            meta={**extra_meta, "origin": f"{path.name}#s{sentence.index + 1}"},
            **shared,
        )


def context_of(document: Document, index: int, width: int) -> str:
    """The headings above sentence `index`, then its neighbours within the same section, `width` each side."""
    sentences = document.sentences
    section = sentences[index].section
    window = [s.text for s in sentences[max(0, index - width) : index + 1 + width] if s.section == section] if width else []
    return "\n".join(part for part in (section, " ".join(window)) if part)


def front_matter(raw: str, path: Path) -> tuple[str, dict[str, Any] | Problem]:
    """The text after a YAML front matter block and the block's fields (a Problem if it is not YAML)."""
    if not raw.startswith("---"):
        return raw, {}
    import frontmatter
    import yaml

    try:
        post = frontmatter.loads(raw)
    except yaml.YAMLError as exc:
        return raw, Problem(str(path), 1, f"invalid front matter: {exc}")
    return post.content, {k: _plain(v) for k, v in post.metadata.items()}


def _plain(value: Any) -> Any:
    # YAML reads `date: 2021-07-05` as a date object; statements keep ISO text.
    return value.isoformat() if hasattr(value, "isoformat") else value
