"""Scanning: finds the raw figures of a text (digits, number words, fractions, multipliers, vague counts) and
joins written ranges, before units, qualifiers and nouns are read around them.

Our own code, because none of the libraries measured finds these spans right and fast enough
(see `mentions.py` for the figures): one compiled pattern, tried only where a digit or a number word starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .words import (
    CARDINAL,
    FRACTION,
    MULTIPLIER,
    MULTIPLIERS,
    ORDINAL,
    ORDINALS,
    SMALL,
    SMALL_COUNT,
    SMALL_COUNTS,
    VAGUE,
    cardinal_value,
    fraction_value,
    vague_interval,
)
from .units import MAGNITUDES, MEASURE_PATTERN

_DIGITS = (
    r"(?<![\w.,/])(?:[-−](?=\d))?"
    r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,])|\d+(?:\.\d+)?|\.\d+)"
)
_ATOM = re.compile(
    "|".join(
        [
            rf"(?P<pm>{_DIGITS}\s?(?:±|\+/-|\+-)\s?(?P<err>\d+(?:\.\d+)?))",
            rf"(?P<sci>{_DIGITS}\s?[×x]\s?10(?:\^|\*\*)?\s?(?P<exp>[-−]?\d{{1,2}})\b)",
            rf"(?P<vague>{VAGUE})",
            rf"(?P<small>{SMALL_COUNT})",
            r"(?P<dfrac>(?<![\w.,/])\d{1,3}\s?/\s?\d{1,3}(?:,?\d{3})*(?![\w/]))",
            rf"(?P<frac>{FRACTION})",
            rf"(?P<mult>{MULTIPLIER})",
            rf"(?P<ord>{ORDINAL})",
            rf"(?P<words>{CARDINAL})",
            rf"(?P<num>{_DIGITS})(?P<mag>\s?(?:thousand|million|billion|trillion|mn|mln|bn|tn|trn)\b|(?:k|m|b|bn|mn|tn)\b)?",
        ]
    ),
    re.IGNORECASE,
)

_RANGE_JOIN = re.compile(r"^-?\s*(?:[-–—]|to|and|through|or)\s*$", re.IGNORECASE)
# A unit written after the first figure of a range too: "1.5% to 4.8%", "0.3°C to 1.1°C", "0.1° and 1.5 °C".
_FIRST_UNIT = re.compile(rf"^\s?(?:%|per\s?cent|percent|°|{MEASURE_PATTERN})(?![\w/])", re.IGNORECASE)


@dataclass(frozen=True)
class Figure:
    """One number as written, before its unit and qualifier are known."""

    start: int
    end: int
    text: str
    value: float
    form: str  # "digits", "words", "fraction", "multiplier", "ordinal", "vague", "small", "scientific"
    scale: float = 1.0  # magnitude word or suffix applied ("million": 1e6)
    magnitude: str = ""  # the magnitude as written ("bn", "million"), "" if none
    vague_low: float = 0.0
    vague_high: float = 0.0


# Words that can begin a figure; the pattern is tried only where a digit or one of these starts, since
# trying its alternatives at every character (finditer) costs ~10 times more.
_STARTERS = frozenset(
    """a an several few many some tens dozens dozen hundreds thousands millions billions scores couple pair score
    half trio quartet quintet zero hundred thousand million billion trillion""".split()
    + list(SMALL) + list(MULTIPLIERS) + list(ORDINALS)
    + "twenty thirty forty fifty sixty seventy eighty ninety".split()
)
_TOKEN = re.compile(r"[A-Za-z]+|[−-]?\.?\d")


def scan(text: str, masked: tuple[tuple[int, int], ...]) -> list[Figure]:
    """All figures of `text` outside the `masked` spans, in order."""
    figures = []
    done = 0
    for token in _TOKEN.finditer(text):
        start = token.start()
        word = token.group()
        if start < done or (word[0].isalpha() and word.lower() not in _STARTERS):
            continue
        m = _ATOM.match(text, start)
        if m is None and word[0] in "−-":
            m = _ATOM.match(text, start + 1)
        if m is None:
            continue
        done = m.end()
        if _is_masked(m.start(), m.end(), masked):
            continue
        figure = _figure(m, text)
        if figure is not None:
            figures.append(figure)
    return figures


def _is_masked(start: int, end: int, masked: tuple[tuple[int, int], ...]) -> bool:
    return any(a < end and start < b for a, b in masked)


def _figure(m: re.Match[str], text: str) -> Figure | None:
    kind = m.lastgroup if m.lastgroup not in ("exp", "mag", "err") else "num"
    raw = m.group()
    if m.group("pm"):  # "3.1 ± 0.3": the written figure and the range its error gives
        centre = _digits_value(re.match(_DIGITS, raw).group())  # type: ignore[union-attr]
        error = float(m.group("err"))
        return Figure(m.start(), m.end(), raw, centre, "pm", vague_low=centre - error, vague_high=centre + error)
    if m.group("sci"):
        mantissa = _digits_value(re.match(_DIGITS, raw).group())  # type: ignore[union-attr]
        exponent = int(m.group("exp").replace("−", "-"))
        return Figure(m.start(), m.end(), raw, mantissa * 10.0**exponent, "scientific")
    if m.group("num"):
        return _digits_figure(m, text)
    low = raw.lower()
    if kind == "vague":
        unit, lo, hi = vague_interval(raw)
        return Figure(m.start(), m.end(), raw, unit, "vague", vague_low=lo, vague_high=hi)
    if kind == "small":
        return Figure(m.start(), m.end(), raw, SMALL_COUNTS[" ".join(low.split())], "small")
    if kind in ("dfrac", "frac"):
        value = _digit_fraction(raw) if kind == "dfrac" else fraction_value(raw)
        if value is None or (low == "half" and re.match(r"\s+(?:an?|the)\s+(?:hour|day|century|decade)", text[m.end():])):
            return None
        return Figure(m.start(), m.end(), raw, value, "fraction")
    if kind == "mult":
        return Figure(m.start(), m.end(), raw, MULTIPLIERS[low], "multiplier")
    if kind == "ord":
        value = ORDINALS.get(low) or float(re.sub(r"\D", "", raw))
        return Figure(m.start(), m.end(), raw, float(value), "ordinal")
    value = cardinal_value(raw)
    if value is None or (low == "one" and not _one_counts(text[m.end():])):
        return None
    return Figure(m.start(), m.end(), raw, value, "words")


def _one_counts(after: str) -> bool:
    """A lone "one" is a number only before "in / out of / of" and a figure, or before a unit-like noun:
    "one in five", "one of six"; not "one of the deadliest", "one or more"."""
    return bool(
        re.match(r"\s+(?:in|out\s+of|of)\s+(?:every\s+)?(?:\d|(?:two|three|four|five|six|seven|eight|nine|ten)\b)", after, re.I)
        or re.match(r"[\s-]+(?:degree|hour|day|week|month|year|percent|per\s+cent|million|billion|kilo|metre|meter|mile|dose)", after, re.I)
    )


def _digits_value(raw: str) -> float:
    raw = raw.replace("−", "-").replace(",", "")
    return float(re.sub(r"[\s\u00a0\u202f]", "", raw))


def _digit_fraction(raw: str) -> float | None:
    top, bottom = (_digits_value(p) for p in raw.split("/"))
    return top / bottom if bottom else None


def _digits_figure(m: re.Match[str], text: str) -> Figure:
    number = m.group("num")
    value = _digits_value(number)
    magnitude = (m.group("mag") or "").strip()
    mag = magnitude.lower()
    if mag in ("m", "b") and not _million_context(text, m.start(), m.end(), mag):
        magnitude, mag = "", ""
    end = m.end() if magnitude else m.start() + len(number)
    scale = MAGNITUDES.get(mag, 1.0)
    if not magnitude and _dot_is_thousands(number, text[end:]):
        value = float(number.replace(".", ""))
    return Figure(m.start(), end, text[m.start() : end], value * scale, "digits", scale, magnitude)


_MEASURE_CONTEXT = re.compile(
    r"\b(?:tall|high|deep|long|wide|away|above|below|rise|rising|sea|height|depth|length|distance|"
    r"elevation|altitude|metres?|meters?|radius|diameter|thick|thickness|wave|waves)\b",
    re.IGNORECASE,
)


def _million_context(text: str, start: int, end: int, suffix: str) -> bool:
    """Whether a glued "m" / "b" is million / billion ("£1.5m", "1.5m people") rather than metres: after a
    currency mark, or before a plural noun or after "population", and never beside words of length or height."""
    before = text[max(0, start - 14) : start]
    if re.search(r"[$€£¥₹]\s?$|\b(?:usd|eur|gbp)\s?$", before, re.IGNORECASE):
        return True
    if suffix == "b":
        return False
    after = text[end : end + 25]
    if _MEASURE_CONTEXT.match(after.lstrip()) or _MEASURE_CONTEXT.search(before):
        return False
    return bool(re.match(r"\s+(?:[a-z]+\s+)?(?:people|[a-z]+s)\b", after) or re.search(r"population\s+of\s*$", before))


def _dot_is_thousands(number: str, after: str) -> bool:
    """'1.037 troops': a dot before exactly three digits is a thousands separator where a plural count noun
    follows (a count cannot be 1.037) or where dots group the figure more than once ('1.037.000')."""
    if number.count(".") > 1:
        return bool(re.fullmatch(r"\d{1,3}(?:\.\d{3})+", number))
    if not re.fullmatch(r"\d{1,3}\.\d{3}", number):
        return False
    return bool(re.match(r"\s+(?:[A-Z][a-z]+\s+)?(?:people|persons|troops|soldiers|cases|deaths|patients|"
                         r"residents|workers|children|students|migrants|refugees|homes|houses|jobs|votes)\b", after))


def join_ranges(figures: list[Figure], text: str) -> list[tuple[Figure, Figure | None]]:
    """Pairs each figure with the end of a written range it opens ("500–600", "between 500 and 600",
    "7 to 24 cm"); "from 500 to 600" is a change, not a range, and stays two figures."""
    out: list[tuple[Figure, Figure | None]] = []
    i = 0
    while i < len(figures):
        first = figures[i]
        second = figures[i + 1] if i + 1 < len(figures) else None
        if second is not None and _is_range(first, second, text):
            out.append((first, second))
            i += 2
        else:
            out.append((first, None))
            i += 1
    return out


def _is_range(first: Figure, second: Figure, text: str) -> bool:
    if first.form not in ("digits", "words") or second.form not in ("digits", "words"):
        return False
    between = text[first.end : second.start]
    between_core = _FIRST_UNIT.sub("", between)
    own_unit = between != between_core
    # "80cm to 2 metres": with a unit of its own the first end may be written larger (mentions.py converts it)
    if not _RANGE_JOIN.match(between_core) or (second.value < first.value and not own_unit):
        return False
    joiner = between_core.strip().lower()
    before = text[max(0, first.start - 12) : first.start].lower()
    if joiner == "and":
        return bool(re.search(r"\bbetween\s*$", before))
    if joiner == "or":
        return False
    if joiner in ("to", "through"):  # "from 500 to 600" and "rose by 5% to 45%" are changes, not ranges
        return not re.search(r"\bfrom\s*$", before) and not (own_unit and re.search(r"\b(?:by|rose|fell|grew)\s*$", before))
    return not re.search(r"\s$", between) or bool(re.search(r"\bbetween\s*$", before)) or between.strip() != "-"
