"""Entity alignment (`check_entities`): matches a claim's names to a statement's and decides which differences
are conflicts.

Two names are the same entity when the gazetteer resolves both to one place ("Afghan" / "Afghanistan",
"U.S." / "United States"), when one is a part of the other's words ("Mohib" / "Hamdullah Mohib"), when one
abbreviates the other ("WHO" / "World Health Organization"), or when rapidfuzz scores them at or above
`entity_match_threshold` (inflections, spelling variants). Two places the gazetteer resolves to different
countries are never the same, however alike they are spelled ("Austria" / "Australia").

A claim name with no match is a conflict only against a statement name that (1) no claim name matches (nor
another claim name's conflict took), (2) is of the same kind (country / region / province or city / natural
feature, person, organization), (3) plays the same role (same preposition group among into/to, in/at, from,
near; or both subject, object or modifier; never "of", "with", "for", which say too little; names joined by
"and" share their role), or, for people and organizations, has the same title before it ("President Jacques
Chirac" / "President François Mitterrand") where neither role says otherwise, or is given the same one-of-a-kind
description ("Kabul is the capital of Badakhshan" / "Faizabad, the capital of Badakhshan"), and (4) sits in a statement that
otherwise matches: at least `entity_context_overlap` of the claim's other content words are in it. Otherwise
the claim name is unmatched: the statement does not speak about it, which is no conflict.

A name given only as the one who says something ("Dr. O'Connor said...", "according to the WHO", "published
in The Lancet") has the role "attribution": it never conflicts (others may say the same thing), and its
unmatched finding keeps that role in `details["claim"]["role"]`, so that a stance rule can tell a statement
that gives the finding without its speaker from one that leaves the claim's subject out.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from ...settings import Settings
from ..findings import Finding, Kind, Outcome, Span
from ..folding import fold as fold_text, restore_findings
from ..lexicon import word_overlap
from .gazetteer import fold, words_of
from .mentions import extract_entities
from .types import MISC, ORG, PERSON, PLACE, Entity

_PREP_GROUPS = ({"into", "to", "toward", "towards", "across"}, {"in", "at", "inside", "within", "throughout"},
                {"from"}, {"near", "around"})  # fmt: skip
_PLACE_CLASS = {"country": "country", "region": "region", "planet": "planet", "subdivision": "city or province", "city": "city or province"}


def check_entities(claim: str, statement: str, settings: Settings | None = None) -> tuple[Finding, ...]:
    """One finding per distinct name of the claim: matched, in conflict with a same-role name, or unmatched."""
    found = align(fold_text(claim), fold_text(statement), settings or Settings())
    return restore_findings(found, claim, statement)


def align(claim: str, statement: str, settings: Settings) -> tuple[Finding, ...]:
    claim_entities = _distinct(extract_entities(claim))
    if not claim_entities:
        return ()
    statement_entities = extract_entities(statement)
    same = {(id(c), id(s)): _same(c, s, settings) for c in claim_entities for s in statement_entities}
    matches = {id(c): _best_match(c, statement_entities, same) for c in claim_entities}
    taken = {id(s) for pair in matches.values() if pair for s in (pair[0],)}
    taken |= {id(s) for s in statement_entities for c in claim_entities if same[id(c), id(s)][0]}
    # "Vince Foster" inside the claim's "Deputy White House Counsel Vince Foster" is the claim's too.
    taken |= {id(s) for s in statement_entities for c in claim_entities if _within(s, c)}
    share = _context_share(claim, statement, claim_entities)
    findings, rivalled = [], set()
    for c in claim_entities:
        match = matches[id(c)]
        if match:
            findings.append(_consistent(c, *match))
            continue
        mention = _mentioned(c, statement)
        if mention is not None:
            findings.append(_consistent(c, _as_entity(c, mention), "named in the source text", 100.0))
            continue
        free = [s for s in statement_entities if id(s) not in taken and id(s) not in rivalled]
        rival = _rival(c, free)
        if rival is not None and share >= settings.entity_context_overlap:
            rivalled.add(id(rival))  # one source name stands in for one claim name
            findings.append(_conflict(c, rival, share))
        else:
            findings.append(_unmatched(c, statement_entities, rival, share))
    return tuple(findings)


def _distinct(entities: tuple[Entity, ...]) -> list[Entity]:
    seen, out = set(), []
    for e in entities:
        if e.key not in seen:
            seen.add(e.key)
            out.append(e)
    return out


def _same(a: Entity, b: Entity, settings: Settings) -> tuple[bool, str, float]:
    """Whether two names denote one entity, how that was decided, and the rapidfuzz score."""
    if a.place and b.place:
        if a.place.key == b.place.key:
            return True, "same place in the gazetteer", 100.0
        if {a.place.kind, b.place.kind} <= {"country", "region"}:
            return False, "different countries in the gazetteer", 0.0
    x, y = fold(a.span.text), fold(b.span.text)
    if x == y:
        return True, "same name", 100.0
    wx, wy = set(x.split()), set(y.split())
    if (a.kind == b.kind or MISC in (a.kind, b.kind)) and (wx < wy or wy < wx) and len(min(wx, wy, key=len) - {"the", "of"}) > 0:
        return True, "part of the same name", 100.0
    if _abbreviates(a.span.text, b.span.text) or _abbreviates(b.span.text, a.span.text):
        return True, "abbreviation", 100.0
    score = fuzz.ratio(x, y)
    if score >= settings.entity_match_threshold:
        return True, "similar spelling", score
    return False, "", score


def _within(s: Entity, c: Entity) -> bool:
    return words_of(s.span.text) in words_of(c.span.text)


def _abbreviates(short: str, long: str) -> bool:
    letters = short.replace(".", "")
    if not (letters.isupper() and 1 < len(letters) <= 6 and " " in long):
        return False
    return "".join(w[0] for w in long.split() if w[0].isupper()) == letters


def _best_match(c: Entity, statement: tuple[Entity, ...], compared: dict) -> tuple[Entity, str, float] | None:
    best = None
    for s in statement:
        same, how, score = compared[id(c), id(s)]
        if same and (best is None or score > best[2]):
            best = (s, how, score)
    return best


def _mentioned(c: Entity, statement: str) -> Span | None:
    """Where the statement's text names the claim entity though extraction missed it ("Trump visited..."):
    the whole name, or a person's surname, as words of the statement."""
    names = [c.span.text]
    if c.kind == PERSON and " " in c.span.text:
        names.append(c.span.text.split()[-1])
    haystack = words_of(statement)
    for name in names:
        needle = words_of(name)
        if len(needle) > 5 and needle in haystack:
            found = re.search(re.escape(name), statement, re.IGNORECASE)
            if found:
                return Span(found.start(), found.end(), found.group(0))
    return None


