"""Entity typing: decides whether a run of capitalized words is a person, a place, an organization or neither.

The rules, in order: a title opens a person's name ("President Joe Biden"); a sentence's first word is
dropped when it looks like an ordinary word ("Acclaimed actor Morgan Freeman"); the head word decides
("... Committee" is an organization, "... County" or "... Ocean" a place, "... Act" a named thing); then
the gazetteer; a run joined by "of"/"for" that none of these types is split there ("Alex Smith of
Minneapolis"); two to four name-shaped words are a person. Small cities whose names are also surnames
("Kato", "Obama") count as places only after a place preposition ("in", "near", "from"...).

`Entity`, a typed name, is defined here: extraction (`mentions.py`) builds it and alignment (`align.py`)
compares it, and both import it from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..findings import Span
from ..lexicon import STOPWORDS, Token
from .gazetteer import Place, fold, is_demonym, lookup_place

PERSON, PLACE, ORG, MISC = "PERSON", "PLACE", "ORG", "MISC"


@dataclass(frozen=True)
class Entity:
    """One name in a text: its span (without a possessive "'s"), kind, place if known, and role in the sentence."""

    span: Span
    kind: str  # PERSON, PLACE, ORG, MISC
    role: str  # a preposition ("into"), "subject", "object", "modifier", "attribution" or "other"
    place: Place | None = None
    demonym: bool = False
    title: str | None = None  # the title written before a name, lower-case: "president", "prime minister", "ceo"
    described: str | None = None  # what the sentence calls it: "capital" in "Kabul is the capital of..." (mentions.py)

    @property
    def name(self) -> str:
        return self.place.name if self.place else self.span.text

    @property
    def key(self) -> str:
        """Identity for matching: the place key where known, else the folded name."""
        return self.place.key if self.place else f"{self.kind.lower()}:{fold(self.span.text)}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "span": self.span.to_dict(),
            "kind": self.kind,
            "role": self.role,
            "name": self.name,
            "place": self.place.to_dict() if self.place else None,
            "demonym": self.demonym,
            "title": self.title,
            "described": self.described,
        }


CONNECTORS = frozenset({"of", "on", "for", "de", "la", "da", "del", "van", "von", "der", "bin", "ibn", "al", "&"})
SAY_VERBS = frozenset({"said", "says", "told", "wrote", "added", "argued", "claimed", "denied", "stated", "tweeted"})
TITLES = frozenset(
    """president vice-president prime minister senator sen rep representative gov governor mayor mr mrs ms dr
    judge justice king queen prince princess pope general gen colonel col chancellor secretary ambassador
    sheikh ayatollah emir sir lord lady professor prof actor actress singer rapper adviser advisor spokesman
    spokeswoman spokesperson leader chief founder ceo director daughter son wife husband congresswoman
    congressman commander author scientist journalist host candidate speaker vice chair chairman deputy counsel
    chairwoman""".split()
)
ORG_WORDS = frozenset(
    """committee ministry council agency organization organisation university institute party army navy
    bank fund association commission department company corporation inc ltd group union court congress
    parliament senate administration office service programme program panel board foundation society centre
    center academy laboratory survey bureau authority network times post news press force police league
    federation alliance coalition front movement unit school college hospital church brigade""".split()
)
KNOWN_ORGS = frozenset(
    """taliban al-qaeda al-qaida hamas hezbollah isis isil nato un eu who cdc fda nasa noaa ipcc wmo imf opec
    fbi cia nsa unicef unesco wto bbc cnn afp ap reuters epa nih nist pentagon kremlin congress""".split()
) | {"white house", "islamic state", "european union", "united nations"}
PLACE_WORDS = frozenset(
    """ocean sea river lake mount mountain glacier current stream bay gulf peninsula island desert basin valley
    strait canal airport tower bridge base station stadium reef falls house hall palace square park street
    avenue road museum cathedral temple mosque hotel county province district prefecture oblast township
    parish village town tunnel dam reservoir aqueduct pipeline railway highway motorway freeway expressway
    harbour harbor pier terminal arena monument memorial lighthouse""".split()
)
MISC_WORDS = frozenset(
    """act agreement accord protocol treaty declaration report assessment conference convention summit war
    age era period award prize index day games olympics cup attack storm hurricane virus disease amendment
    bill law order""".split()
)
_EVENT_OPENERS = frozenset({"hurricane", "typhoon", "cyclone", "storm", "tropical", "operation", "battle", "siege"})
_PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "from", "into", "to", "outside", "across", "of", "toward"})
_NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten dozens hundreds thousands millions several many".split()
)
_NOT_FIRST_NAMES = frozenset({"el", "la", "los", "las", "le", "les", "the", "my", "our", "new", "great"})
# A sentence's first word that looks like an ordinary English word, not a first name ("Acclaimed", "Increasing").
_COMMON_WORD = re.compile(
    r"(?:ed|ing|al|ial|ous|ive|ly|ful|ic|ent|ant|ion|ions|ity|ness|less|able|ible|ies|ers|ists)$|-[a-z]", re.I
)
_SENTENCE_END = re.compile(r"[.!?:;\"“”(\[]\s*$")
_REGNAL = re.compile(r"^(?:I{2,3}|IV|VI{0,3}|IX|XI{0,3}|XIV|XV|XVI)$")
ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z][A-Z0-9&-]*[A-Z0-9]$")
_SMALL_CITY = 100_000

Typed = tuple[int, int, str, "Place | None"]


def sentence_start(text: str, tokens: tuple[Token, ...], i: int) -> bool:
    return i == 0 or bool(_SENTENCE_END.search(text[: tokens[i].start]))


def headline(tokens: tuple[Token, ...]) -> bool:
    """Title Case text ("Impact of Shifting Patterns of Pacific Ocean Warming"), where capitals say nothing."""
    words = [t.text for t in tokens if t.text[0].isalpha() and len(t.text) > 3 and not t.text.isupper()]
    capitalized = [w for w in words if w[0].isupper()]
    ordinary = sum(1 for w in capitalized if _COMMON_WORD.search(w))  # "Shifting", "Vulnerable": not names
    return len(capitalized) >= 6 and len(words) - len(capitalized) <= 1 and ordinary >= 2


def type_headline_run(text: str, tokens: tuple[Token, ...], run: tuple[int, int]) -> list[Typed]:
    """In Title Case text only names the gazetteer, the known organizations or a place head word vouch for."""
    found: list[Typed] = []
    k, j = run
    while k <= j:
        if tokens[k].lower in CONNECTORS:
            k += 1
            continue
        for end in range(min(j, k + 3), k - 1, -1):
            name = text[tokens[k].start : tokens[end].end]
            place = lookup_place(name)
            if place is not None or fold(name) in KNOWN_ORGS or (end > k and _head_kind(tokens, k, end) == PLACE):
                found.append((k, end, ORG if fold(name) in KNOWN_ORGS else PLACE, place))
                k = end
                break
        k += 1
    return found


def type_run(text: str, tokens: tuple[Token, ...], run: tuple[int, int], before: list[Entity]) -> list[Typed]:
    """The entities (token range, kind, place) a run of capitalized words holds."""
    i, j = run
    found: list[Typed] = []
    k, titled = i, False
    while k <= j and (_is_title(tokens[k]) or (k < j and tokens[k].lower in ("u.s.", "us", "former"))):
        if tokens[k].lower in ("u.s.", "us") and _is_title(tokens[k + 1]):
            found.append((k, k, PLACE, lookup_place("US")))  # "U.S. President Donald Trump": a name of its own
        elif tokens[k].lower in ("u.s.", "us"):
            break
        titled = titled or _is_title(tokens[k])
        k += 1
    if titled:
        return found + _after_title(text, tokens, k, j, before)
    inner = next((t for t in range(i + 1, j + 1) if _is_title(tokens[t]) and tokens[t].lower != "general"), None)
    if inner is not None:  # "Federal Election Commission Chair Ellen Weintraub"
        end = inner - 1
        while end > i and tokens[end].lower in CONNECTORS:
            end -= 1
        left = type_run(text, tokens, (i, end), before)
        return left + (_after_title(text, tokens, inner + 1, j, before) if inner < j else [])
    if sentence_start(text, tokens, i) and not _known_single(tokens, i):
        if i == j:
            return []  # "Reports say", "Widespread rain": a capital because a sentence starts here
        first = tokens[i].text
        common = _COMMON_WORD.search(first) and not _typed_whole(text, tokens, i, j)
        if common or first.lower() in _NUMBER_WORDS:
            i += 1  # "Acclaimed actor...", "Two Democratic Party congressmen": drop the sentence's first word
            while i <= j and tokens[i].lower in CONNECTORS:
                i += 1
            if i > j:
                return []
    return _type(text, tokens, i, j, before)


def _after_title(text: str, tokens: tuple[Token, ...], k: int, j: int, before: list[Entity]) -> list[Typed]:
    """The name after a title: a person, except "King of Israel"; "Secretary of State Hillary Clinton" skips the office."""
    if k <= j and tokens[k].lower in CONNECTORS:
        if k + 2 <= j:
            k += 2  # "of State Hillary Clinton": the office's word, then the person
        else:
            return type_run(text, tokens, (k + 1, j), before) if k + 1 <= j else []
    if k > j:
        return []
    if any(_is_title(t) for t in tokens[k : j + 1]):
        return type_run(text, tokens, (k, j), before)  # "Deputy White House Counsel Vince Foster"
    last = j - 1 if j > k and _REGNAL.match(tokens[j].text) else j  # "Queen Elizabeth II", "Pope John Paul II"
    return [(k, j, PERSON if _name_like_run(tokens, k, last) else MISC, None)]


def _is_title(tok: Token) -> bool:
    return tok.lower.rstrip(".") in TITLES


def _known_single(tokens: tuple[Token, ...], i: int) -> bool:
    tok = tokens[i]
    return (
        lookup_place(tok.text) is not None
        or fold(tok.text) in KNOWN_ORGS
        or bool(ACRONYM.match(tok.text))
        or (i + 1 < len(tokens) and tokens[i + 1].lower in SAY_VERBS)
    )


def _typed_whole(text: str, tokens: tuple[Token, ...], i: int, j: int) -> bool:
    return lookup_place(text[tokens[i].start : tokens[j].end]) is not None or _head_kind(tokens, i, j) is not None


def _head(tokens: tuple[Token, ...], i: int, j: int) -> str:
    """The run's head word, singular: the last word, or the last before "of" ("Bank of England" -> "bank")."""
    for k in range(i, j + 1):
        if tokens[k].lower in CONNECTORS and k > i:
            j = k - 1
            break
    word = fold(tokens[j].text)
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 3 else word


