"""A claim as every surface hands it to the checks: validated once (clean text within the length limit)."""

from __future__ import annotations

from typing import Any

from .errors import InputError
from .settings import Settings
from .statement import lone_surrogate

__all__ = ["Claim", "validate_claim"]


class Claim(str):
    """A claim's text as `validate_claim` returned it: clean, and within the length limit.

    `Verifier.check`/`check_many`/`search`/`search_many` validate every claim they are given, except a
    `Claim`, which was validated already: a surface that validates first (to name the request field at
    fault, or to report a bad line and go on) hands the Claim on, and the claim is validated once.
    """

    __slots__ = ()


def validate_claim(claim: Any, settings: Settings | None = None, field: str = "claim") -> Claim:
    """The claim as clean text, or InputError saying what is wrong with it (naming `field`)."""
    if not isinstance(claim, str):
        raise InputError(f"{field} must be a string, got {type(claim).__name__}", field)
    settings = settings or Settings()
    at = lone_surrogate(claim)
    if at is not None:
        raise InputError(
            f"{field} holds the lone surrogate U+{ord(claim[at]):04X} at character {at}, which is not text (half of a "
            "UTF-16 pair, or a byte that was not UTF-8); send valid UTF-8", field,
        )
    text = " ".join(claim.split())
    if not text:
        raise InputError(f"{field} is empty; give the claim to check as text", field)
    if len(text) > settings.max_claim_chars:
        raise InputError(
            f"{field} is {len(text)} characters long; the limit is {settings.max_claim_chars} "
            "(setting max_claim_chars)", field,
        )
    return Claim(text)
