"""The stance of one statement towards a claim: supports, contradicts or neutral, and the findings behind it.

Two readers decide together: the consistency checks (figures, dates, names, polarity: exact, explained)
and the stance model (`model.py`: a cross-encoder that reads the whole pair, with calibrated
probabilities). In the order applied (contradiction is looked for before support):
1. A statement less similar to the claim than `related_similarity` is unrelated: neutral, not read.
2. A conflict the checks find (a figure, date, name or polarity that disagrees) makes the statement
   contradict the claim when it is about the same thing: it addresses every person, place,
   organization and figure the claim states, it is not another occasion (a figure *and* a date that
   disagree: "1,037 troops on 5 July" says nothing against "2,000 troops in June"; a date alone that
   disagrees in a statement that shares none of the claim's verbs, only a word such as "crossing", is
   another event's, and so is one that follows another verb of the statement than the one it shares:
   "seized dozens of districts, raising fears ... once troops finish withdrawing in September"), and the
   model reads it as about the claim (supports + contradicts >= `stance_about`).
   Its score is that probability.
3. A statement that does not address a figure of the claim is neutral, and so is one that does not
   name a person, place or organization of it, unless the model reads it as agreeing: it may name
   them by a pronoun or a description ("She started acting…" for a claim about Jenna Jameson, "The
   film was shot…"), and its support then says what it does not name. A contradiction read there is
   not taken: the model's weak contradictions of statements about another place or person ("the
   Taliban captured nearby districts" against "…captured Kabul") are what such pairs mostly are.
4. When the checks confirm every figure and date the claim states (and every name; a vague claim date,
   "recently" or "this year" with nothing to anchor it, is nothing they can confirm and is passed over),
   they decide the direction as a conflict does: it supports the claim when the model reads it as about the claim
   (`stance_about`), with that probability as its score. Not when a date is all they confirm and the statement
   does not tell the claim's event (as in 2: "crossed ... in early May" for "seized the border crossing in May"):
   the model decides that one, by 5.
5. Otherwise the model decides: it contradicts from `stance_contradict` (but not over a figure the
   checks compared without a conflict: figures are theirs to judge), it supports from
   `stance_support`, and support also needs every figure of the claim confirmed (a source vaguer than
   the claim's "2,000" confirms nothing). Shared names or similarity alone never make support.
6. Otherwise it is neutral, and the note says why.
Without a model (`stance_model = "off"`) the rules of `rules_stance` decide from similarity, as before
the model existed; the evaluation keeps them as a baseline.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..checks import CheckReport, Finding, Kind, Outcome, Span, check_pair
from ..checks.lexicon import word_overlap
from ..factcheck import FactCheck
from ..results import Evidence, Stance
from ..retrieve import Hit
from ..settings import Settings
from .factchecks import rate
from .model import LABELS

CHECKED = (Kind.NUMBER, Kind.DATE, Kind.ENTITY)
DECISIVE_NAMES = {"PERSON", "PLACE", "ORG"}


@dataclass(frozen=True)
class Judgement:
    stance: Stance
    score: float
    findings: tuple[Finding, ...]
    note: str = ""  # why a related statement with findings is neutral
    reading: "Reading | None" = None


@dataclass(frozen=True)
class Reading:
    """The stance model's calibrated probabilities for one (claim, statement) pair."""

    supports: float
    contradicts: float
    neutral: float
    read: bool = True  # False: the model was not asked, because the checks alone decide (see `needs_reading`)
    window: Span | None = None  # the part of a long statement these are the reading of (None: all of it)

    @classmethod
    def of(cls, row, window: Span | None = None) -> "Reading":
        return cls(**{label: float(p) for label, p in zip(LABELS, row)}, window=window)

    @property
    def about(self) -> float:
        """How likely the statement speaks to the claim at all (it supports or contradicts it)."""
        return self.supports + self.contradicts

    def to_dict(self) -> dict[str, float]:
        return {label: round(getattr(self, label), 4) for label in LABELS}


