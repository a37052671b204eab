"""ClaimReview readers: saved pages (JSON-LD), JSON/JSONL of ClaimReviews, DataFeeds and fact-check search API
results become statements of kind fact_check; ratings are normalised; broken objects are reported with file and
position. Fixtures in tests/cases/factchecks/ are written for these tests, shaped after the schema.org
ClaimReview and DataFeed definitions and the fact-check search API's documented response."""

from pathlib import Path

import pytest

from verifier import FactCheck, Verifier, read_corpus
from verifier.ingest.ratings import from_scale, from_text, normalise

from fakes import FakeEncoder

CASES = Path(__file__).parent / "cases" / "factchecks"


def read(name):
    return read_corpus([CASES / name])


def reviews(result):
    return {s.meta["origin"].split(":", 1)[1]: (s, FactCheck.of(s)) for s in result.statements}


def test_a_saved_fact_check_page_gives_its_claim_review_and_not_its_sentences():
    result = read("politifact-page.html")
    assert len(result.statements) == 1 and not result.problems
    s = result.statements[0]
    review = FactCheck.of(s)
    assert s.text == "2,000 Afghan troops fled into Tajikistan."
    assert (s.source, s.publisher, s.date) == ("Viral image", "PolitiFact", "2021-07-05")
    assert s.url.startswith("https://www.politifact.com/factchecks/2021/jul/06/")
    assert (review.reviewer, review.rating, review.normalized_rating) == ("PolitiFact", "False", "false")
    assert (review.review_date, review.claimant, review.language) == ("2021-07-06", "Viral image", "en")
    assert s.meta["origin"] == "politifact-page.html:9:JSON-LD block 2"  # the script's line and its place
    assert review.rated() == "PolitiFact rated a matching claim False on 6 July 2021"


def test_a_page_reports_a_broken_block_and_a_review_without_rating_by_line_and_reads_the_graph():
    result = read("maldita-page.html")
    (s,) = result.statements
    assert s.text.startswith("La Unión Europea prohíbe la paella")
    assert FactCheck.of(s).normalized_rating == "false" and FactCheck.of(s).rating == "Falso"
    assert s.meta["origin"] == "maldita-page.html:6:JSON-LD block 1.@graph[1]"
    problems = [str(p) for p in result.problems]
    assert any(p.startswith(f"{CASES / 'maldita-page.html'}:17: ") and "not valid JSON" in p for p in problems)
    assert any(p.startswith(f"{CASES / 'maldita-page.html'}:21: JSON-LD block 3: ") and "without a rating" in p
               for p in problems)


def test_a_page_without_claim_review_is_still_read_as_an_article(write):
    page = write("news.html", "<html><head><title>News</title><script type='application/ld+json'>{broken"
                              "</script></head><body><article><p>Afghan troops crossed into Tajikistan on 5 July "
                              "2021 after clashes with the Taliban.</p></article></body></html>")
    result = read_corpus([page])
    assert [s.text for s in result.statements] == [
        "Afghan troops crossed into Tajikistan on 5 July 2021 after clashes with the Taliban."]
    assert not result.problems and FactCheck.of(result.statements[0]) is None  # its Organization markup is not ours


def test_search_api_results_give_one_statement_per_review_in_several_languages():
    result = read("search-api.json")
    found = reviews(result)
    afp, correctiv = found["claims[0].claimReview[0]"], found["claims[0].claimReview[1]"]
    assert afp[0].text == correctiv[0].text == "2,000 Afghan troops fled into Tajikistan"
    assert afp[0].id != correctiv[0].id  # two fact-checkers of one claim are two statements
    assert (afp[1].reviewer, afp[1].rating, afp[1].normalized_rating, afp[1].language) == (
        "AFP Factuel", "Faux", "false", "fr")
    assert (correctiv[1].rating, correctiv[1].normalized_rating) == ("Größtenteils falsch", "mostly false")
    assert afp[1].claimant == "Social media users" and afp[1].claim_date == "2021-07-05T00:00:00Z"
    assert afp[1].review_date == "2021-07-07T10:00:00Z" and afp[1].reviewer_site == "factuel.afp.com"
    assert found["claims[1].claimReview[0]"][1].normalized_rating == "mostly true"  # Lupa's "Verdadeiro, mas"
    assert found["claims[1].claimReview[1]"][1].normalized_rating == "true"
    problems = {p.message.split(":", 1)[0]: p.message for p in result.problems}
    assert set(problems) == {"claims[2]", "claims[3].claimReview[0]", "claims[4].claimReview[0]"}
    assert "textualRating" in problems["claims[3].claimReview[0]"]
    assert "July 2021" in problems["claims[4].claimReview[0]"]


