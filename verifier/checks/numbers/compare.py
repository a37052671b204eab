"""The numbers check: do the figures of a claim agree with those of a sourced statement, and why.

For each quantity of the claim (`extract_quantities`), the statement quantity it talks about is found
(`align.assign`), both are brought to the claim's unit, and the claim's interval (`intervals.py`) is set
against the statement's: a statement figure given plainly counts as the point it states; one with a qualifier,
a range, a ± error or a vague count counts as its interval. In order:
- a percent change one way against one the other way ("79% greater" / "79% lower"): INCONSISTENT;
- no overlap: INCONSISTENT ('claim "2,000" contradicts source "1,037" (off by 93%)');
- the statement lies wholly within what the claim allows: CONSISTENT;
- two approximate figures, the source's nominal value within the claim's interval: CONSISTENT;
- a plain claim figure whose precision holds the looser source's nominal figure ("20%" / "one in five"): CONSISTENT;
- a plain claim inside a range the source gives ("97%" / "97–98%"): CONSISTENT;
- otherwise (the source is vaguer than the claim): NOT_COMPARABLE, as are percent vs percentage points,
  two currencies, a temperature vs a change of temperature, and equally good counterparts that disagree.
A claim quantity with no counterpart, or whose only counterpart is weakly aligned and disagrees, is UNMATCHED.
"""

from __future__ import annotations

import math
from typing import Any

from ...settings import Settings
from ..findings import Finding, Kind, Outcome
from ..folding import fold, restore_findings
from .align import MIN_SCORE, Alignment, assign
from .intervals import Interval, rule_of
from .mentions import Quantity, QuantityKind, extract_quantities
from .units import FRACTION, PERCENT, TIMES, Unit, convert, money_unit, unit_named

__all__ = ["Quantity", "QuantityKind", "check_numbers", "extract_quantities"]


def check_numbers(claim: str, statement: str, settings: Settings | None = None) -> tuple[Finding, ...]:
    """One finding per quantity of `claim`: consistent, inconsistent, not comparable or unmatched in `statement`.

    >>> check_numbers("Over 1,000 Afghan troops fled", "1,037 Afghan government troops had fled")[0].reason
    'claim "Over 1,000" is consistent with source "1,037" (1,037 > 1,000)'
    """
    return restore_findings(_check(fold(claim), fold(statement), settings), claim, statement)


def _check(claim: str, statement: str, settings: Settings | None) -> tuple[Finding, ...]:
    statement_qs = extract_quantities(statement, settings)
    claim_qs = extract_quantities(claim, settings)
    findings = []
    for q, aligned in zip(claim_qs, assign(claim_qs, statement_qs)):
        if q.kind is QuantityKind.NUMBER and not q.context:
            continue  # a bare figure with nothing around it says nothing checkable
        findings.append(_unmatched(q) if aligned is None else _decide(q, aligned))
    return tuple(findings)


def _unmatched(q: Quantity) -> Finding:
    what = f"{q.written} {q.noun}" if q.noun and q.noun not in q.written else q.written
    return Finding(
        kind=Kind.NUMBER,
        outcome=Outcome.UNMATCHED,
        reason=f'claim "{what}" has no counterpart in the source',
        claim_span=q.span,
        details={"claim": q.to_dict()},
    )


def _decide(c: Quantity, aligned: Alignment) -> Finding:
    """The comparison with the aligned quantity; where equally good rivals would come out otherwise, the
    source is ambiguous and the claim is not comparable with it."""
    finding = _compare(c, aligned)
    if aligned.score < MIN_SCORE and finding.outcome is not Outcome.CONSISTENT:
        return _unmatched(c)  # too little in common to call a disagreeing figure its counterpart
    others = [_compare(c, Alignment(r, aligned.score, aligned.evidence)) for r in aligned.rivals]
    if all(o.outcome is finding.outcome for o in others):
        return finding
    s = aligned.statement_quantity
    candidates = ", ".join(f'"{q.written}"' for q in (s, *aligned.rivals))
    return Finding(
        Kind.NUMBER,
        Outcome.NOT_COMPARABLE,
        f'claim "{c.written}" and source figures {candidates} are not comparable (the source has several '
        "equally likely counterparts that disagree)",
        claim_span=c.span,
        statement_span=s.span,
        details={**finding.details, "rivals": [q.to_dict() for q in aligned.rivals]},
    )


