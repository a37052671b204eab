"""The numbers check: extraction, qualifier intervals, alignment and comparison, on real sentences.

The table `tests/cases/numbers.jsonl` holds the cases, each citing the data set and row its sentences come
from (or saying the claim was written for the test); the property tests vary figures and phrasings.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from verifier import Settings
from verifier.checks.findings import Kind, Outcome
from verifier.checks.numbers.masking import non_quantity_spans
from verifier.checks.numbers import QuantityKind, check_numbers, extract_quantities

ROOT = Path(__file__).resolve().parent.parent
CASES = [json.loads(line) for line in (ROOT / "tests" / "cases" / "numbers.jsonl").read_text("utf-8").splitlines() if line]
GOLD = [json.loads(line) for line in (ROOT / "tests" / "cases" / "extraction_gold.jsonl").read_text("utf-8").splitlines() if line]
DATA = ROOT.parent / "shared" / "data"

TROOPS = (
    "Tajikistan's national security committee said on 5 July 2021 that 1,037 Afghan government troops had fled "
    "across the border into Tajikistan to save their lives after overnight clashes with the Taliban."
)


def _ws(text: str) -> str:
    """Whitespace as one plain space: the sources write "7 to 24\u00a0cm" with no-break spaces."""
    return " ".join(text.split())


def one(claim: str, statement: str = TROOPS):
    findings = check_numbers(claim, statement)
    assert len(findings) == 1, [f.reason for f in findings]
    return findings[0]


# --- the case table ------------------------------------------------------------------------------------


def test_case_table_is_large_and_cited():
    assert len(CASES) >= 110
    assert all(c["cite"] for c in CASES)
    real = [c for c in CASES if "written for this test" not in c["cite"] or "claim:" in c["cite"] or "statement:" in c["cite"]]
    assert len(real) >= 0.8 * len(CASES)  # most cases hold at least one real sentence


@pytest.mark.parametrize("case", [c for c in CASES if c["type"] == "extract"], ids=lambda c: c["id"])
def test_extraction_case(case):
    found = extract_quantities(case["text"])
    if case["only"]:
        assert len(found) == len(case["expect"]), [q.written for q in found]
    for want in case["expect"]:
        matches = [q for q in found if _ws(want["t"]) in _ws(q.written)]
        assert matches, f"{want['t']!r} not among {[q.written for q in found]}"
        q = matches[0]
        if "v" in want:
            assert q.value == pytest.approx(want["v"], rel=1e-9), q.written
        if "hi" in want:
            assert q.high_value == pytest.approx(want["hi"], rel=1e-9), q.written
        if "k" in want:
            assert q.kind.value == want["k"], q.written
        if "u" in want:
            assert q.unit == want["u"], q.written
        if "q" in want:
            assert q.qualifier == want["q"], q.written
        if "a" in want:
            assert q.approximate is want["a"], q.written
        assert case["text"][q.span.start : q.span.end] == q.span.text


@pytest.mark.parametrize("case", [c for c in CASES if c["type"] == "check"], ids=lambda c: c["id"])
def test_check_case(case):
    findings = check_numbers(case["claim"], case["statement"])
    if not case["expect"]:
        assert findings == ()
    for claim_text, outcome, statement_text in case["expect"]:
        matches = [f for f in findings if f.claim_span and _ws(claim_text) in _ws(f.claim_span.text)]
        assert matches, f"{claim_text!r} not among {[f.claim_span.text for f in findings if f.claim_span]}"
        f = matches[0]
        assert f.outcome.value == outcome, f.reason
        if statement_text is not None:
            assert f.statement_span is not None and _ws(statement_text) in _ws(f.statement_span.text), f.reason


# --- named behaviours ----------------------------------------------------------------------------------


def test_over_1000_is_consistent_with_1037():
    f = one("Over 1,000 Afghan troops fled into Tajikistan in July 2021")
    assert f.kind is Kind.NUMBER and f.outcome is Outcome.CONSISTENT
    assert f.reason == 'claim "Over 1,000" is consistent with source "1,037" (1,037 > 1,000)'
    assert f.statement_span.text == "1,037" and TROOPS[f.statement_span.start : f.statement_span.end] == "1,037"


def test_2000_contradicts_1037_off_by_93_percent():
    f = one("2,000 Afghan troops fled into Tajikistan")
    assert f.outcome is Outcome.INCONSISTENT
    assert f.reason == 'claim "2,000" contradicts source "1,037" (off by 93%)'
    assert f.details["relative_difference"] == pytest.approx(963 / 1037)


def test_nearly_1100_contradicts_1037_because_nearly_allows_only_down_to_1050():
    f = one("Nearly 1,100 Afghan soldiers fled")
    assert f.outcome is Outcome.INCONSISTENT
    assert "allows down to 1,050" in f.reason
    assert f.details["claim_interval"] == {"low": 1050.0, "high": 1100.0, "low_inclusive": True, "high_inclusive": False}


def test_nearly_1040_is_consistent_with_1037():
    assert one("Nearly 1,040 Afghan soldiers fled").outcome is Outcome.CONSISTENT


def test_nearly_1050_contradicts_1037_as_1037_is_nearer_1040():
    assert one("Nearly 1,050 Afghan soldiers fled").outcome is Outcome.INCONSISTENT


def test_percent_and_percentage_points_are_not_comparable():
    f = one("Support fell 5% among voters", "Support fell 5 percentage points among voters")
    assert f.outcome is Outcome.NOT_COMPARABLE and "percentage points" in f.reason


def test_percentage_points_agree_with_percentage_points():
    assert one("Support fell 5 pp among voters", "Support fell 5 percentage points among voters").outcome is Outcome.CONSISTENT


def test_range_contains_source_figure():
    f = one("Between 1,000 and 1,100 troops fled")
    assert f.outcome is Outcome.CONSISTENT and "within 1,000–1,100" in f.reason


def test_range_with_en_dash_excludes_source_figure():
    assert one("500–600 troops fled").outcome is Outcome.INCONSISTENT


def test_vague_several_hundred_contradicts_1037():
    f = one("Several hundred Afghan troops fled")
    assert f.outcome is Outcome.INCONSISTENT and f.details["claim_interval"]["high"] == 1000.0


def test_vague_dozens_is_consistent_with_50():
    assert one("Dozens of districts fell", "The Taliban seized 50 districts").outcome is Outcome.CONSISTENT


def test_number_words_give_the_same_value_as_digits():
    values = {extract_quantities(t)[0].value for t in ("1,037 troops", "1037 troops", "one thousand and thirty-seven troops")}
    assert values == {1037.0}


def test_money_with_magnitude_suffixes_is_consistent_across_spellings():
    f = one("The deal was worth $4bn", "The deal was worth 4 billion dollars")
    assert f.outcome is Outcome.CONSISTENT
    f = one("The deal was worth $4m", "The deal was worth $4bn")
    assert f.outcome is Outcome.INCONSISTENT


def test_different_nouns_are_not_aligned():
    f = one("1,037 districts fell to the Taliban")
    assert f.outcome is Outcome.UNMATCHED and f.statement_span is None


def test_one_in_five_is_twenty_percent():
    assert one("One in five adults smoke", "20% of adults smoke").outcome is Outcome.CONSISTENT
    assert one("One in five adults smoke", "25% of adults smoke").outcome is Outcome.INCONSISTENT


def test_twice_is_a_ratio_of_two():
    q = extract_quantities("Prices rose twice as fast")[0]
    assert q.kind is QuantityKind.RATIO and q.value == 2.0 and q.unit == "×"


def test_half_is_a_share():
    q = extract_quantities("Half of the patients recovered")[0]
    assert q.kind is QuantityKind.FRACTION and q.value == 0.5


def test_a_dozen_is_twelve():
    assert extract_quantities("a dozen eggs")[0].value == 12.0


def test_negative_numbers_keep_their_sign():
    assert [q.value for q in extract_quantities("The balance was −65 km3 and -3.5 °C")] == [-65.0, -3.5]


def test_1_5m_is_million_before_people_and_metres_before_high():
    assert extract_quantities("1.5m people")[0].value == 1.5e6
    q = extract_quantities("a wall 1.5m high")[0]
    assert q.kind is QuantityKind.MEASURE and q.unit == "m" and q.value == 1.5


def test_km_and_miles_convert():
    f = one("The road is 10 miles long", "The road is 16 km long")
    assert f.outcome is Outcome.CONSISTENT
    assert f.details["conversion_factor"] == pytest.approx(1 / 1.609344)


def test_years_dates_and_identifiers_are_not_quantities():
    text = "On 5 July 2021, July 5, 2021-07-05, COVID-19, SARS-CoV-2 and ACE2 were in the news in 2021."
    assert extract_quantities(text) == ()


def test_masking_is_one_replaceable_function():
    spans = non_quantity_spans("In 2021 COVID-19 killed 5 people")
    assert [("In 2021 COVID-19 killed 5 people")[a:b] for a, b in spans] == ["2021", "COVID-19"]


def test_claim_quantities_without_counterpart_are_unmatched():
    f = one("The Taliban took 6 districts", TROOPS)
    assert f.outcome is Outcome.UNMATCHED and 'claim "6 districts"' in f.reason


def test_findings_serialize_to_json():
    f = one("Over 1,000 Afghan troops fled")
    data = json.loads(json.dumps(f.to_dict()))
    assert data["kind"] == "number" and data["details"]["claim_interval"]["high"] == "inf"
    assert json.loads(json.dumps(extract_quantities(TROOPS)[0].to_dict()))["unit"] == "troops"


def test_extraction_is_memoized():
    from verifier.checks.numbers.mentions import _extract

    text = "A unique sentence with 4,321 unicorns."
    before = _extract.cache_info().hits
    first = extract_quantities(text)
    assert extract_quantities(text) is first and _extract.cache_info().hits == before + 1


def test_tolerances_come_from_settings():
    loose = Settings().replace(exact_tolerance=0.05)
    assert check_numbers("1,073 troops fled", TROOPS)[0].outcome is Outcome.INCONSISTENT
    assert check_numbers("1,073 troops fled", TROOPS, loose)[0].outcome is Outcome.CONSISTENT


def test_extraction_gold_dev_part_scores_at_least_0_9():
    import importlib.util

    spec = importlib.util.spec_from_file_location("checks_numbers_bench", ROOT / "benchmarks" / "checks_numbers.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    ours, score = bench.ours, bench.score

    result = score([row for row in GOLD if row["split"] == "dev"], ours)
    assert result["precision"] >= 0.9 and result["recall"] >= 0.9, result


def _shared_texts() -> str:
    """Every text field of the shared data sets, joined."""
    import csv

    parts: list[str] = []
    for line in (DATA / "climate-fever" / "climate-fever.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        parts += [row["claim"], *(e["evidence"] for e in row["evidences"])]
    for line in (DATA / "covid-fact" / "COVIDFACT_dataset.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        parts += [row["claim"], *row["evidence"]]
    with (DATA / "healthver" / "healthver_dev.csv").open(encoding="utf-8") as f:
        parts += [x for row in csv.DictReader(f) for x in (row["claim"], row["evidence"])]
    with (DATA / "scifact-rte" / "dev.tsv").open(encoding="utf-8") as f:
        parts += [x for row in csv.DictReader(f, delimiter="\t") for x in (row["sentence1"], row["sentence2"])]
    with (DATA / "checkthat2020-task2" / "verified_claims.docs.tsv").open(encoding="utf-8") as f:
        parts += [row[1] for row in csv.reader(f, delimiter="\t") if len(row) > 1]
    return "\n".join(parts)


def _real_sides(case: dict) -> list[str]:
    """The fields of a case that its citation says are real text (the rest were written for the test)."""
    if case["type"] == "extract":
        return [] if "written for this test" in case["cite"] else ["text"]
    return [side for side in ("claim", "statement") if f"{side}: claim written for this test" not in case["cite"]]


def test_cited_case_sentences_are_verbatim_from_their_sources():
    if not DATA.exists():
        pytest.skip(f"{DATA} is absent: cannot check the cited sentences against their sources")
    demo = "\n".join(json.loads(line)["text"] for line in (ROOT / "corpus" / "demo.jsonl").read_text("utf-8").splitlines() if line)
    texts = _shared_texts() + "\n" + demo
    assert [(c["id"], side) for c in CASES for side in _real_sides(c) if c[side] not in texts] == []


def test_gold_sentences_are_verbatim_from_the_shared_data():
    if not DATA.exists():
        pytest.skip(f"{DATA} is absent: cannot check the gold sentences against their sources")
    texts = _shared_texts()
    assert [row["id"] for row in GOLD if row["text"] not in texts] == []


# --- properties ----------------------------------------------------------------------------------------

counts = st.integers(min_value=1, max_value=9_999_999)


def _fmt(n: int) -> str:
    return f"{n:,}"


@given(x=counts, y=counts)
def test_more_than_x_is_consistent_with_any_greater_y(x, y):
    if y <= x:
        y = x + y
    f = one(f"More than {_fmt(x)} troops fled", f"{_fmt(y)} troops fled")
    assert f.outcome is Outcome.CONSISTENT


@given(x=counts, y=counts)
def test_more_than_x_contradicts_any_y_at_most_x_unless_y_is_round_and_its_rounding_reaches_past_x(x, y):
    y = min(x, y)
    f = one(f"More than {_fmt(x)} troops fled", f"{_fmt(y)} troops fled")
    (source,) = extract_quantities(f"{_fmt(y)} troops fled")
    if source.approximate and source.interval.high > x:  # "1,000" may be 1,037: it cannot refute "more than 1,000"
        assert f.outcome is Outcome.NOT_COMPARABLE
    else:
        assert f.outcome is Outcome.INCONSISTENT


def _not_round(n: int) -> int:
    return n if n % 10 else n + 1


@given(x=counts, y=counts)
def test_exact_x_contradicts_y_beyond_tolerance_and_agrees_within_it(x, y):
    x, y = _not_round(x), _not_round(y)
    rel = abs(x - y) / y
    tol = Settings().exact_tolerance
    outcome = one(f"{_fmt(x)} troops fled", f"{_fmt(y)} troops fled").outcome
    if rel > 2 * tol and abs(x - y) > 1:
        assert outcome is Outcome.INCONSISTENT
    elif rel <= tol / 2 or x == y:
        assert outcome is Outcome.CONSISTENT


@given(n=st.integers(min_value=2, max_value=999_999))
def test_digits_separators_and_words_give_one_value(n):
    from num2words import num2words

    # num2words writes "one hundred and twenty-three thousand, four hundred": prose seldom has that comma
    texts = [f"{n} troops", f"{n:,} troops", f"{num2words(n).replace(',', '')} troops"]
    assert {extract_quantities(t)[0].value for t in texts} == {float(n)}


@given(x=st.integers(min_value=2, max_value=99_000), qualifier=st.sampled_from(["about", "around", "roughly", "some", "approximately"]))
def test_about_x_accepts_within_approx_tolerance(x, qualifier):
    tol = Settings().approx_tolerance
    # outside: not a round figure, whose own rounding could reach back into the claim's interval
    inside, outside = math.floor(x * (1 + tol * 0.9)), _not_round(math.ceil(x * (1 + tol * 1.2)) + 1)
    assert one(f"{qualifier} {_fmt(x)} troops", f"{_fmt(inside)} troops").outcome is Outcome.CONSISTENT
    assert one(f"{qualifier} {_fmt(x)} troops", f"{_fmt(outside)} troops").outcome is Outcome.INCONSISTENT


@given(a=st.integers(min_value=1, max_value=50_000), width=st.integers(min_value=1, max_value=50_000), y=counts)
@hsettings(max_examples=60)
def test_range_consistency_is_membership(a, width, y):
    b = a + width
    outcome = one(f"between {_fmt(a)} and {_fmt(b)} troops", f"{_fmt(y)} troops").outcome
    h_a, h_b = max(0.005 * a, 0.5), max(0.005 * b, 0.5)
    if a - h_a <= y <= b + h_b:
        assert outcome is Outcome.CONSISTENT
    else:
        assert outcome is Outcome.INCONSISTENT


def test_docstring_examples_hold():
    import doctest

    from verifier.checks.numbers import compare, mentions

    for module in (compare, mentions):
        assert doctest.testmod(module).failed == 0


# --- folded text: Unicode minus signs and the middle-dot decimal ------------------------------------


def test_a_minus_sign_reads_as_a_hyphen_minus_and_the_span_shows_it_as_written():
    f = one("Temperatures fell to -3 °C overnight", "Temperatures fell to \u22123 °C overnight")
    assert f.outcome is Outcome.CONSISTENT, f.reason
    assert (f.claim_span.text, f.statement_span.text) == ("-3 °C", "\u22123 °C")
    assert f.reason == 'claim "-3 °C" is consistent with source "\u22123 °C" (same figure)'
    assert f.details["statement"]["span"]["text"] == "\u22123 °C" and f.details["claim"]["span"]["text"] == "-3 °C"


def test_a_middle_dot_decimal_is_a_decimal_point():
    (q,) = extract_quantities("The hazard ratio was 0\u00b722 in the trial")
    assert q.value == 0.22 and q.written == "0\u00b722"
    # SciFact-RTE dev index 161 (excerpt): the source writes its minus signs as U+2212.
    source = "patients with prior use of NOACs had a lower risk of in-hospital mortality (ARD, \u22125.7% [97.5% CI, \u22127.3% to \u22124.2%]"
    assert [q.value for q in extract_quantities(source)][:2] == [-5.7, 97.5]
    f = check_numbers("prior use of NOACs lowered in-hospital mortality by an ARD of -5.7%", source)[0]
    assert f.outcome is Outcome.CONSISTENT and f.statement_span.text == "\u22125.7%", f.reason
