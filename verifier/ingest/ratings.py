"""A fact-check's rating normalised to one scale: true, mostly true, mixed, mostly false, false, or other.

Two ways, in this order (see corpus/README.md, "Ratings"):
1. A numeric `reviewRating` (schema.org Rating: `ratingValue` between `worstRating` and `bestRating`):
   its position on that scale, in five equal bands from false (worst) to true (best), as Google's
   ClaimReview guidance reads a 1-5 scale (1 false, 2 mostly false, 3 half true, 4 mostly true, 5 true).
   A value off its scale, or a scale with best <= worst, is ignored.
2. Otherwise the textual rating, looked up in the table below (English, Spanish, French, German,
   Portuguese, Italian), whole or by its first phrase ("False. The photo is from 2015." reads "false").
   Casing, accents, spacing and end punctuation do not matter. A rating not in the table is "other":
   nothing is guessed from a word it contains ("Not true, but..." is "other", not "true").

Written here because no maintained library normalises ClaimReview ratings; the table is this project's
reading of the ratings the main fact-checkers publish (IFCN signatories' scales).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Mapping

from ..factcheck import NORMALIZED_RATINGS

RATINGS = NORMALIZED_RATINGS

_TABLE: dict[str, tuple[str, ...]] = {
    "true": (
        # en
        "true", "correct", "accurate", "verified", "fact", "real", "geppetto checkmark",
        # es
        "verdadero", "verdadera", "cierto", "cierta", "correcto", "correcta", "verdad", "real",
        # fr
        "vrai", "vraie", "exact", "exacte", "correct",
        # de
        "richtig", "wahr", "stimmt", "korrekt", "zutreffend",
        # pt
        "verdadeiro", "verdadeira", "verdade", "correto", "correta",
        # it
        "vero", "corretto", "vera",
    ),
    "mostly true": (
        "mostly true", "mostly correct", "mostly accurate", "largely true", "largely accurate", "one pinocchio",
        "mayormente verdadero", "mayormente cierto", "casi verdadero", "casi cierto", "en gran parte cierto",
        "plutot vrai", "globalement vrai", "en grande partie vrai",
        "grosstenteils richtig", "weitgehend richtig", "uberwiegend richtig", "uberwiegend wahr",
        "grosstenteils wahr",
        "em grande parte verdadeiro", "quase verdadeiro", "verdadeiro, mas", "maioritariamente verdadeiro",
        "in gran parte vero", "quasi vero", "c'eri quasi",
    ),
    "mixed": (
        "half true", "half-true", "mixture", "mixed", "partly true", "partly false", "partially true",
        "partially false", "misleading", "missing context", "needs context", "two pinocchios", "half correct",
        "verdad a medias", "medio verdadero", "parcialmente cierto", "parcialmente verdadero",
        "parcialmente falso", "enganoso", "engañoso", "impreciso", "falta contexto", "sin contexto",
        "a moitie vrai", "en partie vrai", "en partie faux", "partiellement vrai", "partiellement faux",
        "trompeur", "trompeuse", "a nuancer", "manque de contexte", "imprecis",
        "halb wahr", "halbwahr", "teilweise richtig", "teilweise falsch", "irrefuhrend", "fehlender kontexte",
        "fehlender kontext", "missverstandlich",
        "meia verdade", "parcialmente verdadeiro", "parcialmente verdadeira", "parcialmente falsa",
        "enganador", "enganadora", "sem contexto", "fora de contexto", "exagerado", "distorcido",
        "mezza verità", "mezza verita", "parzialmente vero", "parzialmente falso", "fuorviante",
        "impreciso",
    ),
    "mostly false": (
        "mostly false", "mostly inaccurate", "largely false", "largely inaccurate", "three pinocchios",
        "mayormente falso", "mayormente falsa", "casi falso", "en gran parte falso",
        "plutot faux", "globalement faux", "en grande partie faux",
        "grosstenteils falsch", "weitgehend falsch", "uberwiegend falsch",
        "em grande parte falso", "quase falso", "maioritariamente falso",
        "in gran parte falso", "quasi falso",
    ),
    "false": (
        "false", "incorrect", "inaccurate", "wrong", "fake", "fabricated", "hoax", "pants on fire",
        "pants on fire!", "four pinocchios", "not true", "untrue", "scam", "false claim",
        "falso", "falsa", "falsedad", "bulo", "fake news", "mentira", "incorrecto", "incorrecta",
        "faux", "fausse", "infox", "intox", "inexact", "inexacte", "archi faux",
        "falsch", "unwahr", "frei erfunden", "erfunden", "fake",
        "falso", "falsa", "mentira", "boato", "incorreto", "incorreta", "fake",
        "bufala", "panzana", "notizia falsa",
    ),
}

# Where a textual rating's first phrase ends: a full stop, colon, semicolon, dash or bracket after words.
_FIRST_PHRASE = re.compile(r"\s*(?:[.:;!?(\[]|\s[-–—]\s)")


def _key(text: str) -> str:
    """Casefolded, accents dropped (ü -> u, ß stays as ss), hyphens as spaces, spacing and end marks trimmed."""
    folded = unicodedata.normalize("NFKD", text.replace("ß", "ss").replace("’", "'")).encode("ascii", "ignore").decode().casefold()
    return " ".join(folded.replace("-", " ").split()).strip(" .!¡?¿\"'«»“”")


_BY_TEXT = {_key(name): rating for rating, names in reversed(_TABLE.items()) for name in names}


def from_text(rating: str) -> str:
    """The normalised rating of a textual rating, or "other" when the table does not know it."""
    if not rating or not rating.strip():
        return "other"
    whole = _key(rating)
    if whole in _BY_TEXT:
        return _BY_TEXT[whole]
    first = _FIRST_PHRASE.split(rating.strip(), maxsplit=1)[0]
    return _BY_TEXT.get(_key(first), "other") if first else "other"


def from_scale(value: Any, best: Any = None, worst: Any = None) -> str | None:
    """The normalised rating of a numeric rating on [worst, best] (schema.org defaults: 1 and 5), or None
    when the numbers do not make a scale (not numbers, best <= worst, the value off the scale)."""
    try:
        v = float(value)
        hi = float(best) if best not in (None, "") else 5.0
        lo = float(worst) if worst not in (None, "") else 1.0
    except (TypeError, ValueError):
        return None
    if not hi > lo or not lo <= v <= hi:
        return None
    position = (v - lo) / (hi - lo)
    bands = ("false", "mostly false", "mixed", "mostly true", "true")
    return bands[min(4, int(position * 5))]  # five equal bands: 1..5 on a 1-5 scale is each its own band


def normalise(textual: str, review_rating: Mapping[str, Any] | None = None) -> str:
    """The rating from a schema.org `reviewRating` where it gives a usable scale, else from its text."""
    if review_rating:
        scaled = from_scale(review_rating.get("ratingValue"), review_rating.get("bestRating"),
                            review_rating.get("worstRating"))
        if scaled is not None:
            return scaled
    return from_text(textual)