def _compare(c: Quantity, aligned: Alignment) -> Finding:
    s = aligned.statement_quantity
    details: dict[str, Any] = {"claim": c.to_dict(), "statement": s.to_dict(), "alignment": list(aligned.evidence)}
    blocker = _not_comparable_why(c, s)
    converted = None if blocker else _in_claim_unit(c, s)
    if converted is None:
        why = blocker or (
            "a temperature vs a change of temperature" if {c.dimension, s.dimension} == {"temperature", "temperature_difference"}
            else f"{s.unit} cannot be expressed in {c.unit}"
        )
        return _finding(Outcome.NOT_COMPARABLE, f'claim "{c.written}" and source "{s.written}" are not comparable ({why})', c, s, details)
    source_interval, source_value, factor = converted
    details.update(
        claim_interval=c.interval.to_dict(),
        statement_interval=source_interval.to_dict(),
        statement_value_in_claim_unit=source_value,
        conversion_factor=factor,
    )
    rel = _relative(c.value, source_value)
    if rel is not None:
        details["relative_difference"] = rel
    agree_why, disagree_why = _judge(c, s, source_value, rel, source_interval)
    loose = _round_source(c, s) if disagree_why else None
    if loose is not None and c.interval.overlaps(loose):
        # A round source figure ("passing the 400 ppm milestone", "1,000 troops") is read as its point, but
        # it is itself approximate: it cannot refute a claim figure within its own rounding ("just over
        # 400 ppm", "1,037").
        disagree_why, source_interval = None, loose
        details.update(statement_interval=loose.to_dict(), round_source=True)
    if disagree_why:
        return _finding(Outcome.INCONSISTENT, f'claim "{c.written}" contradicts source "{s.written}" ({disagree_why})', c, s, details)
    if agree_why:
        return _finding(Outcome.CONSISTENT, f'claim "{c.written}" is consistent with source "{s.written}" ({agree_why})', c, s, details)
    return _finding(
        Outcome.NOT_COMPARABLE,
        f'claim "{c.written}" and source "{s.written}" are not comparable (the source, '
        f"{_show_interval(source_interval, c)}, is less precise than the claim, {_show_interval(c.interval, c)})",
        c, s, details,
    )


def _judge(c: Quantity, s: Quantity, v: float, rel: float | None, source: Interval) -> tuple[str | None, str | None]:
    """(why they agree, why they disagree), at most one of them; neither: the source is vaguer than the claim.
    The rules in the order of the module docstring."""
    if {c.dimension, s.dimension} == {"change:up", "change:down"}:
        said = "an increase" if c.dimension == "change:up" else "a decrease"
        return None, f"{said} in the claim, the opposite in the source"
    if not c.interval.overlaps(source):
        return None, _why_not(c, s, v, rel, source)
    if c.interval.contains(source):
        return _why(c, s, v, rel, source), None
    point = Interval(v, v)
    single = s.high_value is None and s.kind is not QuantityKind.VAGUE
    if c.approximate and s.approximate and single and _rule(c) not in ("nearly", "just_over") and c.interval.contains(point):
        return f"two approximate figures: {_num(v, c)} is within the claim's {_show_interval(c.interval, c)}", None
    if _restates(c, s, v):
        return "the same figure, which the source gives as approximate", None
    if _within_source_range(c, s, source):
        return f"it lies within the source's range, {_show_interval(source, c)}", None
    return None, None


def _restates(c: Quantity, s: Quantity, source_value: float) -> bool:
    """A claim figure whose written precision holds the source's nominal figure restates it, where the source
    gives that figure loosely ("20%" for "one in five", "about 67%" for "two-thirds"); a claim that adds a
    bound or a range does not."""
    loose = (None, "exact", "about")
    if rule_of(c.qualifier) not in loose or rule_of(s.qualifier) not in loose or c.nominal is None:
        return False
    if c.high_value is not None or s.high_value is not None or QuantityKind.VAGUE in (c.kind, s.kind):
        return False
    return c.nominal.contains(Interval(source_value, source_value))


