"""Masking: the character spans of a text whose digits are dates, years or identifiers, not quantities.

Years, dates, decades, centuries, clock times and names with digits ("COVID-19", "SARS-CoV-2", "ACE2",
"type 2 diabetes", "PMID: 33225745") belong to the dates check or to no check. Everything that decides it
is in `non_quantity_spans`: its own patterns, joined with the spans of the dates check's `extract_dates`,
so that no figure is read both as a date and as a quantity.
"""

from __future__ import annotations

import re

from ..dates import extract_dates
from .nouns import STOPWORDS, is_plural_noun
from .units import measure_unit

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"(?:1[5-9]\d\d|2[01]\d\d)"

_NAMING_WORDS = (
    r"type|phase|stage|grade|season|class|version|episode|chapter|section|figure|table|article|category|"
    r"level|wave|serine|number|no\\.|pmid:?|doi:?|isbn:?|model|series"
)

# Matched without regard to case.
_DATES = re.compile(
    "|".join(
        [
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b",  # 5 July 2021
            rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR}\b(?!-\d))?",  # July 5, 2021
            rf"\b{_MONTH}\s+{_YEAR}\b",  # December 2019
            r"\b\d{4}-\d{2}-\d{2}\b",  # 2021-07-05
            r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b(?!\s*(?:of|in)\b)",  # 9/11, 5/7/2021; not "1/2 of"
            r"\b\d{1,2}:\d{2}\b",  # 10:30
            r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)",  # 3 pm, 10.30 pm
            r"(?:\b\d{2,4}|['’]\d\d)'?s\b",  # 1990s, '90s
            r"\b\d{1,2}(?:st|nd|rd|th)[-\s]+(?:century|centuries|millennium)\b",  # 20th century
            r"\b(?:covid|sars|mers|disease|ncov|sars-cov)[-\s]?\d+\b",  # Covid 19, coronavirus disease 2019
            rf"\b(?:{_NAMING_WORDS})\s+[\divx]+(?:\s*/\s*[\divx]+)?\b",  # type 2 diabetes, phase ii/iii
            r"\(\d+(?:,\d+)+\)\s*[A-Za-z]",  # PtdIns(3,4)P2
            r"[A-Za-z]+\d[\w-]*|\b\d+[A-Za-z]+\d\w*",  # ACE2, FFP2, MBH99, NIH3T3, 2019nCoV
            r"[A-Za-z]\w*-\d+(?:\.\d+)?(?:[-/]\w+)*",  # COVID-19, IL-6, SARS-CoV-2, B-2, mL-1
            r"^\s*\d+\s*[:.)]\s",  # "2: Genomic diversity", a list marker
            # time windows: "over the past 140 years", "the next 35 years", "the last 10,000 years"
            r"\b(?:past|last|next|previous|coming|recent|first)\s+(?:few\s+)?[\d,.]+(?:\s+(?:thousand|million|billion))?"
            r"\s+(?:years?|decades?|centur(?:y|ies)|months?|weeks?|days?|hours?)\b",
            r"(?<=[.,;])\(\d+\)|\[\d+(?:[,–-]\d+)*\]",  # citation markers "reported.(1)", "[12]"
            r"\b\d+(?:,\d+)*-(?:[a-z]+(?:ase|ate|ide|ine|yl|ol|one|ene|oxy))\b",  # 3-kinase, 4-phosphate
        ]
    ),
    re.IGNORECASE,
)
# Matched with case: a short all-capitals name before a number ("CO 2", "EN 14683", "MEK 1/2"); longer capitals
# are section headings of abstracts ("RESULTS 139,195 incidents").
_CAPS_NAME = re.compile(
    r"\b(?!(?:USD|EUR|GBP|CHF|JPY|INR|CNY|AUD|CAD|US)\s)[A-Z]{2,4}[a-z]?\s+\d+(?:/\d+)?\b(?!\s*(?:%|per\b|percent\b))"
)
# Digits glued to letters that are no unit, magnitude or ordinal suffix: "5G", "3d", "4c", "2a".
_GLUED = re.compile(r"\b\d+([A-Za-zα-ω]+)\b")
_SUFFIXES = frozenset(  # compared with case: "5g" is five grams, "5G" a network
    "k K m M b B bn tn mn mln km kg g mg cm mm ml mL l L t h hr hrs min s sec ft mi lb lbs ha Gt Mt GW MW kW W "
    "kWh GWh TWh st nd rd th pc pp ppm ppb x fold mph kph".split()
)
_YEAR_RANGE = re.compile(rf"\b{_YEAR}\s*[-–/]\s*(?:{_YEAR}|\d\d)\b")  # 2010–2011, 2004-09
_BARE_YEAR = re.compile(rf"(?<![\d,.$€£/])\b{_YEAR}\b(?![,.]\d)")
_AFTER_WORD = re.compile(r"(?:\s*[-–]\s*\d+)?[\s\u00a0]*([A-Za-z]+|°|%)(?:\s+([A-Za-z]+))?")
_PERSON_NOUNS = frozenset(
    "people troops soldiers workers residents refugees migrants patients cases deaths children students".split()
)


