"""Alignment: which quantity of a statement a claim quantity talks about.

Two quantities can be aligned only if their kinds are commensurable (counts with counts and vague counts,
shares with shares, money with money, measures of one dimension) and, where both name what they count,
the nouns agree ("troops" and "soldiers" do, "troops" and "districts" never). Among those, the best is the
one with the most evidence: the same noun (3), a claim noun found near the statement figure (2), each shared
content word around the two figures (1, at most 3); a tie goes to the first in the statement. A candidate with
less evidence than `MIN_SCORE` is not aligned, so a statement that happens to hold some other percentage does not
"confirm" a claim.
"""

from __future__ import annotations

from dataclasses import dataclass

from .mentions import Quantity, QuantityKind
from .nouns import stem

_COUNTS = {QuantityKind.COUNT, QuantityKind.VAGUE, QuantityKind.NUMBER}
_SHARES = {QuantityKind.PERCENT, QuantityKind.FRACTION, QuantityKind.PERCENTAGE_POINT}

# Nouns that count the same things in news and science writing.
_SYNONYM_GROUPS = [
    "troop soldier force serviceman servicemen personnel fighter militant",
    "people person individual",
    "death fatality dead killed victim",
    "case infection",
    "child kid minor",
    "patient case subject participant",
    "district province region area",
    "country nation state",
    "dollar usd",
    "abstract paper study article trial",
    "job worker employee",
]
# Words too common in reports of figures to tell two figures apart; they count half.
_GENERIC = frozenset(
    "common total average rate level new high low large small major overall general main recent current year time "
    "increase decrease rise fall change estimate report study data result show found".split()
)
_SYNONYMS: dict[str, frozenset[str]] = {}
for _group in _SYNONYM_GROUPS:
    _members = frozenset(_group.split())
    for _w in _members:
        _SYNONYMS[_w] = _SYNONYMS.get(_w, frozenset()) | _members


def same_noun(a: str, b: str) -> bool:
    sa, sb = stem(a), stem(b)
    if sa == sb or a == b:
        return True
    return sb in _SYNONYMS.get(sa, frozenset()) or b in _SYNONYMS.get(sa, frozenset())


_OWN_KIND = {"confidence_level", "p_value"}  # statistics that only ever compare with their own kind


def commensurable(a: Quantity, b: Quantity) -> bool:
    if a.dimension in _OWN_KIND or b.dimension in _OWN_KIND:
        return a.dimension == b.dimension
    if a.kind in _COUNTS and b.kind in _COUNTS:
        return True
    if a.kind in _SHARES and b.kind in _SHARES:
        return _is_change(a) == _is_change(b)
    if a.kind is not b.kind:
        return False
    if a.kind is QuantityKind.MEASURE:
        return _family(a.dimension) == _family(b.dimension)
    if a.kind is QuantityKind.MONEY:
        return True  # another currency aligns, and is then reported as not comparable
    return True


def _is_change(q: Quantity) -> bool:
    """Percentage points are a difference of two percentages, so they are changes too."""
    return q.kind is QuantityKind.PERCENTAGE_POINT or bool(q.dimension and q.dimension.startswith("change"))


def _family(dimension: str | None) -> str | None:
    return "temperature" if dimension and dimension.startswith("temperature") else dimension


# The least evidence that aligns two figures: one shared word standing near only the source figure, or two
# shared words, or a noun. A word shared with every figure of the source tells them apart from nothing.
# Between WEAK_SCORE and MIN_SCORE a figure is a counterpart only if it agrees (see compare.py).
MIN_SCORE = 1.0
WEAK_SCORE = 0.5


@dataclass(frozen=True)
class Alignment:
    statement_quantity: Quantity
    score: float
    evidence: tuple[str, ...]  # why: "noun troops = soldiers", "shared word fled"
    rivals: tuple[Quantity, ...] = ()  # other free statement quantities with the same score and another value


def candidates(claim_q: Quantity, statement_qs: tuple[Quantity, ...]) -> list[Alignment]:
    """Every statement quantity `claim_q` could talk about, with its score (> 0)."""
    out = []
    for s in statement_qs:
        if commensurable(claim_q, s):
            a = _score(claim_q, s, statement_qs)
            if a is not None and a.score >= WEAK_SCORE:
                out.append(a)
    return out


