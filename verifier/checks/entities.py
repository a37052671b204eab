"""Names and places: finds the people, places and organizations a text names, with the role each plays.

No NER model is to be had offline (spaCy's and Hugging Face's are not on PyPI), so a name is a run of
capitalized words (with "of", "on", "bin"... between them, and initials), typed by the gazetteer
(`gazetteer.py`: countries, demonyms, regions, provinces, cities), by keywords ("Committee", "Ministry",
"River", "Act"), by person titles ("President", "adviser") and by shape (two or three name-like words are a
person). Sentence-initial capitals are names only when the gazetteer or a following capital says so.

Each entity also carries its role in the sentence, read off its neighbours: the preposition that governs it
("into" Tajikistan), "subject" (a verb follows), "object" (a verb precedes), "modifier" ("Afghan troops",
"Russia's ministry"). The comparison (`entity_align.py`) calls two different names a conflict only when
they play the same role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..settings import Settings
from .findings import Finding, Span
from .gazetteer import Place, fold, is_demonym, lookup_place
from .dates import MONTHS
from .lexicon import IRREGULAR, STOPWORDS, Token, tokenize

__all__ = ["Entity", "check_entities", "extract_entities"]

PERSON, PLACE, ORG, MISC = "PERSON", "PLACE", "ORG", "MISC"

_CONNECTORS = frozenset({"of", "on", "for", "de", "la", "da", "del", "van", "von", "der", "bin", "ibn", "al", "&"})
_TITLES = frozenset(
    """president vice-president prime minister senator sen rep representative gov governor mayor mr mrs ms dr
    judge justice king queen prince princess pope general gen colonel col chancellor secretary ambassador
    sheikh ayatollah emir sir lord lady professor prof actor actress singer rapper adviser advisor spokesman
    spokeswoman spokesperson leader chief founder ceo director daughter son wife husband congresswoman
    congressman commander author scientist journalist host candidate""".split()
)
_ORG_WORDS = frozenset(
    """committee ministry council agency organization organisation university institute party army navy
    bank fund association commission department company corporation inc ltd group union court congress
    parliament senate administration office service programme program panel board foundation society centre
    center academy laboratory survey bureau authority network times post news press force forces police league
    federation alliance coalition front movement unit school college hospital church brigade""".split()
)
_KNOWN_ORGS = frozenset(
    """taliban al-qaeda al-qaida hamas hezbollah isis isil nato un eu who cdc fda nasa noaa ipcc wmo imf opec
    fbi cia nsa unicef unesco wto bbc cnn afp ap reuters epa nih nist pentagon kremlin congress""".split()
) | {"white house", "islamic state", "european union", "united nations"}
_FEATURE_WORDS = frozenset(
    """ocean sea river lake mount mountains mountain glacier current stream bay gulf peninsula island islands
    desert basin valley strait canal airport tower bridge base station stadium sheet cap reef falls""".split()
)
_MISC_WORDS = frozenset(
    """act agreement accord protocol treaty declaration report assessment conference convention summit war
    age era period award prize index day games olympics cup attacks attack storm hurricane virus disease""".split()
)
_PREPOSITIONS = frozenset(
    """into in to from at across near of by with for on toward towards through against inside outside within
    over under via between around throughout""".split()
)
_SKIP_LEFT = frozenset(
    """the a an neighbouring neighboring nearby northern southern eastern western central north south east west
    northeastern northwestern southeastern southwestern its their his her former then rural war-torn
    mainland neighbour neighbor""".split()
)
_AUX = frozenset(
    """is was were are has have had will would said says can could did does do may might must should shall
    tells told says claims claimed denies denied""".split()
)
_SAY_VERBS = frozenset({"said", "says", "told", "wrote", "added", "argued", "claimed", "denied", "stated", "tweeted"})
_CALENDAR_WORDS = frozenset(MONTHS) | {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "wed", "thu", "fri"}
# A sentence's first word that looks like an ordinary English word, not a first name ("Acclaimed", "Increasing").
_COMMON_WORD = re.compile(
    r"(?:ed|ing|al|ial|ous|ive|ly|ful|ic|ent|ant|ion|ions|ity|ness|less|able|ible|ies|ers|ists)$|-[a-z]", re.I)
_SENTENCE_END = re.compile(r"[.!?:;\"“”(\[]\s*$")
_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z][A-Z0-9&-]*[A-Z0-9]$")


@dataclass(frozen=True)
class Entity:
    """One name in a text: its span (without a possessive "'s"), kind, place if known, and role in the sentence."""

    span: Span
    kind: str  # PERSON, PLACE, ORG, MISC
    role: str  # a preposition ("into"), "subject", "object", "modifier" or "other"
    place: Place | None = None
    demonym: bool = False

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
        }


def extract_entities(text: str) -> tuple[Entity, ...]:
    """The named people, places and organizations (and other named things, kind MISC) of `text`, in order."""
    return _extract(text)


def check_entities(claim: str, statement: str, settings: Settings | None = None) -> tuple[Finding, ...]:
    """One finding per distinct name of the claim: matched, in conflict with a same-role name, or unmatched."""
    from .entity_align import align

    return align(claim, statement, settings or Settings())


@lru_cache(maxsize=8192)
def _extract(text: str) -> tuple[Entity, ...]:
    tokens = tokenize(text)
    entities: list[Entity] = []
    for run in _runs(text, tokens):
        entities.extend(_classify(text, tokens, run, entities))
    return tuple(entities)


# --- finding runs of capitalized words ---------------------------------------------------------------


def _is_cap(tok: Token) -> bool:
    t = tok.text
    if tok.lower.rstrip(".") in _CALENDAR_WORDS:
        return False  # months and weekdays belong to the dates check
    return t[0].isupper() or (t.lower().startswith(("al-", "el-")) and len(t) > 3 and t[3].isupper())


def _sentence_start(text: str, tokens: tuple[Token, ...], i: int) -> bool:
    return i == 0 or bool(_SENTENCE_END.search(text[: tokens[i].start]))


def _runs(text: str, tokens: tuple[Token, ...]) -> list[tuple[int, int]]:
    """(first, last) token indices of each run of capitalized words, connectors and initials inside."""
    runs, i, n = [], 0, len(tokens)
    while i < n:
        tok = tokens[i]
        if not _is_cap(tok) or (tok.lower in STOPWORDS and _sentence_start(text, tokens, i)):
            i += 1
            continue
        j = i
        while j + 1 < n:
            nxt = tokens[j + 1]
            if nxt.text == "." and len(tokens[j].text) == 1 and tokens[j].text.isupper():
                j += 1  # an initial: "John S. McCain"
            elif _is_cap(nxt) and nxt.start - tokens[j].end <= 1 and not _possessive(tokens[j]):
                j += 1
            elif nxt.lower in _CONNECTORS and j + 2 < n and _is_cap(tokens[j + 2]) and not _possessive(tokens[j]):
                j += 2
            else:
                break
        runs.append((i, j))
        i = j + 1
    return runs


def _possessive(tok: Token) -> bool:
    return tok.text.endswith(("'s", "’s", "s'", "s’"))


# --- typing a run ----------------------------------------------------------------------------------


def _classify(text: str, tokens: tuple[Token, ...], run: tuple[int, int], before: list[Entity]) -> list[Entity]:
    i, j = run
    found: list[Entity] = []
    k = i
    while k <= j and (_is_title(tokens[k]) or (k < j and tokens[k].lower in ("u.s.", "us") and _is_title(tokens[k + 1]))):
        if not _is_title(tokens[k]):  # "U.S. President Donald Trump": the country is a name of its own
            found.append(_entity(text, tokens, k, k, PLACE, lookup_place("US")))
        k += 1
    if k > i:
        return found + ([_entity(text, tokens, k, j, PERSON)] if k <= j else [])
    words = [t.lower for t in tokens[i : j + 1]]
    if _sentence_start(text, tokens, i) and not _known_single(tokens, i):
        if i == j:
            return []  # "Reports say", "Widespread rain": a capital because a sentence starts here
        whole_known = lookup_place(_name_text(text, tokens, i, j)) or _ORG_WORDS & {fold(w) for w in words}
        if not whole_known and _COMMON_WORD.search(tokens[i].text):
            i, words = i + 1, words[1:]  # "Acclaimed actor...": drop the sentence's first word, keep the rest
            while i <= j and tokens[i].lower in _CONNECTORS:
                i, words = i + 1, words[1:]
            if i > j:
                return []
    return _type_run(text, tokens, i, j, words, before)


def _is_title(tok: Token) -> bool:
    return tok.lower.rstrip(".") in _TITLES


def _known_single(tokens: tuple[Token, ...], i: int) -> bool:
    tok = tokens[i]
    return (
        lookup_place(tok.text) is not None
        or fold(tok.text) in _KNOWN_ORGS
        or bool(_ACRONYM.match(tok.text))
        or (i + 1 < len(tokens) and tokens[i + 1].lower in _SAY_VERBS)
    )


def _name_text(text: str, tokens: tuple[Token, ...], i: int, j: int) -> str:
    return text[tokens[i].start : tokens[j].end]


def _type_run(
    text: str, tokens: tuple[Token, ...], i: int, j: int, words: list[str], before: list[Entity]
) -> list[Entity]:
    name = _name_text(text, tokens, i, j)
    place = lookup_place(name)
    folded = [fold(w) for w in words]
    if fold(name) in _KNOWN_ORGS:
        return [_entity(text, tokens, i, j, ORG)]
    if place is not None and not _person_context(tokens, i, j, before):
        return [_entity(text, tokens, i, j, PLACE, place)]
    if _ORG_WORDS & set(folded[1:]):
        return [_entity(text, tokens, i, j, ORG)]
    if _FEATURE_WORDS & set(folded[1:]) or (folded[0] == "mount" and j > i):
        return [_entity(text, tokens, i, j, PLACE)]
    if _MISC_WORDS & set(folded[1:]):
        return [_entity(text, tokens, i, j, MISC)]
    if j > i and all(_country_like(t.text) for t in tokens[i : j + 1] if t.lower not in _CONNECTORS):
        return [_entity(text, tokens, k, k, PLACE, lookup_place(tokens[k].text)) for k in range(i, j + 1)
                if tokens[k].lower not in _CONNECTORS]  # fmt: skip
    if i == j:
        return [_single(text, tokens, i, before)]
    if j - i <= 3 and all(_name_like(t.text) for t in tokens[i : j + 1]):
        return [_entity(text, tokens, i, j, PERSON)]
    return [_entity(text, tokens, i, j, MISC)]


def _country_like(word: str) -> bool:
    """A word that is a country, a region or a demonym on its own ("European Russia"); city names are too
    often also first names ("Malia Obama") to split a run on them."""
    place = lookup_place(word)
    return place is not None and (place.kind in ("country", "region") or is_demonym(word))


def _name_like(word: str) -> bool:
    return (word[0].isupper() and not word.isupper()) or word in (".",) or (len(word) == 1 and word.isupper())


def _person_context(tokens: tuple[Token, ...], i: int, j: int, before: list[Entity]) -> bool:
    """A place name used as a person's ("President Obama", "Charlotte said", or the surname of a person named before)."""
    prev = tokens[i - 1].lower.rstrip(".") if i else ""
    nxt = tokens[j + 1].lower if j + 1 < len(tokens) else ""
    surname = fold(tokens[j].text)
    return (
        prev in _TITLES
        or (nxt in _SAY_VERBS and i == j)
        or any(e.kind == PERSON and fold(e.span.text.split()[-1]) == surname for e in before)
    )


