"""The rerank stage (the stance model reads the first stage's top N) and statements indexed with context."""

import json

import numpy as np
import pytest

from verifier import Settings, Statement, Verifier
from verifier.index.context import lexical_text, vector_text
from verifier.rerank import NEUTRAL

CLAIM = "Over 1,000 Afghan troops fled into Tajikistan in July 2021"


class CountingModel:
    """Wraps the real stance model and counts its calls."""

    def __init__(self, model):
        self.model, self.calls = model, []

    def predict_windows(self, pairs):
        self.calls.append(list(pairs))
        return self.model.predict_windows(pairs)

    def __getattr__(self, name):
        return getattr(self.model, name)


@pytest.mark.model
def test_rerank_orders_by_the_fused_score_it_shows(demo_verifier):
    first = demo_verifier.configure(rerank=False).search(CLAIM, k=20)
    on = demo_verifier.configure(rerank=True, rerank_depth=20, rerank_weight=0.5)
    hits = on.search(CLAIM, k=5)
    assert len(hits) == 5
    assert [h.rank for h in hits] == [1, 2, 3, 4, 5]
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:]))
    by_id = {h.statement.id: h for h in first}
    for hit in hits:
        # the displayed score is the one ranked by: weight x p(about) + (1 - weight) x first-stage score
        assert hit.score == pytest.approx(0.5 * hit.relevance + 0.5 * by_id[hit.statement.id].score, abs=1e-6)
        assert hit.relevance == pytest.approx(1 - hit.reading[NEUTRAL], abs=1e-6)
        assert hit.to_dict()["relevance"] == round(hit.relevance, 4)
    assert "relevance" not in first[0].to_dict()


@pytest.mark.model
def test_weight_zero_keeps_the_first_stage_order(demo_verifier):
    first = demo_verifier.configure(rerank=False).search(CLAIM, k=10)
    kept = demo_verifier.configure(rerank=True, rerank_depth=10, rerank_weight=0.0).search(CLAIM, k=10)
    assert [h.statement.id for h in kept] == [h.statement.id for h in first]


@pytest.mark.model
def test_weight_one_orders_by_the_model_alone(demo_verifier):
    hits = demo_verifier.configure(rerank=True, rerank_depth=15, rerank_weight=1.0).search(CLAIM, k=15)
    about = [h.relevance for h in hits]
    assert about == sorted(about, reverse=True)


@pytest.mark.model
def test_check_reads_each_pair_once(demo_verifier):
    """The readings the rerank made are the verdict's: one model call per claim, not two."""
    on = demo_verifier.configure(rerank=True, rerank_depth=12)
    counting = CountingModel(on._stance)
    on._stance = counting
    result = on.check(CLAIM, k=5)
    assert len(counting.calls) == 1 and len(counting.calls[0]) == 12
    read = [e for e in result.evidence if e.reading is not None]
    assert read, "the model's reading reaches the evidence"
    hits = {h.statement.id: h for h in on.search(CLAIM, k=5)}
    for e in read:
        assert np.allclose([e.reading["supports"], e.reading["contradicts"], e.reading["neutral"]],
                           hits[e.statement.id].reading, atol=1e-3)


@pytest.mark.model
def test_rerank_without_a_stance_model_is_the_first_stage(demo_verifier):
    off = demo_verifier.configure(stance_model="off", rerank=True)
    plain = demo_verifier.configure(stance_model="off")
    assert [h.statement.id for h in off.search(CLAIM)] == [h.statement.id for h in plain.search(CLAIM)]
    assert all(h.relevance is None for h in off.search(CLAIM))


def test_rerank_settings_are_listed():
    names = Settings.names()
    assert {"rerank", "rerank_depth", "rerank_weight", "index_context"} <= set(names)
    assert Settings.load(environ={"VERIFIER_RERANK": "on"}).rerank is True


# --- context -----------------------------------------------------------------------------------------
def test_context_texts():
    s = Statement(text="It rose by 2 degrees.", title="Global warming", context="Temperatures were measured.")
    assert vector_text(s, "none") == "It rose by 2 degrees."
    assert vector_text(s, "title") == "Global warming. It rose by 2 degrees."
    assert vector_text(s, "title-lexical") == "It rose by 2 degrees."
    assert lexical_text(s.text, s.title, s.context, "none") == s.text
    assert lexical_text(s.text, s.title, s.context, "title") == "Global warming It rose by 2 degrees."
    assert lexical_text(s.text, s.title, s.context, "context-lexical") == (
        "Global warming Temperatures were measured. It rose by 2 degrees.")
    # a title the sentence already holds is not repeated in the vector text
    assert vector_text(Statement(text="Global warming is real.", title="Global warming"), "title") == (
        "Global warming is real.")


def test_title_is_searched_but_never_shown(tmp_path, fake_encoder):
    statements = [
        Statement(id="a", text="It reached 1.1 degrees in 2020.", title="Glacier retreat in Patagonia"),
        Statement(id="b", text="The committee met on Tuesday.", title="Budget talks"),
    ]
    plain = tmp_path / "plain"
    titled = tmp_path / "titled"
    Verifier.build(plain, statements=statements, encoder=fake_encoder, settings=Settings(index_context="none"))
    Verifier.build(titled, statements=statements, encoder=fake_encoder, settings=Settings(index_context="title-lexical"))
    query = "Patagonia glacier"
    with_title = Verifier.open(titled, encoder=fake_encoder, settings=Settings(fusion="lexical", stance_model="off"))
    without = Verifier.open(plain, encoder=fake_encoder, settings=Settings(fusion="lexical", stance_model="off"))
    assert [h.statement.id for h in with_title.search(query)] == ["a"]
    assert without.search(query) == []
    assert with_title.search(query)[0].statement.text == "It reached 1.1 degrees in 2020."
    assert with_title.info().index_context == "title-lexical"
    generation = titled / (titled / "CURRENT").read_text().strip()
    assert json.loads((generation / "manifest.json").read_text())["index_context"] == "title-lexical"


def test_append_keeps_the_mode_the_index_was_built_with(tmp_path, fake_encoder):
    path = tmp_path / "idx"
    Verifier.build(path, statements=[Statement(id="a", text="Rainfall fell by half.", title="Drought in Kenya")],
                   encoder=fake_encoder, settings=Settings(index_context="title-lexical"))
    Verifier.build(path, statements=[Statement(id="b", text="Prices rose again.", title="Inflation in Chile")],
                   encoder=fake_encoder, settings=Settings(index_context="none"), append=True)
    v = Verifier.open(path, encoder=fake_encoder, settings=Settings(fusion="lexical", stance_model="off"))
    assert v.info().index_context == "title-lexical"
    assert [h.statement.id for h in v.search("Kenya drought")] == ["a"]
    assert [h.statement.id for h in v.search("Chile inflation")] == ["b"]


def test_unknown_context_mode_is_refused(tmp_path, fake_encoder):
    from verifier import SettingsError

    with pytest.raises(SettingsError, match="index_context"):
        Verifier.build(tmp_path / "idx", statements=[Statement(text="A statement of some length.")],
                       encoder=fake_encoder, settings=Settings(index_context="everything"))


def test_old_manifest_without_context_opens_as_none(tmp_path, fake_encoder):
    path = tmp_path / "idx"
    Verifier.build(path, statements=[Statement(text="A statement of some length.")], encoder=fake_encoder)
    gen = path / (path / "CURRENT").read_text().strip()
    data = json.loads((gen / "manifest.json").read_text())
    del data["index_context"]
    (gen / "manifest.json").write_text(json.dumps(data))
    assert Verifier.inspect(path).index_context == "none"