def _as_entity(c: Entity, span: Span) -> Entity:
    return Entity(span, c.kind, "other", c.place, c.demonym, c.title)


def _kind_class(e: Entity) -> str | None:
    if e.kind == MISC:
        return None  # events, laws and unknown names: matched or not, never said to conflict
    if e.kind == PLACE:
        return _PLACE_CLASS.get(e.place.kind, "place") if e.place else "natural feature or site"
    return {"PERSON": "person", "ORG": "organization"}[e.kind]


# Roles too loose to say that one name stands in for another ("members of the Royal Family").
# "attribution": another speaker saying the same thing contradicts nobody.
_LOOSE_ROLES = frozenset({"other", "of", "with", "for", "by", "on", "over", "under", "via", "between", "against", "attribution"})
# Roles that place a name in the sentence; two different ones rule out that one name stands in for the other.
_DEFINITE_ROLES = frozenset({"subject", "object", "modifier", "attribution"}) | frozenset().union(*_PREP_GROUPS)


def _same_role(a: str, b: str) -> bool:
    if a in _LOOSE_ROLES or b in _LOOSE_ROLES:
        return False
    if a == b:
        return True
    return any(a in group and b in group for group in _PREP_GROUPS)


def _same_title(c: Entity, s: Entity) -> bool:
    """A person or organization after the same title ("President ...", "Queen ...", "CEO ..."), in roles that do
    not say otherwise: both the subject, say, or one of them in a role the words around it leave open."""
    if c.kind not in (PERSON, ORG) or not c.title or c.title != s.title or "attribution" in (c.role, s.role):
        return False
    return c.role == s.role or not (c.role in _DEFINITE_ROLES and s.role in _DEFINITE_ROLES)