def _within_source_range(c: Quantity, s: Quantity, source_interval: Interval) -> bool:
    """A claim that stays inside a range the source gives ("97%" for "97–98%", "about 3 mm" for
    "3.1 ± 0.3 mm") agrees with it; a bound ("up to", "more than") or a vague count is no such range."""
    source_is_range = s.high_value is not None or s.qualifier == "±"
    claim_plain = rule_of(c.qualifier) in (None, "exact", "about") and c.kind is not QuantityKind.VAGUE
    return source_is_range and claim_plain and c.nominal is not None and source_interval.contains(c.nominal)


def _finding(outcome: Outcome, reason: str, c: Quantity, s: Quantity, details: dict[str, Any]) -> Finding:
    return Finding(Kind.NUMBER, outcome, reason, claim_span=c.span, statement_span=s.span, details=details)


def _not_comparable_why(c: Quantity, s: Quantity) -> str | None:
    if (c.kind is QuantityKind.PERCENTAGE_POINT) != (s.kind is QuantityKind.PERCENTAGE_POINT):
        return "percent vs percentage points"
    if c.kind is QuantityKind.MONEY and c.dimension != s.dimension:
        return f"different currencies: {c.unit} vs {s.unit}"
    if c.kind is QuantityKind.ORDINAL or s.kind is QuantityKind.ORDINAL:
        return None if c.kind is s.kind else "an ordinal is not an amount"
    return None


def _is_plain(q: Quantity) -> bool:
    """A figure stated plainly: no qualifier, no range, not vague, so it stands for the point it states."""
    return q.qualifier is None and q.high_value is None and q.kind is not QuantityKind.VAGUE and not (
        q.kind in (QuantityKind.FRACTION, QuantityKind.RATIO) and q.approximate
    )


def _unit_of(q: Quantity) -> Unit | None:
    if q.kind is QuantityKind.PERCENT:
        return PERCENT
    if q.kind is QuantityKind.FRACTION:
        return unit_named(q.unit or "") or FRACTION
    if q.kind is QuantityKind.RATIO:
        return TIMES
    if q.kind is QuantityKind.MONEY and q.unit:
        return money_unit(q.unit)
    if q.kind is QuantityKind.MEASURE and q.unit:
        return unit_named(q.unit)
    return None


def _round_source(c: Quantity, s: Quantity) -> Interval | None:
    """A plain round statement figure's own interval (its rounding) in the claim's unit; None otherwise."""
    if not (_is_plain(s) and s.approximate):
        return None
    converted = _in_claim_unit(c, s, s.interval)
    return converted[0] if converted else None


def _in_claim_unit(c: Quantity, s: Quantity, interval: Interval | None = None) -> tuple[Interval, float, float] | None:
    """The statement's interval (by default: its point if plain, else its interval) and value in the claim's
    unit, and the factor used; None if impossible."""
    if interval is None:
        interval = Interval(s.value, s.value) if _is_plain(s) else s.interval
    cu, su = _unit_of(c), _unit_of(s)
    if cu is None or su is None or cu.name == su.name:
        return interval, s.value, 1.0
    deltas = {c.dimension == "temperature_difference", s.dimension == "temperature_difference"}
    if cu.dimension == "temperature" and deltas == {True, False}:
        return None  # a temperature and a change of temperature
    delta = True in deltas
    if cu.dimension == "temperature" and not delta:
        low, high = convert(interval.low, su, cu), convert(interval.high, su, cu)
        value = convert(s.value, su, cu)
        if low is None or high is None or value is None:
            return None
        return Interval(low, high, interval.low_inclusive, interval.high_inclusive), value, math.nan
    one = convert(1.0, su, cu, delta)
    if one is None:
        return None
    return interval.scaled(one), s.value * one, one


def _relative(claim_value: float, source_value: float) -> float | None:
    if source_value == 0:
        return None
    return abs(claim_value - source_value) / abs(source_value)