def _head_kind(tokens: tuple[Token, ...], i: int, j: int) -> str | None:
    head = _head(tokens, i, j)
    if j > i and head in ORG_WORDS:
        return ORG
    if j > i and head in PLACE_WORDS or (fold(tokens[i].text) == "mount" and j > i):
        return PLACE
    if j > i and head in MISC_WORDS:
        return MISC
    return None


def _type(text: str, tokens: tuple[Token, ...], i: int, j: int, before: list[Entity]) -> list[Typed]:
    name = text[tokens[i].start : tokens[j].end]
    if fold(name) in KNOWN_ORGS:
        return [(i, j, ORG, None)]
    if j > i and fold(tokens[i].text) in _EVENT_OPENERS:
        return [(i, j, MISC, None)]  # "Hurricane Dorian", "Operation Desert Storm"
    head_kind = _head_kind(tokens, i, j)
    if head_kind is not None:
        return [(i, j, head_kind, None)]
    place = lookup_place(name)
    if place is not None and _accept_place(tokens, i, j, place, before):
        return [(i, j, PLACE, place)]
    connectors = [k for k in range(i + 1, j) if tokens[k].lower in CONNECTORS]
    if connectors:  # "Alex Smith of Minneapolis", "Donald Trump for President"
        parts, start = [], i
        for k in connectors + [j + 1]:
            if start <= k - 1:
                parts += type_run(text, tokens, (start, k - 1), before) if not _is_title(tokens[start]) or k - 1 > start else []
            start = k + 1
        return parts
    if _is_title(tokens[j]) and j > i:
        return [(i, j, MISC, None)]  # "House Speaker": a post, not a person
    if j > i and all(_country_like(t.text) for t in tokens[i : j + 1]):
        return [(k, k, PLACE, lookup_place(tokens[k].text)) for k in range(i, j + 1)]  # "European Russia"
    if j > i and _city(tokens[i].text) and tokens[j].text.endswith("s") and "'" not in tokens[j].text:
        return [(i, j, ORG, None)]  # a city and a plural: a team ("Baltimore Orioles")
    if i == j:
        return [_single(tokens, i, before)]
    return [(i, j, PERSON if _name_like_run(tokens, i, j) else MISC, None)]


