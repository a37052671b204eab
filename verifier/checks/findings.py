"""Findings: the typed, frozen results of every consistency check (numbers, dates, entities, polarity).

A finding says what was compared (kind, a span in the claim and a span in the statement), how it came
out (outcome) and why, in one line a fact-checker could sign (reason). Spans are character offsets into
the original texts so that the web page can highlight both sides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Mapping


class Kind(str, Enum):
    NUMBER = "number"
    DATE = "date"
    ENTITY = "entity"
    POLARITY = "polarity"
    READING = "reading"  # the stance model's reading of the whole statement, with its probability


class Outcome(str, Enum):
    CONSISTENT = "consistent"  # both sides say the same thing, within the rule's tolerance
    INCONSISTENT = "inconsistent"  # both sides talk about the same thing and disagree
    NOT_COMPARABLE = "not_comparable"  # aligned, but the rule cannot decide (different units, vague)
    UNMATCHED = "unmatched"  # the claim says something the statement has no counterpart for


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Finding:
    kind: Kind
    outcome: Outcome
    reason: str
    claim_span: Span | None = None
    statement_span: Span | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "outcome": self.outcome.value,
            "reason": self.reason,
            "claim_span": self.claim_span.to_dict() if self.claim_span else None,
            "statement_span": self.statement_span.to_dict() if self.statement_span else None,
            "details": dict(self.details),
        }


@dataclass(frozen=True)
class CheckReport:
    """All findings for one (claim, statement) pair."""

    findings: tuple[Finding, ...] = ()

    @property
    def conflicts(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.outcome is Outcome.INCONSISTENT)

    @property
    def agreements(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.outcome is Outcome.CONSISTENT)

    def of_kind(self, kind: Kind) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.kind is kind)

    def to_dict(self) -> dict[str, Any]:
        return {"findings": [f.to_dict() for f in self.findings]}
