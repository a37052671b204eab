"""Which sentences of a text are worth checking: those that say something a corpus can confirm or refute.

A sentence is chosen when it holds at least one of: a figure, a date, a named person, place or
organisation, a comparison, or a quoted claim; a question, or a line of fewer than `MIN_WORDS` words (a
dateline, a caption credit), is not. Figures, dates and names come from the project's own extractors
(`verifier.checks`), so a chosen sentence holds exactly what the checks can then compare. Comparisons and
quotations have no extractor there: they are found here by a short list of comparative words and by
quotation marks around at least `MIN_QUOTED_WORDS` words. No labelled check-worthiness data is available to
this project (see docs/check-text.md), so the rule was not tuned on data; it is the list the issue gives.
"""

from __future__ import annotations

import re

from ..checks import extract_dates, extract_entities, extract_quantities
from ..checks.entities.types import ORG, PERSON, PLACE
from ..settings import Settings

FEATURES = ("figure", "date", "person", "place", "organisation", "comparison", "quote")
MIN_WORDS = 5
MIN_QUOTED_WORDS = 3
_ENTITY_FEATURES = {PERSON: "person", PLACE: "place", ORG: "organisation"}
_WORD = re.compile(r"\w+(?:[-'’.]\w+)*")
_COMPARISON = re.compile(
    r"\b(?:(?!rather\b|other\b|either\b|neither\b|whether\b)\w+er|more|less|fewer|worse|better)\s+than\b(?!\s*[-+$£€\d])"  # "more than 1,000" qualifies a figure
    r"|\b(?:the|its|their|a)\s+(?:most|least|largest|biggest|highest|lowest|smallest|greatest|fastest|slowest|"
    r"longest|shortest|oldest|youngest|worst|best|deadliest|first|only)\b"
    r"|\b(?:doubled|tripled|quadrupled|halved|twice|thrice|record|times as)\b",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"[\"“«„]([^\"“”«»„]+)[\"”»“]")


def checkable(sentence: str, settings: Settings | None = None) -> tuple[str, ...]:
    """Why `sentence` is worth checking: the FEATURES it holds, in FEATURES order; () when it is not."""
    if sentence.rstrip().endswith("?") or len(_WORD.findall(sentence)) < MIN_WORDS:
        return ()
    found: set[str] = set()
    if extract_quantities(sentence, settings):
        found.add("figure")
    if any(not d.granularity == "vague" for d in extract_dates(sentence)):
        found.add("date")
    found.update(_ENTITY_FEATURES[e.kind] for e in extract_entities(sentence) if e.kind in _ENTITY_FEATURES)
    if _COMPARISON.search(sentence):
        found.add("comparison")
    if any(len(_WORD.findall(q)) >= MIN_QUOTED_WORDS for q in _QUOTE.findall(sentence)):
        found.add("quote")
    return tuple(f for f in FEATURES if f in found)
