"""The stance of one statement towards a claim: supports, contradicts or neutral, and the findings behind it.

The rule, in the order it is applied (contradiction is looked for before support):
1. A statement less similar to the claim than `related_similarity` is unrelated: neutral, not checked.
2. It contradicts the claim when a check finds a conflict (a figure, date, name or polarity that disagrees)
   and the statement is about the same thing: similar enough (`conflict_similarity`), and naming every
   person, place and organization the claim names (other than the one in conflict). A statement that
   does not name the claim's "Kabul" says nothing about Kabul, whatever its dates.
3. It supports the claim when nothing conflicts and it is close enough: from `support_similarity` when
   it confirms every figure, date and name the claim states, from `paraphrase_similarity` otherwise.
4. Otherwise it is neutral: related, but silent on (or vaguer than) what the claim asserts.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..checks import CheckReport, Finding, Kind, Outcome, check_pair
from ..results import Evidence, Stance
from ..retrieve import Hit
from ..settings import Settings

CHECKED = (Kind.NUMBER, Kind.DATE, Kind.ENTITY)


@dataclass(frozen=True)
class Judgement:
    stance: Stance
    score: float
    findings: tuple[Finding, ...]
    why: tuple[Finding, ...]  # the findings that decided the stance (for the reasons)


def judge_hit(claim: str, hit: Hit, settings: Settings) -> Evidence:
    similarity = hit.dense
    if similarity < settings.related_similarity:
        judgement = Judgement(Stance.NEUTRAL, 0.0, (), ())
    else:
        report = check_pair(claim, hit.statement.text, statement_date=hit.statement.date or None, settings=settings)
        judgement = stance_of(report, similarity, settings)
    return Evidence(
        statement=hit.statement,
        rank=hit.rank,
        score=hit.score,
        similarity=similarity,
        stance=judgement.stance,
        stance_score=judgement.score,
        findings=judgement.findings,
    )


def stance_of(report: CheckReport, similarity: float, settings: Settings) -> Judgement:
    findings = report.findings
    closeness = _closeness(similarity, settings)
    conflicts = report.conflicts
    if conflicts and similarity >= settings.conflict_similarity and not _leaves_out_a_name(report):
        return Judgement(Stance.CONTRADICTS, 0.5 + 0.5 * closeness, findings, conflicts)
    if conflicts:
        return Judgement(Stance.NEUTRAL, 0.0, findings, ())
    stated = [f for f in findings if f.kind in CHECKED]
    confirmed = [f for f in stated if f.outcome is Outcome.CONSISTENT]
    if stated and len(confirmed) == len(stated) and similarity >= settings.support_similarity:
        return Judgement(Stance.SUPPORTS, 0.5 + 0.5 * closeness, findings, tuple(confirmed))
    if similarity >= settings.paraphrase_similarity and not _leaves_out_a_name(report):
        return Judgement(Stance.SUPPORTS, closeness, findings, tuple(confirmed))
    return Judgement(Stance.NEUTRAL, 0.0, findings, ())


def _closeness(similarity: float, settings: Settings) -> float:
    """Similarity rescaled so that the relatedness threshold is 0 and identity is 1."""
    floor = settings.related_similarity
    return min(1.0, max(0.0, (similarity - floor) / (1.0 - floor)))


def _leaves_out_a_name(report: CheckReport) -> bool:
    """Some name of the claim is missing from the statement (a name in conflict is not missing)."""
    return any(f.kind is Kind.ENTITY and f.outcome is Outcome.UNMATCHED for f in report.findings)
