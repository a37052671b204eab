"""The claim's verdict, drawn from the stances of the retrieved statements, with reasons citing them.

- supported: some statement supports the claim and none contradicts it; contradicted: some statement
  contradicts it and none supports it, or the contradiction is stronger by `verdict_margin`; mixed:
  statements on both sides otherwise. A verdict that cites a contradicting statement is never plainly
  "supported". not_enough_evidence: no statement takes a side. A statement that cannot tell is neutral,
  so "can't tell" never becomes "contradicted".
- before sides are counted, figures of another occasion are set aside (`occasion.py`), and so is a support
  silent on a name that another statement names differently (`named.py`).
- confidence: the stance score of the deciding side (with the stance model, its calibrated probability;
  less half the other side's), and for not_enough_evidence, how far the closest statement is from taking
  a side.
- precision first (`verdict_min_confidence`, off by default): a verdict taking a side with a confidence
  below the setting is given as not_enough_evidence, one minus that confidence, and a reason says which
  way the statements lean.
- fact-checks (statements of kind fact_check) weigh by their rating, and only where the claim they
  reviewed says the same as this one (`factchecks.py`); the reason names the reviewer. Those that match
  the claim are listed in the result's `fact_checks`, closest first, whether their rating counted or not.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any, Mapping, Sequence

from ..checks import Kind, Outcome, Span, check_pair
from ..results import Evidence, Reason, Result, Stance, Verdict
from ..retrieve import Hit
from ..settings import Settings
from ..factcheck import FactCheck
from .factchecks import matches, reason
from .occasion import set_aside_other_occasions
from .model import StanceModel
from .named import set_aside_unnamed_supports
from .stance import UNREAD, Reading, judge_hit, needs_reading, short_of

MAX_REASONS = 4


def judge(
    claim: str, hits: Sequence[Hit], settings: Settings, claim_id: str | None = None,
    readings: Sequence[Reading | None] | None = None, model: Mapping[str, Any] | None = None,
) -> Result:
    """The verdict on a claim from its retrieved statements and, where the model read them, its readings."""
    readings = readings or [None] * len(hits)
    judged = [judge_hit(claim, hit, settings, reading) for hit, reading in zip(hits, readings)]
    return decide(claim, judged, settings, claim_id, model)


def read_all(
    model: StanceModel | None, claims: Sequence[str], hits: Sequence[Sequence[Hit]], settings: Settings,
    workers: int = 1,
) -> list[list[Reading | None]]:
    """The model's readings of every (claim, statement) pair above the relatedness floor whose stance the
    reading can change (`needs_reading`; the others get `UNREAD`).

    One model call per claim, over its candidates: the int8 model quantizes its activations per call, so a
    batch mixing several claims would make a claim's readings depend on the other claims checked with it;
    per claim, the same claim and index always give the same result (in a batch file as on the page).
    `workers` > 1 reads that many claims at once, each call on its own thread (give it a single-threaded
    model, `load_stance_model(threads=1)`): one claim's model run, which releases the GIL, overlaps
    another's Python checks and model run. The same readings to the float, since each call is the same.
    """
    if model is None:
        return [[None] * len(found) for found in hits]
    if workers <= 1 or len(hits) <= 1:
        return [_read_claim(model, claim, found, settings) for claim, found in zip(claims, hits)]
    with ThreadPoolExecutor(max_workers=min(workers, len(hits)), thread_name_prefix="stance-read") as pool:
        return list(pool.map(lambda args: _read_claim(model, *args, settings), zip(claims, hits)))


def _read_claim(model: StanceModel, claim: str, found: Sequence[Hit], settings: Settings) -> list[Reading | None]:
    out: list[Reading | None] = [None] * len(found)
    where = []
    for j, hit in enumerate(found):
        if hit.dense < settings.related_similarity:
            continue
        report = check_pair(claim, hit.statement.text, statement_date=hit.statement.published, settings=settings)
        if needs_reading(report):
            where.append(j)
        else:
            out[j] = UNREAD
    fresh = [j for j in where if found[j].reading is None]  # the rerank stage read the others already
    if fresh:
        probs, windows = model.predict_windows([(claim, found[j].statement.text) for j in fresh])
        for j, row, window in zip(fresh, probs, windows):
            out[j] = Reading.of(row, _span(found[j].statement.text, window))
    for j in where:
        if found[j].reading is not None:
            out[j] = Reading.of(found[j].reading, _span(found[j].statement.text, found[j].reading_window))
    return out


def _span(text: str, window: tuple[int, int] | None) -> Span | None:
    return None if window is None else Span(window[0], window[1], text[window[0]:window[1]])


def decide(
    claim: str, judged: Sequence[Evidence], settings: Settings, claim_id: str | None = None,
    model: Mapping[str, Any] | None = None,
) -> Result:
    """The verdict from statements whose stances are already judged."""
    evidence = set_aside_unnamed_supports(set_aside_other_occasions(claim, judged))
    support = max((e.stance_score for e in evidence if e.stance is Stance.SUPPORTS), default=0.0)
    against = max((e.stance_score for e in evidence if e.stance is Stance.CONTRADICTS), default=0.0)
    if support and against:
        if against - support >= settings.verdict_margin:
            verdict, confidence = Verdict.CONTRADICTED, against - support / 2
        else:
            verdict, confidence = Verdict.MIXED, min(support, against)
    elif support:
        verdict, confidence = Verdict.SUPPORTED, support
    elif against:
        verdict, confidence = Verdict.CONTRADICTED, against
    else:
        best = max((e.similarity for e in evidence), default=0.0)
        verdict, confidence = Verdict.NOT_ENOUGH_EVIDENCE, 1.0 - min(1.0, max(0.0, best))
    held_back = None
    if verdict is not Verdict.NOT_ENOUGH_EVIDENCE and confidence < settings.verdict_min_confidence:
        held_back = (verdict, confidence)
        verdict, confidence = Verdict.NOT_ENOUGH_EVIDENCE, 1.0 - confidence
    return Result(
        claim=claim,
        verdict=verdict,
        confidence=max(0.0, min(1.0, confidence)),
        reasons=reasons(verdict, evidence, settings, held_back),
        evidence=evidence,
        id=claim_id,
        stance_model=dict(model) if model else None,
        fact_checks=matches(evidence, settings),
    )


def reasons(
    verdict: Verdict, evidence: Sequence[Evidence], settings: Settings,
    held_back: tuple[Verdict, float] | None = None,
) -> tuple[Reason, ...]:
    """The sided statements' reasons, the leading side first; for not_enough_evidence, why nothing decides
    (`held_back`: the verdict the statements lean to, set aside for its confidence)."""
    sided = [e for e in evidence if e.stance is not Stance.NEUTRAL]
    sided.sort(key=lambda e: (e.stance is not _leading(held_back[0] if held_back else verdict), -e.stance_score))
    out = [_reason(e) for e in sided[:MAX_REASONS]]
    if held_back:
        leaning, confidence = held_back
        out.append(Reason(
            f"The statements lean to \"{leaning.value.replace('_', ' ')}\" (confidence "
            f"{short_of(confidence, settings.verdict_min_confidence)}), below the "
            f"{settings.verdict_min_confidence:.2f} asked for before a verdict takes a side "
            "(setting verdict_min_confidence)."
        ))
    elif verdict is Verdict.NOT_ENOUGH_EVIDENCE:
        out.append(_nothing_decides(evidence, settings))
    return tuple(out)


def _leading(verdict: Verdict) -> Stance:
    return Stance.CONTRADICTS if verdict is Verdict.CONTRADICTED else Stance.SUPPORTS


def _reason(e: Evidence) -> Reason:
    s = e.statement
    review = FactCheck.of(s)
    if review is not None:
        return reason(e, review)
    who = s.source or s.publisher or "an unattributed statement"
    when = f", {s.date}" if s.date else ""
    wanted = Outcome.INCONSISTENT if e.stance is Stance.CONTRADICTS else Outcome.CONSISTENT
    # The model's reading first when it decided the stance (it then has the stance's outcome): shared names
    # never make support, so a reason must not read as if they had.
    decisive = sorted((f for f in e.findings if f.outcome is wanted), key=lambda f: f.kind is not Kind.READING)
    detail = "; ".join(f.reason for f in decisive[:2])
    if e.stance is Stance.CONTRADICTS:
        text = f"{who}{when} contradicts the claim: {detail}."
    elif detail:
        text = f"{who}{when} supports the claim: {detail}."
    else:
        text = f"{who}{when} says the same as the claim (similarity {e.similarity:.2f})."
    return Reason(text, s.id, who)


def _nothing_decides(evidence: Sequence[Evidence], settings: Settings) -> Reason:
    if not evidence:
        return Reason("The corpus holds no statement to compare the claim with.")
    best = max(evidence, key=lambda e: e.similarity)
    if best.similarity < settings.related_similarity:
        return Reason(
            f"No statement in the corpus is about this claim (the closest has similarity {best.similarity:.2f}).",
            best.statement.id, best.statement.source or None,
        )
    # What no related statement confirms: a name one shown statement matches is not "unconfirmed" because
    # another leaves it out (the cards would say otherwise), and statements below the floor are not shown.
    related = [e for e in evidence if e.related]
    confirmed = {f.claim_span.text for e in related for f in e.findings
                 if f.outcome is Outcome.CONSISTENT and f.claim_span}
    missing = sorted({f.claim_span.text for e in related for f in e.findings
                      if f.outcome is Outcome.UNMATCHED and f.claim_span} - confirmed)
    if missing:
        gap = f"; none confirms {', '.join(repr(m) for m in missing[:3])}"
    else:  # each name is confirmed somewhere, but not together: say what the closest statement lacks
        gap = f"; the closest is neutral because it {best.note}" if best.note else ""
    return Reason(
        f"Related statements neither confirm nor contradict the claim{gap}.",
        best.statement.id, best.statement.source or None,
    )


__all__ = ["Reading", "decide", "judge", "judge_hit", "read_all"]
