"""Nouns: what a figure counts ("1,037 Afghan government troops" counts troops) and the words around it.

A few lines of rules instead of a tagger: a part-of-speech model would have to be shipped and run on every
sentence for the one thing needed here, the first plural noun within four words after a figure.
"""

from __future__ import annotations

import re
from functools import lru_cache

STOPWORDS = frozenset(
    """a an the this that these those and or but nor so yet if then than as of in on at to from by with for into onto
    over under about after before during since until within without between among across through per via upon
    is are was were be been being has have had do does did will would can could may might shall should must
    it its it's they them their there here he she his her we our you your i me my who whom whose which what
    when where while also not no only just more most less least very much many some any all each every both
    other such same own than too up down out off again further once about around nearly almost over
    approximately roughly some several few said says say according reported report""".split()
)
_NOT_PLURAL = frozenset(
    """was has is its this thus plus less unless across always perhaps whereas does goes yes his hers ours yours
    theirs us as various previous serious famous numerous enormous analysis basis diagnosis thesis crisis status
    virus bus gas news series species means mass bias sepsis stress process success access loss class dress
    glass grass miss pass boss cross gross focus census consensus corpus bonus campus genus locus nucleus onus
    radius stimulus syllabus fetus uterus sinus tuberculosis fibrosis thrombosis osteoporosis metastasis
    pneumonia ethos chaos cosmos pathos atlas canvas alias always sometimes besides whereas afterwards towards
    overseas""".split()
)
IRREGULAR_PLURALS = frozenset(
    """people men women children police staff personnel cattle teeth mice geese data media criteria bacteria fungi
    deer sheep fish aircraft militia crew infantry livestock offspring youth clergy""".split()
)
_BREAKS = STOPWORDS | frozenset("had have has were was are is been".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_LEAD = re.compile(r"\s*(?:of\s+(?:the\s+|these\s+|those\s+|all\s+|its\s+|their\s+|them\s+)?)?")


def is_plural_noun(word: str) -> bool:
    w = word.lower().strip("'’-")
    if w in IRREGULAR_PLURALS:
        return True
    if len(w) < 4 or not w.endswith("s") or w in _NOT_PLURAL or w in STOPWORDS:
        return False
    return not w.endswith(("ss", "ous", "us", "is", "'s", "’s"))


def counted_noun(text: str, end: int, after_of: bool = False) -> str | None:
    """The plural noun a figure ending at `end` counts, within four words, or None.

    `after_of` also reads through "of (the)": "70% of the women", "hundreds of troops".
    """
    pos = end
    lead = _LEAD.match(text, pos)
    if lead and lead.group().strip():
        if not after_of:
            return None
        pos = lead.end()
    for count in range(4):
        m = re.compile(r"[\s\u00a0]*").match(text, pos)
        pos = m.end() if m else pos
        w = _WORD.match(text, pos)
        if not w:
            return None
        word = w.group()
        if word.lower() in _BREAKS:
            return None
        if is_plural_noun(word):
            return normalize_noun(word)
        pos = w.end()
    return None


def normalize_noun(word: str) -> str:
    return word.lower().strip("'’-")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude suffix-stripping stem: enough for "troops"/"troop" and "seized"/"seize" to meet."""
    w = re.sub(r"['’]s?$", "", word.lower())
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)] + keep
    return w


_NUMBER_WORDS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty sixty seventy eighty
    ninety hundred hundreds thousand thousands million millions billion billions trillion percent cent dozen dozens
    half third quarter twice double per""".split()
)


def _content(words: list[str]) -> list[str]:
    return [stem(w) for w in words if w.lower() not in STOPWORDS and w.lower() not in _NUMBER_WORDS and len(w) > 2]


def context_words(text: str, start: int, end: int, window: int = 80) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(near, wide): stems of the content words around a span, number words left out. Wide: within `window`
    characters in its own sentence (the words after it stop at a comma-joined next clause: "..., while 300
    surrendered"). Near: the three content words on each side, not across a comma or bracket ("headache (10.9%)")."""
    a, b = max(0, start - window), min(len(text), end + window * 3 // 4)
    while a > 0 and text[a - 1].isalnum():  # whole words only
        a += 1
    while b < len(text) and text[b].isalnum() and b > end:
        b -= 1
    before = re.split(r"(?<![A-Z])[;:.!?]\s", text[a:start])[-1]
    after = re.split(r"(?<![A-Z])[;:.!?](?:\s|$)|,\s(?:and|but|while|whereas)\s", text[end:b])[0]
    near_before = re.split(r"[,;]\s|\)\s", before.rstrip(" ("))[-1]
    near_after = re.split(r"[,;(]", after)[0]
    near = _content(_WORD.findall(near_before))[-3:] + _content(_WORD.findall(near_after))[:3]
    return tuple(near), tuple(_content(_WORD.findall(before)) + _content(_WORD.findall(after)))