UNREAD = Reading(0.0, 0.0, 1.0, read=False)


def needs_reading(report: CheckReport) -> bool:
    """Whether the model's reading can change the stance: not when the statement leaves a figure of the
    claim unaddressed, nor when the checks set a conflict aside (a name of the claim unaddressed, another
    occasion, another event's date); then the checks alone make it neutral, and the model is not run (it
    is most of a check's time)."""
    if report.conflicts and _conflict_set_aside(report):
        return False
    return not any(f.kind is Kind.NUMBER for f in _unaddressed(report))


def judge_statement(
    claim: str, statement: str, similarity: float, settings: Settings, statement_date: _dt.date | None = None,
    reading: Reading | None = None,
) -> Judgement:
    """The stance of a statement's text (published on `statement_date`, if known) towards a claim, given
    their cosine similarity and the model's reading (None: the similarity rules alone)."""
    if similarity < settings.related_similarity:
        return Judgement(Stance.NEUTRAL, 0.0, (), "not about the claim")
    report = check_pair(claim, statement, statement_date=statement_date, settings=settings)
    if reading is None:
        return stance_of(report, similarity, settings, claim_overlap(claim, statement, report))
    return read_stance(report, reading, settings)


def judge_hit(claim: str, hit: Hit, settings: Settings, reading: Reading | None = None) -> Evidence:
    """The statement's stance towards the claim; for a fact-check, what its rating says (`factchecks.rate`)."""
    judgement = judge_statement(claim, hit.statement.text, hit.dense, settings, hit.statement.published, reading)
    evidence = Evidence(
        statement=hit.statement,
        rank=hit.rank,
        score=hit.score,
        similarity=hit.dense,
        stance=judgement.stance,
        stance_score=judgement.score,
        findings=judgement.findings,
        note=judgement.note,
        reading=judgement.reading.to_dict() if judgement.reading and judgement.reading.read else None,
        related=hit.dense >= settings.related_similarity,
    )
    review = FactCheck.of(hit.statement)
    return evidence if review is None else rate(evidence, review, settings)