def _why(c: Quantity, s: Quantity, v: float, rel: float | None, source_interval: Interval) -> str:
    rule = _rule(c)
    shown = _num(v, c)
    if not _is_plain(s) and rel is not None and rel < 1e-9 and rule_of(s.qualifier) == rule and c.high_value == s.high_value:
        return "the same figure and qualifier"
    if not _is_plain(s):
        return f"the source's {_show_interval(source_interval, c)} lies within the claim's {_show_interval(c.interval, c)}"
    if rule in ("gt", "ge", "lt", "le"):
        sign = {"gt": ">", "ge": "≥", "lt": "<", "le": "≤"}[rule]
        return f"{_source_shown(s, v, c)} {sign} {_num(c.value, c)}"
    if c.kind is QuantityKind.VAGUE:
        return f"{shown} is within {_show_interval(c.interval, c)}"
    if c.high_value is not None:
        return f"{shown} is within {_num(c.value, c)}–{_num(c.high_value, c)}"
    if rule == "nearly":
        return f"{shown} is {_pct(_relative(v, c.value))} below {_num(c.value, c)}"
    if rel is not None and rel < 1e-9:
        return "same figure" if _unit_of(c) == _unit_of(s) else f"{s.written} = {_num(c.value, c)}"
    return f"{shown} is within {_pct(_relative(v, c.value))} of {_num(c.value, c)}"


def _why_not(c: Quantity, s: Quantity, v: float, rel: float | None, source_interval: Interval) -> str:
    rule = _rule(c)
    shown = _source_shown(s, v, c)
    if rule in ("gt", "ge", "lt", "le") and _is_plain(s):
        word = {"gt": "more than", "ge": "at least", "lt": "less than", "le": "at most"}[rule]
        return f"{shown} is not {word} {_num(c.value, c)}"
    if c.kind is QuantityKind.VAGUE:
        return f"{shown} is outside {_show_interval(c.interval, c)}"
    if c.high_value is not None:
        return f"{shown} is outside {_num(c.value, c)}–{_num(c.high_value, c)}"
    if rule == "nearly" and v < c.value:
        below = _pct(_relative(v, c.value))
        return f"{shown} is {below} below {_num(c.value, c)}; \"{(c.qualifier or '').lower()}\" allows down to {_num(c.interval.low, c)}"
    if not _is_plain(s):
        return f"the source's {_show_interval(source_interval, c)} and the claim's {_show_interval(c.interval, c)} do not meet"
    return f"off by {_pct(rel)}"


def _rule(c: Quantity) -> str | None:
    return rule_of(c.qualifier)


def _source_shown(s: Quantity, v: float, c: Quantity) -> str:
    return _num(v, c) if _is_plain(s) else f'"{s.written}"'


def _pct(rel: float | None) -> str:
    if rel is None:
        return "an unknown share"
    pct = rel * 100
    return f"{pct:.0f}%" if pct >= 10 else f"{pct:.1f}%" if pct >= 0.1 else f"{pct:.2g}%"


def _num(x: float, q: Quantity) -> str:
    """A figure for a reason line, in the claim's unit: "1,037", "20%", "4.5 km"."""
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if q.kind is QuantityKind.FRACTION:
        return f"{_plain(x * 100)}%" if q.unit == "fraction" else f"{_plain(x)} {q.unit}"
    text = _plain(x)
    if q.kind in (QuantityKind.PERCENT,):
        return text + "%"
    if q.kind is QuantityKind.MONEY and q.unit:
        return f"{q.unit} {text}"
    if q.kind is QuantityKind.MEASURE and q.unit:
        return f"{text} {q.unit}"
    if q.kind is QuantityKind.RATIO:
        return f"{text}×"
    return text


def _plain(x: float) -> str:
    if abs(x) >= 1000 and float(x).is_integer():
        return f"{int(x):,}"
    if float(x).is_integer():
        return str(int(x))
    return f"{x:,.4g}" if abs(x) < 1000 else f"{x:,.0f}"


def _show_interval(i: Interval, q: Quantity | None = None) -> str:
    def end(x: float) -> str:
        if math.isinf(x):
            return "∞" if x > 0 else "−∞"
        return _num(x, q) if q is not None else _plain(x)

    return f"{'[' if i.low_inclusive else '('}{end(i.low)}, {end(i.high)}{']' if i.high_inclusive else ')'}"