def _single(text: str, tokens: tuple[Token, ...], i: int, before: list[Entity]) -> Entity:
    tok = tokens[i]
    folded = fold(tok.text)
    prev = tokens[i - 1].lower.rstrip(".") if i else ""
    nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    if prev in _TITLES or any(e.kind == PERSON and fold(e.span.text.split()[-1]) == folded for e in before):
        return _entity(text, tokens, i, i, PERSON)
    if folded in _KNOWN_ORGS:
        return _entity(text, tokens, i, i, ORG)
    expansion = _expanded_acronym(tok.text, before)
    if expansion is not None:
        return _entity(text, tokens, i, i, expansion.kind, expansion.place)
    if nxt in _SAY_VERBS and not _ACRONYM.match(tok.text):
        return _entity(text, tokens, i, i, PERSON)
    return _entity(text, tokens, i, i, MISC)


def _expanded_acronym(word: str, before: list[Entity]) -> Entity | None:
    """The earlier entity that `word` abbreviates ("World Meteorological Organization (WMO)"), if any."""
    if not _ACRONYM.match(word):
        return None
    letters = word.replace(".", "").upper()
    for e in reversed(before):
        initials = "".join(w[0] for w in e.span.text.split() if w[0].isupper())
        if initials == letters and len(letters) > 1:
            return e
    return None


