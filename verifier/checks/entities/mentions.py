"""Names and places: finds the people, places and organizations a text names, with the role each plays.

No NER model is to be had offline (spaCy's and Hugging Face's are not on PyPI), so a name is a run of
capitalized words (with "of", "on", "bin"... between them, and initials), typed by the gazetteer
(`gazetteer.py`: countries, demonyms, regions, provinces, cities), by keywords ("Committee", "Ministry",
"River", "Act"), by person titles ("President", "adviser") and by shape (two or three name-like words are a
person). Sentence-initial capitals are names only when the gazetteer or a following capital says so.

Each entity also carries its role in the sentence, read off its neighbours: the preposition that governs it
("into" Tajikistan), "subject" (a verb follows), "object" (a verb precedes), "modifier" ("Afghan troops",
"Russia's ministry"). The comparison (`align.py`) calls two different names a conflict only when
they play the same role.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..dates import MONTHS
from ..findings import Span
from ..folding import fold as fold_text, restore_mentions
from ..lexicon import IRREGULAR, STOPWORDS, Token, tokenize
from ..memo import seedable
from .gazetteer import Place, is_demonym
from .types import CONNECTORS, MISC, ORG, PERSON, PLACE, SAY_VERBS, TITLES, Entity, headline, sentence_start, type_headline_run, type_run

__all__ = ["MISC", "ORG", "PERSON", "PLACE", "Entity", "extract_entities"]

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
    tells told claims claimed denies denied""".split()
)
TOKEN_WORDS = re.compile(r"[\w.]+|[^\w\s]")
_CALENDAR_WORDS = frozenset(MONTHS) | {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "wed", "thu", "fri"}


def extract_entities(text: str) -> tuple[Entity, ...]:
    """The named people, places and organizations (and other named things, kind MISC) of `text`, in order."""
    return restore_mentions(_extract(fold_text(text)), text)


@seedable(maxsize=8192)  # stored features are seeded here: ../stored.py
def _extract(text: str) -> tuple[Entity, ...]:
    tokens = tokenize(text)
    titled = headline(tokens)  # a property of the whole text: decided once, not for every run
    entities: list[Entity] = []
    for run in _runs(text, tokens):
        entities.extend(_classify(text, tokens, run, entities, titled))
    return tuple(_coordinated(text, entities))


# --- finding runs of capitalized words ---------------------------------------------------------------


def _is_cap(tok: Token) -> bool:
    t = tok.text
    if not t[0].isupper():  # most words: decided without the calendar lookup
        return tok.lower.startswith(("al-", "el-")) and len(t) > 3 and t[3].isupper()
    return t != "I" and tok.lower.rstrip(".") not in _CALENDAR_WORDS  # months and weekdays: the dates check's


def _runs(text: str, tokens: tuple[Token, ...]) -> list[tuple[int, int]]:
    """(first, last) token indices of each run of capitalized words, connectors and initials inside."""
    runs, i, n = [], 0, len(tokens)
    while i < n:
        if not _opens_run(text, tokens, i):
            i += 1
            continue
        j = i
        while j + 1 < n:
            nxt = tokens[j + 1]
            if nxt.text == "." and len(tokens[j].text) == 1 and tokens[j].text.isupper():
                j += 1  # an initial: "John S. McCain"
            elif _is_cap(nxt) and nxt.start - tokens[j].end <= 1 and not _possessive(tokens[j]):
                j += 1
            elif nxt.lower in CONNECTORS and j + 2 < n and _is_cap(tokens[j + 2]) and not _possessive(tokens[j]):
                j += 2
            else:
                break
        runs.append((i, j))
        i = j + 1
    return runs


def _opens_run(text: str, tokens: tuple[Token, ...], i: int) -> bool:
    """A capitalized word of two letters or more that is not a function word capitalized by a sentence start
    ("In", "The"); acronyms count even there ("US President...")."""
    tok = tokens[i]
    if not _is_cap(tok) or len(tok.text) == 1:
        return False
    return tok.lower not in STOPWORDS or tok.text.isupper() or not sentence_start(text, tokens, i)


def _possessive(tok: Token) -> bool:
    return tok.text.endswith(("'s", "’s", "s'", "s’"))


# --- typing a run ----------------------------------------------------------------------------------


