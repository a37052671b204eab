"""What checking a whole text returns: its headings and paragraphs, every sentence, and for each chosen one
why it was chosen and its `Result`; the counts and a one-line summary. `to_dict()` is what `check-text
--json` prints and POST /api/v1/check/text answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..ingest.document import Block
from ..results import Result, Verdict

#: How a summary names each verdict ("2 without evidence"), in the order of `Verdict`.
SUMMARY_WORDS = {
    Verdict.SUPPORTED: "supported", Verdict.CONTRADICTED: "contradicted", Verdict.MIXED: "mixed",
    Verdict.NOT_ENOUGH_EVIDENCE: "without evidence",
}  # fmt: skip


@dataclass(frozen=True)
class SentenceCheck:
    """One sentence of the text; `checkable` says why it was chosen (empty: not chosen, so no result)."""

    index: int
    text: str
    block: int  # its paragraph's index in `TextResult.blocks`
    section: str  # the headings above it, " › " between them
    checkable: tuple[str, ...] = ()
    result: Result | None = None
    error: str | None = None  # chosen but not checkable as a claim (e.g. longer than max_claim_chars)

    @property
    def checked(self) -> bool:
        return self.result is not None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"index": self.index, "text": self.text, "block": self.block, "section": self.section,
                               "checkable": list(self.checkable),
                               "result": self.result.to_dict() if self.result else None}
        if self.error:
            out["error"] = self.error
        return out


@dataclass(frozen=True)
class TextResult:
    blocks: tuple[Block, ...]
    sentences: tuple[SentenceCheck, ...]
    stance_model: dict[str, str] | None = None

    @property
    def checked(self) -> tuple[SentenceCheck, ...]:
        return tuple(s for s in self.sentences if s.result is not None)

    def counts(self) -> dict[str, int]:
        """Sentences in all, chosen, checked, failed, and checked per verdict (every verdict, zeros included)."""
        out = {"sentences": len(self.sentences), "chosen": sum(1 for s in self.sentences if s.checkable),
               "checked": len(self.checked), "failed": sum(1 for s in self.sentences if s.error)}
        for verdict in Verdict:
            out[verdict.value] = sum(1 for s in self.checked if s.result and s.result.verdict is verdict)
        return out

    @property
    def summary(self) -> str:
        """"12 sentences checked: 9 supported, 1 contradicted, 2 without evidence" (verdicts with none left out)."""
        counts = self.counts()
        n = counts["checked"]
        if not n and not counts["failed"]:
            return (f"No sentence checked: none of the {counts['sentences']} sentences has a figure, date, name, "
                    "comparison or quotation to check.")
        parts = [f"{counts[v.value]} {SUMMARY_WORDS[v]}" for v in Verdict if counts[v.value]]
        if counts["failed"]:
            parts.append(f"{counts['failed']} could not be checked")
        return f"{n} sentence{'' if n == 1 else 's'} checked: " + ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "counts": self.counts(),
            "blocks": [b.to_dict() for b in self.blocks],
            "sentences": [s.to_dict() for s in self.sentences],
            "stance_model": self.stance_model,
        }
