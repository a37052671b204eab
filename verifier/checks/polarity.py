"""Polarity: whether a claim and a statement affirm or deny the predicate they share.

The shared predicate is found by aligning the claim's predicate-like words (verbs by form or position,
words after "is"/"was", words of the antonym and synonym tables) with the statement's, by stem or synonym
(`lexicon.py`). Each word's polarity is the parity of the negation cues whose scope covers it. A cue
("not", "n't", "never", "no", "without", "failed to", "refused to", "denied that", "no evidence that",
"it is false that"...) covers the words after it up to the end of its clause (punctuation, "but", "while",
"which", "and"...), so an unrelated "not" in another clause of the statement does not flip the claim's
predicate. Pairs of opposite predicates ("confirmed" / "denied", "rose" / "fell", "safe" / "unsafe") flip
polarity too. Without a parser the scope is a clause approximated by words; see docs/checks-context.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..settings import Settings
from .findings import Finding, Kind, Outcome, Span
from .folding import fold, restore_findings
from .lexicon import IRREGULAR, STOPWORDS, Token, concepts, stem, tokenize

__all__ = ["check_polarity"]

_NOT_ONLY = frozenset({"only", "just", "merely", "simply", "solely"})
# "Not all cities show a warming" denies that every city does, not that cities do: a negated quantifier
# or hedge leaves the predicate's polarity open.
_NOT_QUANTIFIER = frozenset({"all", "every", "everyone", "everybody", "everything", "always", "necessarily"})
_SIMPLE_CUES = frozenset({"not", "never", "no", "none", "nobody", "nothing", "neither", "nor", "without", "cannot"})
# Cues that negate the clause they introduce: "failed to capture", "denied that ... captured".
_VERB_CUES = frozenset({"fail", "refus", "unabl", "deny", "reject", "dismiss", "debunk", "lack"})
_CLAUSE_CUE_NOUNS = frozenset({"evidence", "proof", "sign", "signs", "indication", "truth", "basis"})
_FALSE_WORDS = frozenset({"false", "untrue", "myth", "wrong", "incorrect", "baseless", "unfounded", "fake"})
_BOUNDARY_WORDS = frozenset(
    """but while whereas although though however yet because which who whom whose where when and or after
    before since unless until if although despite instead rather""".split()
)
_PUNCT_BOUNDARY = frozenset(",;:.!?()[]\"“”")
_COPULA = frozenset({"is", "are", "was", "were", "be", "been", "being", "become", "became", "remains", "remain"})
_BEFORE_VERB = frozenset(
    """to not n't never did does do will would can could should must may might has have had shall cannot
    also""".split()
)
_COMMON_VERBS = frozenset(
    stem(w)
    for w in """cause prevent reduce increase decrease kill cure protect support ban allow work help show find
    lead make contain spread infect treat use need create destroy attack win lose capture seize flee cross
    withdraw order confirm deny accept reject approve oppose agree disagree exist happen occur warm cool melt
    rise fall grow shrink drop die survive hold leave enter arrive launch count vote pass sign""".split()
)
_ANTONYMS = (
    ("confirm", "deny"), ("admit", "deny"), ("accept", "reject"), ("approve", "reject"), ("win", "lose"),
    ("increase", "decrease"), ("rise", "fall"), ("rise", "decline"), ("grow", "shrink"), ("allow", "ban"),
    ("allow", "prohibit"), ("support", "oppose"), ("true", "false"), ("guilty", "innocent"), ("succeed", "fail"),
    ("present", "absent"), ("include", "exclude"), ("alive", "dead"), ("more", "less"), ("higher", "lower"),
    ("warm", "cool"), ("gain", "lose"), ("expand", "contract"), ("strengthen", "weaken"), ("safe", "dangerous"),
    ("northern", "southern"), ("eastern", "western"),
)  # fmt: skip
_DIRECTIONS = frozenset(stem(w) for w in ("northern", "southern", "eastern", "western"))
_OPPOSITE = {}
for _a, _b in _ANTONYMS:
    _OPPOSITE.setdefault(stem(_a), set()).add(stem(_b))
    _OPPOSITE.setdefault(stem(_b), set()).add(stem(_a))
_REPORTING = frozenset("said says say told tells reported reports announced added stated".split())
_NEG_PREFIXES = ("un", "in", "il", "im", "ir", "dis", "non")


@dataclass(frozen=True)
class _Reading:
    """A text's tokens, which are predicate-like, the negation cues covering each, and a word index."""

    tokens: tuple[Token, ...]
    predicate: tuple[bool, ...]
    covering: tuple[tuple[int, ...], ...]  # indices of the cue tokens whose scope holds each token
    keys: tuple[frozenset[str], ...]  # stem and synonym group of each word token
    index: dict[str, tuple[int, ...]]  # key -> indices of the tokens that have it
    stems: dict[str, tuple[int, ...]]  # stem -> indices, for the opposite-word look-up
    verbs: tuple[tuple[int, int, str], ...] = ()  # (start, end, text) of its verbs by form, reporting verbs left out

    def negated(self, i: int) -> bool:
        return len(self.covering[i]) % 2 == 1

    def near(self, i: int) -> frozenset[str]:
        """Keys of the content words within four tokens of token i."""
        window = range(max(0, i - 4), min(len(self.tokens), i + 5))
        return frozenset().union(*(self.keys[k] for k in window if self.tokens[k].lower not in STOPWORDS))


