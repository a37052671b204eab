"""Stances from the model's reading and the checks together (verdict/stance.py `read_stance`), on synthetic
findings and readings, then on real check findings for the cases that motivated the model."""

import pytest

from verifier import Settings, Statement, Verifier
from verifier.checks import CheckReport, Finding, Kind, Outcome, Span, check_pair
from verifier.results import Evidence, Stance, Verdict
from verifier.verdict import decide
from verifier.verdict.stance import Reading, read_stance

S = Settings()
ON_TOPIC_AGREEING = Reading(supports=0.8, contradicts=0.1, neutral=0.1)
ON_TOPIC_DISAGREEING = Reading(supports=0.1, contradicts=0.8, neutral=0.1)
OFF_TOPIC = Reading(supports=0.1, contradicts=0.1, neutral=0.8)


def finding(kind, outcome, text="x", name_kind="PLACE", role="subject"):
    details = {"claim": {"kind": name_kind, "role": role}} if kind == "entity" else {}
    return Finding(Kind(kind), Outcome(outcome), f"{kind} {outcome}", Span(0, len(text), text), details=details)


def report(*pairs):
    return CheckReport(tuple(finding(*p) for p in pairs))


def reading_reason(judgement):
    return next(f.reason for f in judgement.findings if f.kind is Kind.READING)


def test_a_figure_conflict_in_a_statement_read_as_on_topic_contradicts_with_the_checks_reason():
    j = read_stance(report(("number", "inconsistent"), ("entity", "consistent")), ON_TOPIC_AGREEING, S)
    assert j.stance is Stance.CONTRADICTS and j.score == pytest.approx(0.9)
    assert reading_reason(j) == "reads as about the same matter (0.90)"


def test_a_figure_conflict_in_a_statement_read_as_about_another_matter_is_neutral():
    j = read_stance(report(("number", "inconsistent"), ("entity", "consistent")), OFF_TOPIC, S)
    assert j.stance is Stance.NEUTRAL
    assert j.note == (f"disagrees on a detail, but reads as about the same matter at only 0.20, under the "
                      f"{S.stance_about:.2f} needed (setting stance_about)")


def test_the_note_gives_the_reading_that_fell_short_not_a_neutral_probability_that_says_otherwise():
    """'2,000 soldiers' against the statement of 1,037 troops, read as on the matter at 0.87 when 0.90 was
    needed: the note said 'reads as about another matter (neutral 0.13)', which the figure shown contradicts."""
    nearly = Reading(supports=0.3, contradicts=0.57, neutral=0.13)
    strict = S.replace(stance_about=0.9)
    j = read_stance(report(("number", "inconsistent")), nearly, strict)
    assert j.stance is Stance.NEUTRAL and "at only 0.87, under the 0.90" in j.note and "another matter" not in j.note
    j = read_stance(report(("number", "consistent"), ("entity", "consistent")), nearly, strict)
    assert j.stance is Stance.NEUTRAL and j.note.startswith("agrees on 'x' but reads as about the same matter at only 0.87")


def test_a_reading_just_under_the_threshold_is_written_so_that_it_reads_as_under_it():
    """'Tajikistan refused to let Afghan soldiers enter' against '... were let into Tajik territory': about 0.848
    was written 'at only 0.85, under the 0.85 needed', a reason that contradicts itself."""
    just_under = Reading(supports=0.318, contradicts=0.530, neutral=0.152)
    j = read_stance(report(("number", "inconsistent")), just_under, S.replace(stance_about=0.85))
    assert j.stance is Stance.NEUTRAL and "at only 0.848, under the 0.85 needed" in j.note


def test_the_model_alone_contradicts_where_no_check_fires_and_says_so():
    j = read_stance(report(("entity", "consistent")), ON_TOPIC_DISAGREEING, S)
    assert j.stance is Stance.CONTRADICTS and reading_reason(j) == "reads as contradicting (0.80)"


def test_shared_names_alone_never_support():
    """'COVID-19' matching 'COVID-19' in a sentence that only says the disease is spreading."""
    j = read_stance(report(("entity", "consistent", "COVID-19", "MISC")), OFF_TOPIC, S)
    assert j.stance is Stance.NEUTRAL and "neither confirming nor denying" in j.note


def test_figures_the_checks_confirm_support_when_the_statement_is_on_topic():
    j = read_stance(report(("number", "consistent"), ("entity", "consistent")), ON_TOPIC_DISAGREEING, S)
    assert j.stance is Stance.SUPPORTS


