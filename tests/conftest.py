import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fakes import FakeEncoder  # noqa: E402

from verifier import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "corpus" / "demo.jsonl"
SHARED_DATA = ROOT.parent / "shared" / "data"


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