def check_polarity(claim: str, statement: str, settings: Settings | None = None) -> tuple[Finding, ...]:
    """One finding on the predicate the claim shares with the statement: same polarity, flipped, or absent."""
    return restore_findings(_check(fold(claim), fold(statement)), claim, statement)


def _check(claim: str, statement: str) -> tuple[Finding, ...]:
    c, s = _read(claim), _read(statement)
    anchors = [i for i, p in enumerate(c.predicate) if p]
    if not anchors:
        return ()
    pairs = [(i, j, how) for i in anchors for j, how in [_align(c, i, s)] if j is not None]
    # The claim's verbs by form ("seized", "has fled"), and those the statement shares: a statement that shares
    # only a noun-like anchor ("border crossing" / "crossed") may tell of another event (verdict/stance.py).
    verbs = [i for i in anchors if _verb_form(c.tokens, i)]
    events = {"claim_verbs": [c.tokens[i].text for i in verbs],
              # a claim verb told by a verb of the statement: "fled" paired with the noun "crossing" is not
              "shared_verbs": [c.tokens[i].text for i in verbs
                               if any(p[0] == i and _verb_form(s.tokens, p[1]) for p in pairs)],
              # where the statement's own verbs stand, so that a date can be told from another verb's
              # (verdict/stance.py); "said", "told" report a statement, they are not its event
              "statement_verbs": [list(v) for v in s.verbs]}
    if not pairs:
        words = ", ".join(f'"{c.tokens[i].text}"' for i in anchors[:3])
        return (
            Finding(
                kind=Kind.POLARITY,
                outcome=Outcome.UNMATCHED,
                reason=f"the source does not share the claim's predicate ({words})",
                details={"claim_predicates": [c.tokens[i].text for i in anchors], **events},
            ),
        )
    flips = [(i, j, how) for i, j, how in pairs if (c.negated(i) != s.negated(j)) != (how == "opposite")]
    i, j, how = flips[0] if flips else _main(pairs, c)
    return (_finding(claim, statement, c, s, i, j, how, bool(flips), len(pairs), events),)


