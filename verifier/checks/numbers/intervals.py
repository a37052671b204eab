"""Intervals: the range of values a written figure allows, from its qualifier, its precision and the tolerances.

Rules (tolerances from `Settings`; x the figure, h its precision tolerance):
- h = max(exact_tolerance·|x|, half the unit of its last written digit): "17.1%" allows 17.05–17.15,
  "1,037" allows ±5.2 at the default 0.5%.
- A round figure, one written with two or more trailing zeros or with an integer magnitude word ("1,000",
  "2 million", "$4bn"), is read as rounded: h = max(h_exact, min(half its last digit's unit, round_tolerance·|x|)).
  "1,000" is 900–1,100; "1,100" is 1,050–1,150 (whoever rounds 1,037 to hundreds writes 1,000).
- "about / around / roughly / approximately / some / an estimated / ~", and "as high as / as low as" (which
  say a level was reached, not a bound): x ± max(h, approx_tolerance·|x|).
- "nearly / almost / close to / just under": [x − d, x) with d = the smaller of nearly_tolerance·|x| and
  half the unit of the figure's last significant digit (at least h): "nearly 1,100" is 1,050–1,100, since a
  figure nearer 1,000 would have been called "more than 1,000".
- "just over": (x, x + d]; "more than / over / above / exceeding": (x, ∞); "at least / no fewer than": [x, ∞);
  "fewer than / less than / under / below": [floor, x); "up to / at most / no more than / as many as": [floor, x],
  where floor is 0 for counts, shares and money, −∞ otherwise.
- "exactly / precisely": x ± h, never widened as round.
- A range "500–600" / "between 500 and 600": [500 − h, 600 + h]. A vague count: its table interval.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from ...settings import Settings


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    low_inclusive: bool = True
    high_inclusive: bool = True

    def contains(self, other: "Interval") -> bool:
        """Whether every value of `other` lies in this interval."""
        low_ok = other.low > self.low or (
            other.low == self.low and (self.low_inclusive or not other.low_inclusive)
        )
        high_ok = other.high < self.high or (
            other.high == self.high and (self.high_inclusive or not other.high_inclusive)
        )
        return low_ok and high_ok

    def overlaps(self, other: "Interval") -> bool:
        if self.low > other.high or other.low > self.high:
            return False
        if self.low == other.high:
            return self.low_inclusive and other.high_inclusive
        if other.low == self.high:
            return other.low_inclusive and self.high_inclusive
        return True

    def scaled(self, factor: float) -> "Interval":
        low, high = self.low * factor, self.high * factor
        if factor < 0:
            return Interval(high, low, self.high_inclusive, self.low_inclusive)
        return Interval(low, high, self.low_inclusive, self.high_inclusive)

    def shifted(self, offset: float) -> "Interval":
        return Interval(self.low + offset, self.high + offset, self.low_inclusive, self.high_inclusive)

    def to_dict(self) -> dict[str, Any]:
        return {
            "low": _json_number(self.low),
            "high": _json_number(self.high),
            "low_inclusive": self.low_inclusive,
            "high_inclusive": self.high_inclusive,
        }


def _json_number(x: float) -> float | str:
    """JSON has no infinity: unbounded ends are written as the strings "-inf" / "inf"."""
    return x if math.isfinite(x) else ("inf" if x > 0 else "-inf")


# Qualifier words (lowercase, spaces as written) and the rule each stands for.
QUALIFIERS: dict[str, str] = {}
for _rule, _words in {
    "gt": "more than|over|above|greater than|higher than|larger than|in excess of|upwards of|exceeding|exceeds|"
    "exceeded|surpassing|surpassed|surpass|surpasses|older than|longer than|beyond|>|more than a|well over|over a",
    "ge": "at least|no fewer than|no less than|not less than|a minimum of|minimum of|≥|>=|as few as",
    "lt": "less than|fewer than|under|below|lower than|younger than|shorter than|<|less than a|smaller than",
    "le": "up to|at most|no more than|not more than|as many as|as much as|a maximum of|maximum of|≤|<=|"
    "not exceeding|perhaps as much as",
    "nearly": "nearly|almost|close to|just under|just shy of|approaching|not quite|just below|nearly a",
    "just_over": "just over|just above|slightly more than|a little over|a little more than|slightly over",
    "about": "about|around|roughly|approximately|approx.|approx|some|an estimated|estimated|circa|c.|~|≈|"
    "an average of|on average|about a|around a|an approximate|or so|odd|as high as|as low as",
    "exact": "exactly|precisely|a total of|almost exactly|just|only",
}.items():
    for _w in _words.split("|"):
        QUALIFIERS[_w] = _rule
# "a total of", "just", "only" and "almost exactly" assert the figure as written, so they are exact.
# Words need a word boundary before them; symbols ("P<0.05", "~40") do not.
_SYMBOLS = [w for w in QUALIFIERS if not w[0].isalpha()]
QUALIFIER_BEFORE = re.compile(
    r"(?:(?:^|(?<=[\s(\[]))(?:"
    + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(QUALIFIERS, key=len, reverse=True) if w[0].isalpha())
    + r")|(?:"
    + "|".join(re.escape(w) for w in sorted(_SYMBOLS, key=len, reverse=True))
    + r"))\s*$",
    re.IGNORECASE,
)
# Written after the figure: "1,000 or more", "1,000-plus", "1,000+", "50 or so".
QUALIFIER_AFTER = {"or more": "ge", "or above": "ge", "and above": "ge", "and over": "ge", "plus": "ge", "+": "ge",
                   "or less": "le", "or fewer": "le", "or below": "le", "and under": "le", "or so": "about",
                   "odd": "about", "or thereabouts": "about"}
QUALIFIER_AFTER_RE = re.compile(
    r"^(?:\s*(?:or\s+more|or\s+above|and\s+above|and\s+over|or\s+less|or\s+fewer|or\s+below|and\s+under|or\s+so|"
    r"or\s+thereabouts)\b|-?(?:plus|odd)\b|\+)",
    re.IGNORECASE,
)


def rule_of(qualifier: str | None) -> str | None:
    """The rule ("gt", "about", "nearly", ...) of a qualifier as written before or after a figure."""
    if qualifier is None:
        return None
    q = " ".join(qualifier.lower().split())
    return QUALIFIERS.get(q) or QUALIFIER_AFTER.get(q)


def precision(written: str, value: float, scale: float) -> tuple[float, int]:
    """(unit of the last written digit, trailing zeros) of a figure: "1,037" (1, 0), "1,100" (1, 2),
    "17.1" (0.1, 0), "2.5 million" (100,000, 0). Words ("thirty") have unit 1 and count their zeros."""
    digits = re.sub(r"[^\d.]", "", written.split("e")[0])
    if not digits:
        text_value = abs(value / scale) if scale else abs(value)
        zeros = len(str(int(text_value))) - len(str(int(text_value)).rstrip("0")) if text_value >= 1 and text_value == int(text_value) else 0
        return scale, zeros
    if "." in digits:
        decimals = len(digits.split(".", 1)[1])
        return scale * 10.0**-decimals, 0
    stripped = digits.lstrip("0") or "0"
    zeros = len(stripped) - len(stripped.rstrip("0")) if stripped != "0" else 0
    return scale, zeros


def is_round(unit_size: float, zeros: int, has_magnitude: bool) -> bool:
    return zeros >= 2 or (has_magnitude and unit_size >= 1e3)


def precision_tolerance(value: float, unit_size: float, zeros: int, settings: Settings, has_magnitude: bool) -> float:
    """How far a figure's written precision lets it stray: half its last digit, at least exact_tolerance;
    a round figure's last digit says nothing of its precision ("$1 billion" is not ±$500 million)."""
    x = abs(value)
    if is_round(unit_size, zeros, has_magnitude):
        return settings.exact_tolerance * x
    return max(settings.exact_tolerance * x, unit_size / 2)


