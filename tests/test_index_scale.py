"""The index as corpora grow: the vector index chosen by size, builds streamed in chunks, the lexical builder."""

import json

import numpy as np
from click.testing import CliRunner

from fakes import FakeEncoder
from verifier import Settings, Statement, Verifier
from verifier.cli import cli
from verifier.index.folder import IndexFolder
from verifier.index.lexical import LexicalBuilder, tokenize
from verifier.index.manifest import MANIFEST

from conftest import DEMO


def statements(n, start=0):
    return [Statement(id=f"s{i}", text=f"Report {i}: {i * 7 + 3} people crossed the border at post {i % 13}.")
            for i in range(start, start + n)]


def build(path, items, **options):
    return Verifier.build(path, statements=items, encoder=FakeEncoder(), **options)


def test_auto_keeps_exact_search_below_the_size_and_records_it(tmp_path):
    build(tmp_path / "idx", statements(20), settings=Settings(approximate_from=21))
    info = Verifier.inspect(tmp_path / "idx")
    assert (info.vector_index, info.ef_search, info.vector_search) == ("flat", 0, "flat (exact)")


def test_auto_uses_hnsw_from_the_size_on_with_the_configured_ef_search(tmp_path):
    build(tmp_path / "idx", statements(21), settings=Settings(approximate_from=21, hnsw_ef_search=40))
    info = Verifier.inspect(tmp_path / "idx")
    assert (info.vector_index, info.ef_search) == ("hnsw", 40)
    verifier = Verifier.open(tmp_path / "idx", encoder=FakeEncoder())
    assert verifier._state.retriever.vectors.ef_search == 40
    assert verifier.search("Report 5: 38 people crossed the border at post 5.", k=1)[0].statement.id == "s5"
    shown = CliRunner().invoke(cli, ["info", "--index", str(tmp_path / "idx")])
    assert "vectors hnsw (approximate, efSearch 40)" in shown.output


def test_an_appended_index_that_grows_past_the_size_becomes_hnsw_with_every_vector_in_place(tmp_path):
    settings = Settings(approximate_from=30)
    build(tmp_path / "idx", statements(20), settings=settings)
    before = Verifier.open(tmp_path / "idx", encoder=FakeEncoder())
    old_vectors = before._state.retriever.vectors.vectors(np.arange(20))
    build(tmp_path / "idx", statements(15, start=20), settings=settings, append=True)
    after = Verifier.open(tmp_path / "idx", encoder=FakeEncoder())
    assert after.manifest.vector_index == "hnsw" and after.manifest.count == 35
    assert np.allclose(after._state.retriever.vectors.vectors(np.arange(20)), old_vectors)
    for i in (0, 19, 20, 34):
        hit = after.search(statements(1, start=i)[0].text, k=1)[0]
        assert hit.statement.id == f"s{i}"


def test_an_explicit_flat_setting_is_kept_however_large(tmp_path):
    build(tmp_path / "idx", statements(25), settings=Settings(vector_index="flat", approximate_from=10))
    assert Verifier.inspect(tmp_path / "idx").vector_index == "flat"


def test_an_index_whose_manifest_predates_ef_search_still_opens_and_answers(tmp_path):
    build(tmp_path / "idx", statements(25), settings=Settings(vector_index="hnsw"))
    manifest = IndexFolder(tmp_path / "idx").current() / MANIFEST
    data = json.loads(manifest.read_text())
    del data["ef_search"]
    manifest.write_text(json.dumps(data))
    verifier = Verifier.open(tmp_path / "idx", encoder=FakeEncoder())
    assert verifier.info().ef_search == 0 and "as saved" in verifier.info().vector_search
    assert verifier._state.retriever.vectors.ef_search == 128  # what the file was saved with
    assert verifier.search(statements(1, start=3)[0].text, k=1)[0].statement.id == "s3"


