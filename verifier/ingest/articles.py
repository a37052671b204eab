"""Articles (plain text, Markdown, HTML) split into sentence statements that keep the article's metadata.

Metadata comes, strongest first, from a sidecar `<name>.meta.json` beside the file, the file's YAML front
matter (text and Markdown), and the page's own metadata (HTML, read by trafilatura). Sentences are found
by pysbd; each statement keeps its sentence window (neighbours on each side) as `context`.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from ..settings import Settings
from ..statement import CORE_FIELDS, Statement
from .problems import Problem, check_date

METADATA_FIELDS = ("source", "publisher", "url", "title", "date")
_SENTENCE_END = re.compile(r"[.!?:;\"'”’)\]]\s*$")


def read_article(path: Path, settings: Settings) -> Iterator[Statement | Problem]:
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Problem(str(path), None, f"not UTF-8 ({exc.reason} at byte {exc.start})")
        return
    meta: dict[str, Any] = {}
    if path.suffix.lower() in {".html", ".htm"}:
        body, page_meta = _html_text(raw)
        meta.update(page_meta)
    else:
        body, front = _front_matter(raw, path)
        if isinstance(front, Problem):
            yield front
            return
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
    sentences = split_sentences(body)
    if not sentences:
        yield Problem(str(path), None, "no text found")
        return
    shared = {k: str(v) for k, v in meta.items() if k in METADATA_FIELDS and v}
    extra_meta = {k: v for k, v in meta.items() if k not in CORE_FIELDS and v not in (None, "")}
    width = settings.context_sentences
    for i, sentence in enumerate(sentences):
        if len(sentence) < settings.min_statement_chars:
            continue
        context = " ".join(sentences[max(0, i - width) : i + 1 + width])
        yield Statement(
            text=sentence,
            context=context if width else "",
            meta={**extra_meta, "origin": f"{path.name}#s{i + 1}"},
            **shared,
        )


def split_sentences(text: str) -> list[str]:
    """Sentences of a text: paragraphs split on blank lines, hard-wrapped lines joined, then pysbd."""
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        for block in _join_wrapped(paragraph.strip().splitlines()):
            sentences.extend(s.strip() for s in _segmenter().segment(block) if s.strip())
    return sentences


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def _join_wrapped(lines: list[str]) -> list[str]:
    """Lines of one paragraph; a line that does not end a sentence and runs on in lower case is joined."""
    blocks: list[str] = []
    for line in (raw.strip() for raw in lines):
        if not line:
            continue
        if blocks and not _SENTENCE_END.search(blocks[-1]) and line[:1].islower():
            blocks[-1] += " " + line
        else:
            blocks.append(line)
    return blocks


def _front_matter(raw: str, path: Path) -> tuple[str, dict[str, Any] | Problem]:
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


def _html_text(raw: str) -> tuple[str, dict[str, Any]]:
    import trafilatura

    document = trafilatura.bare_extraction(
        raw,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        # Only a date the page states; no guessing from URLs or the file's own time.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None:
        return "", {}
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    meta = {
        "title": data.get("title"),
        "publisher": data.get("sitename"),
        "source": data.get("author") or data.get("sitename"),
        "url": data.get("url"),
        "date": data.get("date"),
    }
    # trafilatura gives one paragraph per line; blank lines make that explicit for the splitter.
    text = "\n\n".join(line for line in (data.get("text") or "").splitlines() if line.strip())
    return text, {k: v for k, v in meta.items() if v}