@lru_cache(maxsize=8192)
def _read(text: str) -> _Reading:
    tokens = tokenize(text)
    predicate = tuple(_predicate_like(tokens, k) for k in range(len(tokens)))
    covering: list[list[int]] = [[] for _ in tokens]
    scopes = {}
    for cue, first, clausal in _cues(tokens):
        scope = range(first, _scope_end(tokens, first, clausal))
        if not clausal:
            # "did not seize the main border crossing" denies the seizing, not the crossing: a plain cue
            # negates the first predicate of its scope; "denied that ..." negates its whole clause.
            scope = [k for k in scope if predicate[k]][:1]
        scopes[cue] = list(scope)
    for cue, scope in scopes.items():
        for k in scope:
            covering[k].append(cue)
            # A negated cue passes its negation on: "did not fail to cross" affirms the crossing.
            for inner in scopes.get(k, ()) if k != cue else ():
                covering[inner].append(cue)
    keys = tuple(concepts(t.text) if t.text[0].isalpha() else frozenset() for t in tokens)
    index: dict[str, list[int]] = {}
    stems: dict[str, list[int]] = {}
    for k, (tok, word_keys) in enumerate(zip(tokens, keys)):
        for key in word_keys:
            index.setdefault(key, []).append(k)
        if word_keys:
            stems.setdefault(stem(tok.text), []).append(k)
    verbs = tuple((t.start, t.end, t.text) for k, t in enumerate(tokens)
                  if _verb_form(tokens, k) and t.lower not in _REPORTING)
    return _Reading(
        tokens, predicate, tuple(tuple(c) for c in covering), keys,
        {k: tuple(v) for k, v in index.items()}, {k: tuple(v) for k, v in stems.items()}, verbs,
    )  # fmt: skip


def _cues(tokens: tuple[Token, ...]):
    """(cue index, first token in scope, clausal?) of each negation cue."""
    n = len(tokens)
    for k, tok in enumerate(tokens):
        w = tok.lower.replace("’", "'")
        nxt = tokens[k + 1].lower if k + 1 < n else ""
        if w == "not" and nxt in _NOT_ONLY:
            continue  # "not only causes X but also Y" affirms X
        if w == "not" and nxt in _NOT_QUANTIFIER:
            continue  # "not all cities show" neither affirms nor denies that cities show
        if w in _SIMPLE_CUES or w.endswith("n't"):
            clausal = w == "no" and nxt in _CLAUSE_CUE_NOUNS
            yield k, k + 1, clausal
        elif stem(w) in _VERB_CUES and nxt in ("to", "that", "claims", "reports", "allegations", "the"):
            yield k, k + 1, nxt == "that" or stem(w) != "fail" and stem(w) != "refus"
        elif w in _FALSE_WORDS and nxt == "that":
            yield k, k + 1, True


def _scope_end(tokens: tuple[Token, ...], first: int, clausal: bool) -> int:
    """Index one past the last token in a cue's scope: the end of its clause."""
    for k in range(first, len(tokens)):
        w = tokens[k].lower
        if tokens[k].text in _PUNCT_BOUNDARY and not (clausal and tokens[k].text == "," and k == first):
            return k
        if w in _BOUNDARY_WORDS or (w == "that" and not clausal):
            return k
    return len(tokens)


def _predicate_like(tokens: tuple[Token, ...], k: int) -> bool:
    tok = tokens[k]
    w = tok.lower.replace("’", "'")
    if not tok.text[0].isalpha() or w in STOPWORDS or w.endswith("n't") or len(w) < 3:
        return False
    if tok.text[0].isupper() and k > 0:
        return False  # a name, not a predicate; the entities check compares names
    prev = tokens[k - 1].lower if k else ""
    s = stem(w)
    return (
        prev in _BEFORE_VERB
        or prev.endswith("n't")
        or prev in _COPULA
        or w in IRREGULAR
        or (w.endswith("ed") and len(w) > 4)
        or s in _COMMON_VERBS
        or s in _OPPOSITE
        or stem(w) in _VERB_CUES
    )