def _classify(
    text: str, tokens: tuple[Token, ...], run: tuple[int, int], before: list[Entity], titled: bool
) -> list[Entity]:
    typed = type_headline_run(text, tokens, run) if titled else type_run(text, tokens, run, before)
    return [_entity(text, tokens, i, j, kind, place) for i, j, kind, place in typed]


def _entity(text: str, tokens: tuple[Token, ...], i: int, j: int, kind: str, place: Place | None = None) -> Entity:
    start, end = tokens[i].start, tokens[j].end
    if _possessive(tokens[j]):
        end -= 2 if tokens[j].text.endswith(("'s", "’s")) else 1
    surface = text[start:end]
    demonym = place is not None and is_demonym(surface)
    role = "attribution" if kind != PLACE and _attributed(tokens, i, j) else _role(tokens, i, j, demonym)
    return Entity(Span(start, end, surface), kind, role, place, demonym, _title(tokens, i), _described(tokens, j))


# --- role in the sentence ---------------------------------------------------------------------------


_NOT_VERBS = frozenset({"during", "including", "regarding", "concerning", "following", "according", "bring",
                        "nothing", "something", "anything", "everything", "morning", "evening", "building"})


def _verbish(word: str) -> bool:
    w = word.lower()
    if w in _NOT_VERBS or w in _SKIP_LEFT:
        return False
    return w in _AUX or w in IRREGULAR or (w.endswith(("ed", "ing")) and len(w) > 4)


def _modifies(nxt: Token) -> bool:
    """A lower-case noun right after a name makes the name its modifier: "Afghan troops", "US forces"."""
    w = nxt.lower
    return nxt.text[0].islower() and w not in STOPWORDS and w not in _PREPOSITIONS and not _verbish(w)


def _describes(nxt: Token) -> bool:
    """A demonym before any lower-case content word modifies what follows, even a participle: "a French
    animated series" (a demonym is no verb's subject the way "Russia" in "Russia invaded" is)."""
    w = nxt.lower
    return nxt.text[0].isalpha() and nxt.text[0].islower() and w not in STOPWORDS and w not in _PREPOSITIONS


# --- titles, attribution and coordination ----------------------------------------------------------


def _title(tokens: tuple[Token, ...], i: int) -> str | None:
    """The title written right before a name, lower-case ("President", "Prime Minister", "Dr." -> "dr")."""
    words, k = [], i - 1
    while k >= 0 and (tokens[k].text == "." or tokens[k].lower.rstrip(".") in TITLES):
        if tokens[k].text != ".":
            words.insert(0, tokens[k].lower.rstrip("."))
        k -= 1
    return " ".join(words) or None


_COPULA = frozenset({"is", "was", "are", "were", "remains", "remained", "became", "becomes"})


def _described(tokens: tuple[Token, ...], j: int) -> str | None:
    """The head of the one-of-a-kind description the sentence gives a name, by a copula or in apposition: "Kabul
    is the capital of Badakhshan", "Faizabad, the capital of Badakhshan" -> "capital"; "the chief executive of"
    -> "executive"; "Afghanistan's national security adviser" -> "adviser". Only "the ... of" or a possessive:
    "a member of" is one of many, and says nothing another name could contradict."""
    n, k = len(tokens), j + 1
    if k < n and (tokens[k].lower in _COPULA or tokens[k].text == ","):
        k += 1
    else:
        return None
    if k < n and tokens[k].text[0].isupper() and tokens[k].text.endswith(("'s", "’s")):
        # "Hamdullah Mohib, Afghanistan's national security adviser, ...": a possessive names the one of a kind
        words, k = [], k + 1
        while k < n and len(words) < 4 and tokens[k].text.isalpha() and tokens[k].text.islower():
            words.append(tokens[k].lower)
            k += 1
        ends = k >= n or not tokens[k].text[0].isalnum() or tokens[k].lower in _COPULA
        return words[-1] if words and ends and not any(_verbish(w) for w in words) else None
    if k >= n or tokens[k].lower != "the":
        return None
    words, k = [], k + 1
    while k < n and len(words) < 4 and tokens[k].lower != "of" and tokens[k].text.isalpha() and tokens[k].text.islower():
        words.append(tokens[k].lower)
        k += 1
    return words[-1] if words and k < n and tokens[k].lower == "of" else None


