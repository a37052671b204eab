"""A text, Markdown or HTML document read as prose: headings and paragraphs, then sentences under headings.

    read_document(raw, "markdown")  ->  Document(blocks=(Block heading, Block paragraph, ...), sentences=(...))

Markdown is parsed by markdown-it-py (CommonMark, with tables and strikethrough) and rendered to plain text
from its token stream: emphasis, links, inline code and list markers leave only their words; headings become
the `section` of the sentences below them (never sentences themselves); code blocks, tables, images and
struck-out text are not prose and are left out. HTML goes through trafilatura (which drops navigation and
boilerplate) and is read from the element tree it returns, so its headings are sections too; a fragment
(no <html> or <body>: pasted markup, which trafilatura would cut down) or a page too small for trafilatura
to call an article is read from its own markup. Plain text has
no markup: paragraphs are split on blank lines, and hard-wrapped lines joined. Sentences are found by pysbd.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

FORMATS = ("text", "markdown", "html")
SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
_SENTENCE_END = re.compile(r"[.!?:;\"'”’)\]]\s*$")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Block:
    """A heading (`level` 1-6) or a paragraph (`level` 0) and the indices of its sentences in the document."""

    kind: str  # "heading" or "paragraph"
    text: str
    level: int = 0
    sentences: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "text": self.text}
        if self.kind == "heading":
            out["level"] = self.level
        else:
            out["sentences"] = list(self.sentences)
        return out


@dataclass(frozen=True)
class Sentence:
    index: int
    text: str
    block: int  # index of its paragraph in `Document.blocks`
    section: str  # the headings above it, outermost first, joined by " › "; "" before any heading


@dataclass(frozen=True)
class Document:
    blocks: tuple[Block, ...]
    sentences: tuple[Sentence, ...]
    meta: dict[str, Any] = field(default_factory=dict)  # what the page's own metadata says (HTML)

    @property
    def title(self) -> str:
        """The first top-level heading, which Markdown articles use as their title ("" if none)."""
        return next((b.text for b in self.blocks if b.kind == "heading" and b.level == 1), "")


def format_of(name: str) -> str | None:
    """The format a file name's extension says ("markdown" for `a.md`), or None."""
    suffix = name[name.rfind("."):].lower() if "." in name else ""
    return SUFFIXES.get(suffix)


def read_document(raw: str, fmt: str) -> Document:
    """The document's headings, paragraphs and sentences; `fmt` is one of FORMATS."""
    if fmt == "markdown":
        parts, meta = _markdown_parts(raw), {}
    elif fmt == "html":
        parts, meta = _html_parts(raw)
    elif fmt == "text":
        parts, meta = _text_parts(raw), {}
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return _assemble(parts, meta)


def split_sentences(text: str) -> list[str]:
    """Sentences of a plain text: paragraphs split on blank lines, hard-wrapped lines joined, then pysbd."""
    return [s.text for s in read_document(text, "text").sentences]


def _assemble(parts: list[tuple[int, str]], meta: dict[str, Any]) -> Document:
    """Blocks and sentences from (level, text) parts, level 0 a paragraph and 1-6 a heading."""
    blocks: list[Block] = []
    sentences: list[Sentence] = []
    trail: list[tuple[int, str]] = []  # the headings in force, outermost first
    for level, text in parts:
        text = _SPACE.sub(" ", text).strip()
        if not text:
            continue
        if level:
            trail = [(lv, t) for lv, t in trail if lv < level] + [(level, text)]
            blocks.append(Block("heading", text, level))
            continue
        section = " › ".join(t for _, t in trail)
        found = [s.strip() for s in _segmenter().segment(text) if s.strip()]
        first = len(sentences)
        sentences.extend(Sentence(first + i, s, len(blocks), section) for i, s in enumerate(found))
        blocks.append(Block("paragraph", text, 0, tuple(range(first, len(sentences)))))
    return Document(tuple(blocks), tuple(sentences), meta)


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


# --- plain text ----------------------------------------------------------------------------------------
def _text_parts(raw: str) -> list[tuple[int, str]]:
    return [(0, block) for paragraph in re.split(r"\n\s*\n", raw) for block in _join_wrapped(paragraph.splitlines())]


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


