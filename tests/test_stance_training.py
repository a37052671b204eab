"""The stance model's training pipeline end to end on a fixture, so it cannot rot: a few steps of
training, ONNX export, int8 quantization, temperature, and the exported folder loaded by the product."""

import json

import numpy as np
import pytest

from verifier.verdict.model import LABELS, StanceModel, model_input

PAIRS = [
    ("1,037 Afghan troops fled into Tajikistan.", "1,037 Afghan troops fled into Tajikistan on 5 July.", "supports"),
    ("2,000 Afghan troops fled into Tajikistan.", "1,037 Afghan troops fled into Tajikistan on 5 July.", "contradicts"),
    ("The Taliban took six districts.", "Tajikistan closed its border crossing.", "neutral"),
    ("The vaccine is effective.", "The vaccine is not effective in trials.", "contradicts"),
    ("Sea levels are rising.", "Sea levels rose 20 cm over the century.", "supports"),
    ("A drug cures the flu.", "The drug was tested on mice.", "not_supports"),
]


def write_pairs(path, made: int = 0):
    """The fixture pairs (train, then calib), and `made` training pairs marked as made by the project."""
    with open(path, "w") as fh:
        for i, (claim, evidence, label) in enumerate(PAIRS * 2):
            part = "calib" if i >= len(PAIRS) and label != "not_supports" else "train"
            fh.write(json.dumps({"claim": claim, "evidence": evidence, "label": label, "dataset": "fixture",
                                 "group": str(i), "part": part, "made": ""}) + "\n")
        for i in range(made):
            fh.write(json.dumps({"claim": f"{1000 + i} troops fled.", "evidence": "1,037 troops fled.",
                                 "label": "contradicts", "dataset": "fixture", "group": f"m{i}", "part": "train",
                                 "made": "figure"}) + "\n")
    return path


@pytest.mark.model
def test_a_tiny_model_trains_exports_and_loads(tmp_path):
    from training.train_stance import main

    pairs = write_pairs(tmp_path / "pairs.jsonl")
    out = tmp_path / "model"
    log = main(["--pairs", str(pairs), "--out", str(out), "--epochs", "1", "--batch-size", "4",
                "--max-length", "48", "--threads", "1", "--log-every", "1"])
    assert log["train_pairs"] == 7 and log["steps"] == 2  # 7 pairs in batches of 4
    assert log["chosen"] in {"int8", "fp32"} and log["temperature"] > 0
    model = StanceModel(out, threads=1)
    probs = model.predict([(c, e) for c, e, _ in PAIRS[:3]])
    assert probs.shape == (3, len(LABELS))
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert json.loads((out / "stance.json").read_text())["labels"] == list(LABELS)


def test_the_claim_is_read_with_the_words_the_statement_lacks_marked():
    claim, statement = model_input("Daggering is associated with death metal.",
                                   "It is associated with the 2006 wave of dancehall music.")
    assert claim == "*Daggering* is associated with *death* *metal*."
    assert statement.startswith("It is associated")


def test_a_figure_the_number_check_finds_consistent_is_not_marked():
    statement = "1,037 Afghan troops fled into Tajikistan on 5 July."
    assert model_input("Over 1,000 Afghan troops fled into Tajikistan", statement)[0] == \
        "Over 1,000 Afghan troops fled into Tajikistan"
    # Outside the qualifier's interval, or read without settling, the figure is new to the statement.
    assert model_input("Over 2,000 Afghan troops fled into Tajikistan", statement)[0] == \
        "Over *2,000* Afghan troops fled into Tajikistan"
    assert model_input("Over 1,000 Afghan troops fled into Tajikistan", statement, False)[0] == \
        "Over *1,000* Afghan troops fled into Tajikistan"


@pytest.mark.model
def test_the_shipped_model_reads_a_consistent_qualified_figure_as_agreeing():
    from verifier.verdict.model import load_stance_model

    model = load_stance_model()
    pairs = [("Over 1,000 Afghan troops fled into Tajikistan",
              "1,037 Afghan troops fled into Tajikistan on 5 July, the border authority said.")]
    try:
        model.settle_figures = False
        unsettled = model.predict(pairs)[0]
    finally:
        model.settle_figures = True
    settled = model.predict(pairs)[0]
    supports, contradicts = LABELS.index("supports"), LABELS.index("contradicts")
    assert unsettled[contradicts] > unsettled[supports]  # it cannot compare 1,000 with 1,037 by itself
    assert settled[supports] > 0.5 > settled[contradicts]


