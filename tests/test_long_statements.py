"""A statement too long to read with the claim in the model's 128 word pieces is read in sentence windows,
and the window that speaks most to the claim gives the reading (verifier/crossencoder.py)."""

from __future__ import annotations

import numpy as np
import pytest

from verifier.verdict.model import LABELS, load_stance_model

FILLER = [
    "The city council met on Tuesday to discuss the new budget for public libraries.",
    "Several members asked for more money for road repairs in the northern districts.",
    "The mayor said the final figures would be published after the summer holidays.",
    "A local choir performed at the opening of the renovated concert hall last weekend.",
    "Weather forecasters expect heavy rain across the region for the rest of the month.",
    "The football club announced that its stadium will be closed for maintenance in August.",
    "Bus fares will rise by a small amount from the start of next year.",
    "A new bakery opened near the railway station and drew long queues.",
]
CLAIM = "1,037 Afghan troops fled into Tajikistan."
EVIDENCE = "1,037 Afghan soldiers fled across the border into Tajikistan on 5 July."
NEUTRAL = LABELS.index("neutral")


@pytest.fixture(scope="module")
def model():
    return load_stance_model()


def texts(statement, spans):
    return [statement[a:b] for a, b in spans]


def test_a_pair_that_fits_is_read_whole(model):
    assert model.windows(CLAIM, EVIDENCE) == [(0, len(EVIDENCE))]
    assert model.predict_windows([(CLAIM, EVIDENCE)])[1] == [None]


def test_windows_are_whole_sentences_that_fit_and_overlap_by_one(model):
    statement = "  ".join(FILLER * 3)  # the offsets are into the text as given, double spaces and all
    windows = texts(statement, model.windows(CLAIM, statement))
    assert len(windows) > 2
    for window in windows:
        assert model._length(CLAIM, window) <= model.card.max_length
        assert window.endswith(".") and window.split(".  ")[0] + "." in FILLER  # starts and ends on a sentence
    for before, after in zip(windows, windows[1:]):  # the last sentence of one window opens the next
        assert after.startswith(before.split("  ")[-1])
    assert windows[0].startswith(FILLER[0]) and windows[-1].endswith(FILLER[-1])


def test_one_overlong_sentence_is_cut_not_split(model):
    sentence = "The council said " + ", ".join(f"item {i} was approved" for i in range(60)) + "."
    assert model.windows(CLAIM, sentence) == [(0, len(sentence))]


def test_evidence_past_the_cut_is_read(model):
    """The sentence that speaks to the claim comes after 128 word pieces of unrelated news: cut there, the
    model would read only the news (neutral); in windows it finds the sentence."""
    statement = " ".join(FILLER + [EVIDENCE])
    assert model._length(CLAIM, statement) > model.card.max_length
    first = texts(statement, model.windows(CLAIM, statement))[0]
    assert EVIDENCE not in first
    (whole, cut), (window, _) = model.predict_windows([(CLAIM, statement), (CLAIM, first)])
    assert cut[NEUTRAL] > 0.5
    assert whole[NEUTRAL] < 0.5
    assert statement[window[0]:window[1]].endswith(EVIDENCE)  # the part read is named


def test_the_reading_is_that_of_the_window_most_on_topic(model, monkeypatch):
    """Each window is read; the pair gets the logits of the window least likely neutral, not an average."""
    def run(pairs):
        return np.array([[4.0, 0.0, 0.0] if "Tajikistan" in s else [0.0, 0.0, 4.0] for _, s in pairs],
                        dtype=np.float32)

    monkeypatch.setattr(model, "_run", run)
    statement = " ".join(FILLER + [EVIDENCE])
    short = FILLER[0]
    logits = model.logits([(CLAIM, short), (CLAIM, statement), (CLAIM, " ".join(FILLER * 2))])
    assert logits.tolist() == [[0.0, 0.0, 4.0], [4.0, 0.0, 0.0], [0.0, 0.0, 4.0]]


def test_the_reading_of_a_long_statement_names_the_part_read(model):
    """In a result, the model's finding on a long statement says which part it read and points at it."""
    from verifier import Settings
    from verifier.checks import Kind
    from verifier.retrieve import Hit
    from verifier.statement import Statement
    from verifier.verdict import read_all
    from verifier.verdict.stance import judge_hit

    settings = Settings()
    long, short = Statement(" ".join(FILLER + [EVIDENCE])), Statement(EVIDENCE)
    hits = [Hit(long, 0.9, 0.8, 1.0, 1), Hit(short, 0.9, 0.8, 1.0, 2)]
    (reading, whole), = read_all(model, [CLAIM], [hits], settings)
    assert whole.window is None
    assert reading.window.text.endswith(EVIDENCE) and long.text[reading.window.start:reading.window.end] == reading.window.text
    finding, = [f for f in judge_hit(CLAIM, hits[0], settings, reading).findings if f.kind is Kind.READING]
    assert finding.statement_span == reading.window
    assert f"in the part that begins “{' '.join(reading.window.text.split()[:6])}…”" in finding.reason
    finding, = [f for f in judge_hit(CLAIM, hits[1], settings, whole).findings if f.kind is Kind.READING]
    assert finding.statement_span is None and "in the part" not in finding.reason


def test_the_rerank_stage_keeps_the_part_it_read_for_the_verdict(model):
    from verifier import Settings
    from verifier.rerank import rerank
    from verifier.retrieve import Hit
    from verifier.statement import Statement
    from verifier.verdict import read_all

    long = Statement(" ".join(FILLER + [EVIDENCE]))
    (hit,), = rerank(model, [CLAIM], [[Hit(long, 0.9, 0.8, 1.0, 1)]], k=1, weight=0.5)
    assert long.text[slice(*hit.reading_window)].endswith(EVIDENCE)
    (reading,), = read_all(model, [CLAIM], [[hit]], Settings())
    assert (reading.window.start, reading.window.end) == hit.reading_window


def test_a_very_long_statement_is_read_up_to_a_bounded_number_of_windows(model):
    statement = " ".join(FILLER * 400)  # ~100,000 characters: an article given as one statement
    windows = model.windows(CLAIM, statement)
    assert len(windows) == model.max_windows
    assert windows[0][0] == 0 and all(a < b for a, b in windows)
    assert all(statement[b - 1] == "." for _, b in windows)