# --- Markdown ------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _markdown_parts(raw: str) -> list[tuple[int, str]]:
    parts: list[tuple[int, str]] = []
    tokens = _markdown().parse(raw)
    level, in_table = 0, False
    for token in tokens:
        if token.type == "heading_open":
            level = int(token.tag[1:])
        elif token.type == "heading_close":
            level = 0
        elif token.type in ("table_open", "table_close"):
            in_table = token.type == "table_open"
        elif token.type == "inline" and not in_table:
            parts.append((level, _inline_text(token.children or [])))
        elif token.type == "html_block":
            parts.append((0, _html_fragment_text(token.content)))
    return parts


def _inline_text(children: list) -> str:
    out, struck = [], 0
    for child in children:
        if child.type in ("s_open", "s_close"):
            struck += 1 if child.type == "s_open" else -1
        elif struck:
            continue
        elif child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out)  # links, emphasis and inline HTML leave their words; images leave nothing


def _html_fragment_text(html: str) -> str:
    import lxml.html

    try:
        return lxml.html.fragment_fromstring(html, create_parent="div").text_content()
    except Exception:  # lxml raises ParserError or ValueError on a fragment with no element; it holds no prose then
        return ""


# --- HTML ----------------------------------------------------------------------------------------------
_BLOCKS = {"head", "p", "item", "quote", "cell", "list", "table", "row"}
_LEAVES = {"head", "p", "item", "quote"}


_WHOLE_PAGE = re.compile(r"<(?:html|body)\b", re.IGNORECASE)


def _html_parts(raw: str) -> tuple[list[tuple[int, str]], dict[str, Any]]:
    if not _WHOLE_PAGE.search(raw):  # a fragment (pasted markup): all of it is the text, no boilerplate to drop
        return _markup_parts(raw), {}
    import trafilatura

    document = trafilatura.bare_extraction(
        raw,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        # Only a date the page states; no guessing from URLs or the file's own time.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None:  # too little for trafilatura to call an article (a pasted fragment): read the markup
        return _markup_parts(raw), {}
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    meta = {
        "title": data.get("title"),
        "publisher": data.get("sitename"),
        "source": data.get("author") or data.get("sitename"),
        "url": data.get("url"),
        "date": data.get("date"),
    }
    body = data.get("body")
    parts: list[tuple[int, str]] = []
    if body is not None:
        for element in body.iter(*_LEAVES):
            level = _heading_level(element) if element.tag == "head" else 0
            parts.append((level, _own_text(element, _BLOCKS)))
    else:  # an older trafilatura without the tree: its text, one paragraph a line
        parts = [(0, line) for line in (data.get("text") or "").splitlines()]
    return parts, {k: v for k, v in meta.items() if v}


_HTML_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "dd", "dt", "figcaption")
_MARKUP_NESTED = {*_HTML_BLOCKS, "ul", "ol", "dl", "table", "div", "section", "article", "figure"}


def _markup_parts(raw: str) -> list[tuple[int, str]]:
    """Headings and paragraphs of HTML that trafilatura found no article in, read from the markup itself
    (scripts, styles, navigation, headers and footers dropped)."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fromstring(raw)
    except (etree.ParserError, ValueError):
        return []
    for element in root.xpath("//script|//style|//nav|//header|//footer|//noscript|//template"):
        element.drop_tree()
    parts = []
    for element in root.iter(*_HTML_BLOCKS):
        level = int(element.tag[1]) if element.tag[0] == "h" and element.tag[1:].isdigit() else 0
        parts.append((level, _own_text(element, _MARKUP_NESTED)))
    if not parts:  # bare text, or inline markup only
        parts = [(0, root.text_content())]
    return parts


def _heading_level(element) -> int:
    match = re.fullmatch(r"h([1-6])", element.get("rend") or "")
    return int(match.group(1)) if match else 2


def _own_text(element, blocks: set[str]) -> str:
    """The element's words, without those of the `blocks` inside it (a nested list is its own part)."""
    out = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):  # a comment or processing instruction: no words, but its tail has some
            pass
        elif child.tag in ("lb", "br"):
            out.append(" ")
        elif child.tag not in blocks:
            out.append("".join(child.itertext()))
        out.append(child.tail or "")
    return "".join(out)
