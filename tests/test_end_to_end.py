"""End-to-end tests with the real model (marked `model`; they run in CI)."""

import json
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from verifier import Settings, Verifier
from verifier.encoder import load_encoder

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


def test_index_records_the_packaged_weights_checksum(demo_index):
    info = Verifier.open(demo_index).info()
    assert info.model_sha256 == "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
    assert info.dim == 384


def test_onnx_backends_agree_with_sentence_transformers():
    texts = [line for line in (json.loads(row)["text"] for row in DEMO.read_text().splitlines())]
    settings = Settings()
    reference = load_encoder(settings, "torch").encode(texts)
    onnx = load_encoder(settings, "onnx").encode(texts)
    int8 = load_encoder(settings, "onnx-int8").encode(texts)
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1, atol=1e-5)
    assert (reference * onnx).sum(axis=1).min() > 0.9999
    assert (reference * int8).sum(axis=1).min() > 0.97


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
