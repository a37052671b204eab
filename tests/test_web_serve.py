"""`verifier serve`: refuses a bad index with the reason, serves the app from one loaded model to
concurrent clients, and `verifier` itself never imports `web`."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from verifier import Verifier
from verifier.cli import cli

from conftest import DEMO, ROOT, LiveServer
from fakes import FakeEncoder

CLAIM = "Over 1,000 Afghan troops fled into Tajikistan"


def post(url, body: bytes, content_type="application/json"):
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_serve_refuses_a_missing_index_at_once(runner, tmp_path):
    result = runner.invoke(cli, ["serve", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1 and "verifier index" in result.output


def test_the_verifier_package_never_imports_web():
    code = "import sys, verifier, verifier.cli, verifier.batch; assert not [m for m in sys.modules if m.split('.')[0] == 'web']"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    for path in (ROOT / "verifier").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import web" not in text and "from web" not in text, path


@pytest.mark.model
def test_serve_stops_with_the_reason_when_the_model_does_not_match_the_index(tmp_path):
    index = tmp_path / "idx"
    Verifier.build(index, [DEMO], encoder=FakeEncoder())  # weights checksum "fff…": not the packaged model's
    server = LiveServer(index)
    assert server.proc.wait(90) == 1
    log = "".join(server.log)
    assert "could not load the index" in log and "built with model fake-model" in log


@pytest.mark.model
def test_the_live_server_answers_like_the_library(live_server, demo_verifier):
    status, body = post(live_server.url + "/api/v1/check", json.dumps({"claim": CLAIM}).encode())
    assert status == 200 and body == json.loads(json.dumps(demo_verifier.check(CLAIM).to_dict()))


@pytest.mark.model
def test_the_live_server_handles_concurrent_clients(live_server):
    claims = [CLAIM, "2,000 Afghan troops fled into Tajikistan", "Russia has a military base in Tajikistan"] * 6

    def check(claim):
        return post(live_server.url + "/api/v1/check", json.dumps({"claim": claim, "top_k": 3}).encode())

    with ThreadPoolExecutor(9) as pool:
        answers = list(pool.map(check, claims))
    assert all(status == 200 for status, _ in answers)
    by_claim = {}
    for claim, (_, body) in zip(claims, answers):
        by_claim.setdefault(claim, []).append(body)
    assert all(all(b == bodies[0] for b in bodies) for bodies in by_claim.values())
    assert [by_claim[c][0]["verdict"] for c in claims[:2]] == ["supported", "contradicted"]


@pytest.mark.model
def test_the_live_server_refuses_oversized_and_malformed_bodies_as_json(live_server):
    status, body = post(live_server.url + "/api/v1/check", b'{"claim": "' + b"x" * 1_500_000 + b'"}')
    assert status == 413 and body["error"]["code"] == "payload_too_large"
    status, body = post(live_server.url + "/api/v1/check", b"{nope")
    assert status == 400 and body["error"]["code"] == "invalid_json"


@pytest.mark.model
def test_sigterm_removes_the_temporary_batch_folder_as_ctrl_c_does(demo_index, tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    server = LiveServer(demo_index, env={**os.environ, "TMPDIR": str(temp)})
    assert server.url, "".join(server.log)
    server.wait_ready()
    boundary = "claimsfileboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"claims\"; filename=\"c.txt\"\r\n"
            f"Content-Type: text/plain\r\n\r\n{CLAIM}\n\r\n--{boundary}--\r\n").encode()
    request = urllib.request.Request(server.url + "/batch/", data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request, timeout=60) as response:  # follows the 303 to the results page
        assert response.status == 200 and CLAIM in response.read().decode()
    folders = list(temp.glob("verifier-batches-*"))
    assert len(folders) == 1 and list(folders[0].glob("*.json"))
    server.proc.terminate()
    assert server.proc.wait(30) == 0, "".join(server.log)
    assert not folders[0].exists()
