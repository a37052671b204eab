"""Polarity check: negation scoped to the shared predicate, on the committed case table and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import load_cases
from verifier.checks import Kind, Outcome
from verifier.checks.polarity import check_polarity


@pytest.mark.parametrize("case", load_cases("polarity_cases.jsonl"))
def test_polarity_case_table(case: dict) -> None:
    (finding,) = check_polarity(case["claim"], case["statement"])
    expected = case["expect"]
    assert finding.kind is Kind.POLARITY
    assert finding.outcome.value == expected["outcome"], f'{case["source"]}: {finding.reason}'
    assert expected.get("reason_has", "") in finding.reason
    if "claim" in expected:
        assert finding.claim_span.text == expected["claim"]
    if "statement" in expected:
        assert finding.statement_span.text == expected["statement"]


def test_spans_point_into_both_texts() -> None:
    claim, statement = "The Taliban did not capture Kabul", "The Taliban captured Kabul on Sunday."
    (finding,) = check_polarity(claim, statement)
    assert claim[finding.claim_span.start : finding.claim_span.end] == "did not capture"
    assert statement[finding.statement_span.start : finding.statement_span.end] == "captured"
    assert finding.details["claim_polarity"] == "negated" and finding.details["statement_polarity"] == "affirmed"


def test_claim_without_a_predicate_gives_no_finding() -> None:
    assert check_polarity("Kabul", "The Taliban captured Kabul.") == ()


def test_finding_serializes() -> None:
    (finding,) = check_polarity("Troops did not flee", "Troops fled.")
    data = finding.to_dict()
    assert data["kind"] == "polarity" and data["outcome"] == "inconsistent"
    assert data["details"]["basis"] == "negation scope"


# --- properties -------------------------------------------------------------------------------------

_VERBS = [("captured", "capture"), ("seized", "seize"), ("crossed", "cross"), ("banned", "ban"), ("confirmed", "confirm")]
_NEGATIONS = ["did not {}", "never {}", "failed to {}", "refused to {}", "didn't {}"]
_UNRELATED = [
    "{subject} {past} the town, officials said, although the army did not comment.",
    "{subject} {past} the town; no civilians were hurt.",
    "{subject} {past} the town, but residents were not evacuated.",
]


@given(st.sampled_from(_VERBS), st.sampled_from(_NEGATIONS))
def test_a_negated_claim_always_flips_against_the_affirmed_statement(verb, negation) -> None:
    past, base = verb
    claim = f"The rebels {negation.format(base)} the town."
    (finding,) = check_polarity(claim, f"The rebels {past} the town.")
    assert finding.outcome is Outcome.INCONSISTENT


@given(st.sampled_from(_VERBS), st.sampled_from(_UNRELATED))
def test_a_not_in_another_clause_of_the_statement_does_not_flip_the_predicate(verb, template) -> None:
    past, _ = verb
    statement = template.format(subject="The rebels", past=past)
    (finding,) = check_polarity(f"The rebels {past} the town.", statement)
    assert finding.outcome is Outcome.CONSISTENT, finding.reason