def read_stance(report: CheckReport, reading: Reading, settings: Settings) -> Judgement:
    """The stance from the checks' findings and the model's reading: the rule of the module docstring."""
    if report.conflicts:
        note = _conflict_set_aside(report)
        if not note and reading.about >= settings.stance_about:
            return _judged(Stance.CONTRADICTS, reading.about, report, reading, decided_by_checks=True)
        note = note or f"disagrees on a detail, but {_not_surely_about(reading, settings)}"
        return _judged(Stance.NEUTRAL, 0.0, report, reading, note)
    # A vague claim date ("recently", "this year" with nothing to anchor it) says nothing the checks can
    # confirm or deny, like a bare figure: it neither counts as stated nor blocks what they confirm.
    stated = [f for f in report.findings if f.kind in CHECKED and not _vague_claim_date(f)]
    vaguer = [f.claim_span.text for f in stated
              if f.kind is Kind.NUMBER and f.outcome is not Outcome.CONSISTENT and f.claim_span]
    missing = _unaddressed(report)
    if missing and (reading.contradicts >= reading.supports or any(f.kind is Kind.NUMBER for f in missing)):
        return _judged(Stance.NEUTRAL, 0.0, report, reading, _not_addressing(missing))
    figures = [f for f in stated if f.kind in (Kind.NUMBER, Kind.DATE)]
    # A date alone that agrees, in a statement that does not tell the claim's event (none of its verbs, only
    # a word such as "crossing"), is another event's date, as for a conflict (`_event_unshared`): the model
    # reads such a pair, the checks do not decide it.
    other_event = all(f.kind is Kind.DATE for f in figures) and _event_unshared(report)
    if figures and not other_event and all(f.outcome is Outcome.CONSISTENT for f in stated):
        # The checks confirmed every figure and date (and name) the claim states: they decide the direction,
        # as a conflict does; the model decides whether the statement is about the same matter.
        if reading.about >= settings.stance_about:
            return _judged(Stance.SUPPORTS, reading.about, report, reading, decided_by_checks=True)
        return _judged(Stance.NEUTRAL, 0.0, report, reading,
                       f"agrees on {', '.join(repr(f.claim_span.text) for f in figures[:2] if f.claim_span)} "
                       f"but {_not_surely_about(reading, settings)}")
    compared = [f for f in stated if f.kind is Kind.NUMBER and f.outcome is not Outcome.UNMATCHED]
    if reading.contradicts >= settings.stance_contradict and reading.contradicts > reading.supports:
        if not compared:
            return _judged(Stance.CONTRADICTS, reading.contradicts, report, reading)
        # Figures are the checks' to judge: one they compared without a conflict is no contradiction.
        shown = ", ".join(repr(f.claim_span.text) for f in compared[:2] if f.claim_span)
        return _judged(Stance.NEUTRAL, 0.0, report, reading,
                       f"reads as contradicting ({reading.contradicts:.2f}), but its figures do not conflict "
                       f"with {shown}")
    if reading.supports >= settings.stance_support and reading.supports > reading.contradicts:
        if not vaguer:
            return _judged(Stance.SUPPORTS, reading.supports, report, reading, unnamed=missing)
        note = f"reads as agreeing ({reading.supports:.2f}) but does not confirm {', '.join(map(repr, vaguer))}"
    else:
        side, p = max((("agreeing", reading.supports), ("contradicting", reading.contradicts)), key=lambda x: x[1])
        note = (f"reads as neither confirming nor denying the claim (neutral {reading.neutral:.2f}; "
                f"{side} only {p:.2f})")
    if missing:
        note = f"{_not_addressing(missing)} and {note}"
    return _judged(Stance.NEUTRAL, 0.0, report, reading, note)


def _vague_claim_date(finding: Finding) -> bool:
    return finding.kind is Kind.DATE and finding.details.get("why") == "the claim's date is vague"


def _not_addressing(missing: list[Finding]) -> str:
    return f"does not address {', '.join(repr(f.claim_span.text) for f in missing[:3] if f.claim_span)}"


def _not_surely_about(reading: Reading, settings: Settings) -> str:
    """Why the checks' finding does not decide: the model is not sure enough that the pair is on one matter."""
    return (f"reads as about the same matter at only {short_of(reading.about, settings.stance_about)}, under the "
            f"{settings.stance_about:.2f} "
            "needed (setting stance_about)")


def short_of(value: float, limit: float) -> str:
    """A value under a limit, written with enough digits to read as under it ("0.848", not "0.85", beside a
    limit of 0.85): a reason that says "only 0.85, under the 0.85 needed" contradicts itself."""
    for digits in (2, 3, 4):
        text = f"{value:.{digits}f}"
        if float(text) < limit:
            return text
    return f"{value:.4f}"


def _judged(stance: Stance, score: float, report: CheckReport, reading: Reading, note: str = "",
            decided_by_checks: bool = False, unnamed: Sequence[Finding] = ()) -> Judgement:
    if not reading.read:
        return Judgement(stance, score, report.findings, note, reading)
    finding = _reading_finding(stance, reading, decided_by_checks)
    if unnamed:
        # Support from a statement that names the claim's subject only by a pronoun or a description: the
        # reason says so, so that the reader can see what the statement itself does not name.
        names = ", ".join(repr(f.claim_span.text) for f in unnamed[:3] if f.claim_span)
        finding = replace(finding, reason=f"{finding.reason}, though it does not name {names}")
    return Judgement(stance, score, report.findings + (finding,), note, reading)


