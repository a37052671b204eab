import json

import numpy as np

import pytest

from fakes import FakeEncoder
from verifier import IndexMismatch, IndexNotFound, Settings, Statement, Verifier
from verifier.errors import IndexDamaged, NoStatements
from verifier.index.folder import IndexFolder
from verifier.index.manifest import MANIFEST

from conftest import DEMO


def build(tmp_path, files=(DEMO,), encoder=None, **options):
    return Verifier.build(tmp_path / "idx", files, encoder=encoder or FakeEncoder(), **options)


def open_index(tmp_path, encoder=None):
    return Verifier.open(tmp_path / "idx", encoder=encoder or FakeEncoder())


def test_build_then_search_returns_statements_with_provenance(tmp_path):
    report = build(tmp_path)
    assert report.added == report.total == 16 and not report.problems
    hits = open_index(tmp_path).search("Over 1,000 Afghan troops fled into Tajikistan", k=5)
    assert len(hits) == 5 and [h.rank for h in hits] == [1, 2, 3, 4, 5]
    assert hits[0].score >= hits[-1].score
    top = hits[0].statement
    assert top.publisher == "AFP" and top.date == "2021-07-05" and top.meta["origin"].startswith("demo.jsonl:")


def test_info_reports_count_model_dimension_and_sources(tmp_path):
    build(tmp_path)
    info = open_index(tmp_path).info()
    assert info.count == 16 and info.model == "fake-model" and info.dim == 64
    assert info.sources["AFP"] == 11 and info.sources["Tajikistan national security committee"] == 3
    assert info.publishers == {"AFP": 16} and info.dates == ("2021-07-05", "2021-07-05")


def test_append_adds_new_statements_and_skips_ones_already_indexed(tmp_path, write):
    build(tmp_path)
    extra = write("more.jsonl", [
        {"text": "Uzbekistan closed its border with Afghanistan.", "source": "Example"},
        json.loads(DEMO.read_text().splitlines()[0]),
    ])
    report = build(tmp_path, [extra], append=True)
    assert report.added == 1 and report.total == 17
    assert [(d.kind, d.duplicate_of) for d in report.duplicates] == [("exact", "afp-2021-07-05-01")]
    hits = open_index(tmp_path).search("Uzbekistan border", k=1)
    assert hits[0].statement.text == "Uzbekistan closed its border with Afghanistan."


def test_rebuild_without_append_replaces_the_index(tmp_path, write):
    build(tmp_path)
    other = write("other.jsonl", [{"text": "Only statement left."}])
    report = build(tmp_path, [other])
    assert report.total == 1 and open_index(tmp_path).info().count == 1


def test_exact_and_near_duplicates_are_skipped_but_different_numbers_are_kept(tmp_path, write):
    path = write("d.jsonl", [
        {"id": "a", "text": "1,037 Afghan troops fled into Tajikistan on Monday."},
        {"id": "b", "text": "1,037 afghan troops fled into Tajikistan on Monday!"},
        {"id": "c", "text": "1,037 Afghan troops fled into Tajikistan on Monday night."},
        {"id": "d", "text": "1,036 Afghan troops fled into Tajikistan on Monday."},
    ])
    report = build(tmp_path, [path], settings=Settings(near_duplicate_threshold=90, near_duplicate_min_cosine=0.5))
    assert {(d.id, d.kind, d.duplicate_of) for d in report.duplicates} == {("b", "exact", "a"), ("c", "near", "a")}
    assert report.total == 2


def test_same_id_for_a_different_text_is_a_problem(tmp_path, write):
    path = write("d.jsonl", [{"id": "a", "text": "One thing."}, {"id": "a", "text": "Another thing."}])
    report = build(tmp_path, [path])
    assert report.total == 1 and "already used" in report.problems[0].message
    assert report.problems[0].line == 2


def test_interrupted_build_leaves_the_previous_index_intact(tmp_path, write):
    build(tmp_path)
    before = (tmp_path / "idx" / "CURRENT").read_text()
    big = write("big.jsonl", [{"text": f"Statement number {i} about border crossings."} for i in range(50)])
    with pytest.raises(KeyboardInterrupt):
        build(tmp_path, [big], encoder=FakeEncoder(fail_after=10))
    assert (tmp_path / "idx" / "CURRENT").read_text() == before
    assert not list((tmp_path / "idx").glob("*.partial"))
    assert open_index(tmp_path).info().count == 16


def test_leftover_partial_folder_from_a_killed_build_is_removed_by_the_next(tmp_path):
    build(tmp_path)
    stale = tmp_path / "idx" / "gen-abc.partial"
    stale.mkdir()
    (stale / "vectors.faiss").write_bytes(b"half")
    build(tmp_path, append=True)
    assert not stale.exists()


