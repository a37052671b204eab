"""Lexicon: the small word lists and word matching shared by the entity and polarity checks.

No tagger or lemmatizer is available offline (spaCy's and NLTK's English models are not on PyPI), so words
are compared by a crude stem plus a short table of irregular verb forms and of synonym groups that news
and fact-check text uses for the same event ("fled" / "crossed", "troops" / "soldiers"). The groups are
deliberately few: each one widens what counts as "the same predicate" for every claim.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .findings import Span

TOKEN = re.compile(r"(?:[A-Z]\.){2,}|\w+(?:[-'’.]\w+)*|[^\w\s]")

STOPWORDS = frozenset(
    """a an the and or but nor so yet of in on at to for from by with without into onto across over under
    about above below between among through during before after since until till than then that this these
    those there here it its it's he she they them their his her him we us our you your i me my be is are was
    were been being am do does did done doing have has had having will would shall should can could may
    might must also only just even still very more most less least much many some any all each every both
    either neither no not nor as if when while where which who whom whose what why how because though
    although whereas however said says say told according such own same other another one""".split()
)

# Irregular past forms whose crude stem would not meet the present form.
IRREGULAR = {
    "fled": "flee", "took": "take", "taken": "take", "fell": "fall", "fallen": "fall", "won": "win",
    "lost": "lose", "ran": "run", "came": "come", "went": "go", "gone": "go", "saw": "see", "seen": "see",
    "made": "make", "gave": "give", "given": "give", "left": "leave", "held": "hold", "told": "tell",
    "said": "say", "found": "find", "began": "begin", "begun": "begin", "rose": "rise", "risen": "rise",
    "caught": "catch", "fought": "fight", "brought": "bring", "bought": "buy", "sent": "send", "met": "meet",
    "hit": "hit", "shot": "shoot", "killed": "kill", "died": "die", "dead": "die", "paid": "pay", "led": "lead",
    "struck": "strike", "drove": "drive", "driven": "drive", "grew": "grow", "grown": "grow", "knew": "know",
    "known": "know", "wrote": "write", "written": "write", "spoke": "speak", "spoken": "speak", "chose": "choose",
    "froze": "freeze", "frozen": "freeze", "withdrew": "withdraw", "withdrawn": "withdraw",
}  # fmt: skip

# Words that name the same predicate or participant in reports of the same event.
SYNONYM_GROUPS = (
    ("flee", "cross", "escape", "enter", "retreat"),
    ("capture", "seize", "take", "overrun", "conquer"),
    ("troop", "soldier", "force", "army", "military", "serviceman"),
    ("say", "state", "announce", "report", "tell", "declare", "claim"),
    ("kill", "die", "death", "slay"),
    ("increase", "rise", "grow", "climb"),
    ("decrease", "fall", "decline", "drop", "shrink"),
    ("ban", "prohibit", "outlaw", "forbid"),
    ("arrest", "detain"),
    ("cause", "drive", "trigger", "lead"),
)




class Token:
    """A word or mark of a text and its offsets. Immutable by convention, equal and hashed by (text, start, end).
    A plain class with slots: tokens are made a few dozen times per statement, and a frozen dataclass's
    `__init__` cost a build 3.5 times more per token (0.55 against 0.16 µs)."""

    __slots__ = ("text", "start", "end", "lower")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.start, self.end = text, start, end
        self.lower = text.lower()  # read a million times in a batch run: kept

    def _key(self) -> tuple[str, int, int]:
        return (self.text, self.start, self.end)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Token) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Token(text={self.text!r}, start={self.start}, end={self.end})"


@lru_cache(maxsize=8192)
def tokenize(text: str) -> tuple[Token, ...]:
    return tuple(Token(m.group(0), m.start(), m.end()) for m in TOKEN.finditer(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem that meets a word's inflections: "captured" / "captures" / "capturing" -> "captur"."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = IRREGULAR.get(word, word)
    if word.endswith(("ies", "ied")) and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-2]
    elif word.endswith("es") and word[:-2].endswith(("ss", "x", "z", "ch", "sh")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        word = word[:-1]
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "lszfe":
        word = word[:-1]  # "stopp(ed)" -> "stop"
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


_GROUP_OF = {stem(w): i for i, group in enumerate(SYNONYM_GROUPS) for w in group}


@lru_cache(maxsize=65536)
def concepts(word: str) -> frozenset[str]:
    """The keys a word matches under: its stem and the synonym group it belongs to, if any."""
    s = stem(word)
    group = _GROUP_OF.get(s)
    return frozenset({s} if group is None else {s, f"group:{group}"})


def content_words(tokens: tuple[Token, ...], skip: set[int] | frozenset[int] = frozenset()) -> list[Token]:
    """Tokens that carry meaning: no stopwords, punctuation or numbers; `skip` holds start offsets to leave out."""
    return [
        t for t in tokens
        if t.start not in skip and t.text[0].isalpha() and t.lower not in STOPWORDS and len(t.text) > 1
    ]  # fmt: skip


def word_overlap(claim: str, statement: str, skip: tuple[Span, ...] = ()) -> float:
    """Share of the claim's content words (outside `skip` spans) that the statement has, by stem or synonym."""
    words = _claim_keys(claim, skip)
    if not words:
        return 1.0
    keys = _keys_of(statement)
    return sum(1 for w in words if not w.isdisjoint(keys)) / len(words)


@lru_cache(maxsize=8192)
def _claim_keys(claim: str, skip: tuple[Span, ...]) -> tuple[frozenset[str], ...]:
    # A claim meets ten statements or so, with the same spans to skip: worked out once.
    tokens = tokenize(claim)
    inside = {t.start for t in tokens for s in skip if s.start <= t.start < s.end}
    return tuple(concepts(t.text) for t in content_words(tokens, inside))


@lru_cache(maxsize=8192)
def _keys_of(text: str) -> frozenset[str]:
    return frozenset().union(*(concepts(t.text) for t in content_words(tokenize(text))))
