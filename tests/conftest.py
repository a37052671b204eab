import json
import signal
import sys
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests assert what is computed, never how fast: a loaded CI machine must not fail them.
hypothesis_settings.register_profile("verifier", deadline=None)
hypothesis_settings.load_profile("verifier")

sys.path.insert(0, str(Path(__file__).parent))

from fakes import FakeEncoder  # noqa: E402

from verifier import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "corpus" / "demo.jsonl"
SHARED_DATA = ROOT.parent / "shared" / "data"


def default_sigint() -> None:
    """`preexec_fn` of a subprocess that a test interrupts with SIGINT: the child gets Python's Ctrl-C
    handling even when the test run was started with SIGINT ignored (`nohup`, `&` in a script), which
    children inherit and Python then keeps."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def settings():
    return Settings()


@pytest.fixture
def fake_encoder():
    return FakeEncoder()


@pytest.fixture
def write(tmp_path):
    """write(name, text_or_records) -> path of a file in the test's folder."""

    def _write(name: str, content) -> Path:
        path = tmp_path / name
        if isinstance(content, list):
            content = "\n".join(json.dumps(r) if not isinstance(r, str) else r for r in content) + "\n"
        path.write_text(content, encoding="utf-8")
        return path

    return _write


CASES = Path(__file__).parent / "cases"


def load_cases(name: str) -> list:
    """Rows of a committed case table (tests/cases/), each a pytest param named by its id."""
    rows = [json.loads(line) for line in (CASES / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [pytest.param(row, id=row["id"]) for row in rows]


# --- web app fixtures (flaskr style: app, client, runner) -------------------------------------------------
@pytest.fixture(scope="session")
def demo_index(tmp_path_factory):
    """The demo corpus indexed with the real model, once per session (tests using it are marked `model`)."""
    from verifier import Verifier

    path = tmp_path_factory.mktemp("web-demo") / "idx"
    Verifier.build(path, [DEMO])
    return path


@pytest.fixture(scope="session")
def demo_verifier(demo_index):
    from verifier import Verifier

    return Verifier.open(demo_index)


@pytest.fixture(scope="session")
def fake_verifier(tmp_path_factory):
    """The demo corpus under the fake encoder: the web app without loading a model."""
    from verifier import Verifier

    path = tmp_path_factory.mktemp("web-fake") / "idx"
    Verifier.build(path, [DEMO], encoder=FakeEncoder())
    return Verifier.open(path, encoder=FakeEncoder())


def make_app(verifier, tmp_path, **settings):
    from web import create_app

    return create_app({
        "TESTING": True,
        "VERIFIER": verifier,
        "SETTINGS": Settings(batch_results_dir=str(tmp_path / "batches")).replace(**settings),
    })


@pytest.fixture
def app(demo_verifier, tmp_path):
    return make_app(demo_verifier, tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner():
    """Runs `verifier` commands, the web's `serve` included (it joins through the entry point)."""
    from click.testing import CliRunner

    from verifier.cli import _load_plugins

    _load_plugins()
    return CliRunner()


@pytest.fixture
def fake_app(fake_verifier, tmp_path):
    return make_app(fake_verifier, tmp_path)


@pytest.fixture
def fake_client(fake_app):
    return fake_app.test_client()


class LiveServer:
    """`verifier serve` in a subprocess on a free loopback port; stderr is drained into `log`."""

    def __init__(self, index, *args, env=None):
        import subprocess
        import threading

        command = [sys.executable, "-m", "verifier", "serve", "--index", str(index), "--port", "0", *args]
        self.proc = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                                     env=env)
        self.log: list[str] = []
        self.url = None
        for line in self.proc.stderr:
            self.log.append(line)
            if "serving on http://" in line:
                self.url = line.split("serving on ", 1)[1].split()[0].rstrip("/")
                break
        threading.Thread(target=lambda: self.log.extend(self.proc.stderr), daemon=True).start()

    def wait_ready(self, timeout=60.0) -> None:
        import time
        import urllib.error
        import urllib.request

        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/api/v1/health", timeout=5) as response:
                    if response.status == 200:
                        return
            except urllib.error.HTTPError as exc:
                assert exc.code == 503, exc.code
            time.sleep(0.1)
        raise AssertionError("server never became ready:\n" + "".join(self.log))

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


@pytest.fixture(scope="session")
def live_server(demo_index):
    server = LiveServer(demo_index)
    assert server.url, "".join(server.log)
    server.wait_ready()
    yield server
    server.stop()