def test_strict_build_refuses_everything_and_keeps_the_old_index(tmp_path, write):
    build(tmp_path)
    bad = write("bad.jsonl", [{"text": "fine"}, "{not json"])
    with pytest.raises(Exception, match="bad.jsonl:2"):
        build(tmp_path, [bad], strict=True)
    assert open_index(tmp_path).info().count == 16


def test_only_two_generations_are_kept(tmp_path):
    for _ in range(4):
        build(tmp_path, append=True)
    names = sorted(p.name for p in (tmp_path / "idx").iterdir() if p.name.startswith("gen-"))
    assert names == ["gen-000003", "gen-000004"]


def generations(tmp_path):
    return sorted(p.name for p in (tmp_path / "idx").iterdir() if p.name.startswith("gen-"))


def break_current(tmp_path, how):
    """Two generations (gen-000002 live), then CURRENT broken `how`; returns the statement count of each."""
    build(tmp_path)
    build(tmp_path, [write_jsonl(tmp_path, "one.jsonl", ["Kabul airport reopened for flights."])], append=True)
    assert generations(tmp_path) == ["gen-000001", "gen-000002"]
    outside = tmp_path / "x"  # what `../x` points at: a folder beside the index, never to be touched
    outside.mkdir()
    (outside / "keep.txt").write_text("mine")
    current = tmp_path / "idx" / "CURRENT"
    if how == "missing":
        current.unlink()
    else:
        current.write_text({"empty": "", "blank": "  \n", "no-such-folder": "gen-000009\n", "outside": "../x\n",
                            "absolute": f"{outside}\n"}[how])


def write_jsonl(tmp_path, name, texts):
    path = tmp_path / name
    path.write_text("".join(json.dumps({"text": t, "source": "Example"}) + "\n" for t in texts), encoding="utf-8")
    return path


BROKEN_CURRENT = ["missing", "empty", "blank", "no-such-folder", "outside", "absolute"]


@pytest.mark.parametrize("how", BROKEN_CURRENT)
def test_append_with_a_broken_current_is_refused_and_deletes_nothing(tmp_path, how):
    break_current(tmp_path, how)
    current = tmp_path / "idx" / "CURRENT"
    before = current.read_bytes() if current.exists() else None
    extra = write_jsonl(tmp_path, "two.jsonl", ["Uzbekistan closed its border with Afghanistan."])
    for _ in range(2):  # the second append used to delete the old generations
        with pytest.raises(IndexDamaged) as refused:
            build(tmp_path, [extra], append=True)
        message = str(refused.value)
        assert str(tmp_path / "idx") in message and "gen-000001, gen-000002" in message
        assert "echo gen-000002 >" in message and "without --append" in message
    assert isinstance(refused.value, IndexNotFound)
    assert generations(tmp_path) == ["gen-000001", "gen-000002"]
    assert (current.read_bytes() if current.exists() else None) == before
    assert (tmp_path / "x" / "keep.txt").read_text() == "mine"
    # Repaired as the message says, the index is whole again and the append goes through.
    current.write_text("gen-000002\n")
    assert build(tmp_path, [extra], append=True).total == 18


@pytest.mark.parametrize("how", BROKEN_CURRENT)
def test_a_fresh_build_over_a_broken_current_goes_ahead_but_removes_no_generation_it_did_not_replace(tmp_path, how):
    break_current(tmp_path, how)
    for _ in range(4):
        assert build(tmp_path).total == 16
    # Its own generations rotate (two kept); the two found there stay, and so does what `../x` named.
    assert generations(tmp_path) == ["gen-000001", "gen-000002", "gen-000005", "gen-000006"]
    assert (tmp_path / "x" / "keep.txt").read_text() == "mine"
    assert open_index(tmp_path).info().count == 16


def test_opening_an_index_with_a_broken_current_says_how_to_repair_it(tmp_path):
    break_current(tmp_path, "missing")
    with pytest.raises(IndexDamaged, match="echo gen-000002"):
        open_index(tmp_path)


def test_cleanup_removes_only_the_generation_replaced_never_strays_or_anything_a_record_points_outside(tmp_path):
    build(tmp_path)
    stray = tmp_path / "idx" / "gen-000000"  # lying there, never live
    stray.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    for _ in range(3):
        build(tmp_path, append=True)
    assert generations(tmp_path) == ["gen-000000", "gen-000003", "gen-000004"]
    # A REPLACED record that is not a plain generation name is not followed.
    (tmp_path / "idx" / "gen-000004" / "REPLACED").write_text("../outside\n")
    build(tmp_path, append=True)
    assert outside.is_dir() and generations(tmp_path) == ["gen-000000", "gen-000003", "gen-000004", "gen-000005"]


