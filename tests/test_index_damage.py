"""A damaged index fails loudly and never answers: each part of a real index (built with the fake encoder)
damaged in each way is IndexDamaged naming the file, on one line, for the library, the CLI (exit code 2,
no traceback), a build appending to it, and `serve` (never ready; the process exits non-zero, also with
SIGINT ignored). The table below is the documented matrix (docs/index-integrity.md)."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys

import faiss
import numpy as np
import pytest

from verifier import IndexDamaged, Settings, Statement, Verifier
from verifier.cli import cli
from verifier.index.lexical import LexicalIndex

from conftest import DEMO, ROOT
from fakes import FakeEncoder

CLAIM = "Over 1,000 Afghan troops fled into Tajikistan"


def _truncate(path, fraction=0.5):
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])


def _garbage(path, size=4096):
    path.write_bytes(np.random.default_rng(7).integers(0, 256, size, dtype=np.uint8).tobytes())


def _manifest(gen, **changes):
    data = json.loads((gen / "manifest.json").read_text())
    for key, value in changes.items():
        if value is _DROP:
            del data[key]
        else:
            data[key] = value
    (gen / "manifest.json").write_text(json.dumps(data))


_DROP = object()


def _sql(gen, statement):
    db = sqlite3.connect(gen / "statements.sqlite")
    with db:
        db.execute(statement)
    db.close()


def _overwrite_page(gen):
    path = gen / "statements.sqlite"
    data = bytearray(path.read_bytes())
    data[4096:8192] = bytes(range(256)) * 16  # the second page: the statements table's root
    path.write_bytes(bytes(data))


def _vectors(gen, make):
    flat = faiss.read_index(str(gen / "vectors.faiss"))
    faiss.write_index(make(flat.reconstruct_n(0, flat.ntotal)), str(gen / "vectors.faiss"))


def _flat(rows):
    index = faiss.IndexFlatIP(rows.shape[1])
    index.add(np.ascontiguousarray(rows, dtype=np.float32))
    return index


def _hnsw(rows):
    index = faiss.IndexHNSWFlat(rows.shape[1], 8, faiss.METRIC_INNER_PRODUCT)
    index.add(rows)
    return index


def _other_dimension(rows):
    narrow = rows[:, :32] / np.linalg.norm(rows[:, :32], axis=1, keepdims=True).clip(1e-6)
    return _flat(narrow)


def _garble_vectors(gen):
    path = gen / "vectors.faiss"
    data = bytearray(path.read_bytes())
    data[-256:] = b"\xff" * 256  # the last vectors' floats become NaN; the file keeps its size
    path.write_bytes(bytes(data))


def _bm25_files(gen, action):
    for path in (gen / "bm25").iterdir():
        action(path)


# (id, part named in the error, damage, whether the cheap look of `info` and serve's start sees it)
CASES = [
    ("manifest-missing", "manifest.json", lambda g: (g / "manifest.json").unlink(), True),
    ("manifest-empty", "manifest.json", lambda g: (g / "manifest.json").write_text(""), True),
    ("manifest-garbage", "manifest.json", lambda g: _garbage(g / "manifest.json", 300), True),
    ("manifest-not-an-object", "manifest.json", lambda g: (g / "manifest.json").write_text("[1, 2]"), True),
    ("manifest-no-model-name", "manifest.json", lambda g: _manifest(g, model_name=_DROP), True),
    ("manifest-no-format-version", "manifest.json", lambda g: _manifest(g, format_version=_DROP), True),
    ("manifest-dim-as-text", "manifest.json", lambda g: _manifest(g, dim="64"), True),
    ("manifest-unknown-vector-index", "manifest.json", lambda g: _manifest(g, vector_index="ivf"), True),
    ("manifest-count-wrong", "statements.sqlite", lambda g: _manifest(g, count=99), False),
    ("sqlite-missing", "statements.sqlite", lambda g: (g / "statements.sqlite").unlink(), True),
    ("sqlite-empty", "statements.sqlite", lambda g: (g / "statements.sqlite").write_bytes(b""), True),
    ("sqlite-truncated", "statements.sqlite", lambda g: _truncate(g / "statements.sqlite"), False),
    ("sqlite-page-overwritten", "statements.sqlite", _overwrite_page, False),
    ("sqlite-garbage", "statements.sqlite", lambda g: _garbage(g / "statements.sqlite"), False),
    ("sqlite-rows-missing", "statements.sqlite", lambda g: _sql(g, "DELETE FROM statements WHERE pos > 10"), False),
    ("sqlite-positions-shifted", "statements.sqlite", lambda g: _sql(g, "UPDATE statements SET pos = pos + 100"), False),
    ("sqlite-no-table", "statements.sqlite", lambda g: _sql(g, "DROP TABLE statements"), False),
    ("faiss-missing", "vectors.faiss", lambda g: (g / "vectors.faiss").unlink(), True),
    ("faiss-empty", "vectors.faiss", lambda g: (g / "vectors.faiss").write_bytes(b""), True),
    ("faiss-truncated", "vectors.faiss", lambda g: _truncate(g / "vectors.faiss"), False),
    ("faiss-garbage", "vectors.faiss", lambda g: _garbage(g / "vectors.faiss"), False),
    ("faiss-5-of-all-vectors", "vectors.faiss", lambda g: _vectors(g, lambda rows: _flat(rows[:5])), False),
    ("faiss-other-dimension", "vectors.faiss", lambda g: _vectors(g, _other_dimension), False),
    ("faiss-other-kind", "vectors.faiss", lambda g: _vectors(g, _hnsw), False),
    ("faiss-garbled-values", "vectors.faiss", _garble_vectors, False),
    ("bm25-missing", "bm25", lambda g: shutil.rmtree(g / "bm25"), True),
    ("bm25-emptied", "bm25", lambda g: _bm25_files(g, os.remove), False),
    ("bm25-garbage", "bm25", lambda g: _bm25_files(g, lambda p: _garbage(p, 200)), False),
    ("bm25-truncated", "bm25", lambda g: _bm25_files(g, _truncate), False),
    ("bm25-of-another-corpus", "bm25", lambda g: LexicalIndex.build(["one text", "another text"]).save(g), False),
]
PARAMS = [pytest.param(part, damage, seen, id=name) for name, part, damage, seen in CASES]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    path = tmp_path_factory.mktemp("pristine") / "idx"
    Verifier.build(path, [DEMO], encoder=FakeEncoder())
    return path


def damaged(pristine, tmp_path, damage):
    index = tmp_path / "idx"
    shutil.copytree(pristine, index)
    gen = index / (index / "CURRENT").read_text().strip()
    damage(gen)
    return index, gen


def snapshot(index):
    return {p.relative_to(index): p.read_bytes() for p in sorted(index.rglob("*")) if p.is_file() and p.name != ".lock"}


def assert_names(message, index, gen, part):
    assert "\n" not in message
    assert message.startswith(f"the index at {index} is damaged: {gen / part} ")
    assert f"verifier index FILES --index {index}" in message


def test_the_pristine_index_opens_and_answers(pristine):
    assert Verifier.open(pristine, encoder=FakeEncoder()).search(CLAIM, k=1)


@pytest.mark.parametrize("part, damage, seen", PARAMS)
def test_opening_a_damaged_index_names_the_file_and_changes_nothing(pristine, tmp_path, part, damage, seen):
    index, gen = damaged(pristine, tmp_path, damage)
    before = snapshot(index)
    with pytest.raises(IndexDamaged) as refused:
        Verifier.open(index, encoder=FakeEncoder())
    assert_names(str(refused.value), index, gen, part)
    assert snapshot(index) == before


@pytest.mark.parametrize("part, damage, seen", PARAMS)
def test_the_cli_says_one_line_and_exits_2(runner, pristine, tmp_path, part, damage, seen):
    index, gen = damaged(pristine, tmp_path, damage)
    result = runner.invoke(cli, ["check", CLAIM, "--index", str(index)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert_names(lines[0].removeprefix("Error: "), index, gen, part)
    info = runner.invoke(cli, ["info", "--index", str(index)])  # the manifest and the parts being there
    assert info.exit_code == (2 if seen else 0) and "Traceback" not in info.output, info.output


@pytest.mark.parametrize("part, damage, seen", PARAMS)
def test_appending_carries_nothing_damaged_over(pristine, tmp_path, part, damage, seen):
    index, gen = damaged(pristine, tmp_path, damage)
    new = [Statement(text="The water board met in Dushanbe on a quiet Tuesday to set next year's tariffs.", source="S")]
    if part == "bm25":  # not carried over: the new generation's BM25 index is built from every statement
        report = Verifier.build(index, statements=new, append=True, encoder=FakeEncoder())
        assert report.total == json.loads((gen / "manifest.json").read_text())["count"] + 1
        assert Verifier.open(index, encoder=FakeEncoder()).statement(new[0].id) is not None
        return
    before = snapshot(index)
    with pytest.raises(IndexDamaged) as refused:
        Verifier.build(index, statements=new, append=True, encoder=FakeEncoder())
    assert_names(str(refused.value), index, gen, part)
    assert snapshot(index) == before


def test_the_message_offers_the_generation_the_damaged_one_replaced(pristine, tmp_path):
    index, _ = damaged(pristine, tmp_path, lambda g: None)
    Verifier.build(index, statements=[Statement(text="A new statement.", source="S")], append=True, encoder=FakeEncoder())
    live = index / (index / "CURRENT").read_text().strip()
    (live / "vectors.faiss").write_bytes(b"")
    with pytest.raises(IndexDamaged, match=f"`echo gen-000001 > {index / 'CURRENT'}`"):
        Verifier.open(index, encoder=FakeEncoder())


@pytest.mark.parametrize("part, damage, seen", PARAMS)
def test_the_web_app_never_says_ready(pristine, tmp_path, part, damage, seen):
    from web import create_app

    index, gen = damaged(pristine, tmp_path, damage)
    app = create_app({"TESTING": True, "INDEX": str(index), "LOAD": "foreground",
                      "SETTINGS": Settings(batch_results_dir=str(tmp_path / "b"))})
    engine = app.extensions["verifier"]
    assert engine.wait(1) and not engine.ready and isinstance(engine.exception, IndexDamaged)
    client = app.test_client()
    for path in ("/api/v1/health", "/api/v1/info"):
        response = client.get(path)
        assert response.status_code == 503 and response.json["error"]["code"] == "not_ready"
        assert str(gen / part) in response.json["error"]["message"]
    response = client.post("/api/v1/check", json={"claim": CLAIM})
    assert response.status_code == 503 and response.json["error"]["code"] == "not_ready"


def _serve(index, **popen):
    return subprocess.run([sys.executable, "-m", "verifier", "serve", "--index", str(index), "--port", "0"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, **popen)


def _ignore_sigint():
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as `nohup` or `cmd &` in a script start it


@pytest.mark.parametrize("name", ["faiss-5-of-all-vectors", "sqlite-page-overwritten", "bm25-garbage"])
def test_serve_stops_with_exit_code_2_when_loading_finds_damage_even_with_sigint_ignored(pristine, tmp_path, name):
    _, part, damage, _ = next(case for case in CASES if case[0] == name)
    index, gen = damaged(pristine, tmp_path, damage)
    done = _serve(index, preexec_fn=_ignore_sigint)
    assert done.returncode == 2, done.stderr
    assert "serving on http://" in done.stderr  # it did start: the damage was found by the background load
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: could not load the index: the index at") and str(gen / part) in last
    assert "Traceback" not in done.stderr


def test_serve_refuses_a_visibly_damaged_index_before_opening_the_port(pristine, tmp_path):
    index, gen = damaged(pristine, tmp_path, lambda g: (g / "vectors.faiss").unlink())
    done = _serve(index)
    assert done.returncode == 2 and "serving on" not in done.stderr
    assert done.stderr.strip() == f"Error: the index at {index} is damaged: {gen / 'vectors.faiss'} is missing. " \
        f"Nothing was changed; rebuild the index with `verifier index FILES --index {index}` (without --append)"
