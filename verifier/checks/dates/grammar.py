"""Date grammar: the expressions the dates check reads, and the interval of days each one covers.

One regular expression with a named alternative per form ("5 July 2021", "July 5, 2021", "2021-07-05",
"early May", "the 1990s", "between 1979 and 2000", "last month", "in recent weeks"...), most specific first,
tried only at word starts that can open a date. Each alternative has a builder that turns the match into
(granularity, first day, last day); a bound word before it ("by", "since") opens one side of the interval.
Bare four-digit numbers are years only next to words that make them years ("in 2021", "the 2019 study",
"2012.") and never after "than", "about", "over" or before "%": "2000 people" is a count.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from typing import Iterator, NamedTuple

from dateutil.relativedelta import relativedelta

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_WEEKDAY_BEFORE = re.compile(r"\b(?:on|by|since|until|till|from|before|after|that)\s+$", re.IGNORECASE)
_WEEKDAY_AFTER = re.compile(r"\s*(?:[,.;:)]|$|(?:morning|afternoon|evening|night)\b)", re.IGNORECASE)
# "will meet on Friday", "is expected to sign on Monday": a weekday ahead of the reference date, not behind it
_FUTURE_BEFORE = re.compile(r"\b(?:will|shall|to\s+be|plans?\s+to|expected\s+to|due\s+to|set\s+to|going\s+to)\b[^.;]*$",
                            re.IGNORECASE)
# "in April 13 years ago": a number that counts a span of time after a month is not its day.
_SPAN_UNITS = r"(?:years?|months?|weeks?|days?|hours?|decades?|centuries)\b"
_YEAR = r"(?:1[0-9]\d\d|20\d\d|2100)"
_PART = r"(?:early|mid|late|the\s+(?:beginning|start|middle|end)\s+of|(?:beginning|start|end)\s+of)"
_SEASON = r"(?:spring|summer|autumn|fall|winter)"
_ABOUT = r"(?:(?:about|around|approximately|circa|c\.|ca\.)\s+)?"
_BOUND = r"(?:(?P<bound>by|before|after|since|until|till|through|prior\s+to|as\s+of)\s+)?"
_WORD_NUM = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "several": 3, "few": 3}

# One alternation, most specific first, so that finditer takes "5 July 2021" whole before "July 2021".
_PATTERN = re.compile(
    _BOUND
    + r"(?:"
    + rf"(?P<iso>\b(?P<iy>{_YEAR})-(?P<im>0[1-9]|1[0-2])-(?P<id>0[1-9]|[12]\d|3[01])\b)"
    + rf"|(?P<dmy>\b(?P<d1>{_DAY})\s+(?:of\s+)?(?P<m1>{_MONTH}),?\s+(?P<y1>{_YEAR})\b)"
    + rf"|(?P<mdy>\b(?P<m2>{_MONTH})\s+(?P<d2>{_DAY}),?\s+(?P<y2>{_YEAR})\b)"
    + rf"|(?P<part>\b(?P<pw>{_PART})[-\s]+(?P<m3>{_MONTH})(?:,?\s+(?P<y3>{_YEAR}))?\b)"
    + rf"|(?P<party>\b(?P<pyw>{_PART})[-\s]+(?P<y7>{_YEAR})\b(?!\s*[-–]))"
    + rf"|(?P<dm>\b(?P<d4>{_DAY})\s+(?:of\s+)?(?P<m4>{_MONTH})\b(?!\s*\d))"
    + rf"|(?P<md>\b(?P<m5>{_MONTH})\s+(?P<d5>{_DAY})\b(?![\d,.]*\d|\s*(?:%|per|people|million|{_SPAN_UNITS})))"
    + rf"|(?P<my>\b(?P<m6>{_MONTH}),?\s+(?:of\s+)?(?P<y6>{_YEAR})\b)"
    + rf"|(?P<season>\b(?:the\s+)?(?P<sw>{_SEASON})\s+(?:of\s+)?(?P<y8>{_YEAR})\b)"
    + rf"|(?P<decade>\b(?:the\s+)?(?:(?P<dw>{_PART})[-\s]+(?:the\s+)?)?(?P<dy>1[0-9]\d0|20[0-9]0)['’]?s\b)"
    + rf"|(?P<century>\b(?:the\s+)?(?:(?P<cw>{_PART})[-\s]+(?:the\s+)?)?(?P<cn>1\d|2[01]|[1-9])(?:st|nd|rd|th)[-\s]century\b)"
    + rf"|(?P<range>\b(?:(?:(?P<rb>between)|from)\s+)?{_ABOUT}(?P<r1>{_YEAR})\s*(?:–|—|-|to|until|through|(?(rb)and|(?!)))\s*{_ABOUT}"
    + r"(?P<r2>1[0-9]\d\d|20\d\d|2100|\d\d)\b(?![,.]\d|%)(?:\s+(?:AD|CE)\b)?)"
    + rf"|(?P<year>(?:the\s+year\s+)?(?<![\d,.$£€#\-/])\b(?P<y>{_YEAR})\b(?![,.]\d|\s*(?:%|-\w|per\b)))"
    + rf"|(?P<month>\b(?P<m9>{_MONTH})\b)"
    + rf"|(?P<wday>(?<!next\s)(?<!this\s)(?<!coming\s)\b(?:(?P<wl>last)\s+)?(?P<wn>{_WEEKDAY})\b"
    + rf"(?!,?\s+(?:the\s+)?(?:\d|{_MONTH})))"
    + r"|(?P<rel>\b(?:yesterday|today|(?P<rw>this|last|next)\s+(?P<ru>week|month|year)"
    + r"|(?P<rn>\d[\d,]*|a|an|one|two|three|four|five|six|several|few)\s+(?P<rago>days?|weeks?|months?|years?)\s+ago)\b)"
    + r"|(?P<vague>\b(?:in\s+)?(?:recent\s+(?P<vr>days|weeks|months|years)|the\s+(?:past|last)\s+(?:(?:few|several|\d+|two|three|four|five|six|seven|eight|nine|ten)\s+)?"
    + r"(?P<vp>days?|weeks?|months?|years?)|recently(?!\s+as\b)|earlier\s+this\s+(?P<ve>week|month|year)|in\s+the\s+coming\s+"
    + r"(?P<vc>days|weeks|months|years))\b)"
    + r")",
    re.IGNORECASE,
)
_WORD_START = re.compile(r"(?<![\w$£€#.,\-/])(\w+)")
_STARTERS = frozenset(MONTHS) | frozenset(WEEKDAYS) | frozenset(
    """by before after since until till through prior as the early mid late beginning start end middle between
    from about around approximately circa c ca spring summer autumn fall winter yesterday today this last next a
    an one two three four five six several few in recent recently earlier""".split()
)
_MONTH_GROUPS = ("m1", "m2", "m3", "m4", "m5", "m6", "m9")
_YEAR_CONTEXT_BEFORE = re.compile(
    r"(?:\b(?:1[0-9]\d\d|20\d\d),?\s+(?:and|or)|\b(?:in|since|by|from|until|till|through|during|before|after|of|between|early|mid|late|"
    r"around|circa|c\.|year|years|a|an|its|their|his|her|our|whose|spring|summer|autumn|fall|winter|the|fiscal|FY|census|election|as)|['’]s|\()\s*$",
    re.IGNORECASE,
)
_OPENS_SENTENCE = re.compile(r"(?:^|[.!?]\s+|[\"“]\s*)$")
_NOT_YEAR_BEFORE = re.compile(r"\b(?:than|about|over|nearly|almost|some|approximately|roughly|least|most)\s+$", re.I)
_YEAR_CONTEXT_AFTER = re.compile(r"^\s*(?:[,.;:)\]]|$|–|—|and\b|to\b|the\b|a\b|an\b|[A-Z])")
_MONTH_CONTEXT_BEFORE = re.compile(
    r"\b(?:in|since|by|from|until|till|through|during|before|after|of|early|mid|late|last|next|this|each|every|"
    r"on|between|and|or|to)\s+$",
    re.IGNORECASE,
)
_PARTS = {"early": (1, 10), "beginning": (1, 10), "start": (1, 10), "mid": (11, 20), "middle": (11, 20),
          "late": (21, 31), "end": (21, 31)}  # fmt: skip
_YEAR_PARTS = {"early": (1, 4), "beginning": (1, 4), "start": (1, 4), "mid": (5, 8), "middle": (5, 8),
               "late": (9, 12), "end": (9, 12)}  # fmt: skip
# How far back "in recent weeks" or "recently" reaches: an approximation, used only to tell a vague
# mention that could cover a claim's date from one that cannot; vague mentions never count as consistent.
_VAGUE_REACH = {"day": relativedelta(days=14), "week": relativedelta(weeks=10), "month": relativedelta(months=12),
                "year": relativedelta(years=10)}  # fmt: skip
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}


class Parsed(NamedTuple):
    """A matched date expression before it becomes a `DateMention`."""

    begin: int
    end: int
    granularity: str
    start: _dt.date | None
    last: _dt.date | None
    bound: str
    year_inferred: bool
    relative: bool
    month_days: tuple[int, int, int] | None


def scan(text: str, reference: _dt.date | None) -> Iterator[Parsed]:
    """Every date expression of `text`, in order, with relative ones resolved against `reference`."""
    pos = 0
    # The alternation is tried only where a date can start (a digit or a starter word): Python's re would
    # otherwise try all of it at every character, which measured ~500 µs a sentence against ~50 µs.
    for word in _WORD_START.finditer(text):
        if word.start() < pos or not (word.group(1)[0].isdigit() or word.group(1).lower() in _STARTERS):
            continue
        match = _PATTERN.match(text, word.start())
        if match is None:
            continue
        pos = match.end()
        parsed = _parse(match, text, reference)
        if parsed is not None:
            yield parsed


def _parse(m: re.Match[str], text: str, ref: _dt.date | None) -> Parsed | None:
    kind = next(name for name in _KINDS if m.group(name))
    core_start = m.start(kind)
    if any(m.group(g) and not m.group(g)[0].isupper() for g in _MONTH_GROUPS):
        return None  # month names are capitalised in English; lower-case "march", "may" are verbs
    built = _KINDS[kind](m, text, ref)
    if built is None:
        return None
    granularity, start, end, inferred, relative, month_days = built
    bound = _bound_word(m.group("bound"))
    start, end = _apply_bound(bound, start, end, ref)
    begin = m.start() if bound != "exact" else core_start
    return Parsed(begin, m.end(), granularity, start, end, bound, inferred, relative, month_days)


def _bound_word(word: str | None) -> str:
    if not word:
        return "exact"
    word = " ".join(word.lower().split())
    return {"prior to": "before", "till": "until", "through": "until", "as of": "by"}.get(word, word)


def _apply_bound(bound: str, start: _dt.date | None, end: _dt.date | None, ref: _dt.date | None):
    if bound in ("by", "until"):
        return None, end
    if bound == "before":
        return None, (start - _dt.timedelta(days=1)) if start else None
    if bound == "after":
        return (end + _dt.timedelta(days=1)) if end else None, None
    if bound == "since":
        return start, ref if ref and start and ref >= start else None
    return start, end


def _month_end(year: int, month: int) -> _dt.date:
    return _dt.date(year, month, calendar.monthrange(year, month)[1])


def _day(year: int, month: int, day: int) -> _dt.date | None:
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def _num(s: str) -> int:
    return int(re.sub(r"\D", "", s))


def _month_no(s: str) -> int:
    return MONTHS[s.lower().rstrip(".")]


def _ymd(year: int, month: int, day: int):
    d = _day(year, month, day)
    return None if d is None else ("day", d, d, False, False, None)


def _k_iso(m, text, ref):
    return _ymd(int(m["iy"]), int(m["im"]), int(m["id"]))


def _k_dmy(m, text, ref):
    return _ymd(int(m["y1"]), _month_no(m["m1"]), _num(m["d1"]))


def _k_mdy(m, text, ref):
    return _ymd(int(m["y2"]), _month_no(m["m2"]), _num(m["d2"]))


def _yearless(month: int, first: int, last: int, granularity: str, ref: _dt.date | None):
    if ref is None:
        return granularity, None, None, False, False, (month, first, last)
    last = min(last, calendar.monthrange(ref.year, month)[1])
    first = min(first, last)
    return granularity, _dt.date(ref.year, month, first), _dt.date(ref.year, month, last), True, False, None


def _part_word(phrase: str) -> str:
    return next(word for word in phrase.lower().split() if word in _PARTS)


def _k_part(m, text, ref):
    month = _month_no(m["m3"])
    first, last = _PARTS[_part_word(m["pw"])]
    if m["y3"] is None:
        return _yearless(month, first, last, "part_of_month", ref)
    year = int(m["y3"])
    last = min(last, _month_end(year, month).day)
    return "part_of_month", _dt.date(year, month, first), _dt.date(year, month, last), False, False, None


def _k_party(m, text, ref):
    first, last = _YEAR_PARTS[_part_word(m["pyw"])]
    year = int(m["y7"])
    return "part_of_year", _dt.date(year, first, 1), _month_end(year, last), False, False, None


def _k_dm(m, text, ref):
    day = _num(m["d4"])
    return _yearless(_month_no(m["m4"]), day, day, "day", ref)


def _k_md(m, text, ref):
    day = _num(m["d5"])
    return _yearless(_month_no(m["m5"]), day, day, "day", ref)


def _k_my(m, text, ref):
    year, month = int(m["y6"]), _month_no(m["m6"])
    return "month", _dt.date(year, month, 1), _month_end(year, month), False, False, None


def _k_month(m, text, ref):
    word = m["m9"]
    before = text[max(0, m.start("m9") - 12) : m.start("m9")]
    if word.lower() == "may" and not _MONTH_CONTEXT_BEFORE.search(before):
        return None  # "May" without "in", "by", "early"... is the modal verb far more often than the month
    month = _month_no(word)
    return _yearless(month, 1, 31, "month", ref)


def _k_season(m, text, ref):
    year = int(m["y8"])
    first, last = _SEASONS[m["sw"].lower()]
    end_year = year + 1 if last < first else year
    return "season", _dt.date(year, first, 1), _month_end(end_year, last), False, False, None


def _thirds(phrase: str | None, length: int) -> tuple[int, int]:
    """Offsets of "early", "mid" or "late" within a decade or century: its first, middle or last third."""
    if not phrase:
        return 0, length - 1
    third = length // 3
    first, last = _PARTS[_part_word(phrase)]
    return {1: (0, third - 1), 11: (third, 2 * third - 1), 21: (2 * third, length - 1)}[first]


def _k_decade(m, text, ref):
    start = int(m["dy"])
    first, last = _thirds(m["dw"], 10)
    return "decade", _dt.date(start + first, 1, 1), _dt.date(start + last, 12, 31), False, False, None


def _k_century(m, text, ref):
    base = (int(m["cn"]) - 1) * 100 + 1
    first, last = _thirds(m["cw"], 100)
    return "century", _dt.date(base + first, 1, 1), _dt.date(base + last, 12, 31), False, False, None


def _k_range(m, text, ref):
    first, second = int(m["r1"]), m["r2"]
    last = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
    if last <= first:
        return None  # "2000-1990" is no period
    return "range", _dt.date(first, 1, 1), _dt.date(last, 12, 31), False, False, None


def _k_year(m, text, ref):
    before = text[max(0, m.start("y") - 14) : m.start("y")]
    after = text[m.end("y") : m.end("y") + 3]
    if _NOT_YEAR_BEFORE.search(before):
        return None
    if not (_YEAR_CONTEXT_BEFORE.search(before) or _YEAR_CONTEXT_AFTER.match(after)):
        return None  # "2000 people": a count, not a year
    year = int(m["y"])
    opening = not _YEAR_CONTEXT_BEFORE.search(before) and _OPENS_SENTENCE.search(text[: m.start("y")])
    if opening and after.lstrip()[:1].isalpha() and not 1900 <= year <= 2100:
        return None  # "1037 Afghan troops fled": a count opening the sentence ("2012 Olympics" stays a year)
    return "year", _dt.date(year, 1, 1), _dt.date(year, 12, 31), False, False, None


def _k_rel(m, text, ref):
    word = m.group("rel").lower()
    if ref is None:
        return "vague", None, None, False, True, None
    if word in ("today", "yesterday"):
        day = ref - _dt.timedelta(days=1 if word == "yesterday" else 0)
        return "day", day, day, False, True, None
    if m["rn"]:
        n = _WORD_NUM.get(m["rn"].lower()) or int(m["rn"].replace(",", ""))
        unit = m["rago"].lower().rstrip("s") + "s"
        if unit == "years" and n >= ref.year:
            return "vague", None, None, False, True, None  # "10,000 years ago" is before the calendar's year 1
        day = ref - relativedelta(**{unit: n})
        # "three months ago" names a month, not a day: keep the unit's precision
        return _unit_interval(unit[:-1], day, relative=True)
    step = {"this": 0, "last": -1, "next": 1}[m["rw"].lower()]
    unit = m["ru"].lower()
    return _unit_interval(unit, ref + relativedelta(**{unit + "s": step}), relative=True)


def _k_wday(m, text, ref):
    """"on Monday": in a report, the last such day on or before its date (news tells of what happened); "last
    Monday" the one before that day. Without a reference date, or ahead of it ("will meet on Friday"), only
    the weekday is known: granularity "weekday", no interval, compared by its name (compare.py)."""
    if not m["wn"][0].isupper():
        return None  # weekday names are capitalised in English
    before, after = text[max(0, m.start("wday") - 12) : m.start("wday")], text[m.end() : m.end() + 12]
    if not (m["wl"] or _WEEKDAY_BEFORE.search(before) or _WEEKDAY_AFTER.match(after)):
        return None  # "the Friday prayers", "Monday Night Football": a name, not the day something happened
    ahead = _FUTURE_BEFORE.search(text[max(0, m.start("wday") - 60) : m.start("wday")])
    if ref is None or ahead:
        return "weekday", None, None, False, True, None
    back = (ref.weekday() - WEEKDAYS[m["wn"].lower()]) % 7
    if m["wl"] and back == 0:
        back = 7
    day = ref - _dt.timedelta(days=back)
    return "day", day, day, False, True, None


def _unit_interval(unit: str, day: _dt.date, relative: bool):
    if unit == "day":
        return "day", day, day, False, relative, None
    if unit == "week":
        monday = day - _dt.timedelta(days=day.weekday())
        return "week", monday, monday + _dt.timedelta(days=6), False, relative, None
    if unit == "month":
        return "month", day.replace(day=1), _month_end(day.year, day.month), False, relative, None
    return "year", _dt.date(day.year, 1, 1), _dt.date(day.year, 12, 31), False, relative, None


def _k_vague(m, text, ref):
    if ref is None:
        return "vague", None, None, False, True, None
    if m["vc"]:
        return "vague", ref, ref + _VAGUE_REACH[m["vc"].lower().rstrip("s")], False, True, None
    unit = (m["vr"] or m["vp"] or m["ve"] or "month").lower().rstrip("s")
    if m["ve"]:
        return "vague", _unit_interval(unit, ref, relative=True)[1], ref, False, True, None
    return "vague", ref - _VAGUE_REACH[unit], ref, False, True, None


_KINDS = {
    "iso": _k_iso, "dmy": _k_dmy, "mdy": _k_mdy, "part": _k_part, "party": _k_party, "dm": _k_dm, "md": _k_md,
    "my": _k_my, "season": _k_season, "decade": _k_decade, "century": _k_century, "range": _k_range,
    "year": _k_year, "month": _k_month, "wday": _k_wday, "rel": _k_rel, "vague": _k_vague,
}  # fmt: skip
