"""Quantities: every number a text states, with its span, unit, kind, qualifier and the interval it denotes.

Libraries measured on our hand-labelled gold (154 sentences; `python benchmarks/checks_numbers.py --libraries`):
quantulum3 0.10.0 reaches precision 0.61 / recall 0.89 on the dev part (0.55 / 0.78 held out) at 5.2 ms a
sentence: it reads "2021", "COVID-19" and "SARS-CoV-2" as numbers, "$4bn" as dollar·bit·newton, "5k" as
kelvin, and its shipped classifier does not load under current scikit-learn. number-parser 0.3.2 (3.6 ms)
and text2num's `alpha2digit` (13 µs) only rewrite number words in a text and give no spans. So finding the
figures is ours (one pattern tried where a figure can start, ~250 µs a 190-character passage cold,
memoized); text2num values the cardinal words and pint converts units (`scan.py`, `words.py`,
`units.py`). Our extractor: precision 0.99 / recall 1.00 dev, 0.98 / 0.98 held out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from ...settings import Settings
from ..findings import Span
from ..folding import fold, restore_mentions
from ..memo import seedable
from .intervals import QUALIFIER_AFTER, QUALIFIER_AFTER_RE, QUALIFIER_BEFORE, QUALIFIERS, Interval
from .intervals import figure_interval, precision, precision_tolerance, range_interval
from .masking import non_quantity_spans
from .nouns import context_words, counted_noun
from .scan import Figure, join_ranges, scan
from .units import (
    CURRENCY_AFTER,
    CURRENCY_AFTER_PATTERN,
    CURRENCY_BEFORE,
    CURRENCY_BEFORE_PATTERN,
    FRACTION,
    GLUED_ONLY,
    MEASURE_PATTERN,
    PERCENT,
    PERCENTAGE_POINT,
    RATE_PATTERN,
    TIMES,
    Unit,
    conversion_factor,
    measure_unit,
    money_unit,
    rate_unit,
)


class QuantityKind(str, Enum):
    COUNT = "count"  # troops, people, districts
    PERCENT = "percent"
    PERCENTAGE_POINT = "percentage_point"
    MONEY = "money"
    MEASURE = "measure"  # a physical unit: km, kg, °C, hours
    RATIO = "ratio"  # twice, 3-fold, "3 times higher"
    FRACTION = "fraction"  # half, two-thirds, one in five, 1/2000
    ORDINAL = "ordinal"
    VAGUE = "vague"  # dozens, hundreds of, several thousand
    NUMBER = "number"  # a figure with no unit or counted noun: an odds ratio, a p-value, a pH


@dataclass(frozen=True)
class Quantity:
    span: Span  # qualifier, currency mark, figure(s) and unit as written
    value: float  # the figure as written, magnitude applied ("2.5 million" is 2,500,000); a range's low end
    high_value: float | None  # a range's high end
    interval: Interval  # what the figure allows once qualifier, precision and tolerances are applied
    unit: str | None  # "%", "percentage point", "USD", "km", "°C", "×", "fraction" or the counted noun
    kind: QuantityKind
    qualifier: str | None  # the qualifier as written ("more than", "nearly", "up to"), if any
    approximate: bool
    noun: str | None = None  # what is counted or measured, where a noun names it ("troops", "women")
    dimension: str | None = None  # what units it converts between ("length", "share", "money:USD")
    context: tuple[str, ...] = ()  # content words around it, for alignment
    near_context: tuple[str, ...] = ()  # the closest of them: three on each side within the clause
    equivalent_of: int | None = None  # index of the quantity this one restates in brackets: "18 km (11 mi)"
    nominal: Interval | None = None  # the figure as written, within its precision only: "1,000" is 995–1,005

    @property
    def written(self) -> str:
        return self.span.text

    def to_dict(self) -> dict[str, Any]:
        return {
            "span": self.span.to_dict(),
            "value": self.value,
            "high_value": self.high_value,
            "interval": self.interval.to_dict(),
            "unit": self.unit,
            "kind": self.kind.value,
            "qualifier": self.qualifier,
            "approximate": self.approximate,
            "noun": self.noun,
            "dimension": self.dimension,
            "equivalent_of": self.equivalent_of,
            "nominal": self.nominal.to_dict() if self.nominal else None,
        }


def extract_quantities(text: str, settings: Settings | None = None) -> tuple[Quantity, ...]:
    """Every quantity stated in `text`, in order; dates, years and identifiers excluded.

    >>> [q.written for q in extract_quantities("More than 1,000 Afghan troops fled on 5 July 2021")]
    ['More than 1,000']
    """
    return restore_mentions(_extract(fold(text), settings or _DEFAULT), text)


_DEFAULT = Settings()


@seedable(maxsize=8192)  # stored features are seeded here: ../stored.py
def _extract(text: str, settings: Settings) -> tuple[Quantity, ...]:
    figures = scan(text, non_quantity_spans(text))
    quantities: list[Quantity] = []
    for first, last in join_ranges(figures, text):
        if quantities and first.start < quantities[-1].span.end:
            continue  # "million" of "400 parts per million" is inside the unit just read
        quantities.append(_quantity(text, first, last, settings))
    return tuple(_equivalents(text, _changes_in_lists(text, _inherit_nouns(text, quantities))))


_PERCENT_AFTER = re.compile(r"\s?(?:%|per\s?cent\b|percent\b|pct\b)(?!\s*points?\b)", re.I)
_POINTS_AFTER = re.compile(r"\s?(?:percentage|pct\.?|%)\s?points?\b|\s?p\.?p\.?(?!\w)", re.I)
_UNIT_AFTER = re.compile(rf"(?P<sep>[\s\u00a0]?-?|-)(?P<unit>{MEASURE_PATTERN})(?![\w/²³])", re.I)
_CURRENCY_BEFORE_RE = re.compile(rf"(?:^|(?<=[\s(]))(?:{CURRENCY_BEFORE_PATTERN})\s?$", re.I)
_CURRENCY_AFTER_RE = re.compile(rf"\s?(?:{CURRENCY_AFTER_PATTERN})(?!\w)", re.I)
_RATE_AFTER = re.compile(RATE_PATTERN, re.I)
_INCH = re.compile(r"\s?in\b(?=\s*[),;]|\s*$)")  # "in" as inches only where nothing follows it
_RATIO_AFTER = re.compile(r"[\s-]?(?:fold\b|times\s+(?=(?:more|higher|greater|larger|lower|less|faster|as|the)\b))", re.I)
# Temperatures read as differences: "10 °C (18 °F) higher", "warmed by 1.5 °C", "a rise of 2 °C".
_DELTA_AFTER = re.compile(r"\s*\)?\s*(?:\([^)]{0,20}\)\s*)?(?:higher|lower|warmer|cooler|colder|above|below|of\s+warming|rise|increase)\b", re.I)
_DELTA_BEFORE = re.compile(
    r"\b(?:warm\w*|ris\w*|rose|increas\w*|decreas\w*|cool\w*|fell|fall\w*|drop\w*|higher|lower|anomal\w*|change\w*)"
    r"\s+(?:\w+\s+)?(?:by|of)\s+(?:(?:about|around|some|nearly|almost|up\s+to|more\s+than|over|an?|~)\s*)?$",
    re.I,
)


def _quantity(text: str, first: Figure, last: Figure | None, settings: Settings) -> Quantity:
    end = (last or first).end
    first_value = first.value
    if last is not None and last.scale > 1 and first.scale == 1 and first.value * last.scale <= last.value:
        first_value = first.value * last.scale  # "2–3 million": the magnitude is written once
    unit, end = _unit_after(text, first, last, end)
    low_factor = _first_end_factor(text, first, last, unit)
    first_value *= low_factor
    start, currency = _currency_before(text, first.start)
    if currency is not None:
        unit = money_unit(currency)
    qualifier, rule, start = _qualifier_before(text, start, last is not None)
    post = QUALIFIER_AFTER_RE.match(text[end:])
    if post and rule is None and last is None:
        qualifier = " ".join(post.group().strip("-").split()).lower()
        rule = QUALIFIER_AFTER[qualifier if qualifier != "+" else "+"]
        end += post.end()
    kind = _kind(first, unit)
    noun = counted_noun(text, end, kind is QuantityKind.PERCENT or first.form == "vague")
    if kind is QuantityKind.NUMBER and noun:
        kind = QuantityKind.COUNT
    interval, approximate = _interval(first, last, first_value, rule, kind, settings, low_factor)
    if first.form == "pm":
        qualifier = "±"
    near, wide = context_words(text, start, end)
    shown_unit = unit.name if unit is not None else (noun if kind in (QuantityKind.COUNT, QuantityKind.VAGUE) else None)
    return Quantity(
        span=Span(start, end, text[start:end]),
        value=first_value,
        high_value=last.value if last is not None else None,
        interval=interval,
        unit=shown_unit,
        kind=kind,
        qualifier=qualifier,
        approximate=approximate,
        noun=noun,
        dimension=_dimension(text, unit, start, end),
        near_context=near,
        context=wide,
        nominal=_nominal(first, last, first_value, interval, settings),
    )


def _first_end_factor(text: str, first: Figure, last: Figure | None, unit: Unit | None) -> float:
    """The factor that puts a range's first end in the unit of its last, where the first is written in
    another unit of the same kind ("80cm to 2 metres" is 0.8–2 m); 1 otherwise."""
    if last is None or unit is None:
        return 1.0
    m = _UNIT_AFTER.match(text[first.end : last.start])
    own = measure_unit(m.group("unit")) if m else None
    if own is None or own.name == unit.name:
        return 1.0
    return conversion_factor(own, unit) or 1.0


def _unit_after(text: str, first: Figure, last: Figure | None, end: int) -> tuple[Unit | None, int]:
    if first.form == "fraction":
        return FRACTION, end
    if first.form == "multiplier":
        return TIMES, end
    if first.form in ("vague", "ordinal"):
        return None, end
    if first.form == "pm":
        first = replace(first, form="digits")
    after = text[end:]
    for pattern, unit in ((_POINTS_AFTER, PERCENTAGE_POINT), (_PERCENT_AFTER, PERCENT), (_RATIO_AFTER, TIMES)):
        m = pattern.match(after)
        if m:
            return unit, end + m.end()
    m = _RATE_AFTER.match(after)
    if m:
        return rate_unit(m.group().strip()), end + m.end()
    m = _CURRENCY_AFTER_RE.match(after)
    if m:
        return money_unit(CURRENCY_AFTER[" ".join(m.group().lower().split())]), end + m.end()
    m = _UNIT_AFTER.match(after)
    if m and not (m.group("sep").strip(" \u00a0") == "" and m.group("sep") and m.group("unit").lower() in GLUED_ONLY):
        found = measure_unit(m.group("unit"))
        if found is not None:
            return found, end + m.end()
    m = _INCH.match(after)
    if m and first.form == "digits":
        return measure_unit("inch"), end + m.end()
    return None, end


def _currency_before(text: str, start: int) -> tuple[int, str | None]:
    m = _CURRENCY_BEFORE_RE.search(text[max(0, start - 5) : start])
    if not m:
        return start, None
    return start - (len(text[max(0, start - 5) : start]) - m.start()), CURRENCY_BEFORE[m.group().strip().lower()]


def _qualifier_before(text: str, start: int, is_range: bool) -> tuple[str | None, str | None, int]:
    before = text[max(0, start - 40) : start]
    if is_range:
        m = re.search(r"(?:^|(?<=\s))(?:between|from)\s+$", before, re.I)
        if m:
            start -= len(before) - m.start()
            before = before[: m.start()]
    m = QUALIFIER_BEFORE.search(before)
    if not m:
        return None, None, start
    written = " ".join(m.group().split())
    rule = QUALIFIERS[written.lower()]
    if is_range and rule not in ("about", "exact"):
        return None, None, start
    if written.lower() == "some" and re.search(r"\bof\s*$", text[start:start + 8]):
        return None, None, start
    return written, rule, start - (len(before) - m.start())


def _kind(first: Figure, unit: Unit | None) -> QuantityKind:
    if first.form == "vague":
        return QuantityKind.VAGUE
    if first.form == "ordinal":
        return QuantityKind.ORDINAL
    if unit is None:
        return QuantityKind.NUMBER
    if unit is FRACTION or (unit.dimension == "share" and unit is not PERCENT):
        return QuantityKind.FRACTION
    if unit is TIMES or unit.dimension == "ratio":
        return QuantityKind.RATIO
    if unit is PERCENT:
        return QuantityKind.PERCENT
    if unit is PERCENTAGE_POINT:
        return QuantityKind.PERCENTAGE_POINT
    if unit.dimension.startswith("money:"):
        return QuantityKind.MONEY
    return QuantityKind.MEASURE


_FLOORED = {QuantityKind.COUNT, QuantityKind.PERCENT, QuantityKind.MONEY, QuantityKind.VAGUE, QuantityKind.FRACTION}


def _interval(
    first: Figure, last: Figure | None, first_value: float, rule: str | None, kind: QuantityKind, settings: Settings,
    low_factor: float = 1.0,
) -> tuple[Interval, bool]:
    if first.form == "vague":
        return Interval(first.vague_low, first.vague_high, True, False), True
    if first.form == "pm":
        return Interval(first.vague_low, first.vague_high), False
    if last is not None:
        low_unit, _ = precision(first.text, first_value, (first.scale if first.scale > 1 else 1.0) * low_factor)
        high_unit, _ = precision(last.text, last.value, last.scale)
        interval = range_interval(first_value, last.value, low_unit, high_unit, settings)
        if rule == "about":
            pad = settings.approx_tolerance
            interval = Interval(interval.low - pad * abs(first_value), interval.high + pad * abs(last.value))
        return interval, rule == "about"
    word = first.form in ("fraction", "multiplier", "small")
    unit_size, zeros = precision(first.text, first.value, first.scale) if not word else (0.0, 0)
    if word and rule is None:
        rule = "about"  # "two-thirds", "twice", "a dozen" are as round as figures get
    floor = 0.0 if kind in _FLOORED else float("-inf")
    return figure_interval(first.value, unit_size, zeros, rule, settings, floor, bool(first.magnitude), word)


def _nominal(first: Figure, last: Figure | None, first_value: float, interval: Interval, settings: Settings) -> Interval:
    if last is not None or first.form in ("vague", "pm"):
        return interval
    if first.form in ("fraction", "multiplier", "small"):
        h = settings.exact_tolerance * abs(first.value)
    else:
        unit_size, zeros = precision(first.text, first.value, first.scale)
        h = precision_tolerance(first.value, unit_size, zeros, settings, bool(first.magnitude))
    return Interval(first_value - h, first_value + h)


# A percentage that is a change ("51% less likely", "fell by 5%", "a 79 % greater risk") is not a level
# ("45% of voters"); the two never align, and two changes in opposite directions disagree.
_DOWN = r"less|lower(?:ed|ing)?|fewer|smaller|decreas\w*|reduc\w*|drop\w*|fall\w*|fell|declin\w*|cut\w*|down|loss|shr[ai]nk\w*"
# "up" / "down" only where no verb takes them as a particle ("sales up 5%", not "taken up about 30%").
_UP = r"more|higher|greater|larger|increas\w*|ris\w*|rose|gain\w*|growth|grew|excess|(?<!taken )(?<!made )(?<!make )(?<!makes )(?<!took )up|jump\w*|climb\w*|spik\w*"
_CHANGE_AFTER = re.compile(rf"\s*(?:(?:relative|absolute)\s+)?(?:(?P<down>{_DOWN}|below)|(?P<up>{_UP}|above))\b", re.I)
_CHANGE_BEFORE = re.compile(
    rf"\b(?:(?P<down>{_DOWN})|(?P<up>{_UP})|changed?)\s+(?:by\s+|of\s+)?(?:(?:an?|the)\s+)?"
    r"(?:(?:about|around|nearly|almost|some|over|more\s+than|up\s+to|roughly|just|only)\s+)?$",
    re.I,
)


_CONFIDENCE_AFTER = re.compile(r"\s*(?:CI\b|C\.I\.|confidence|credible|uncertainty|prediction\s+interval)", re.I)
_P_VALUE_BEFORE = re.compile(r"\bp\s*(?:-?value\s*)?(?:[<>=≤≥]|&lt;)?\s*$", re.I)


def _dimension(text: str, unit: Unit | None, start: int, end: int) -> str | None:
    """What the figure measures, finer than its kind: a change or a level of a percentage, a temperature or
    a change of it, the confidence level of an interval ("95% CI"), a p-value."""
    if unit is PERCENT and _CONFIDENCE_AFTER.match(text, end):
        return "confidence_level"
    if unit is None:
        return "p_value" if _P_VALUE_BEFORE.search(text[max(0, start - 12) : start]) else None
    if unit is PERCENT:
        m = _CHANGE_AFTER.match(text, end) or _CHANGE_BEFORE.search(text[max(0, start - 40) : start])
        if m:
            return "change:down" if m.group("down") else "change:up" if m.group("up") else "change"
    if unit.dimension == "temperature" and (_DELTA_AFTER.match(text, end) or _DELTA_BEFORE.search(text[max(0, start - 40) : start])):
        return "temperature_difference"
    return unit.dimension


def _inherit_nouns(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """"13 of the 928 abstracts": a figure followed by "of (the)" and a counted figure counts the same noun."""
    out = list(quantities)
    for i in range(len(out) - 1, -1, -1):
        q = out[i]
        if q.noun or q.kind is not QuantityKind.NUMBER or i + 1 >= len(out):
            continue
        nxt = out[i + 1]
        between = text[q.span.end : nxt.span.start]
        if nxt.noun and re.fullmatch(r"\s+(?:of|out\s+of)\s+(?:the\s+|all\s+)?(?:\w+\s+)?", between, re.I):
            out[i] = replace(q, noun=nxt.noun, unit=nxt.noun, kind=QuantityKind.COUNT)
    return out


def _changes_in_lists(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """"cut by 21%, 19% and 11%": percentages listed after a change are changes too."""
    out = list(quantities)
    for i in range(1, len(out)):
        prev, q = out[i - 1], out[i]
        if (prev.dimension or "").startswith("change") and q.kind is QuantityKind.PERCENT and q.dimension == "share":
            if re.fullmatch(r"\s*,?\s*(?:and\s+|or\s+)?", text[prev.span.end : q.span.start]):
                out[i] = replace(q, dimension=prev.dimension)
    return out


def _equivalents(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """"18 km (11 mi)": a figure in brackets right after one of the same dimension restates it; it takes the
    words around the first, so that both align alike."""
    out = list(quantities)
    for i in range(1, len(out)):
        prev, q = out[i - 1], out[i]
        same = q.dimension == prev.dimension or {q.dimension, prev.dimension} == {"temperature", "temperature_difference"}
        if q.kind is prev.kind and same and q.kind is QuantityKind.MEASURE:
            if re.fullmatch(r"\s*[(\[]\s*(?:or\s+|about\s+|approximately\s+|~\s*)?", text[prev.span.end : q.span.start]):
                out[i] = replace(q, context=prev.context, near_context=prev.near_context, equivalent_of=i - 1)
    return out