def test_the_model_cannot_contradict_a_figure_the_checks_found_compatible():
    j = read_stance(report(("number", "not_comparable", "2,000"), ("entity", "consistent")), ON_TOPIC_DISAGREEING, S)
    assert j.stance is Stance.NEUTRAL and "'2,000'" in j.note


def test_a_statement_silent_on_the_claims_place_never_contradicts_it_on_the_models_word():
    """'The Taliban captured nearby districts' read as contradicting '… captured Kabul' (0.57): another place."""
    j = read_stance(report(("entity", "unmatched", "Kabul", "PLACE")), ON_TOPIC_DISAGREEING, S)
    assert j.stance is Stance.NEUTRAL and j.note.startswith("does not address 'Kabul'")


def test_a_neutral_card_shows_what_the_model_read_not_a_neutral_probability_that_says_otherwise():
    """The Kabul card said "reads as neither confirming nor denying (0.04)" beside "does not address 'Kabul'",
    and the seed's sentence 18 said so beside "reads as contradicting (0.88), but its figures do not conflict"."""
    j = read_stance(report(("entity", "unmatched", "Kabul", "PLACE")), ON_TOPIC_DISAGREEING, S)
    assert reading_reason(j) == "reads as contradicting (0.80)"
    j = read_stance(report(("number", "consistent", "20th"), ("date", "not_comparable")), ON_TOPIC_DISAGREEING, S)
    assert j.stance is Stance.NEUTRAL and j.note.startswith("reads as contradicting (0.80), but its figures")
    assert reading_reason(j) == "reads as contradicting (0.80)"
    assert reading_reason(read_stance(report(("entity", "consistent")), OFF_TOPIC, S)) == (
        "reads as neither confirming nor denying (0.80)")


def test_a_statement_that_names_the_claims_subject_only_by_a_pronoun_may_support_it_and_says_so():
    """'She started acting in erotic videos' for a claim about Jenna Jameson: the model reads the pronoun."""
    j = read_stance(report(("entity", "unmatched", "Jenna Jameson", "PERSON")), ON_TOPIC_AGREEING, S)
    assert j.stance is Stance.SUPPORTS
    assert reading_reason(j) == "reads as agreeing (0.80), though it does not name 'Jenna Jameson'"


def test_a_statement_silent_on_a_name_and_read_as_neither_says_both():
    j = read_stance(report(("entity", "unmatched", "Kabul", "PLACE")), Reading(0.2, 0.1, 0.7), S)
    assert j.stance is Stance.NEUTRAL
    assert j.note.startswith("does not address 'Kabul' and reads as neither confirming nor denying")


def test_a_statement_silent_on_a_figure_takes_no_side_whatever_the_model_reads():
    for reading in (ON_TOPIC_AGREEING, ON_TOPIC_DISAGREEING):
        j = read_stance(report(("number", "unmatched", "Over 1,000"), ("entity", "consistent")), reading, S)
        assert j.stance is Stance.NEUTRAL and j.note == "does not address 'Over 1,000'"


def test_a_name_given_only_as_who_said_it_need_not_be_addressed():
    j = read_stance(report(("entity", "unmatched", "Dr. O'Connor", "PERSON", "attribution")), ON_TOPIC_AGREEING, S)
    assert j.stance is Stance.SUPPORTS


def test_the_model_support_needs_every_figure_confirmed():
    j = read_stance(report(("number", "unmatched", "2,000")), ON_TOPIC_AGREEING, S)
    assert j.stance is Stance.NEUTRAL


def evidence(stance, score, sid):
    return Evidence(Statement(text=f"statement {sid}", id=sid), 1, 0.9, 0.9, stance, score)


def test_a_verdict_citing_a_contradiction_is_never_plainly_supported():
    result = decide("claim", [evidence(Stance.SUPPORTS, 0.95, "a"), evidence(Stance.CONTRADICTS, 0.55, "b")], S)
    assert result.verdict is Verdict.MIXED
    assert any(r.statement_id == "b" for r in result.reasons)


