"""Files of fact-checks: `.json` files (ClaimReview, DataFeed or fact-check search API JSON) and saved web
pages whose JSON-LD holds ClaimReviews. JSONL lines of these shapes are read by `records.read_jsonl`.

A web page is read for its ClaimReview JSON-LD with extruct; a page that has some yields its fact-checks
only, not its sentences (a fact-check article restates the claim it rates false, and its sentences would
read as support for it). A page without ClaimReview is read as an article (`articles.read_article`).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any, Iterator

from ..settings import Settings
from ..statement import Statement
from .articles import read_article
from .claimreview import fact_checks, types_of
from .problems import Problem

_JSONLD_SCRIPTS = '//script[@type="application/ld+json"]'


def read_json(path: Path, settings: Settings) -> Iterator[Statement | Problem]:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        yield Problem(str(path), None, f"not UTF-8 ({exc.reason} at byte {exc.start})")
        return
    except json.JSONDecodeError as exc:
        yield Problem(str(path), exc.lineno, f"invalid JSON: {exc.msg} at column {exc.colno}")
        return
    except RecursionError:
        yield Problem(str(path), None, "invalid JSON: nested too deep to read")
        return
    yield from found(fact_checks(data), path, None, path.name)


def read_html(path: Path, settings: Settings) -> Iterator[Statement | Problem]:
    # A broken block that does not mention ClaimReview (the page's Organization markup) is not ours to report.
    blocks = [(n, line, data) for n, (line, data, mentions) in enumerate(_jsonld_blocks(path), start=1)
              if mentions or not isinstance(data, Problem)]
    if not any(isinstance(data, Problem) or _holds_claim_review(data) for _, _, data in blocks):
        yield from read_article(path, settings)
        return
    for n, line, data in blocks:
        if isinstance(data, Problem):
            yield data
        else:
            items = data[0] if len(data) == 1 else data
            yield from found(fact_checks(items, f"JSON-LD block {n}", strict_types=False), path, line,
                             f"{path.name}:{line}")


def found(items: Iterator[tuple[str, Any]], path: Path, line: int | None, origin: str) -> Iterator[Statement | Problem]:
    """Each (position, Statement or message) as a Statement that records where it came from, or a Problem."""
    for where, item in items:
        if isinstance(item, Statement):
            yield dataclasses.replace(item, meta={**item.meta, "origin": f"{origin}:{where}" if where else origin})
        else:
            yield Problem(str(path), line, f"{where}: {item}" if where else item)


def _holds_claim_review(data: Any) -> bool:
    if isinstance(data, list):
        return any(_holds_claim_review(item) for item in data)
    if not isinstance(data, dict):
        return False
    return "ClaimReview" in types_of(data) or _holds_claim_review(data.get("@graph"))


def _jsonld_blocks(path: Path) -> Iterator[tuple[int | None, Any, bool]]:
    """(line, JSON, whether it mentions ClaimReview) of each JSON-LD script of the page, read by extruct; a
    block it cannot read has a Problem in place of its JSON."""
    import lxml.etree
    from extruct.jsonld import JsonLdExtractor
    from extruct.utils import parse_html

    tree = parse_html(path.read_bytes(), encoding="UTF-8")
    if tree is None:
        return
    extractor = JsonLdExtractor()
    for script in tree.xpath(_JSONLD_SCRIPTS):
        line = script.sourceline
        mentions = "ClaimReview" in (script.text or "")
        try:
            # One script at a time (extract_items reads the node it is given and its descendants), so that a
            # broken block is reported with its line and does not hide the page's other blocks.
            items = extractor.extract_items(script)
        except (ValueError, lxml.etree.Error) as exc:
            yield line, Problem(str(path), line, f"a ClaimReview JSON-LD block that is not valid JSON ({exc})"), mentions
            continue
        yield line, items, mentions
