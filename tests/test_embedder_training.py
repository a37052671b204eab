"""The embedder's fine-tuning pipeline on a fixture, so it cannot rot: a few steps of training, the folder saved
as sentence-transformers writes it, and that folder used by the product through the `model_path` setting."""

import json

import pytest

from training.train_embedder import in_stance_calib, not_negatives, triplets
from verifier.evaluation.pairs import in_calib

ROWS = [
    ("1,037 Afghan troops fled into Tajikistan", "Over 1,000 Afghan soldiers crossed into Tajikistan.", "relevant"),
    ("1,037 Afghan troops fled into Tajikistan", "Tajikistan said 1,037 troops had fled the Taliban.", "relevant"),
    ("1,037 Afghan troops fled into Tajikistan", "The Taliban took six districts of Badakhshan.", "unrelated"),
    ("Sea levels are rising", "Sea levels rose 20 cm over the last century.", "relevant"),
    ("Sea levels are rising", "The vaccine was tested on mice.", "unrelated"),
    ("The vaccine is effective", "The vaccine prevented 95% of cases in trials.", "relevant"),
    ("The vaccine is effective", "Sea levels rose 20 cm over the last century.", "unrelated"),
]


def write_rows(path):
    with open(path, "w") as fh:
        for part in ("train", "calib"):
            for claim, evidence, label in ROWS:
                fh.write(json.dumps({"claim": claim, "evidence": evidence, "label": label, "part": part,
                                     "set": "fixture", "query": claim, "how": "gold"}) + "\n")
    return path


def test_rows_pair_each_relevant_statement_with_an_unrelated_one(tmp_path):
    import random

    rows, gold = triplets(write_rows(tmp_path / "pairs.jsonl"), "train", random.Random(1))
    assert len(rows) == 4  # one row per relevant statement
    assert all(len(neg) == 1 and neg[0] not in gold[q] for q, _, neg in rows)
    rows, _ = triplets(tmp_path / "pairs.jsonl", "train", random.Random(1), negatives=3)
    assert all(len(neg) == 1 for _, _, neg in rows)  # each claim of the fixture has one unrelated statement
    assert len(gold["1,037 Afghan troops fled into Tajikistan"]) == 2


def test_another_relevant_statement_of_the_same_claim_is_not_a_negative():
    gold = {"q": {"a", "b"}, "r": {"c"}}
    mask = not_negatives(["q", "r"], ["a", "c", "b"], gold)
    assert mask == [[False, False, True], [False, False, False]]


def test_stance_calib_claims_can_be_left_out(tmp_path):
    """A Climate-FEVER claim or HealthVer topic that the stance model keeps for calib is left out on request,
    by the stance split's own rule; other sets are never affected."""
    import random

    ids = [str(i) for i in range(40)]
    calib_id = next(i for i in ids if in_calib(i))
    train_id = next(i for i in ids if not in_calib(i))
    path = tmp_path / "pairs.jsonl"
    with open(path, "w") as fh:
        for name, query in (("climate-fever", calib_id), ("climate-fever", train_id),
                            ("healthver", f"{calib_id}/7"), ("checkthat", calib_id)):
            claim = f"{name} claim {query}"
            for evidence, label in (("on point", "relevant"), ("off point", "unrelated")):
                fh.write(json.dumps({"claim": claim, "evidence": f"{claim} {evidence}", "label": label,
                                     "part": "train", "set": name, "query": query, "how": "gold"}) + "\n")
    kept = {q for q, _, _ in triplets(path, "train", random.Random(1), skip_stance_calib=True)[0]}
    assert kept == {f"climate-fever claim {train_id}", f"checkthat claim {calib_id}"}
    assert len(triplets(path, "train", random.Random(1))[0]) == 4
    assert in_stance_calib({"set": "healthver", "query": f"{calib_id}/3"})


@pytest.mark.model
def test_a_tiny_embedder_trains_saves_and_serves(tmp_path):
    from training.train_embedder import main
    from verifier import Settings, Statement, Verifier

    out = tmp_path / "embedder"
    log = main(["--pairs", str(write_rows(tmp_path / "pairs.jsonl")), "--out", str(out), "--epochs", "1",
                "--batch-size", "2", "--max-length", "32", "--threads", "1", "--log-every", "1"])
    assert log["train_rows"] == 4 and log["steps"] == 2 and 0 < log["calib_mrr"] <= 1
    settings = Settings(model_path=str(out))
    statements = [Statement(text=t, source="fixture") for t in sorted({e for _, e, _ in ROWS})]
    Verifier.build(tmp_path / "index", statements=statements, settings=settings)
    hits = Verifier.open(tmp_path / "index", settings).search("Afghan troops fled to Tajikistan", k=3)
    assert hits and "Tajikistan" in hits[0].statement.text


def test_statements_can_be_given_as_the_index_embeds_them(tmp_path):
    import random

    sea = "Sea levels rose 20 cm over the last century."
    rows, gold = triplets(write_rows(tmp_path / "pairs.jsonl"), "train", random.Random(1),
                          as_indexed={sea: f"Sea level rise. {sea}"})
    assert f"Sea level rise. {sea}" in gold["Sea levels are rising"]
    assert sea not in {p for _, p, _ in rows}