def test_another_person_in_the_same_role_is_a_conflict_the_verdict_names():
    claim = "President Jacques Chirac and Queen Elizabeth II opened the Channel Tunnel"
    source = "President François Mitterrand and Queen Elizabeth II opened the Channel Tunnel in 1994."
    j = read_stance(check_pair(claim, source), ON_TOPIC_AGREEING, S)
    assert j.stance is Stance.CONTRADICTS
    conflict = next(f for f in j.findings if f.outcome is Outcome.INCONSISTENT and f.kind is Kind.ENTITY)
    assert "Jacques Chirac" in conflict.reason and "François Mitterrand" in conflict.reason


def test_a_unicode_hyphen_in_the_source_does_not_hide_a_conflict():
    claim = "COVID-19 mortality was higher in Italy than in Germany"
    source = "COVID\u201019 mortality was lower in Italy than in Germany."
    j = read_stance(check_pair(claim, source), ON_TOPIC_AGREEING, S)
    assert "COVID-19" not in j.note


@pytest.mark.model
def test_results_name_the_stance_model_and_neutral_evidence_says_why(demo_index):
    v = Verifier.open(demo_index)
    result = v.check("The Taliban seized Afghanistan's main border crossing into Tajikistan in June 2021")
    assert result.stance_model == Verifier.describe_stance_model()
    assert len(result.stance_model["sha256"]) == 64
    for e in result.shown:
        assert e.related
        assert e.reading is not None or (e.stance is Stance.NEUTRAL and e.note)  # unread: the checks decided
        if e.stance is Stance.NEUTRAL:
            assert e.note
    assert [e.similarity for e in result.shown] == sorted((e.similarity for e in result.shown), reverse=True)


@pytest.mark.model
def test_the_rules_alone_are_a_setting(demo_index):
    v = Verifier.open(demo_index, Settings(stance_model="off"))
    result = v.check("2,000 Afghan troops fled into Tajikistan")
    assert result.stance_model is None and all(e.reading is None for e in result.evidence)
    assert result.verdict is Verdict.CONTRADICTED


@pytest.mark.model
def test_warm_up_builds_the_tables_the_first_check_needs(demo_index):
    from verifier.checks.entities.gazetteer import _tables
    from verifier.checks.numbers.units import _registry

    import functools
    import sys

    from verifier.checks.memo import Seedable

    for name, module in list(sys.modules.items()):  # as in a fresh process: every checks cache empty
        if name.startswith("verifier.checks"):
            for value in vars(module).values():
                if isinstance(value, (functools._lru_cache_wrapper, Seedable)):
                    value.cache_clear()
    Verifier.open(demo_index).warm_up()
    assert _tables.cache_info().currsize == 1 and _registry.cache_info().currsize == 1


def test_the_model_is_not_asked_where_the_checks_alone_decide():
    from verifier.verdict.stance import UNREAD, needs_reading

    assert not needs_reading(report(("number", "unmatched", "2,000")))
    assert not needs_reading(report(("date", "inconsistent"), ("entity", "unmatched", "Kabul", "PLACE")))
    assert not needs_reading(report(("number", "inconsistent"), ("date", "inconsistent")))
    assert needs_reading(report(("entity", "unmatched", "Kabul", "PLACE")))  # it may name it by a pronoun
    assert needs_reading(report(("number", "inconsistent"), ("entity", "consistent")))
    j = read_stance(report(("entity", "unmatched", "Kabul", "PLACE")), UNREAD, S)
    assert j.stance is Stance.NEUTRAL and "Kabul" in j.note
    assert not any(f.kind is Kind.READING for f in j.findings)


def test_not_enough_evidence_names_only_what_no_shown_statement_confirms():
    """'The Taliban captured Kabul': one card matches 'Taliban', another leaves it out; the reason once said
    "none confirms 'Kabul', 'Taliban'" under a card that confirms 'Taliban'."""
    def neutral(sid, *pairs, related=True):
        findings = tuple(finding("entity", outcome, text) for text, outcome in pairs)
        return Evidence(Statement(text=f"statement {sid}", id=sid), 1, 0.9, 0.6, Stance.NEUTRAL, 0.0,
                        findings=findings, note="does not address 'Kabul'", related=related)

    shown = [neutral("a", ("Taliban", "consistent"), ("Kabul", "unmatched")),
             neutral("b", ("Taliban", "unmatched"), ("Kabul", "unmatched"))]
    below_floor = neutral("c", ("Badakhshan", "unmatched"), related=False)
    result = decide("The Taliban captured Kabul", shown + [below_floor], S)
    assert result.verdict is Verdict.NOT_ENOUGH_EVIDENCE
    assert result.reasons[-1].text.endswith("none confirms 'Kabul'.")