def test_a_build_in_small_chunks_stores_and_finds_what_one_chunk_does(tmp_path, write):
    rows = [json.loads(line) for line in DEMO.read_text().splitlines()]
    rows += [dict(rows[0], id="copy"), dict(rows[1], id="near", text=rows[1]["text"] + "!")]
    path = write("c.jsonl", rows)
    settings = Settings(near_duplicate_threshold=90, near_duplicate_min_cosine=0.5)
    whole = Verifier.build(tmp_path / "a", [path], encoder=FakeEncoder(), settings=settings)
    chunked = Verifier.build(tmp_path / "b", [path], encoder=FakeEncoder(), settings=settings, chunk_size=3)
    assert [d.to_dict() for d in whole.duplicates] == [d.to_dict() for d in chunked.duplicates]
    assert {d.id for d in chunked.duplicates} >= {"copy", "near"} and whole.total == chunked.total
    a, b = (Verifier.open(tmp_path / n, encoder=FakeEncoder()) for n in "ab")
    claim = "Over 1,000 Afghan troops fled into Tajikistan"
    assert [h.statement.id for h in a.search(claim, k=8)] == [h.statement.id for h in b.search(claim, k=8)]
    assert chunked.cpu_seconds["build"] > 0 and "near_duplicates" in chunked.cpu_seconds


def test_duplicates_across_chunks_are_found_against_what_earlier_chunks_stored(tmp_path):
    items = statements(5) + [Statement(id="again", text=statements(1)[0].text)]
    report = build(tmp_path / "idx", items, chunk_size=2)
    assert [(d.id, d.kind, d.duplicate_of) for d in report.duplicates] == [("again", "exact", "s0")]
    assert report.total == 5


def test_the_lexical_builder_scores_as_bm25s_does_on_word_lists():
    import bm25s

    texts = ["1,037 Afghan troops fled into Tajikistan.", "The troops crossed the border.", "!!!",
             "Tajikistan said 1037 soldiers crossed.", "Afghan troops and Afghan police."]
    builder = LexicalBuilder()
    builder.add(texts[:2])
    builder.add(texts[2:])
    ours = builder.build()
    reference = bm25s.BM25()
    reference.index([tokenize(t) or ["\x00empty"] for t in texts], show_progress=False)
    for query in ("afghan troops", "1,037 Tajikistan", "border crossed"):
        tokens = [t for t in tokenize(query) if t in reference.vocab_dict]
        assert np.allclose(ours.scores(query), reference.get_scores(tokens))


def test_near_duplicates_are_searched_at_a_small_ef_search_and_the_index_keeps_its_own(tmp_path, monkeypatch):
    from verifier.index.dedupe import dedupe_ef_search
    from verifier.index.vectors import FaissStore

    seen = []
    search = FaissStore.search

    def spy(self, queries, k):
        seen.append((k, self.ef_search))
        return search(self, queries, k)

    monkeypatch.setattr(FaissStore, "search", spy)
    near = Statement(id="near", text=statements(1)[0].text.replace("crossed", "crossed over"))
    report = build(tmp_path / "idx", statements(6) + [near], chunk_size=3,
                   settings=Settings(approximate_from=2, hnsw_ef_search=100, near_duplicate_threshold=90,
                                     near_duplicate_min_cosine=0.5))
    assert [(d.id, d.kind, d.duplicate_of) for d in report.duplicates] == [("near", "near", "s0")]
    assert seen and all(ef == dedupe_ef_search(6) < 100 for k, ef in seen if k == 3)
    assert Verifier.inspect(tmp_path / "idx").ef_search == 100
    assert Verifier.open(tmp_path / "idx", encoder=FakeEncoder())._state.retriever.vectors.ef_search == 100


def test_hnsw_inserts_an_index_s_first_vectors_at_the_small_ef_construction_and_the_rest_at_the_large(monkeypatch):
    from verifier.index import vectors as module
    from verifier.index.vectors import FaissStore

    monkeypatch.setattr(module, "HNSW_SMALL_UNTIL", 10)
    store = FaissStore.create(8, "hnsw")
    inserted = []
    add = store._index.add

    class Recording:  # FAISS's own index, with each insertion's size and efConstruction noted
        def __getattr__(self, name):
            return getattr(store_index, name)

        def add(self, x):
            inserted.append((len(x), store_index.hnsw.efConstruction))
            add(x)

    store_index, store._index = store._index, Recording()
    rng = np.random.default_rng(0)
    store.add(rng.standard_normal((6, 8)))
    store.add(rng.standard_normal((9, 8)))  # crosses the threshold: split at 10
    store.add(rng.standard_normal((3, 8)))
    small, large = module.HNSW_EF_CONSTRUCTION_SMALL, module.HNSW_EF_CONSTRUCTION
    assert inserted == [(6, small), (4, small), (5, large), (3, large)]
    assert len(store) == 18 and small < large
