"""Entities check: extraction (kinds, places, roles) and alignment, on the committed case table and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import load_cases
from verifier import Settings
from verifier.checks import Kind, Outcome
from verifier.checks.entities import Entity, check_entities, extract_entities


@pytest.mark.parametrize("case", load_cases("entities_cases.jsonl"))
def test_entity_case_table(case: dict) -> None:
    findings = check_entities(case["claim"], case["statement"])
    assert [f.claim_span.text for f in findings] == [e["claim"] for e in case["expect"]], case["source"]
    for finding, expected in zip(findings, case["expect"]):
        assert finding.kind is Kind.ENTITY
        assert finding.outcome.value == expected["outcome"], finding.reason
        assert expected.get("reason_has", "") in finding.reason
        if "statement" in expected:
            assert finding.statement_span.text == expected["statement"]


def _found(text: str) -> list[tuple[str, str, str]]:
    return [(e.span.text, e.kind, e.role) for e in extract_entities(text)]


def test_demonyms_and_possessives_resolve_to_their_country() -> None:
    found = {e.span.text: e for e in extract_entities("Afghan troops entered Tajik territory, Russia's ministry said.")}
    assert found["Afghan"].place.name == "Afghanistan" and found["Afghan"].demonym
    assert found["Tajik"].place.name == "Tajikistan"
    assert found["Russia"].place.name == "Russia" and found["Russia"].role == "modifier"


def test_a_demonym_before_a_participle_modifies_the_noun_and_a_rival_one_conflicts() -> None:
    """"a French animated series" read "French" as the object of "is", so "an American series" was only
    unmatched: the claim's nationality went unaddressed instead of contradicted."""
    assert ("French", "PLACE", "modifier") in _found("It is a French animated television series.")
    assert ("Russia", "PLACE", "subject") in _found("Russia invaded the region.")  # a country name is no demonym
    findings = check_entities("SpongeBob SquarePants is an American series.",
                              "SpongeBob SquarePants is a French animated television series.")
    assert [(f.claim_span.text, f.outcome) for f in findings if f.outcome is Outcome.INCONSISTENT] == [
        ("American", Outcome.INCONSISTENT)]


def test_roles_come_from_the_neighbouring_words() -> None:
    assert _found("The Taliban captured Kabul and troops fled into neighbouring Tajikistan.") == [
        ("Taliban", "ORG", "subject"),
        ("Kabul", "PLACE", "object"),
        ("Tajikistan", "PLACE", "into"),
    ]


@pytest.mark.parametrize("name", ["Channel Tunnel", "Hoover Dam", "Gotthard Base Tunnel", "Keystone Pipeline",
                                  "Golden Gate Bridge", "Suez Canal", "Heathrow Airport", "Penn Station"])
def test_a_facility_named_by_its_head_word_is_a_place_not_a_person(name: str) -> None:
    assert [(text, kind) for text, kind, _ in _found(f"Trains ran through the {name} to France.")][0] == (name, "PLACE")


def test_titles_open_a_person_and_the_country_before_a_title_is_a_place() -> None:
    assert _found("U.S. President Donald Trump met Prime Minister Boris Johnson.") == [
        ("U.S.", "PLACE", "other"),
        ("Donald Trump", "PERSON", "subject"),
        ("Boris Johnson", "PERSON", "other"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Reports say that many troops have fled.",
        "Widespread heavy rainfall contributed to flooding.",
        "In recent weeks, several offensives were launched.",
        "In July 2021 it was hot on Monday.",
    ],
)
def test_capitals_that_only_start_a_sentence_or_name_a_month_are_no_entities(text: str) -> None:
    assert [e for e in extract_entities(text) if e.kind != "MISC"] == []


def test_sentence_initial_ordinary_word_is_dropped_but_the_name_after_it_kept() -> None:
    assert _found("Acclaimed actor Morgan Freeman died in October 2017.")[0][:2] == ("Morgan Freeman", "PERSON")
    assert _found("Two Democratic Party congressmen were arrested.")[0][:2] == ("Democratic Party", "ORG")