def _rival(c: Entity, free: list[Entity]) -> Entity | None:
    """The statement's unmatched name that takes the claim name's place, if there is one: same kind, and the
    same role or (people, organizations) the same title."""
    kind = _kind_class(c)
    if kind is None:
        return None
    same_kind = [s for s in free if _kind_class(s) == kind]
    return (next((s for s in same_kind if _same_role(c.role, s.role)), None)
            or next((s for s in same_kind if _same_title(c, s)), None)
            or next((s for s in same_kind if c.described and c.described == s.described), None))


def _context_share(claim: str, statement: str, claim_entities: list[Entity]) -> float:
    """Share of the claim's content words (names aside) that the statement also has, by stem or synonym."""
    return word_overlap(claim, statement, tuple(e.span for e in extract_entities(claim)))


_HOW = {
    "same name": "same {kind}",
    "part of the same name": "same {kind}, part of the name",
    "abbreviation": "abbreviation of the same {kind}",
    "named in the source text": "named in the source text",
}


def _consistent(c: Entity, s: Entity, how: str, score: float) -> Finding:
    kind = _kind_class(c) or _kind_class(s) or "name"
    if how == "same place in the gazetteer":
        same = f"both {c.place.name}" if fold(c.span.text) != fold(s.span.text) else f"same {kind}"
    elif how == "similar spelling":
        same = f"similar spelling, {score:.0f}/100"
    else:
        same = _HOW[how].format(kind=kind)
    return Finding(
        kind=Kind.ENTITY,
        outcome=Outcome.CONSISTENT,
        reason=f'claim "{c.span.text}" matches source "{s.span.text}" ({same})',
        claim_span=c.span,
        statement_span=s.span,
        details={"claim": c.to_dict(), "statement": s.to_dict(), "how": how, "score": score},
    )


def _conflict(c: Entity, s: Entity, share: float) -> Finding:
    role = c.role if c.role in ("subject", "object", "modifier") else f'after "{c.role}"'
    details = {"claim": c.to_dict(), "statement": s.to_dict(), "role": role, "context_share": round(share, 3)}
    if c.kind in (PERSON, ORG):
        if not _same_role(c.role, s.role):
            details["role"] = f'after the title "{c.title}"'
        reason = f'claim "{c.span.text}" conflicts with source "{s.span.text}" (another {_kind_class(c)} in the same role)'
    else:
        reason = f'claim names "{c.span.text}" where the source names "{s.span.text}" (different {_kind_class(c)})'
    if c.described and c.described == s.described and not _same_role(c.role, s.role):
        details["role"] = f'described as "{c.described}"'
        reason = reason[:-1] + f', both described as "{c.described}")'
    return Finding(
        kind=Kind.ENTITY,
        outcome=Outcome.INCONSISTENT,
        reason=reason,
        claim_span=c.span,
        statement_span=s.span,
        details=details,
    )


def _unmatched(c: Entity, statement: tuple[Entity, ...], rival: Entity | None, share: float) -> Finding:
    details = {"claim": c.to_dict(), "context_share": round(share, 3)}
    if rival is not None:
        details["not_a_conflict"] = {
            "statement": rival.to_dict(),
            "why": "the rest of the statement does not match the claim enough to say it replaces the claim's name",
        }
    same_kind = [s for s in statement if _kind_class(s) and _kind_class(s) == _kind_class(c)]
    if same_kind and rival is None:
        details["other_roles"] = [s.to_dict() for s in same_kind]
    # details["claim"]["role"] == "attribution": the claim names it only as who says what it reports.
    said_by = " only as the source of what it reports" if c.role == "attribution" else ""
    return Finding(
        kind=Kind.ENTITY,
        outcome=Outcome.UNMATCHED,
        reason=f'claim names "{c.span.text}"{said_by}; the source does not mention it',
        claim_span=c.span,
        details=details,
    )