def figure_interval(
    value: float, unit_size: float, zeros: int, rule: str | None, settings: Settings, floor: float,
    has_magnitude: bool = False, word: bool = False,
) -> tuple[Interval, bool]:
    """The interval of one figure under a qualifier rule, and whether that reading is approximate."""
    x = abs(value)
    h = precision_tolerance(value, unit_size, zeros, settings, has_magnitude)
    step = unit_size * 10.0**zeros  # the unit of the last significant digit
    round_figure = rule is None and is_round(unit_size, zeros, has_magnitude)
    if round_figure:
        h = max(h, min(step / 2, settings.round_tolerance * x))
    if rule in (None, "exact"):
        return Interval(value - h, value + h), round_figure
    if rule == "about":
        h = max(h, settings.approx_tolerance * x)
        return Interval(value - h, value + h), True
    if rule in ("nearly", "just_over"):
        d = settings.nearly_tolerance * x if word else max(h, min(settings.nearly_tolerance * x, step / 2))
        if rule == "nearly":
            return Interval(value - d, value, True, False), True
        return Interval(value, value + d, False, True), True
    if rule == "gt":
        return Interval(value, math.inf, False, False), False
    if rule == "ge":
        return Interval(value, math.inf, True, False), False
    if rule == "lt":
        return Interval(min(floor, value), value, True, False), False
    if rule == "le":
        return Interval(min(floor, value), value, True, True), False
    raise ValueError(f"unknown qualifier rule {rule!r}")


def range_interval(low: float, high: float, low_unit: float, high_unit: float, settings: Settings) -> Interval:
    """A written range: both ends, each widened by its precision only."""
    if low > high:
        low, high, low_unit, high_unit = high, low, high_unit, low_unit
    h_low = max(settings.exact_tolerance * abs(low), low_unit / 2)
    h_high = max(settings.exact_tolerance * abs(high), high_unit / 2)
    return Interval(low - h_low, high + h_high)