# Verbs whose subject is who says something, not what it is about: "Dr. O'Connor said the vaccine...".
_REPORTING = frozenset(
    """said says say told tells wrote writes stated states added adds tweeted tweets noted notes explained
    explains reported reports announced announces""".split()
)
# Verbs that report a finding only with "that" after them: "the study found that...", not "police found the body".
_FINDING = frozenset("found finds showed shows concluded concludes estimated estimates".split())
_ATTRIBUTION_SKIP = frozenset({".", ",", "the", "a", "an", "journal", "magazine", "newspaper", "medical", "scientific"})


def _attributed(tokens: tuple[Token, ...], i: int, j: int) -> bool:
    """Whether a name is given only as the source of what the sentence reports: the subject of a reporting
    verb ("X said", "X reported", "X found that"), or after "according to" or "published in" ("a study
    published in The Lancet"), or after "said" at the end of a quote ("..., said Dr. Smith")."""
    n = len(tokens)
    k = j + 1
    if k < n and tokens[k].text in ("'s", "’s"):
        return False
    if k < n and tokens[k].lower in _REPORTING:
        return True
    if k + 1 < n and tokens[k].lower in _FINDING and tokens[k + 1].lower == "that":
        return True
    k = i - 1
    while k >= 0 and (tokens[k].lower in _ATTRIBUTION_SKIP or tokens[k].lower.rstrip(".") in TITLES):
        if tokens[k].text == "," and (k == 0 or tokens[k - 1].lower not in ('"', "”", "'")):
            break
        k -= 1
    if k < 0:
        return False
    left, before = tokens[k].lower, tokens[k - 1].lower if k > 0 else ""
    return (left == "to" and before == "according") or (left == "in" and before in ("published", "appeared")) or (
        left in ("said", "says") and before in (",", '"', "”", "'"))


_COORDINATORS = frozenset({"and", "or", "&", "nor"})


def _coordinated(text: str, entities: list[Entity]) -> list[Entity]:
    """Names joined by "and"/"or" ("President Jacques Chirac and Queen Elizabeth II opened...") share one role:
    the one the first member takes from its left ("into X and Y", "met X and Y"), else the one the last
    member takes from its right ("X and Y opened", "X and Y forces", "X and Y said"). Only members left
    with no role of their own ("other") take it; a comma joins a list only where "and"/"or" ends it."""
    out = list(entities)
    chains: list[tuple[list[int], bool]] = []  # members, and whether an "and"/"or" joins them
    for k, entity in enumerate(out):
        link = _link(text[out[k - 1].span.end : entity.span.start]) if k else None
        if link is None:
            chains.append(([k], False))
        else:
            members, joined = chains[-1]
            chains[-1] = (members + [k], joined or link == "and")
    for members, joined in chains:
        if not joined:
            continue  # "Hamdullah Mohib, Afghanistan's adviser": a comma alone is no list
        first, last = out[members[0]], out[members[-1]]
        if first.role not in ("other", "subject", "modifier", "attribution"):
            role = first.role
        elif last.role in ("subject", "modifier", "attribution"):
            role = last.role
        else:
            continue
        for m in members:
            if out[m].role == "other":
                out[m] = replace(out[m], role=role)
    return out


def _link(gap: str) -> str | None:
    """"and" (or "or", "&", ", and") or "," where `gap` joins two names of a list, titles allowed after it."""
    words = [w.lower() for w in TOKEN_WORDS.findall(gap)]
    if words and words[0] == ",":
        if len(words) > 1 and words[1] in _COORDINATORS:
            words = words[1:]
        else:
            rest = words[1:]
            return "," if all(w == "." or w.rstrip(".") in TITLES or w == "the" for w in rest) else None
    if not words or words[0] not in _COORDINATORS:
        return None
    return "and" if all(w == "." or w.rstrip(".") in TITLES or w == "the" for w in words[1:]) else None


def _role(tokens: tuple[Token, ...], i: int, j: int, demonym: bool = False) -> str:
    nxt = tokens[j + 1] if j + 1 < len(tokens) else None
    if _possessive(tokens[j]) or (nxt is not None and (_modifies(nxt) or (demonym and _describes(nxt)))):
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
    if nxt is not None and (_verbish(nxt.text) or nxt.lower in SAY_VERBS):
        return "subject"
    return "other"
