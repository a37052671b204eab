"""Dates check: extraction (spans, granularity, bounds) and comparison, on the committed case table and properties."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import load_cases
from verifier import Settings
from verifier.checks import Kind, Outcome
from verifier.checks.dates import DateMention, check_dates, extract_dates

STATEMENT = (
    "Tajikistan's national security committee said on 5 July 2021 that 1,037 Afghan government troops had "
    "fled across the border into Tajikistan to save their lives after overnight clashes with the Taliban."
)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@pytest.mark.parametrize("case", load_cases("dates_cases.jsonl"))
def test_date_case_table(case: dict) -> None:
    settings = Settings().replace(**case.get("settings", {}))
    findings = check_dates(
        case["claim"],
        case["statement"],
        statement_date=_date(case.get("statement_date")),
        claim_date=_date(case.get("claim_date")),
        settings=settings,
    )
    assert [f.claim_span.text for f in findings] == [e["claim"] for e in case["expect"]], case["source"]
    for finding, expected in zip(findings, case["expect"]):
        assert finding.kind is Kind.DATE
        assert finding.outcome.value == expected["outcome"], finding.reason
        assert expected.get("reason_has", "") in finding.reason
        if "statement" in expected:
            assert finding.statement_span.text == expected["statement"]


def test_spans_point_into_the_original_text() -> None:
    text = "Troops fled on 5 July 2021, by September 2021 and in early May 2021."
    for mention in extract_dates(text):
        assert text[mention.span.start : mention.span.end] == mention.span.text


@pytest.mark.parametrize(
    ("text", "granularity", "bound", "start", "end"),
    [
        ("on 5 July 2021", "day", "exact", "2021-07-05", "2021-07-05"),
        ("July 5, 2021", "day", "exact", "2021-07-05", "2021-07-05"),
        ("2021-07-05", "day", "exact", "2021-07-05", "2021-07-05"),
        ("in July 2021", "month", "exact", "2021-07-01", "2021-07-31"),
        ("in early May 2021", "part_of_month", "exact", "2021-05-01", "2021-05-10"),
        ("in late February 2020", "part_of_month", "exact", "2020-02-21", "2020-02-29"),
        ("in 2021", "year", "exact", "2021-01-01", "2021-12-31"),
        ("by September 2021", "month", "by", None, "2021-09-30"),
        ("before 2010", "year", "before", None, "2009-12-31"),
        ("after 1998", "year", "after", "1999-01-01", None),
        ("since the 1950s", "decade", "since", "1950-01-01", None),
        ("the late 19th century", "century", "exact", "1867-01-01", "1900-12-31"),
        ("between 1960 and 1999", "range", "exact", "1960-01-01", "1999-12-31"),
        ("the 2014–16 El Niño", "range", "exact", "2014-01-01", "2016-12-31"),
        ("the summer of 2003", "season", "exact", "2003-06-01", "2003-08-31"),
        ("in late 2011", "part_of_year", "exact", "2011-09-01", "2011-12-31"),
    ],
)
def test_granularity_and_interval_of_each_form(text, granularity, bound, start, end) -> None:
    (mention,) = extract_dates(text)
    assert (mention.granularity, mention.bound) == (granularity, bound)
    assert mention.start == _date(start) and mention.end == _date(end)


def test_relative_dates_resolve_against_the_reference_date() -> None:
    (last_month,) = extract_dates("last month", dt.date(2021, 7, 5))
    assert (last_month.start, last_month.end, last_month.relative) == (dt.date(2021, 6, 1), dt.date(2021, 6, 30), True)
    (recent,) = extract_dates("In recent weeks the Taliban advanced", dt.date(2021, 7, 5))
    assert recent.vague and recent.end == dt.date(2021, 7, 5)
    (unresolved,) = extract_dates("last month")
    assert unresolved.vague


def test_a_day_of_the_week_counts_back_from_the_reference_date_and_is_kept_by_name_without_one() -> None:
    monday = dt.date(2021, 7, 5)
    (on,) = extract_dates("Mohib, who was in Moscow on Monday for talks", monday)
    assert (on.granularity, on.start, on.end, on.relative) == ("day", monday, monday, True)
    (thursday,) = extract_dates("On Thursday the ministry said", monday)
    assert thursday.start == dt.date(2021, 7, 1)
    (last,) = extract_dates("The talks ended last Monday.", monday)
    assert last.start == dt.date(2021, 6, 28)
    (bare,) = extract_dates("Hamdullah Mohib was in Moscow on Monday")
    assert (bare.granularity, bare.start, bare.end) == ("weekday", None, None)
    (ahead,) = extract_dates("The two sides will meet on Friday", monday)
    assert (ahead.granularity, ahead.start) == ("weekday", None)  # not the Friday before the report


@pytest.mark.parametrize("text", ["He works on Mondays", "the Friday prayers", "next Friday they vote",
                                  "on Monday, July 5, 2021 he left"])
def test_a_weekday_that_names_no_day_on_its_own_is_not_a_weekday_mention(text: str) -> None:
    spans = [m.span.text for m in extract_dates(text, dt.date(2021, 7, 5))]
    assert not any(day in span for span in spans for day in ("Monday", "Friday")), spans


def test_a_modern_year_opening_a_sentence_stays_a_year() -> None:
    (olympics,) = extract_dates("2012 Olympics were held in London")
    assert olympics.granularity == "year" and olympics.start == dt.date(2012, 1, 1)


def test_month_without_year_takes_the_reference_year() -> None:
    (may,) = extract_dates("in early May", dt.date(2021, 7, 5))
    assert may.year_inferred and may.start == dt.date(2021, 5, 1)
    (bare,) = extract_dates("in early May")
    assert bare.month_days == (5, 1, 10) and bare.start is None


@pytest.mark.parametrize(
    "text",
    [
        "1,037 troops fled",
        "COVID-19 and SARS-CoV-2 spread",
        "May be true, and we may march on",
        "2000 people died",
        "more than 1500 soldiers",
        "over 2,000 ppm over periods of time of less than 1 million years",
        "blocked over 99% viruses in 5 minutes",
        "an income of $2019 a month",
        "1037 Afghan troops fled to Tajikistan",
        "Troops fled. 1066 Normans crossed.",
    ],
)
def test_numbers_that_are_not_dates_are_not_extracted(text: str) -> None:
    assert extract_dates(text) == ()


def test_mention_serializes_to_plain_values() -> None:
    (mention,) = extract_dates("by September 2021")
    assert mention.to_dict() == {
        "span": {"start": 0, "end": 17, "text": "by September 2021"},
        "granularity": "month",
        "start": None,
        "end": "2021-09-30",
        "bound": "by",
        "year_inferred": False,
        "relative": False,
        "month_days": None,
    }
    assert isinstance(mention, DateMention)


def test_claim_without_dates_gives_no_finding() -> None:
    assert check_dates("Afghan troops fled into Tajikistan", STATEMENT) == ()


# --- properties -------------------------------------------------------------------------------------

_MONTH_NAMES = list(calendar.month_name)[1:]
_days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))


def _formats(day: dt.date) -> list[str]:
    month = _MONTH_NAMES[day.month - 1]
    return [f"{day.day} {month} {day.year}", f"{month} {day.day}, {day.year}", day.isoformat()]


@given(_days)
def test_any_day_inside_a_month_is_consistent_with_that_month(day: dt.date) -> None:
    claim = f"It happened in {_MONTH_NAMES[day.month - 1]} {day.year}."
    (finding,) = check_dates(claim, f"It happened on {_formats(day)[0]}.")
    assert finding.outcome is Outcome.CONSISTENT


@given(_days, _days)
def test_a_day_outside_the_claimed_month_is_inconsistent(day: dt.date, other: dt.date) -> None:
    if (day.year, day.month) == (other.year, other.month):
        return
    claim = f"It happened in {_MONTH_NAMES[day.month - 1]} {day.year}."
    (finding,) = check_dates(claim, f"It happened on {_formats(other)[0]}.")
    assert finding.outcome is Outcome.INCONSISTENT


@given(_days, _days, st.integers(0, 2), st.integers(0, 2))
def test_reformatting_a_date_does_not_change_the_outcome(claimed, stated, fmt_a, fmt_b) -> None:
    statement = f"The agency said on {_formats(stated)[0]} that troops had fled."
    outcomes = {
        check_dates(f"Troops fled on {form}.", statement)[0].outcome
        for form in (_formats(claimed)[fmt_a], _formats(claimed)[fmt_b])
    }
    assert len(outcomes) == 1


@given(_days)
def test_a_year_is_consistent_with_every_day_in_it(day: dt.date) -> None:
    (finding,) = check_dates(f"This happened in {day.year}.", f"This happened on {_formats(day)[2]}.")
    assert finding.outcome is Outcome.CONSISTENT


@given(st.integers(1000, 999_999))
def test_counts_with_thousands_separators_never_become_dates(n: int) -> None:
    assert extract_dates(f"{n:,} troops fled") == ()


def test_a_number_counting_years_after_a_month_is_not_its_day() -> None:
    # Climate-FEVER claim 962 (tune part): "April 13 years ago" is April, then a span of 13 years.
    text = "In April the extent of Arctic sea ice was back to where it was in April 13 years ago"
    assert [m.span.text for m in extract_dates(text)] == ["April", "April", "13 years ago"]
    assert [m.span.text for m in extract_dates("The ice was back on April 13 last year.")][0] == "April 13"


def test_a_range_with_a_unicode_dash_reads_as_with_a_hyphen_and_keeps_its_dash() -> None:
    for dash in "\u2010\u2012\u2013\u2014\u2212":
        (mention,) = extract_dates(f"Between 2019{dash}2021 the glaciers shrank.")
        assert (mention.span.text, mention.start, mention.end) == (f"Between 2019{dash}2021", dt.date(2019, 1, 1), dt.date(2021, 12, 31))
    (finding,) = check_dates("Glaciers shrank in 2019-2021", "Glaciers shrank in 2019\u20102021")
    assert finding.outcome is Outcome.CONSISTENT and finding.statement_span.text == "2019\u20102021"
