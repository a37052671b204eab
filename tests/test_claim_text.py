"""Claims cleaned as users paste them (verifier/claim_text.py) and what the result says about it."""

import pytest

from verifier import Settings, Statement, Verifier
from verifier.claim_text import clean_claim


@pytest.mark.parametrize("given, cleaned", [
    ("BREAKING: 2,000 troops fled into #Tajikistan 🇹🇯 https://t.co/CsHG8R9cHp",
     "2,000 troops fled into Tajikistan"),
    ("RT @bob: Over 1,000 troops fled", "Over 1,000 troops fled"),
    ("Hurricane Dorian washed up bricks of cocaine pic.twitter.com/ApEtNvR7tb — NowThis (@nowthisnews) "
     "September 10, 2019", "Hurricane Dorian washed up bricks of cocaine"),
    ("Creepy photos were just posted https://t.co/l3s4immjh7 via @anteksiler", "Creepy photos were just posted"),
    ("What did he say?#ImpeachTrump https://t.co/c3iQ86DThG", "What did he say? Impeach Trump"),
    ("Masks cut #COVID19 cases by 53% 🔥🔥", "Masks cut COVID19 cases by 53%"),
    ("Inflation was 3.5% in May 2021.", "Inflation was 3.5% in May 2021."),
    ("Prices rose - but wages fell - in 2020", "Prices rose - but wages fell - in 2020"),
])
def test_clean_claim(given, cleaned):
    assert clean_claim(given) == cleaned


def test_nothing_left_keeps_the_text():
    assert clean_claim("🔥🔥 https://t.co/x") == "🔥🔥 https://t.co/x"


def test_figures_in_links_are_not_checked(tmp_path, fake_encoder):
    """A link's digits are not a figure of the claim: cleaned, the claim agrees with the statement."""
    path = tmp_path / "idx"
    Verifier.build(path, statements=[Statement(id="s", text="Officials said 1,037 troops fled into Tajikistan.")],
                   encoder=fake_encoder)
    claim = "1,037 troops fled into Tajikistan https://t.co/2000troops"
    on = Verifier.open(path, encoder=fake_encoder, settings=Settings(stance_model="off", clean_claims=True))
    off = Verifier.open(path, encoder=fake_encoder, settings=Settings(stance_model="off", clean_claims=False))
    cleaned = on.check(claim)
    assert cleaned.claim == "1,037 troops fled into Tajikistan"
    assert cleaned.given == claim and cleaned.to_dict()["claim_given"] == claim
    assert off.check(claim).given is None and "claim_given" not in off.check(claim).to_dict()
    assert on.check("1,037 troops fled into Tajikistan").given is None