def test_when_every_name_is_confirmed_somewhere_the_reason_says_what_the_closest_statement_lacks():
    def neutral(sid, similarity, note, *pairs):
        findings = tuple(finding("entity", outcome, text) for text, outcome in pairs)
        return Evidence(Statement(text=f"statement {sid}", id=sid), 1, 0.9, similarity, Stance.NEUTRAL, 0.0,
                        findings=findings, note=note)

    result = decide("Hamdullah Mohib, in Moscow, said the Taliban offensive was not expected", [
        neutral("a", 0.87, "does not address 'Moscow'", ("Hamdullah Mohib", "consistent"), ("Moscow", "unmatched"),
                ("Taliban", "consistent")),
        neutral("b", 0.68, "does not address 'Taliban'", ("Moscow", "consistent"), ("Taliban", "unmatched")),
    ], S)
    reason = result.reasons[-1]
    assert reason.text.endswith("; the closest is neutral because it does not address 'Moscow'.")
    assert reason.statement_id == "a"


BORDER_CLAIM = "The Taliban seized Afghanistan's main border crossing into Tajikistan in June 2021"


@pytest.mark.parametrize("statement", [
    "Several hundred Afghan troops had already crossed into Tajikistan after the Taliban launched its offensive "
    "in early May 2021.",
    "Tajikistan's national security committee said on 5 July 2021 that 1,037 Afghan government troops had fled "
    "across the border into Tajikistan to save their lives after overnight clashes with the Taliban.",
])
def test_a_date_of_another_event_does_not_contradict(statement):
    """The issue's first example: the statement about troops fleeing shares 'crossing' (as 'crossed', 'fled'),
    not 'seized', so its date is its own event's, whatever the model reads."""
    j = read_stance(check_pair(BORDER_CLAIM, statement), ON_TOPIC_DISAGREEING, S)
    assert j.stance is Stance.NEUTRAL
    assert j.note == ("gives another date than 'June 2021', but does not say 'seized' or the like: the date is "
                      "taken to be another event's")


def test_a_date_of_the_same_event_still_contradicts():
    j = read_stance(check_pair(BORDER_CLAIM, "In May 2021 the Taliban seized Afghanistan's main border crossing "
                                             "into Tajikistan."), ON_TOPIC_AGREEING, S)
    assert j.stance is Stance.CONTRADICTS
    assert any(f.kind is Kind.DATE and f.outcome is Outcome.INCONSISTENT for f in j.findings)


MAY_BORDER_CLAIM = BORDER_CLAIM.replace("June", "May")
TROOPS_IN_MAY = ("Several hundred Afghan troops had already crossed into Tajikistan after the Taliban launched its "
                 "offensive in early May 2021.")


def test_a_date_of_another_event_does_not_let_the_checks_decide_support_either():
    """The same statement against the claim with its date moved to May: the date now agrees, but it is the
    troops' crossing's, not the seizing's, so the checks do not decide; the model's reading does."""
    unsure = Reading(supports=0.2, contradicts=0.1, neutral=0.7)
    j = read_stance(check_pair(MAY_BORDER_CLAIM, TROOPS_IN_MAY), Reading(supports=0.5, contradicts=0.4, neutral=0.1), S)
    assert j.stance is Stance.SUPPORTS and j.score == pytest.approx(0.5)  # the model's own word, not 0.9
    assert reading_reason(j) == "reads as agreeing (0.50)"
    assert read_stance(check_pair(MAY_BORDER_CLAIM, TROOPS_IN_MAY), unsure, S).stance is Stance.NEUTRAL


def test_a_date_of_the_same_event_still_lets_the_checks_decide_support():
    j = read_stance(check_pair(MAY_BORDER_CLAIM, "In May 2021 the Taliban seized Afghanistan's main border crossing "
                                                 "into Tajikistan."), Reading(supports=0.5, contradicts=0.4, neutral=0.1), S)
    assert j.stance is Stance.SUPPORTS and j.score == pytest.approx(0.9)
    assert reading_reason(j) == "reads as about the same matter (0.90)"


DISTRICTS_AND_WITHDRAWAL = ("The Taliban have seized dozens of Afghanistan's districts, raising fears that the Afghan "
                            "military will collapse once US and international troops finish withdrawing in September 2021.")


