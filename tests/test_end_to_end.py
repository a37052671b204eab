"""End-to-end tests with the real model (marked `model`; they run in CI)."""

import json
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from verifier import Settings, Verifier
from verifier.encoder import load_encoder, resolve_model
from verifier.errors import IndexMismatch, ModelError
from verifier.statement import Statement

from conftest import DEMO

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def demo_index(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "idx"
    Verifier.build(path, [DEMO])
    return path


def test_demo_claim_returns_the_1037_troops_statement_first(demo_index):
    hits = Verifier.open(demo_index).search("Over 1,000 Afghan troops fled into Tajikistan", k=3)
    assert hits[0].statement.id == "afp-2021-07-05-01"
    assert "1,037" in hits[0].statement.text
    assert hits[0].statement.source == "Tajikistan national security committee"


def test_index_records_the_shipped_embedders_checksum(demo_index):
    info = Verifier.open(demo_index).info()
    assert info.model_sha256 == "dd84cf54a47342c17e529c4718cc991e61528ba6e1f64457842d22010d54d549"
    assert info.dim == 384


def test_onnx_backends_agree_with_sentence_transformers():
    texts = [line for line in (json.loads(row)["text"] for row in DEMO.read_text().splitlines())]
    settings = Settings(model_path="all-MiniLM-L6-v2")  # the base model: torch weights, so all three backends
    reference = load_encoder(settings, "torch").encode(texts)
    onnx = load_encoder(settings, "onnx").encode(texts)
    int8 = load_encoder(settings, "onnx-int8").encode(texts)
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1, atol=1e-5)
    assert (reference * onnx).sum(axis=1).min() > 0.9999
    assert (reference * int8).sum(axis=1).min() > 0.97


def test_shipped_embedder_gives_a_text_the_same_vector_alone_and_in_a_batch():
    texts = [json.loads(row)["text"] for row in DEMO.read_text().splitlines()]
    encoder = load_encoder(Settings())
    alone = np.vstack([encoder.encode([t]) for t in texts])
    assert (alone * encoder.encode(texts, batch_size=16)).sum(axis=1).min() > 0.99999


def test_shipped_embedder_is_refused_by_the_torch_backend_with_the_way_out():
    with pytest.raises(ModelError, match="ONNX only.*encoder_backend=onnx"):
        load_encoder(Settings(), "torch")


def test_an_index_built_with_the_base_model_keeps_it(tmp_path):
    index = tmp_path / "idx"
    Verifier.build(index, [DEMO], settings=Settings(model_path="all-MiniLM-L6-v2"))
    opened = Verifier.open(index)  # model_path left empty: the shipped embedder, unless the index names the base
    assert opened.info().model == "sentence-transformers/all-MiniLM-L6-v2"
    assert opened.search("Over 1,000 Afghan troops fled into Tajikistan", k=1)[0].statement.id == "afp-2021-07-05-01"
    Verifier.build(index, statements=[Statement("A new sentence about the border.", id="extra")], append=True)
    assert Verifier.open(index).info().count == 17
    with pytest.raises(IndexMismatch, match="model_path=all-MiniLM-L6-v2"):
        Verifier.open(index, Settings(model_path=str(resolve_model("").path)))


def test_killed_index_build_leaves_the_previous_index_intact(tmp_path):
    index = tmp_path / "idx"
    Verifier.build(index, [DEMO])
    current = (index / "CURRENT").read_text()
    big = tmp_path / "big.jsonl"
    with big.open("w") as fh:
        for i in range(4000):
            fh.write(json.dumps({"text": f"Report {i}: the committee counted {i * 7} trucks at checkpoint {i % 97}."}) + "\n")
    proc = subprocess.Popen([sys.executable, "-m", "verifier", "index", str(big), "--index", str(index), "--append",
                             "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while not list(index.glob("*.partial")) and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert list(index.glob("*.partial")), "the build never started writing"
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert (index / "CURRENT").read_text() == current
    assert Verifier.open(index).info().count == 16
    Verifier.build(index, [], append=True)  # the next writer clears what the killed one left
    assert not list(index.glob("*.partial"))


def test_packed_weights_unpack_to_vectors_of_the_model_they_came_from(tmp_path):
    """What training/export_embedder.py does to a fine-tuned model, done to the base model: the folder with int8
    weights gives the fp32 model's vectors (cosine > 0.999) and the file is a quarter of the size."""
    import shutil

    from verifier.encoder.onnx_backend import exported_model
    from verifier.encoder.packed import pack

    base = resolve_model("all-MiniLM-L6-v2")
    fp32 = exported_model(base, tmp_path / "cache", quantized=False)
    folder = tmp_path / "packed"
    shutil.copytree(base.path, folder, ignore=shutil.ignore_patterns("*.safetensors", "*.bin", "onnx", "openvino"))
    assert pack(fp32, folder / "model.onnx") == 38  # 36 matrices of the six layers, the word and position tables
    assert (folder / "model.onnx").stat().st_size < fp32.stat().st_size / 3
    settings = Settings(model_path=str(folder), cache_dir=str(tmp_path / "cache"))
    texts = [json.loads(row)["text"] for row in DEMO.read_text().splitlines()]
    unpacked = load_encoder(settings).encode(texts)
    reference = load_encoder(Settings(model_path="all-MiniLM-L6-v2", cache_dir=str(tmp_path / "cache"))).encode(texts)
    assert (unpacked * reference).sum(axis=1).min() > 0.999