def test_opening_with_other_weights_fails_with_a_clear_error(tmp_path):
    build(tmp_path)
    with pytest.raises(IndexMismatch, match="built with model fake-model"):
        open_index(tmp_path, encoder=FakeEncoder(sha="0" * 64))


def test_opening_another_format_version_fails_with_a_clear_error(tmp_path):
    build(tmp_path)
    manifest = IndexFolder(tmp_path / "idx").current() / MANIFEST
    data = json.loads(manifest.read_text())
    data["format_version"] = 99
    manifest.write_text(json.dumps(data))
    with pytest.raises(IndexMismatch, match="format version 99"):
        open_index(tmp_path)


def test_opening_a_folder_without_an_index_says_how_to_build_one(tmp_path):
    with pytest.raises(IndexNotFound, match="verifier index"):
        Verifier.open(tmp_path / "nothing", encoder=FakeEncoder())


def test_second_search_loads_nothing(tmp_path, monkeypatch):
    build(tmp_path)
    verifier = open_index(tmp_path)
    verifier.search("troops fled")
    import verifier.core as core
    from verifier.index import lexical, vectors

    def boom(*args, **kwargs):
        raise AssertionError("loaded again")

    monkeypatch.setattr(core, "load_encoder", boom)
    monkeypatch.setattr(vectors.FaissStore, "load", boom)
    monkeypatch.setattr(lexical.LexicalIndex, "load", boom)
    assert verifier.search("Russia consulate Mazar-i-Sharif")[0].statement.id == "afp-2021-07-05-09"


def test_add_makes_new_statements_searchable_at_once(tmp_path):
    build(tmp_path)
    verifier = open_index(tmp_path)
    report = verifier.add([Statement(text="Kabul airport reopened for flights.", source="Example")])
    assert report.added == 1 and verifier.info().count == 17
    assert verifier.search("Kabul airport flights")[0].statement.source == "Example"


def test_statement_lookup_by_id(tmp_path):
    build(tmp_path)
    verifier = open_index(tmp_path)
    assert verifier.statement("afp-2021-07-05-09").source == "Russian foreign ministry"
    assert verifier.statement("nope") is None


def test_the_blas_threshold_is_set_in_faiss_units_so_one_query_stays_off_blas():
    """FAISS takes the BLAS path when queries x dimension reaches the threshold (issue 13)."""
    import faiss

    from verifier.index.vectors import BLAS_QUERIES, FaissStore

    store = FaissStore.create(384)
    threshold = faiss.cvar.distance_compute_blas_threshold
    assert threshold == BLAS_QUERIES * 384
    assert 1 * 384 < threshold <= BLAS_QUERIES * 384  # one query below, a batch of BLAS_QUERIES at it
    store.add(np.eye(384, dtype=np.float32)[:5])
    scores, ids = store.search(np.eye(384, dtype=np.float32)[:1], 3)
    assert ids[0][0] == 0 and scores[0][0] == pytest.approx(1.0)


def test_a_record_with_a_lone_surrogate_is_skipped_and_the_build_goes_on(tmp_path, write):
    """It aborted the whole build (UnicodeEncodeError storing it); now a bad record with file and line."""
    corpus = write("c.jsonl", ['{"text": "Troops fled."}', '{"text": "Half \\ud800 a pair."}'])
    report = build(tmp_path, [corpus])
    assert report.added == 1 and [(p.line, "U+D800" in p.message) for p in report.problems] == [(2, True)]


@pytest.mark.parametrize("append", [False, True])
def test_a_corpus_without_one_valid_record_is_refused_with_its_problems_and_keeps_the_old_index(tmp_path, write,
                                                                                                  append):
    """bm25s cannot save an empty index: the build died with AttributeError 'BM25' object has no attribute
    'scores' and the problems were never shown."""
    build(tmp_path)
    bad = write("bad.jsonl", ["{broken", '{"text": ""}', "[1]"])
    if append:  # appending nothing to a live index is no error: it adds nothing
        assert build(tmp_path, [bad], append=True).added == 0
        assert open_index(tmp_path).info().count == 16
        return
    with pytest.raises(NoStatements, match="no valid statements to index in .*bad.jsonl") as caught:
        build(tmp_path, [bad])
    assert [p.line for p in caught.value.problems] == [1, 2, 3]
    assert open_index(tmp_path).info().count == 16
    with pytest.raises(NoStatements):
        Verifier.build(tmp_path / "fresh", [bad], encoder=FakeEncoder())
    assert not (tmp_path / "fresh" / "CURRENT").exists()