def test_a_small_town_named_like_a_person_is_a_place_only_after_a_place_preposition() -> None:
    assert _found("Presidential daughter Malia Obama was named the highest-paid heir.")[0][:2] == ("Malia Obama", "PERSON")
    assert extract_entities("The troops arrived in Faizabad.")[0].kind == "PLACE"


def test_entity_serializes_with_its_place() -> None:
    (entity,) = extract_entities("They fled into Tajikistan.")
    assert isinstance(entity, Entity)
    data = entity.to_dict()
    assert data["span"] == {"start": 15, "end": 25, "text": "Tajikistan"}
    assert (data["kind"], data["role"], data["place"]["key"]) == ("PLACE", "into", "country:TJ")


def test_threshold_setting_decides_spelling_variants() -> None:
    claim, statement = "Greta Thunburg spoke in Madrid.", "Greta Thunberg spoke in Madrid."
    (loose, _) = check_entities(claim, statement, Settings(entity_match_threshold=85.0))
    (strict, _) = check_entities(claim, statement, Settings(entity_match_threshold=99.0))
    assert loose.outcome is Outcome.CONSISTENT and strict.outcome is not Outcome.CONSISTENT


def test_claim_without_names_gives_no_finding() -> None:
    assert check_entities("troops fled across the border", "Afghan troops fled into Tajikistan.") == ()


# --- properties -------------------------------------------------------------------------------------

_COUNTRIES = [
    "Tajikistan", "Uzbekistan", "Kazakhstan", "Pakistan", "Iran", "China", "Russia", "Turkey", "India", "Germany",
    "France", "Canada", "Mexico", "Brazil", "Egypt", "Kenya", "Nigeria", "Japan", "Australia", "Austria", "Sweden",
    "Norway", "Poland", "Ukraine", "Iraq", "Syria", "Jordan", "Chile", "Peru", "Argentina",
]  # fmt: skip
_TEMPLATES = [
    "More than 1,000 Afghan troops fled into {} after clashes with the Taliban.",
    "The ministry said its consulate in {} was suspending its work.",
    "Hundreds of refugees crossed the border into {} on Sunday.",
]


@settings(deadline=None)
@given(st.sampled_from(_COUNTRIES), st.sampled_from(_COUNTRIES), st.sampled_from(_TEMPLATES))
def test_a_country_swapped_for_another_country_always_conflicts(claimed: str, stated: str, template: str) -> None:
    findings = {f.claim_span.text: f for f in check_entities(template.format(claimed), template.format(stated))}
    expected = Outcome.CONSISTENT if claimed == stated else Outcome.INCONSISTENT
    assert findings[claimed].outcome is expected, findings[claimed].reason
    if expected is Outcome.INCONSISTENT:
        assert findings[claimed].statement_span.text == stated


@settings(deadline=None)
@given(st.sampled_from(_COUNTRIES), st.sampled_from(_TEMPLATES))
def test_a_country_missing_from_an_unrelated_statement_is_unmatched_not_a_conflict(country: str, template: str) -> None:
    statement = "Germany's parliament debated a new budget in Berlin on Tuesday."
    findings = {f.claim_span.text: f for f in check_entities(template.format(country), statement)}
    if country != "Germany":
        assert findings[country].outcome is Outcome.UNMATCHED


# --- folded text ------------------------------------------------------------------------------------


def test_a_name_written_with_a_unicode_hyphen_is_the_same_name() -> None:
    # A source writing "COVID‐19" with U+2010 HYPHEN: the claim's "COVID-19" is the same name.
    (finding,) = check_entities("COVID-19 vaccines cut hospital admissions", "COVID\u201019 vaccines cut hospital admissions")
    assert finding.outcome is Outcome.CONSISTENT, finding.reason
    assert (finding.claim_span.text, finding.statement_span.text) == ("COVID-19", "COVID\u201019")
    assert finding.reason == 'claim "COVID-19" matches source "COVID\u201019" (same name)'
    (entity,) = extract_entities("COVID\u201019 spread")
    assert entity.span.text == "COVID\u201019" and entity.key == extract_entities("COVID-19 spread")[0].key


