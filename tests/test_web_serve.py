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


def _raw(url, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes to the server; its status, headers (lower-cased names) and body."""
    import socket

    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=60) as sock:
        try:
            sock.sendall(request)
        except OSError:
            pass  # it may answer and close before reading all of a request it refuses
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


WAITRESS_REFUSALS = [  # (what, raw request, status, code); each refused by waitress before the app reads it
    ("a 1 MB address", b"GET /api/v1/health?claim=" + b"x" * 1_000_000 + b" HTTP/1.1\r\nHost: h\r\n\r\n", 431,
     "request_header_fields_too_large"),
    ("a body over waitress's limit", b"POST /api/v1/check HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
     b"Content-Length: 99999999\r\n\r\n", 413, "payload_too_large"),
    ("bad chunked framing", b"POST /api/v1/check HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
     b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400, "bad_request"),
]


@pytest.mark.model
@pytest.mark.parametrize("what, request_bytes, status, code", WAITRESS_REFUSALS, ids=[w[0] for w in WAITRESS_REFUSALS])
def test_the_servers_own_refusals_come_in_the_apps_error_shape(live_server, what, request_bytes, status, code):
    got, headers, body = _raw(live_server.url, request_bytes)
    assert got == status and headers["content-type"] == "application/json"
    error = json.loads(body)["error"]
    assert error["code"] == code and set(error) == {"code", "message"}
    assert {"content-security-policy", "x-content-type-options", "referrer-policy"} <= set(headers)
    assert headers["connection"] == "close"


@pytest.mark.model
def test_the_servers_own_refusal_of_a_page_is_the_html_error_page(live_server):
    got, headers, body = _raw(live_server.url, b"GET /?claim=" + b"x" * 1_000_000 + b" HTTP/1.1\r\nHost: h\r\n\r\n")
    assert got == 431 and headers["content-type"].startswith("text/html") and "content-security-policy" in headers
    assert b"max_header_bytes" in body and b"<!doctype html>" in body