def assign(claim_qs: tuple[Quantity, ...], statement_qs: tuple[Quantity, ...]) -> list[Alignment | None]:
    """The counterpart of each claim quantity, one to one: two figures of a claim say two things, so they
    cannot both be one figure of the source ("infected 500 million and killed 100 million"). Best scores are
    served first; on a tie, a source figure equal to the claim's, then the one in the same position.
    A figure restated in brackets ("2 °C (3.6 °F)") shares its head's counterpart."""
    heads = [i for i, q in enumerate(claim_qs) if q.equivalent_of is None]
    group = [_root(statement_qs, j) for j in range(len(statement_qs))]
    index = {id(q): j for j, q in enumerate(statement_qs)}
    options = {i: candidates(claim_qs[i], statement_qs) for i in heads}
    ranked = sorted(
        ((a.score, _equal(claim_qs[i], a.statement_quantity), -abs(i - index[id(a.statement_quantity)]), -i, i, a)
         for i in heads for a in options[i]),
        key=lambda t: t[:4],
        reverse=True,
    )
    result: dict[int, Alignment] = {}
    taken: set[int] = set()
    for score, _, _, _, i, a in ranked:
        j = index[id(a.statement_quantity)]
        if i in result or group[j] in taken:
            continue
        rivals = tuple(
            o.statement_quantity for o in options[i]
            if o.score == score and o is not a and group[index[id(o.statement_quantity)]] not in taken
            and group[index[id(o.statement_quantity)]] != group[j]
            and not _equal(o.statement_quantity, a.statement_quantity)
        )
        result[i] = Alignment(a.statement_quantity, a.score, a.evidence, () if _equal(claim_qs[i], a.statement_quantity) else rivals)
        taken.add(group[j])
    out: list[Alignment | None] = []
    for i, q in enumerate(claim_qs):
        head = _root(claim_qs, i)
        out.append(result.get(head))
    return out


def _root(qs: tuple[Quantity, ...], i: int) -> int:
    while qs[i].equivalent_of is not None:
        i = qs[i].equivalent_of  # type: ignore[assignment]
    return i


def _equal(a: Quantity, b: Quantity) -> bool:
    return a.kind is b.kind and a.unit == b.unit and a.value == b.value and a.high_value == b.high_value


def _score(c: Quantity, s: Quantity, all_s: tuple[Quantity, ...]) -> Alignment | None:
    evidence: list[str] = []
    score = 0.0
    if c.noun and s.noun:
        if not same_noun(c.noun, s.noun):
            return None  # the same figure for another noun is no agreement
        score += 3
        evidence.append(f"noun {c.noun} = {s.noun}" if c.noun != s.noun else f"noun {c.noun}")
    elif c.noun and stem(c.noun) in s.context:
        score += 2
        evidence.append(f"noun {c.noun} near the source figure")
    elif s.noun and stem(s.noun) in c.context:
        score += 2
        evidence.append(f"noun {s.noun} near the claim figure")
    elif c.noun and c.kind in _COUNTS:
        return None  # the claim says what it counts and the source figure does not mention it
    shared = set(c.context) & set(s.context)
    if c.noun:
        shared.discard(stem(c.noun))
    # A shared word counts double next to the source figure, and is divided among the source figures it
    # stands near, so "headache" beside "headache (10.9%)" outweighs "symptom", which is everywhere.
    words = 0.0
    for w in sorted(shared):
        holders = sum(1 for q in all_s if w in q.context and commensurable(c, q)) or 1
        weight = 0.5 if w in _GENERIC else 1.0
        words += weight * (2.0 if w in s.near_context else 1.0) / holders
        evidence.append(f"shared word {w}")
    score += min(words, 3.0)
    if score and c.unit and c.unit == s.unit and c.kind is s.kind and not c.noun:
        score += 0.5
        evidence.append(f"same unit {c.unit}")
    if score and _equal(c, s):
        score += 1  # the very figure of the claim, with words in common, is the likeliest counterpart
        evidence.append("same figure")
    return Alignment(s, round(score, 6), tuple(evidence[:4]))