def test_check_pair_folds_both_texts_for_every_check_and_reports_them_as_written() -> None:
    from verifier.checks import check_pair

    claim = "In 2020\u20132021 COVID\u201019 cut the mean to \u22123 °C, a fall of 0.22 °C."
    statement = "In 2020-2021 COVID-19 cut the mean to -3 °C, a fall of 0\u00b722 °C."
    report = check_pair(claim, statement)
    assert report.conflicts == () and len(report.agreements) == len(report.findings) >= 5
    for f in report.findings:
        assert f.claim_span.text == claim[f.claim_span.start : f.claim_span.end]
        assert f.statement_span.text == statement[f.statement_span.start : f.statement_span.end]
    spans = {(f.kind.value, f.claim_span.text, f.statement_span.text) for f in report.findings}
    assert {("number", "\u22123 °C", "-3 °C"), ("number", "0.22 °C", "0\u00b722 °C"), ("entity", "COVID\u201019", "COVID-19"),
            ("date", "2020\u20132021", "2020-2021")} <= spans


# --- people and organizations in the same role; attribution -----------------------------------------


@pytest.mark.parametrize("name", ["Channel Tunnel", "Hoover Dam", "Pennsylvania Railway", "Kennedy Airport", "Golden Gate Bridge"])
def test_a_structure_noun_makes_a_place_not_a_person(name: str) -> None:
    (entity,) = [e for e in extract_entities(f"Thousands visited the {name} last year.") if e.span.text == name]
    assert entity.kind == "PLACE"


def test_a_regnal_number_after_a_title_keeps_a_person_and_names_joined_by_and_share_their_role() -> None:
    assert _found("President Jacques Chirac and Queen Elizabeth II opened the Channel Tunnel") == [
        ("Jacques Chirac", "PERSON", "subject"),
        ("Elizabeth II", "PERSON", "subject"),
        ("Channel Tunnel", "PLACE", "object"),
    ]
    assert [e.title for e in extract_entities("President Jacques Chirac and Queen Elizabeth II met")] == ["president", "queen"]
    assert _found("World War II ended in 1945.")[0][:2] == ("World War II", "MISC")
    assert [r for _, _, r in _found("Troops fled into Uzbekistan and Kazakhstan.")] == ["into", "into"]
    # a comma alone is no list: the apposition keeps its own role
    assert _found("Hamdullah Mohib, Afghanistan's national security adviser, was in Moscow")[0][2] == "other"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Dr. O'Connor said the vaccine is 90% effective", "O'Connor"),
        ("A study published in The Lancet found that masks cut transmission by 50%", "The Lancet"),
        ("According to the World Health Organization, masks cut transmission by 50%", "World Health Organization"),
        ('"Masks work," said Dr. Anthony Fauci.', "Anthony Fauci"),
        ("Reuters reported that the vaccine is 90% effective", "Reuters"),
        ("Professor Jane Smith found that masks cut transmission", "Jane Smith"),
    ],
)
def test_a_name_given_as_who_says_it_has_the_attribution_role(text: str, name: str) -> None:
    assert {e.span.text: e.role for e in extract_entities(text)}[name] == "attribution"
    (finding,) = [f for f in check_entities(text, "The vaccine is 90% effective and masks cut transmission by 50%.")
                  if f.claim_span.text == name]
    assert finding.outcome is Outcome.UNMATCHED and finding.details["claim"]["role"] == "attribution"
    assert "only as the source of what it reports" in finding.reason


@pytest.mark.parametrize(
    "text",
    ["Police officer John Smith found the body in Paris", "Italy reported 500 new cases", "Hamdullah Mohib met the minister"],
)
def test_a_subject_that_is_what_the_claim_is_about_is_no_attribution(text: str) -> None:
    assert "attribution" not in {e.role for e in extract_entities(text)}