def _reading_finding(stance: Stance, reading: Reading, decided_by_checks: bool = False) -> Finding:
    """The model's reading as a finding, so that it is shown and cited like the checks' findings."""
    if decided_by_checks:
        # The checks' own finding is the reason; the model says only that the pair is on the same matter.
        outcome, what, p = Outcome.NOT_COMPARABLE, "about the same matter", reading.about
        return _reading(outcome, f"reads as {what} ({p:.2f})", reading)
    if stance is Stance.NEUTRAL:
        # What the model read, even where a rule made the statement neutral (the note says which): a card
        # that says "reads as neither confirming nor denying (0.04)" beside a note about a contradiction
        # not taken would contradict itself.
        outcome = Outcome.NOT_COMPARABLE
        what, p = max((("neither confirming nor denying", reading.neutral), ("agreeing", reading.supports),
                       ("contradicting", reading.contradicts)), key=lambda x: x[1])
    elif stance is Stance.SUPPORTS:
        outcome, what, p = Outcome.CONSISTENT, "agreeing", reading.supports
    else:
        # A conflict the checks decided is cited by its own finding; the reading says the pair is on topic.
        outcome, what, p = Outcome.INCONSISTENT, "contradicting", reading.contradicts
    return _reading(outcome, f"reads as {what} ({p:.2f})", reading)


def _reading(outcome: Outcome, reason: str, reading: Reading) -> Finding:
    """The reading's finding; for a statement read in windows, the reason and the span name the part read."""
    if reading.window is None:
        return Finding(Kind.READING, outcome, reason, details=reading.to_dict())
    words = reading.window.text.split()
    start = " ".join(words[:6]) + ("…" if len(words) > 6 else "")
    return Finding(Kind.READING, outcome, f"{reason}, in the part that begins “{start}”",
                   statement_span=reading.window, details=reading.to_dict())


def claim_overlap(claim: str, statement: str, report: CheckReport) -> float:
    """Share of the claim's words, outside what the checks compared, that the statement also has."""
    spans = tuple(f.claim_span for f in report.findings if f.claim_span and f.kind is not Kind.POLARITY)
    return word_overlap(claim, statement, spans)


def stance_of(report: CheckReport, similarity: float, settings: Settings, overlap: float = 1.0) -> Judgement:
    """The rules without the model: similarity and word overlap stand in for "about the same thing"."""
    findings = report.findings
    closeness = _closeness(similarity, settings)
    if report.conflicts:
        note = _conflict_set_aside(report)
        on_topic = similarity >= settings.conflict_similarity and overlap >= settings.conflict_overlap
        if not note and on_topic:
            return Judgement(Stance.CONTRADICTS, 0.5 + 0.5 * closeness, findings)
        note = note or f"disagrees on a detail but is about something else (shares {overlap:.0%} of the claim's words)"
        return Judgement(Stance.NEUTRAL, 0.0, findings, note)
    stated = [f for f in findings if f.kind in CHECKED]
    confirmed = [f for f in stated if f.outcome is Outcome.CONSISTENT]
    if stated and len(confirmed) == len(stated) and similarity >= settings.support_similarity:
        return Judgement(Stance.SUPPORTS, 0.5 + 0.5 * closeness, findings)
    vaguer = [f for f in stated if f.kind is Kind.NUMBER and f.outcome is not Outcome.CONSISTENT]
    if similarity >= settings.paraphrase_similarity and not unaddressed(report) and not vaguer:
        return Judgement(Stance.SUPPORTS, closeness, findings)
    unconfirmed = [f.claim_span.text for f in stated if f.outcome is not Outcome.CONSISTENT and f.claim_span]
    note = f"does not confirm {', '.join(repr(u) for u in unconfirmed[:3])}" if unconfirmed else "not close enough"
    return Judgement(Stance.NEUTRAL, 0.0, findings, note)