def _accept_place(tokens: tuple[Token, ...], i: int, j: int, place: Place, before: list[Entity]) -> bool:
    prev = tokens[i - 1].lower.rstrip(".") if i else ""
    nxt = tokens[j + 1].lower if j + 1 < len(tokens) else ""
    surname = fold(tokens[j].text)
    if prev in TITLES or (i == j and nxt in SAY_VERBS):
        return False  # "President Obama", "Charlotte said"
    if any(e.kind == PERSON and fold(e.span.text.split()[-1]) == surname for e in before):
        return False
    small_city = place.kind == "city" and place.population < _SMALL_CITY
    return not (small_city and i == j and prev not in _PLACE_PREPOSITIONS)


def _city(word: str) -> bool:
    place = lookup_place(word)
    return place is not None and place.kind == "city" and place.population >= _SMALL_CITY


def _country_like(word: str) -> bool:
    """A country, region or demonym on its own ("European Russia"); city names are too often also first
    names ("Malia Obama") to split a run on them."""
    place = lookup_place(word)
    return place is not None and (place.kind in ("country", "region") or is_demonym(word))


def _name_like_run(tokens: tuple[Token, ...], i: int, j: int) -> bool:
    words = [t.text for t in tokens[i : j + 1] if t.text != "."]
    if not 1 <= len(words) <= 4 or words[0].lower() in _NOT_FIRST_NAMES:
        return False
    return all(w[0].isupper() and (not w.isupper() or len(w) == 1) for w in words)


def _single(tokens: tuple[Token, ...], i: int, before: list[Entity]) -> Typed:
    tok = tokens[i]
    folded = fold(tok.text)
    prev = tokens[i - 1].lower.rstrip(".") if i else ""
    nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    if prev in TITLES or any(e.kind == PERSON and fold(e.span.text.split()[-1]) == folded for e in before):
        return (i, i, PERSON, None)
    if folded in KNOWN_ORGS:
        return (i, i, ORG, None)
    expansion = _expanded_acronym(tok.text, before)
    if expansion is not None:
        return (i, i, expansion.kind, expansion.place)
    if nxt in SAY_VERBS and not ACRONYM.match(tok.text) and folded not in STOPWORDS:
        return (i, i, PERSON, None)
    return (i, i, MISC, None)


def _expanded_acronym(word: str, before: list[Entity]) -> Entity | None:
    """The earlier entity that `word` abbreviates ("World Meteorological Organization (WMO)"), if any."""
    if not ACRONYM.match(word):
        return None
    letters = word.replace(".", "").upper()
    for e in reversed(before):
        initials = "".join(w[0] for w in e.span.text.split() if w[0].isupper())
        if initials == letters and len(letters) > 1:
            return e
    return None