def _align(c: _Reading, i: int, s: _Reading) -> tuple[int | None, str]:
    """The statement token that says the same (or the opposite) as claim token i, best by shared neighbours."""
    same = sorted({j for key in c.keys[i] for j in s.index.get(key, ())})
    if same:
        return max(same, key=lambda j: _neighbour_overlap(c, i, s, j)), "same"
    opposite = _opposites(c.tokens[i].text, i > 0 and c.tokens[i - 1].lower in _COPULA)
    claim_keys = c.index.keys()
    opp = sorted(
        j for word in opposite for j in s.stems.get(word, ())
        if not s.keys[j] & claim_keys  # a claim that says both "warming and cooling" opposes neither
    )  # fmt: skip
    if opp:
        return max(opp, key=lambda j: _neighbour_overlap(c, i, s, j)), "opposite"
    return None, ""


def _opposites(word: str, after_copula: bool) -> set[str]:
    s = stem(word)
    found = set(_OPPOSITE.get(s, ()))
    if after_copula:  # "is unsafe" / "is safe"; elsewhere "inform" / "form" would pass for opposites
        for prefix in _NEG_PREFIXES:
            if s.startswith(prefix) and len(s) - len(prefix) >= 3:
                found.add(s[len(prefix) :])
            found.add(prefix + s)
    return found


def _neighbour_overlap(c: _Reading, i: int, s: _Reading, j: int) -> int:
    return len(c.near(i) & s.near(j)) * 100 - abs(j - i)


def _main(pairs: list[tuple[int, int, str]], c: _Reading) -> tuple[int, int, str]:
    """The pair to report when nothing flips: the claim's last verb-like anchor, usually its main predicate."""
    verbs = [p for p in pairs if _verb_form(c.tokens, p[0])]
    return (verbs or pairs)[-1]


def _verb_form(tokens: tuple[Token, ...], k: int) -> bool:
    w = tokens[k].lower
    prev = tokens[k - 1].lower if k else ""
    return w in IRREGULAR or w.endswith("ed") or prev in _BEFORE_VERB or prev in _COPULA


def _phrase(text: str, r: _Reading, k: int) -> Span:
    """The anchor with its negation cue when the cue is close before it: "did not capture"."""
    start = r.tokens[k].start
    cues = [c for c in r.covering[k] if k - c <= 8]
    if cues:
        first = min(cues)
        if first > 0 and r.tokens[first - 1].lower in _BEFORE_VERB:
            first -= 1
        start = r.tokens[first].start
    end = r.tokens[k].end
    return Span(start, end, text[start:end])


def _finding(claim: str, statement: str, c: _Reading, s: _Reading, i: int, j: int, how: str, flip: bool, n: int,
             events: dict[str, list[str]]):
    cspan, sspan = _phrase(claim, c, i), _phrase(statement, s, j)
    polarity = {False: "affirmed", True: "negated"}
    details = {
        "claim_predicate": c.tokens[i].text,
        "statement_predicate": s.tokens[j].text,
        "claim_polarity": polarity[c.negated(i)],
        "statement_polarity": polarity[s.negated(j)],
        "claim_cues": [c.tokens[k].text for k in c.covering[i]],
        "statement_cues": [s.tokens[k].text for k in s.covering[j]],
        "basis": "opposite predicates" if how == "opposite" else "negation scope",
        "shared_predicates": n,
        **events,
    }
    if flip:
        why = "opposite predicates" if how == "opposite" and c.negated(i) == s.negated(j) else "opposite polarity"
        if why == "opposite predicates" and stem(c.tokens[i].lower) in _DIRECTIONS:
            why = "opposite directions"  # "the southern provinces" against "the northern provinces"
        reason = f'claim says "{cspan.text}" where the source says "{sspan.text}" ({why})'
        outcome = Outcome.INCONSISTENT
    else:
        both = "both negated" if c.negated(i) else "both affirmative"
        if how == "opposite":
            both = "one denies the opposite of what the other affirms"
        reason = f'claim "{cspan.text}" and source "{sspan.text}" share the predicate with the same polarity ({both})'
        outcome = Outcome.CONSISTENT
    return Finding(Kind.POLARITY, outcome, reason, cspan, sspan, details)
