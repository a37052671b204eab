"""The evaluation harness: dataset readers on small fixtures in each format, metrics, and `verifier eval`."""

import json

import pytest
from click.testing import CliRunner

from verifier.cli import cli
from verifier.evaluation.datasets import checkthat, climate_fever, generic, healthver_pairs
from verifier.evaluation.harness import classification_scores, has_number
from verifier.evaluation.metrics import average_precision_at, recall_at, reciprocal_rank, retrieval_scores

from conftest import DEMO


def test_climate_fever_reader_builds_a_corpus_of_unique_sentences_and_gold_from_labels(write):
    ev = lambda i, label: {"evidence_id": f"A:{i}", "evidence_label": label, "article": "A",  # noqa: E731
                           "evidence": f"Sentence {i}.", "entropy": 0, "votes": []}
    rows = [
        {"claim_id": "0", "claim": "c0", "claim_label": "SUPPORTS", "evidences": [ev(1, "SUPPORTS"), ev(2, "NOT_ENOUGH_INFO")]},
        {"claim_id": "1", "claim": "c1", "claim_label": "DISPUTED", "evidences": [ev(2, "REFUTES"), ev(3, "NOT_ENOUGH_INFO")]},
    ]
    data = climate_fever(write("cf.jsonl", rows))
    assert [s.id for s in data.corpus] == ["A:1", "A:2", "A:3"]
    assert data.queries[0].gold == {"A:1"} and data.queries[0].label == "supported"
    assert data.queries[1].gold == {"A:2"} and data.queries[1].label == "disputed"
    assert data.queries[1].evidence["A:2"] == "contradicted"


def test_checkthat_reader_pairs_tweets_with_their_verified_claims(tmp_path):
    (tmp_path / "dev").mkdir()
    (tmp_path / "verified_claims.docs.tsv").write_text('\tvclaim\ttitle\n0\t"A claim\nover two lines."\tT0\n1\tOther.\tT1\n')
    (tmp_path / "dev" / "tweets.queries.tsv").write_text('\ttweet_content\n7\t"A tweet, with ""quotes"""\n')
    (tmp_path / "dev" / "tweet-vclaim-pairs.qrels").write_text("7\t0\t0\t1\n")
    data = checkthat(tmp_path, "dev")
    assert data.corpus[0].text == "A claim over two lines." and data.corpus[0].title == "T0"
    assert data.queries[0].text == 'A tweet, with "quotes"' and data.queries[0].gold == {"0"}


def test_healthver_reader_maps_labels_to_stances(write):
    path = write("hv.csv", 'id,evidence,claim,label,topic_ip,question\n1,"Ev, one.",Claim one,Refutes,3,q\n')
    (pair,) = healthver_pairs(path)
    assert pair.label == "contradicts" and pair.topic == "3" and pair.evidence == "Ev, one."


def test_generic_reader_needs_well_formed_claim_records(write):
    corpus = write("corpus.jsonl", [{"id": "s1", "text": "Statement one."}])
    good = write("claims.jsonl", [{"id": 1, "claim": "c", "label": "supported", "evidence_ids": ["s1"]}])
    data = generic(good, corpus)
    assert data.queries[0].gold == {"s1"} and data.queries[0].id == "1" and data.corpus[0].id == "s1"
    bad = write("bad.jsonl", [{"claim": "no id"}])
    with pytest.raises(Exception, match="bad.jsonl:1"):
        generic(bad, corpus)


def test_retrieval_metrics_follow_their_definitions():
    ranked, gold = ["a", "b", "c"], frozenset({"b", "z"})
    assert recall_at(ranked, gold, 2) == 0.5 and reciprocal_rank(ranked, gold) == 0.5
    assert average_precision_at(ranked, frozenset({"b"}), 5) == 0.5
    assert retrieval_scores([(ranked, frozenset())]) == {}


def test_classification_scores_give_accuracy_macro_f1_and_confusion():
    s = classification_scores(["a", "a", "b"], ["a", "b", "b"], ["a", "b"])
    assert s.accuracy == pytest.approx(2 / 3)
    assert s.per_label_f1 == {"a": pytest.approx(2 / 3), "b": pytest.approx(2 / 3)}
    assert s.confusion == {"a": {"a": 1, "b": 1}, "b": {"b": 1}}


@pytest.mark.parametrize("text, expected", [
    ("1,037 troops fled", True), ("about two thirds of voters", True), ("It happened in 2021", False),
    ("COVID-19 spreads", False), ("Prices rose 5%", True), ("No figures here", False),
])
def test_has_number_follows_the_datasets_own_rule(text, expected):
    assert has_number(text) is expected


@pytest.mark.model
def test_eval_command_scores_the_pipeline_and_baselines_on_a_generic_set(tmp_path, write):
    claims = write("claims.jsonl", [
        {"id": "1", "claim": "Over 1,000 Afghan troops fled into Tajikistan", "label": "supported",
         "evidence_ids": ["afp-2021-07-05-01"]},
        {"id": "2", "claim": "2,000 Afghan troops fled into Tajikistan", "label": "contradicted",
         "evidence_ids": ["afp-2021-07-05-01"]},
        {"id": "3", "claim": "The Taliban captured Kabul in July 2021", "label": "not_enough_evidence"},
    ])
    out = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["eval", "jsonl", str(claims), "--corpus", str(DEMO), "--work",
                                      str(tmp_path / "work"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    ours = report["systems"]["verifier"]["all"]
    assert ours["verdict"]["accuracy"] == 1.0 and ours["retrieval"]["recall@5"] == 1.0
    assert report["systems"]["bm25+similarity"]["all"]["verdict"]["confusion"]["contradicted"].get("contradicted", 0) == 0
    assert "confusion" in result.output and "bm25+similarity" in result.output