def _conflict_set_aside(report: CheckReport) -> str:
    """Why a conflict the checks found is no contradiction whatever the reading, or "" when it may be one:
    the statement does not speak of a name or figure of the claim, or gives other figures for another time."""
    missing = unaddressed(report)
    if missing:
        return f"does not address {', '.join(repr(m) for m in missing)}, so its disagreement is about another matter"
    if {Kind.NUMBER, Kind.DATE} <= {f.kind for f in report.conflicts}:
        return "gives other figures for another time: another occasion, not a contradiction"
    if {f.kind for f in report.conflicts} == {Kind.DATE} and (verbs := _event_unshared(report)):
        # "Troops crossed into Tajikistan in early May" against "the Taliban seized the border crossing in
        # June": the statement's date is that of what it tells, and it does not tell the claim's event.
        date = next((f.claim_span.text for f in report.conflicts if f.claim_span), "the claim's date")
        return (f"gives another date than {date!r}, but does not say {', '.join(map(repr, verbs[:2]))} or the "
                "like: the date is taken to be another event's")
    if {f.kind for f in report.conflicts} == {Kind.DATE} and (told := _date_of_another_verb(report)):
        # "The Taliban have seized dozens of districts, raising fears ... once troops finish withdrawing in
        # September 2021" against "seized the border crossing in June 2021": September is the withdrawal's.
        date, verb, shared = told
        return (f"gives {date!r} after another verb, {verb!r}, than the {shared!r} it shares with the claim: the "
                "date is taken to be another event's")
    return ""


def _date_of_another_verb(report: CheckReport) -> tuple[str, str, str] | None:
    """(date, verb, shared predicate) when every conflicting date of the statement comes after a verb of its
    own that stands after the predicate it shares with the claim: that date is the later verb's."""
    polarity = next((f for f in report.of_kind(Kind.POLARITY) if f.outcome is not Outcome.UNMATCHED), None)
    if polarity is None or polarity.statement_span is None:
        return None
    shared = polarity.statement_span
    verbs = polarity.details.get("statement_verbs") or []
    found = None
    for conflict in report.conflicts:
        date = conflict.statement_span
        before = [v for v in verbs if v[1] <= date.start] if date else []
        if not before or before[-1][0] < shared.end:
            return None  # no verb between the shared predicate and the date: the date may be the claim's event's
        found = (date.text, before[-1][2], shared.text)
    return found


def _event_unshared(report: CheckReport) -> list[str]:
    """The claim's verbs when the statement shares none of them but shares another of its predicate-like
    words (the polarity check's alignment): "border crossing" paired with "crossed", "seized" with nothing."""
    for f in report.of_kind(Kind.POLARITY):
        verbs, shared = f.details.get("claim_verbs") or [], f.details.get("shared_verbs") or []
        if f.outcome is not Outcome.UNMATCHED and verbs and not shared:
            return list(verbs)
    return []


def _closeness(similarity: float, settings: Settings) -> float:
    """Similarity rescaled so that the relatedness threshold is 0 and identity is 1."""
    floor = settings.related_similarity
    return min(1.0, max(0.0, (similarity - floor) / (1.0 - floor)))


def unaddressed(report: CheckReport) -> list[str]:
    """People, places, organizations and figures of the claim that the statement does not speak of at all.

    Other names ("COVID-19", a product) are left out: they go by many names ("SARS-CoV-2", "the
    coronavirus") that the name check cannot know, and a fact rarely turns on them the way it turns on
    who did something, where, and how many.
    """
    return [f.claim_span.text for f in _unaddressed(report) if f.claim_span]


def _unaddressed(report: CheckReport) -> list[Finding]:
    """The UNMATCHED findings behind `unaddressed`."""
    return [
        f
        for f in report.findings
        if f.outcome is Outcome.UNMATCHED and f.claim_span and (
            f.kind is Kind.NUMBER or (
                f.kind is Kind.ENTITY and _claim_entity(f, "kind") in DECISIVE_NAMES
                and _claim_entity(f, "role") != "attribution"))  # "Dr. O'Connor said ...": who said it
    ]


def _claim_entity(finding: Finding, key: str) -> str:
    claim = finding.details.get("claim")
    return claim.get(key, "") if isinstance(claim, dict) else ""
