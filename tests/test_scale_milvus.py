"""`vector_store = milvus` against the real embedded engine (Milvus Lite in the test's folder): the same hits as
FAISS, one collection per generation named in the manifest, append, atomic switch-over (a failed build leaves the
previous collection serving and drops its own), `verifier info`, `/about` and `/api/v1/info`."""

import json
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner

from conftest import DEMO, make_app
from fakes import FakeEncoder
from verifier import Settings, Verifier
from verifier.cli import cli
from verifier.errors import SettingsError
from verifier.index import lexical
from verifier.index.folder import IndexFolder
from verifier.statement import Statement

MILVUS = Settings(vector_store="milvus")
QUERIES = [
    "Over 1,000 Afghan troops fled into Tajikistan",
    "The Taliban seized the main border crossing",
    "Russia has a military base in Tajikistan",
    "committee trucks buses",
]


def collections(index):
    from pymilvus import MilvusClient

    return sorted(MilvusClient(str(index / "milvus.db")).list_collections())


def manifest(index):
    return json.loads((IndexFolder(index).current() / "manifest.json").read_text())


@pytest.fixture
def milvus_index(tmp_path):
    path = tmp_path / "idx"
    Verifier.build(path, [DEMO], settings=MILVUS, encoder=FakeEncoder())
    return path


def test_milvus_returns_the_hits_and_scores_faiss_returns(milvus_index, tmp_path):
    Verifier.build(tmp_path / "faiss", [DEMO], encoder=FakeEncoder())
    faiss = Verifier.open(tmp_path / "faiss", encoder=FakeEncoder())
    milvus = Verifier.open(milvus_index, MILVUS, encoder=FakeEncoder())
    for query in QUERIES:
        want, got = faiss.search(query, k=5), milvus.search(query, k=5)
        assert [h.statement.id for h in got] == [h.statement.id for h in want]
        assert np.allclose([h.dense for h in got], [h.dense for h in want], atol=1e-5)
        assert [h.statement for h in got] == [h.statement for h in want]


def test_the_manifest_names_the_collection_and_nothing_is_written_beside_it(milvus_index):
    data = manifest(milvus_index)
    assert data["vector_store"] == "milvus" and data["milvus_uri"] == "milvus.db"
    assert collections(milvus_index) == [data["collection"]]
    assert not (IndexFolder(milvus_index).current() / "vectors.faiss").exists()


def test_append_fills_a_new_collection_and_drops_the_one_two_generations_back(milvus_index):
    first = manifest(milvus_index)["collection"]
    new = Statement(id="uz-1", text="Three hundred Afghan soldiers crossed into Uzbekistan in August 2021.", source="X")
    report = Verifier.build(milvus_index, statements=[new], settings=MILVUS, append=True, encoder=FakeEncoder())
    second = manifest(milvus_index)["collection"]
    assert report.total == 17 and second != first
    assert collections(milvus_index) == sorted([first, second])  # the replaced one stays for readers still on it
    v = Verifier.open(milvus_index, MILVUS, encoder=FakeEncoder())
    assert v.search("Afghan soldiers crossed into Uzbekistan", k=1)[0].statement.id == "uz-1"
    assert v.search("Over 1,000 Afghan troops fled into Tajikistan", k=1)[0].statement.id == "afp-2021-07-05-01"
    other = Statement(id="x-2", text="The committee counted 7 trucks and 3 buses at the border in 2020.", source="X")
    v.add([other])
    assert collections(milvus_index) == sorted([second, manifest(milvus_index)["collection"]])
    assert Verifier.inspect(milvus_index).count == 18


def test_a_failed_build_drops_its_collection_and_the_previous_one_keeps_serving(milvus_index, monkeypatch):
    before = manifest(milvus_index)
    broken = Statement(id="b-1", text="A statement whose build fails after its vectors went to Milvus.", source="X")

    def fail(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(lexical.LexicalBuilder, "build", fail)  # after the vectors went to the new collection
    with pytest.raises(RuntimeError, match="disk full"):
        Verifier.build(milvus_index, statements=[broken], settings=MILVUS, append=True, encoder=FakeEncoder())
    assert manifest(milvus_index) == before
    assert collections(milvus_index) == [before["collection"]]
    v = Verifier.open(milvus_index, MILVUS, encoder=FakeEncoder())
    assert v.search("Over 1,000 Afghan troops fled into Tajikistan", k=1)[0].statement.id == "afp-2021-07-05-01"


def test_the_collection_of_a_killed_build_is_dropped_by_the_next_build(milvus_index):
    from verifier.index.milvus import MilvusStore, connect

    partial = milvus_index / "gen-killed.partial"  # what a build killed after creating its collection leaves
    partial.mkdir()
    client = connect(str(milvus_index / "milvus.db"))
    MilvusStore.create(client, "verifier_killed", 8)
    (partial / "milvus.json").write_text(json.dumps({"milvus_uri": "milvus.db", "collection": "verifier_killed"}))
    assert "verifier_killed" in collections(milvus_index)
    Verifier.build(milvus_index, [DEMO], settings=MILVUS, encoder=FakeEncoder())
    assert "verifier_killed" not in collections(milvus_index) and not partial.exists()


def test_info_about_and_the_api_say_where_the_vectors_are(milvus_index, tmp_path):
    out = CliRunner().invoke(cli, ["info", "--index", str(milvus_index)])
    name = manifest(milvus_index)["collection"]
    assert out.exit_code == 0 and f"in Milvus collection {name} at milvus.db" in out.output
    as_json = json.loads(CliRunner().invoke(cli, ["info", "--index", str(milvus_index), "--json"]).output)
    assert as_json["vector_store"] == "milvus" and as_json["collection"] == name
    client = make_app(Verifier.open(milvus_index, MILVUS, encoder=FakeEncoder()), tmp_path).test_client()
    assert name in client.get("/about").get_data(as_text=True)
    index = client.get("/api/v1/info").get_json()["index"]
    assert index["vector_store"] == "milvus" and index["collection"] == name and "milvus_uri" not in index


def test_an_unknown_store_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(SettingsError, match="vector_store must be one of faiss, milvus"):
        Verifier.build(tmp_path / "idx", [DEMO], settings=Settings(vector_store="qdrant"), encoder=FakeEncoder())
    assert not IndexFolder(tmp_path / "idx").exists()


def test_a_faiss_index_imports_neither_engine():
    code = ("import sys, verifier, verifier.cli, verifier.batch; "
            "print(sorted(m for m in ('pymilvus', 'milvus_lite', 'ray') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