def test_dashes_are_folded_before_the_model_reads_them():
    claim, statement = model_input("COVID\u201019 fell by \u22123 points", "COVID-19 fell by -3 points")
    assert claim == "COVID-19 fell by -3 points"
    assert statement == claim


def test_a_folder_without_a_model_is_a_clear_error(tmp_path):
    from verifier import ModelError

    with pytest.raises(ModelError, match="no stance model"):
        StanceModel(tmp_path)


@pytest.mark.model
def test_a_second_stage_starts_from_the_first(tmp_path):
    """The shipped model's second stage: from the first stage's weights, every labelled pair and a capped
    number of made ones, stopped after a set number of steps."""
    from training.train_stance import main

    pairs = write_pairs(tmp_path / "pairs.jsonl", made=5)
    common = ["--pairs", str(pairs), "--epochs", "1", "--batch-size", "4", "--max-length", "48", "--threads", "1"]
    first = main(common + ["--out", str(tmp_path / "first"), "--made-limit", "0"])
    assert first["train_pairs"] == 7  # the made pairs left out
    second = main(common + ["--out", str(tmp_path / "second"), "--base", str(tmp_path / "first" / "torch"),
                            "--made-limit", "2", "--class-weights", "sqrt", "--max-steps", "1",
                            "--precision", "bf16"])
    assert second["args"]["precision"] == "bf16"
    assert second["train_pairs"] == 9 and second["steps"] == 1 and second["planned_steps"] == 3
    assert StanceModel(tmp_path / "second", threads=1).predict([PAIRS[0][:2]]).shape == (1, len(LABELS))


@pytest.mark.model
def test_a_tiny_relevance_model_trains_exports_and_loads(tmp_path):
    """The rerank stage's relevance model goes through the same pipeline with its own labels and file."""
    from training.train_stance import main
    from verifier.rerank import RelevanceModel

    pairs = tmp_path / "pairs.jsonl"
    with open(pairs, "w") as fh:
        for i, (claim, evidence, label) in enumerate(PAIRS * 2):
            relevance = "unrelated" if label == "neutral" else "relevant"
            fh.write(json.dumps({"claim": claim, "evidence": evidence, "label": relevance, "set": "fixture",
                                 "query": str(i), "part": "calib" if i >= len(PAIRS) else "train"}) + "\n")
    out = tmp_path / "relevance"
    log = main(["--task", "relevance", "--pairs", str(pairs), "--out", str(out), "--epochs", "1",
                "--batch-size", "4", "--max-length", "48", "--threads", "1", "--name", "relevance-test"])
    assert log["train_pairs"] == 6 and log["steps"] == 2
    meta = json.loads((out / "relevance.json").read_text())
    assert meta["labels"] == ["relevant", "unrelated"] and meta["name"] == "relevance-test"
    probs = RelevanceModel(out, threads=1).predict([(c, e) for c, e, _ in PAIRS[:3]])
    assert probs.shape == (3, 2) and np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    from verifier import ModelError

    with pytest.raises(ModelError, match="no stance model"):
        StanceModel(out)  # a relevance folder is not a stance model


def test_qualified_figures_are_labelled_by_the_checks_reading_of_the_qualifier():
    import random

    from training.stance_data import qualified_figures
    from verifier.checks import extract_quantities

    evidence = "1,037 Afghan troops fled into Tajikistan on 5 July."
    rng, seen = random.Random(0), set()
    for _ in range(40):
        for text, label in qualified_figures("1,037 Afghan troops fled into Tajikistan.", evidence, rng):
            q = extract_quantities(text)[0]
            assert q.qualifier and "1,037" not in text
            assert (q.interval.low <= 1037 <= q.interval.high) == (label == "supports")
            seen.add(label)
    assert seen == {"supports", "contradicts"}
    # A year, a figure the evidence lacks, or one already qualified gives nothing to qualify.
    assert qualified_figures("Troops fled in 2021.", "Troops fled in 2021.", rng) == []
    assert qualified_figures("500 troops fled.", evidence, rng) == []
    assert qualified_figures("More than 1,000 troops fled.", "More than 1,000 troops fled.", rng) == []


def test_a_changed_figure_the_number_check_still_finds_consistent_is_told_apart():
    from training.stance_data import still_consistent

    evidence = "The clouds increased temperatures by up to 20 °C in the winter months."
    assert still_consistent("Temperatures rose by up to 20 °C.", "Temperatures rose by up to 50 °C.", evidence)
    assert not still_consistent("Temperatures rose by up to 20 °C.", "Temperatures rose by 50 °C.", evidence)
    assert not still_consistent("1,037 troops fled.", "2,074 troops fled.", "1,037 troops fled.")