def _entity(text: str, tokens: tuple[Token, ...], i: int, j: int, kind: str, place: Place | None = None) -> Entity:
    start, end = tokens[i].start, tokens[j].end
    if _possessive(tokens[j]):
        end -= 2 if tokens[j].text.endswith(("'s", "’s")) else 1
    surface = text[start:end]
    demonym = place is not None and is_demonym(surface)
    return Entity(Span(start, end, surface), kind, _role(tokens, i, j, demonym), place, demonym)


# --- role in the sentence ---------------------------------------------------------------------------


def _verbish(word: str) -> bool:
    w = word.lower()
    return w in _AUX or w in IRREGULAR or (w.endswith("ed") and len(w) > 4 and w not in _SKIP_LEFT)


def _modifies(nxt: Token) -> bool:
    """A lower-case noun right after a name makes the name its modifier: "Afghan troops", "US forces"."""
    w = nxt.lower
    return nxt.text[0].islower() and w not in STOPWORDS and w not in _PREPOSITIONS and not _verbish(w)


def _role(tokens: tuple[Token, ...], i: int, j: int, demonym: bool) -> str:
    nxt = tokens[j + 1] if j + 1 < len(tokens) else None
    if _possessive(tokens[j]) or (nxt is not None and _modifies(nxt)):
        return "modifier"
    k, skipped = i - 1, 0
    while k >= 0 and skipped < 3 and (tokens[k].lower in _SKIP_LEFT or _possessive(tokens[k])):
        k, skipped = k - 1, skipped + 1
    if k >= 0:
        left = tokens[k].lower
        if left in _PREPOSITIONS:
            return "from" if left == "of" and k > 0 and tokens[k - 1].lower == "out" else left
        if _verbish(left) and left not in ("said", "says", "told"):
            return "object"
    if nxt is not None and (_verbish(nxt.text) or nxt.lower in _SAY_VERBS):
        return "subject"
    return "other"
