"""Number words: the patterns and values of numbers written in English words, fractions, multipliers and vague counts.

Cardinals ("one thousand and thirty-seven", "Twenty-six") are valued by text2num (`text_to_num.text2num`,
~1 µs a call, right on the cardinals of the gold dev part); it does not know "a thousand", "a dozen", "half",
"two-thirds", "one in five", "twice" or "hundreds of", and its `alpha2digit` rewrites a whole text without
giving spans, so the patterns that find number words and the values of the rest are ours.
"""

from __future__ import annotations

import re

from text_to_num import text2num

_UNITS = "one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 10**12}
SMALL = {w: i + 1 for i, w in enumerate(_UNITS)} | {w: i + 10 for i, w in enumerate(_TEENS)}

_CARD_WORD = "|".join(
    [rf"(?:{'|'.join(_TENS)})(?:[-\s](?:{'|'.join(_UNITS)}))?", *_TEENS, *_UNITS, "zero", *_SCALES]
)
# A run of cardinal words: "one thousand and thirty-seven", "twenty six", "a hundred".
CARDINAL = rf"(?:\ba\s+(?=(?:hundred|thousand|million|billion)\b))?\b(?:{_CARD_WORD})\b(?:(?:\s+and\s+|[\s-]+)(?:{_CARD_WORD})\b)*"


def cardinal_value(words: str) -> float | None:
    """The value of a run of cardinal words, or None where it does not parse as one number."""
    words = " ".join(words.lower().replace("-", " ").split())
    if words.startswith("a "):
        words = "one " + words[2:]
    try:
        return float(text2num(words, "en"))
    except ValueError:
        return None


_DENOMINATORS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4, "fourths": 4,
    "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8,
    "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10, "hundredth": 100, "hundredths": 100,
}
_NUMERATOR = rf"(?:a|an|one|{'|'.join(_UNITS[1:])})"
# "two-thirds", "a quarter", "three in four", "one out of five", "half"; a fraction of a share, not a count.
FRACTION = (
    rf"\b{_NUMERATOR}[-\s](?:{'|'.join(_DENOMINATORS)})\b"
    rf"|\b(?:{_NUMERATOR}|\d+)\s+(?:in|out\s+of)\s+(?:every\s+)?(?:{_CARD_WORD}|\d[\d,]*)\b"
    r"|\bhalf\b"
)


def fraction_value(words: str) -> float | None:
    """The share that a fraction phrase names: "two-thirds" 0.667, "one in five" 0.2, "half" 0.5."""
    words = " ".join(words.lower().replace("-", " ").split())
    if words == "half":
        return 0.5
    m = re.fullmatch(r"(\w+) (?:in|out of) (?:every )?([\w ,-]+)", words)
    if m:
        top, bottom = _small_or_digits(m.group(1)), _small_or_digits(m.group(2))
    else:
        first, _, last = words.partition(" ")
        top, bottom = _small_or_digits(first), _DENOMINATORS.get(last)
    if not top or not bottom:
        return None
    return top / bottom


def _small_or_digits(word: str) -> float | None:
    if word in ("a", "an"):
        return 1.0
    if word.replace(",", "").isdigit():
        return float(word.replace(",", ""))
    return cardinal_value(word)


MULTIPLIERS = {
    "twice": 2.0, "double": 2.0, "doubled": 2.0, "doubling": 2.0, "doubles": 2.0, "triple": 3.0, "tripled": 3.0,
    "tripling": 3.0, "triples": 3.0, "threefold": 3.0, "quadruple": 4.0, "quadrupled": 4.0, "halved": 0.5,
    "twofold": 2.0, "fourfold": 4.0, "fivefold": 5.0, "tenfold": 10.0, "thrice": 3.0,
}
MULTIPLIER = rf"\b(?:{'|'.join(MULTIPLIERS)})\b"

ORDINALS = {
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "thirtieth": 30, "fiftieth": 50, "hundredth": 100,
}
# "first" is left out: it is mostly not a number ("at first", "the first time"); "second" also names a unit
# of time, so a spelled ordinal is read only after "the" or a possessive.
ORDINAL = rf"(?<=\bthe\s)(?:{'|'.join(ORDINALS)})\b|(?<=\b(?:its|his|her)\s)(?:{'|'.join(ORDINALS)})\b|\b\d+(?:st|nd|rd|th)\b"

SMALL_COUNTS = {"dozen": 12.0, "half a dozen": 6.0, "half a hundred": 50.0, "half a thousand": 500.0,
                "half a million": 5e5, "half a billion": 5e8, "a quarter of a million": 2.5e5, "a dozen": 12.0, "a couple of": 2.0, "a pair of": 2.0,
                "a score of": 20.0, "trio": 3.0, "quartet": 4.0, "quintet": 5.0}
SMALL_COUNT = r"\bhalf\s+a\s+(?:dozen|hundred|thousand|million|billion)\b|\ba\s+quarter\s+of\s+a\s+million\b|\b(?:a\s+)?dozen\b|\ba\s+(?:couple|pair|score)\s+of\b|\b(?:trio|quartet|quintet)\b"

# Vague counts, each with the interval it denotes. "hundreds" means at least two hundred and fewer than a
# thousand; "several" is read as three to nine, "a few" as two to five.
VAGUE = (
    r"\b(?:(?:several|a\s+few|a\s+couple\s+of|many|some)\s+)?(?:tens|dozens|hundreds|thousands|millions|billions|scores)"
    r"(?:\s+(?:and|or)\s+(?:tens|dozens|hundreds|thousands|millions|billions))?"
    r"(?:\s+of\s+(?:thousands|millions|billions))?\b"
    r"|\b(?:several|a\s+few|a\s+couple\s+of)\s+(?:dozen|hundred|thousand|million|billion)\b"
)
_VAGUE_UNIT = {"tens": 10.0, "dozens": 12.0, "scores": 20.0, "hundreds": 100.0, "thousands": 1e3,
               "millions": 1e6, "billions": 1e9, "dozen": 12.0, "hundred": 100.0, "thousand": 1e3,
               "million": 1e6, "billion": 1e9}
_VAGUE_MULTIPLE = {"several": (3.0, 9.0), "a few": (2.0, 5.0), "a couple of": (2.0, 3.0),
                   "many": (2.0, 10.0), "some": (2.0, 10.0), "": (2.0, 10.0)}


def vague_interval(words: str) -> tuple[float, float, float]:
    """(nominal unit, low, high) of a vague count: "dozens" (12, 24, 120), "tens of thousands" (1e4, 2e4, 1e5).

    The high end is exclusive: "hundreds" stops below a thousand, where "thousands" begins.
    """
    words = " ".join(words.lower().split())
    words = re.sub(r"\s+(?:and|or)\s+\w+(?= of|$)", "", words)
    quantifier = next((q for q in ("several", "a few", "a couple of", "many", "some") if words.startswith(q + " ")), "")
    rest = words[len(quantifier):].strip().split(" of ")
    unit = 1.0
    for part in rest:
        unit *= _VAGUE_UNIT.get(part.strip(), 1.0)
    low_mult, high_mult = _VAGUE_MULTIPLE[quantifier]
    if rest[0] == "dozens" and not quantifier:
        return unit, 24.0, 120.0  # "dozens" ends where "hundreds" would be the word
    return unit, low_mult * unit, high_mult * unit + (unit if quantifier else 0.0)
