"""The stance of one statement towards a claim: supports, contradicts or neutral, and the findings behind it.

The rule, in the order it is applied (contradiction is looked for before support):
1. A statement less similar to the claim than `related_similarity` is unrelated: neutral, not checked.
2. A conflict (a figure, date, name or polarity that disagrees) makes it contradict the claim only when
   the statement is about the same thing: similar enough (`conflict_similarity`), sharing most of the
   claim's other words (`conflict_overlap`), and addressing every name and figure the claim states (a statement that never names the claim's "Kabul", or never gives a
   figure for the claim's troops, says nothing about them, whatever its dates).
3. A figure that disagrees together with a date that disagrees is another occasion, not a contradiction:
   "1,037 troops on 5 July" says nothing against "2,000 troops in June".
4. It supports the claim when nothing conflicts and it is close enough: from `support_similarity` when
   it confirms every figure, date and name the claim states, from `paraphrase_similarity` when it
   leaves some unconfirmed (but never a figure: a source vaguer than the claim's "2,000" confirms nothing).
5. Otherwise it is neutral: related, but silent on (or vaguer than) what the claim asserts.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from ..checks import CheckReport, Finding, Kind, Outcome, check_pair
from ..checks.lexicon import word_overlap
from ..results import Evidence, Stance
from ..retrieve import Hit
from ..settings import Settings

CHECKED = (Kind.NUMBER, Kind.DATE, Kind.ENTITY)
DECISIVE_NAMES = {"PERSON", "PLACE", "ORG"}


@dataclass(frozen=True)
class Judgement:
    stance: Stance
    score: float
    findings: tuple[Finding, ...]
    note: str = ""  # why a related statement with findings is neutral


def judge_statement(
    claim: str, statement: str, similarity: float, settings: Settings, statement_date: _dt.date | None = None
) -> Judgement:
    """The stance of a statement's text (published on `statement_date`, if known) towards a claim, given
    their cosine similarity: the rule above, checks included."""
    if similarity < settings.related_similarity:
        return Judgement(Stance.NEUTRAL, 0.0, (), "not about the claim")
    report = check_pair(claim, statement, statement_date=statement_date, settings=settings)
    return stance_of(report, similarity, settings, claim_overlap(claim, statement, report))


def judge_hit(claim: str, hit: Hit, settings: Settings) -> Evidence:
    judgement = judge_statement(claim, hit.statement.text, hit.dense, settings, hit.statement.published)
    return Evidence(
        statement=hit.statement,
        rank=hit.rank,
        score=hit.score,
        similarity=hit.dense,
        stance=judgement.stance,
        stance_score=judgement.score,
        findings=judgement.findings,
        note=judgement.note,
    )


def claim_overlap(claim: str, statement: str, report: CheckReport) -> float:
    """Share of the claim's words, outside what the checks compared, that the statement also has."""
    spans = tuple(f.claim_span for f in report.findings if f.claim_span and f.kind is not Kind.POLARITY)
    return word_overlap(claim, statement, spans)


def stance_of(report: CheckReport, similarity: float, settings: Settings, overlap: float = 1.0) -> Judgement:
    findings = report.findings
    closeness = _closeness(similarity, settings)
    conflicts = report.conflicts
    if conflicts:
        kinds = {f.kind for f in conflicts}
        missing = _unaddressed(report)
        if missing:
            note = f"does not address {', '.join(repr(m) for m in missing)}, so its disagreement is about another matter"
        elif {Kind.NUMBER, Kind.DATE} <= kinds:
            note = "gives other figures for another time: another occasion, not a contradiction"
        elif similarity < settings.conflict_similarity or overlap < settings.conflict_overlap:
            note = f"disagrees on a detail but is about something else (shares {overlap:.0%} of the claim's words)"
        else:
            return Judgement(Stance.CONTRADICTS, 0.5 + 0.5 * closeness, findings)
        return Judgement(Stance.NEUTRAL, 0.0, findings, note)
    stated = [f for f in findings if f.kind in CHECKED]
    confirmed = [f for f in stated if f.outcome is Outcome.CONSISTENT]
    if stated and len(confirmed) == len(stated) and similarity >= settings.support_similarity:
        return Judgement(Stance.SUPPORTS, 0.5 + 0.5 * closeness, findings)
    vaguer = [f for f in stated if f.kind is Kind.NUMBER and f.outcome is not Outcome.CONSISTENT]
    if similarity >= settings.paraphrase_similarity and not _unaddressed(report) and not vaguer:
        return Judgement(Stance.SUPPORTS, closeness, findings)
    unconfirmed = [f.claim_span.text for f in stated if f.outcome is not Outcome.CONSISTENT and f.claim_span]
    note = f"does not confirm {', '.join(repr(u) for u in unconfirmed[:3])}" if unconfirmed else "not close enough"
    return Judgement(Stance.NEUTRAL, 0.0, findings, note)


def _closeness(similarity: float, settings: Settings) -> float:
    """Similarity rescaled so that the relatedness threshold is 0 and identity is 1."""
    floor = settings.related_similarity
    return min(1.0, max(0.0, (similarity - floor) / (1.0 - floor)))


def _unaddressed(report: CheckReport) -> list[str]:
    """People, places, organizations and figures of the claim that the statement does not speak of at all.

    Other names ("COVID-19", a product) are left out: they go by many names ("SARS-CoV-2", "the
    coronavirus") that the name check cannot know, and a fact rarely turns on them the way it turns on
    who did something, where, and how many.
    """
    return [
        f.claim_span.text
        for f in report.findings
        if f.outcome is Outcome.UNMATCHED and f.claim_span and (
            f.kind is Kind.NUMBER or (f.kind is Kind.ENTITY and _entity_kind(f) in DECISIVE_NAMES))
    ]


def _entity_kind(finding: Finding) -> str:
    claim = finding.details.get("claim")
    return claim.get("kind", "") if isinstance(claim, dict) else ""