def test_a_data_feed_reads_its_claim_reviews_and_reports_what_is_not_one():
    result = read("feed.json")
    found = reviews(result)
    assert set(found) == {"dataFeedElement[0].item[0]", "dataFeedElement[1]", "dataFeedElement[2]"}
    kabul = found["dataFeedElement[0].item[0]"]
    assert (kabul[1].normalized_rating, kabul[0].source, kabul[0].date) == ("false", "A Facebook post", "2021-07-04")
    assert found["dataFeedElement[1]"][1].normalized_rating == "mostly true"  # 4 on 1-5
    assert found["dataFeedElement[2]"][1].normalized_rating == "false"  # 9 is off its 1-5 scale: "Wrong" decides
    problems = sorted(p.message for p in result.problems)
    assert problems[0].startswith("dataFeedElement[3]: not a ClaimReview") and "NewsArticle" in problems[0]
    assert problems[1].startswith("dataFeedElement[4]: ClaimReview without claimReviewed")


def test_jsonl_lines_may_be_claim_reviews_beside_plain_statements_and_bad_ones_name_their_line():
    result = read("reviews.jsonl")
    by_line = {s.meta["origin"]: s for s in result.statements}
    assert FactCheck.of(by_line["reviews.jsonl:1"]).normalized_rating == "mixed"  # Spanish "Engañoso"
    assert FactCheck.of(by_line["reviews.jsonl:2"]) is None  # a plain statement record stays one
    assert FactCheck.of(by_line["reviews.jsonl:3"]).normalized_rating == "mostly true"  # Italian "C'eri quasi"
    assert FactCheck.of(by_line["reviews.jsonl:4"]).normalized_rating == "other"  # unknown: never guessed
    assert {p.line: p.message for p in result.problems} == {
        5: "ClaimReview without claimReviewed (the claim as reviewed)",
        6: "ClaimReview without a reviewer (author.name)",
        7: "claim without a claimReview list",
    }


def test_invalid_json_is_reported_with_its_line(write):
    bad = write("bad.json", '{"claims": [\n  {"text": "x",\n  "claimReview": [}\n]}')
    (problem,) = read_corpus([bad]).problems
    assert problem.line == 3 and "invalid JSON" in problem.message


@pytest.mark.parametrize("text, rating", [
    ("False", "false"), ("Pants on Fire!", "false"), ("Mostly False", "mostly false"), ("Half True", "mixed"),
    ("Mostly True", "mostly true"), ("TRUE", "true"), ("False. The photo is from 2015.", "false"),
    ("Falso", "false"), ("Engañoso", "mixed"), ("Verdadero", "true"), ("Mayormente falso", "mostly false"),
    ("Faux", "false"), ("Plutôt vrai", "mostly true"), ("Trompeur", "mixed"), ("Vrai", "true"),
    ("Falsch", "false"), ("Größtenteils falsch", "mostly false"), ("Richtig", "true"), ("Halb wahr", "mixed"),
    ("Verdadeiro", "true"), ("Enganoso", "mixed"), ("Falso: não há provas", "false"),
    ("Em grande parte falso", "mostly false"),
    ("True, but misleading", "other"), ("Not the whole story", "other"), ("Satire", "other"), ("", "other"),
])  # fmt: skip
def test_textual_ratings_are_normalised_by_the_table_and_unknown_ones_stay_other(text, rating):
    assert from_text(text) == rating


def test_a_numeric_rating_on_its_scale_decides_and_one_off_its_scale_does_not():
    assert [from_scale(v, 5, 1) for v in (1, 2, 3, 4, 5)] == ["false", "mostly false", "mixed", "mostly true", "true"]
    assert from_scale(2, 2, 0) == "true" and from_scale(0, 2, 0) == "false" and from_scale(1, 2, 0) == "mixed"
    assert from_scale(7, 5, 1) is None and from_scale("x", 5, 1) is None and from_scale(1, 1, 1) is None
    assert normalise("Mostly accurate", {"ratingValue": "-1", "bestRating": "5", "worstRating": "1"}) == "mostly true"


def test_two_reviews_of_one_claim_and_a_statement_of_the_same_words_are_all_indexed(tmp_path, write):
    plain = write("plain.jsonl", [{"text": "2,000 Afghan troops fled into Tajikistan", "source": "A blog"}])
    built = Verifier.build(tmp_path / "idx", [plain, CASES / "search-api.json", CASES / "politifact-page.html"],
                           encoder=FakeEncoder())
    assert not built.duplicates and built.total == 1 + 4 + 1