def non_quantity_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Sorted (start, end) spans of `text` whose digits are not quantities (dates, years, identifiers)."""
    if not _HAS_DIGIT.search(text):
        return ()  # every span below holds a digit; most statements have none (saves their dates scan)
    spans = [m.span() for a, b in _digit_windows(text) for m in _DATES.finditer(text, a, b)]
    spans += [m.span() for m in _CAPS_NAME.finditer(text)]
    spans += [m.span() for m in _GLUED.finditer(text) if m.group(1) not in _SUFFIXES]
    spans += [m.span() for m in _YEAR_RANGE.finditer(text) if _is_year(text, m.start(), m.end())]
    spans += [m.span() for m in _BARE_YEAR.finditer(text) if _is_year(text, m.start(), m.end())]
    # A calendar date the dates check reads ("5 July", "early May 2021") is a date here too, so no figure
    # is both. Years and spans of years stay with the rules above, which know "1037 troops" is a count.
    spans += [(d.span.start, d.span.end) for d in extract_dates(text)
              if d.granularity in _CALENDAR and _HAS_DIGIT.search(d.span.text)]
    return tuple(sorted(set(spans)))


def _digit_windows(text: str) -> list[tuple[int, int]]:
    """Merged windows around the digits of `text`: every pattern above holds a digit, and running them on these
    windows alone (lookbehinds still see the whole text) is several times faster than on the whole text."""
    windows: list[tuple[int, int]] = []
    for m in _DIGIT_RUN.finditer(text):
        a, b = max(0, m.start() - 32), min(len(text), m.end() + 24)
        if windows and a <= windows[-1][1]:
            windows[-1] = (windows[-1][0], b)
        else:
            windows.append((a, b))
    return windows


_DIGIT_RUN = re.compile(r"\d+")
_HAS_DIGIT = re.compile(r"\d")
_CALENDAR = frozenset({"day", "week", "part_of_month", "month", "season"})
_YEAR_BEFORE = re.compile(r"\b(?:in|since|by|from|until|till|during|before|after|year|early|late|mid|fiscal)[\s-]+$", re.I)


def _is_year(text: str, start: int, end: int) -> bool:
    """A figure from 1500 to 2199 is a year unless a counted noun or unit follows it (or the range it ends)."""
    if _YEAR_BEFORE.search(text[max(0, start - 12) : start]):
        return True
    m = _AFTER_WORD.match(text, end)
    if not m:
        return True
    first, second = m.group(1), m.group(2) or ""
    if first in ("°", "%") or is_plural_noun(first) or measure_unit(first):
        return False
    if first[0].isupper():  # "2000 Afghan troops" counts, "the 2010–2011 Queensland floods" is a date
        return second.lower() not in _PERSON_NOUNS
    return not (first.islower() and is_plural_noun(second) and first not in STOPWORDS)
