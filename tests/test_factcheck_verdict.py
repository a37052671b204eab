"""Fact-checks in the verdict: a rating counts only for a claim that says the same thing as the one reviewed,
the reason names the reviewer, and every matching review is listed in `fact_checks`, used or not. With the
rules alone and with the shipped stance model (a few pairs: fast)."""

import pytest

from verifier import FactCheck, Settings, Statement
from verifier.results import Stance, Verdict
from verifier.retrieve import Hit
from verifier.verdict import judge, read_all
from verifier.verdict.model import load_stance_model

S = Settings()
AFP = Statement(
    id="afp-2021-07-05-01", source="Tajikistan national security committee", publisher="AFP", date="2021-07-05",
    text="Tajikistan's national security committee said on 5 July 2021 that 1,037 Afghan government troops had "
         "fled across the border into Tajikistan.",
)


def fact_check(text, rating, normalized, reviewer="PolitiFact", date="2021-07-06"):
    review = FactCheck(reviewer=reviewer, rating=rating, normalized_rating=normalized, review_date=date,
                       url="https://www.politifact.com/factchecks/x/", claimant="Viral image")
    return Statement(text=text, id=f"fc-{reviewer}-{normalized}", publisher=reviewer, url=review.url,
                     source="Viral image", date="2021-07-05", meta=review.to_meta())


def check(claim, statements, similarities, model):
    hits = [[Hit(s, sim, sim, 0.0, rank) for rank, (s, sim) in enumerate(zip(statements, similarities), 1)]]
    readings = read_all(load_stance_model() if model else None, [claim], hits, S)[0]
    return judge(claim, hits[0], S, readings=readings, model=None)


@pytest.fixture(params=["rules", "model"])
def model(request):
    return request.param == "model"


def test_a_false_rating_of_the_same_claim_contradicts_it_and_the_reason_names_the_reviewer(model):
    review = fact_check("2,000 Afghan troops fled into Tajikistan.", "False", "false")
    result = check("2,000 Afghan troops fled into Tajikistan", [review], [0.97], model)
    assert result.verdict is Verdict.CONTRADICTED
    assert result.reasons[0].text == "PolitiFact rated a matching claim False on 6 July 2021."
    assert result.reasons[0].source == "PolitiFact" and result.reasons[0].statement_id == review.id
    (shown,) = result.fact_checks
    assert shown.used and shown.stance is Stance.CONTRADICTS and shown.similarity == pytest.approx(0.97)
    assert shown.to_dict()["normalized_rating"] == "false" and shown.to_dict()["reviewer"] == "PolitiFact"


def test_a_fact_check_of_a_different_figure_does_not_decide_the_verdict(model):
    review = fact_check("2,000 Afghan troops fled into Tajikistan.", "False", "false")
    result = check("1,037 Afghan troops fled into Tajikistan", [review], [0.92], model)
    assert result.verdict is Verdict.NOT_ENOUGH_EVIDENCE  # "2,000 is false" says nothing of 1,037
    assert not any("PolitiFact" in r.text for r in result.reasons)
    (shown,) = result.fact_checks  # still shown: a reader wants to see it, marked as not used
    assert not shown.used and "says something else" in shown.note


def test_beside_a_source_the_other_figures_fact_check_leaves_the_source_to_decide(model):
    review = fact_check("2,000 Afghan troops fled into Tajikistan.", "False", "false")
    result = check("1,037 Afghan troops fled into Tajikistan", [review, AFP], [0.92, 0.85], model)
    assert result.verdict is Verdict.SUPPORTED


def test_a_true_rating_of_the_same_claim_supports_it(model):
    review = fact_check("Russia said it would use its military base in Tajikistan to protect the border.",
                        "Verdadeiro", "true", reviewer="Aos Fatos")
    result = check("Russia said it would use its military base in Tajikistan to protect the border",
                   [review], [0.98], model)
    assert result.verdict is Verdict.SUPPORTED
    assert result.reasons[0].text == "Aos Fatos rated a matching claim Verdadeiro on 6 July 2021 (true)."


def test_a_mixed_rating_is_shown_but_takes_no_side(model):
    review = fact_check("2,000 Afghan troops fled into Tajikistan.", "Half True", "mixed")
    result = check("2,000 Afghan troops fled into Tajikistan", [review], [0.97], model)
    assert result.verdict is Verdict.NOT_ENOUGH_EVIDENCE
    assert result.fact_checks[0].stance is Stance.NEUTRAL and "neither true nor false" in result.fact_checks[0].note


def test_a_review_below_the_match_threshold_is_not_shown_and_does_not_count(model):
    review = fact_check("2,000 Afghan troops fled into Tajikistan.", "False", "false")
    similarity = S.fact_check_similarity - 0.01
    result = check("2,000 Afghan troops fled into Tajikistan", [review], [similarity], model)
    assert result.fact_checks == () and result.verdict is not Verdict.CONTRADICTED
    assert result.to_dict()["fact_checks"] == []