def test_a_date_after_another_verb_than_the_shared_one_is_that_verbs_not_a_conflict():
    """The statement shares "seized" with the claim, but its September is when the troops finish withdrawing."""
    j = read_stance(check_pair("The Taliban seized the border crossing in June 2021", DISTRICTS_AND_WITHDRAWAL),
                    ON_TOPIC_DISAGREEING, S)
    assert j.stance is Stance.NEUTRAL
    assert j.note == ("gives 'September 2021' after another verb, 'collapse', than the 'seized' it shares with the "
                      "claim: the date is taken to be another event's")


@pytest.mark.parametrize("statement", [
    "Tajikistan's national security committee said on 5 July 2021 that 1,037 Afghan troops had fled into Tajikistan.",
    "1,037 Afghan troops fled into Tajikistan on 5 July 2021, the committee said.",
])
def test_a_date_told_with_the_shared_verb_or_only_after_a_reporting_verb_still_contradicts(statement):
    j = read_stance(check_pair("Afghan troops fled into Tajikistan in June 2021", statement), ON_TOPIC_AGREEING, S)
    assert j.stance is Stance.CONTRADICTS


def test_a_claim_verb_paired_with_a_noun_of_the_statement_is_not_a_shared_verb():
    """"fled" and the noun "crossing" are one concept to the polarity check, but the statement does not tell
    that anyone fled: its June is the seizure's, and it does not let the checks confirm the claim's June."""
    report = check_pair("Afghan troops fled into Tajikistan in June 2021",
                        "In June 2021 the Taliban seized Afghanistan's main border crossing into Tajikistan.")
    (polarity,) = report.of_kind(Kind.POLARITY)
    assert polarity.details["claim_verbs"] == ["fled"] and polarity.details["shared_verbs"] == []
    assert read_stance(report, ON_TOPIC_AGREEING, S).score == pytest.approx(0.8)  # the model's, not the checks' 0.9


def test_a_support_the_model_decided_is_cited_by_its_reading_before_shared_names():
    findings = (finding("entity", "consistent", "Taliban"), finding("reading", "consistent", "reads as agreeing (0.42)"))
    e = Evidence(Statement(text="six districts", id="s", source="AFP"), 1, 0.9, 0.6, Stance.SUPPORTS, 0.42,
                 findings=findings)
    result = decide(BORDER_CLAIM, [e], S)
    assert result.reasons[0].text.startswith("AFP supports the claim: reading consistent; entity consistent")


@pytest.mark.model
def test_the_border_crossing_claim_is_supported_and_no_other_event_contradicts_it(demo_index):
    result = Verifier.open(demo_index).check(BORDER_CLAIM)
    assert result.verdict is Verdict.SUPPORTED
    assert not [e.statement.id for e in result.evidence if e.stance is Stance.CONTRADICTS]


def test_a_vague_claim_date_does_not_keep_the_checks_from_deciding_what_they_confirm():
    """The seed article's "… captured neighborhood districts of Badakhshan recently, July 4, 2021" against the
    corpus's "On 4 July 2021 … after the Taliban captured nearby districts": "recently" cannot be compared with
    anything, and it kept the confirmed date from deciding; the model's reading of the paraphrase (contradicting,
    0.86) then made the article's own sentence "contradicted"."""
    claim = ("Afghan Commandos arrive to reinforce the security forces in Faizabad the capital of Badakhshan "
             "province, after Taliban captured neighborhood districts of Badakhshan recently, July 4, 2021.")
    source = ("On 4 July 2021 Afghan commandos arrived in Faizabad, the capital of Badakhshan province, to reinforce "
              "security forces after the Taliban captured nearby districts.")
    report = check_pair(claim, source)
    assert [f.details["why"] for f in report.of_kind(Kind.DATE) if f.outcome is Outcome.NOT_COMPARABLE] == [
        "the claim's date is vague"]
    j = read_stance(report, Reading(supports=0.1, contradicts=0.86, neutral=0.04), S)
    assert j.stance is Stance.SUPPORTS and reading_reason(j) == "reads as about the same matter (0.96)"
    # A vague date alone is nothing confirmed: the model decides, as for a claim without dates.
    j = read_stance(check_pair("Taliban captured districts of Badakhshan recently.", source), ON_TOPIC_DISAGREEING, S)
    assert j.stance is Stance.CONTRADICTS
