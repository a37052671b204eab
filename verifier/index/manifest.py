"""The index manifest: what an index holds and what built it, checked before any query.

`Manifest.load` refuses a manifest that is missing, not JSON, or lacks a field a query needs or holds one of
the wrong type (IndexDamaged, naming the file and the field), and one of another format version
(IndexMismatch). The checks are written out here rather than with pydantic: a dozen fields, and messages
that name the manifest's own field and file.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..encoder import BACKENDS, ModelFiles
from ..errors import IndexMismatch
from .folder import damaged_part
from .vectors import KINDS

FORMAT_VERSION = 1
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Manifest:
    model_name: str
    model_sha256: str
    dim: int
    encoder_backend: str
    vector_index: str
    count: int = 0
    created: str = ""
    updated: str = ""
    sources: dict[str, int] = field(default_factory=dict)
    publishers: dict[str, int] = field(default_factory=dict)
    dates: tuple[str, str] | None = None
    index_context: str = "none"  # what besides the sentence the retrievers index (index/context.py)
    ef_search: int = 0  # HNSW's efSearch; 0 for exact search and for indexes older than this field
    format_version: int = FORMAT_VERSION
    # Where the vectors are: "faiss" (vectors.faiss beside the manifest) or "milvus" (the collection named
    # here, at `milvus_uri`; a relative path is a Milvus Lite file in the index folder). Manifests written
    # before these fields read as FAISS.
    vector_store: str = "faiss"
    milvus_uri: str = ""
    collection: str = ""

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["dates"] = list(self.dates) if self.dates else None
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Manifest":
        data = dict(data)
        if data.get("dates"):
            data["dates"] = tuple(data["dates"])
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})

    def save(self, folder: Path) -> None:
        (folder / MANIFEST).write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n", "utf-8")

    @classmethod
    def load(cls, folder: Path) -> "Manifest":
        """The manifest of the generation in `folder`; IndexDamaged if it is missing, unreadable or incomplete,
        IndexMismatch if it is of another format version."""
        path = folder / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise damaged_part(folder, MANIFEST, "is missing") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise damaged_part(folder, MANIFEST, f"cannot be read as JSON ({exc})") from exc
        if not isinstance(data, dict):
            raise damaged_part(folder, MANIFEST, f"holds a JSON {type(data).__name__}, not an object")
        version = data.get("format_version")
        if version is None:
            raise damaged_part(folder, MANIFEST, "has no format_version")
        if version != FORMAT_VERSION:
            raise IndexMismatch(
                f"index format version {version} at {folder} is not the version this verifier reads "
                f"({FORMAT_VERSION}); rebuild it with `verifier index`"
            )
        problem = _problem(data)
        if problem:
            raise damaged_part(folder, MANIFEST, problem)
        return cls.from_dict(data)

    def check_model(self, model: ModelFiles) -> None:
        """Refuse to query with other weights (or dimension) than the index was built with."""
        if model.weights_sha256 != self.model_sha256 or model.dim != self.dim:
            raise IndexMismatch(
                f"this index was built with model {self.model_name} (weights sha256 {self.model_sha256[:12]}…, "
                f"dim {self.dim}) but the configured model is {model.name} at {model.path} "
                f"(sha256 {model.weights_sha256[:12]}…, dim {model.dim}); set model_path to the model that "
                "built the index (model_path=all-MiniLM-L6-v2 names the base model), or rebuild the index"
            )


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _counts(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and _count(v) for k, v in value.items())


# field: (what a valid value is, the test); the first five are what opening and querying the index need
_REQUIRED = {
    "model_name": ("a model name", _text),
    "model_sha256": ("a SHA-256 in hex", lambda v: isinstance(v, str) and re.fullmatch(r"[0-9a-f]{64}", v) is not None),
    "dim": ("a positive whole number", lambda v: _count(v) and v > 0),
    "encoder_backend": (f"one of {', '.join(BACKENDS)}", lambda v: v in BACKENDS),
    "vector_index": (f"one of {', '.join(KINDS)}", lambda v: v in KINDS),
    "count": ("a whole number of statements", _count),
}
_OPTIONAL = {
    "created": ("text", lambda v: isinstance(v, str)),
    "updated": ("text", lambda v: isinstance(v, str)),
    "sources": ("an object of counts", _counts),
    "publishers": ("an object of counts", _counts),
    "dates": ("null or two dates", lambda v: v is None or (isinstance(v, list) and len(v) == 2
                                                           and all(isinstance(d, str) for d in v))),
}


def _problem(data: dict[str, Any]) -> str | None:
    """What is wrong with a manifest's fields, or None."""
    for name, (valid, test) in _REQUIRED.items():
        if name not in data:
            return f"has no {name} (it should hold {valid})"
        if not test(data[name]):
            return f"holds {json.dumps(data[name])[:80]} as {name}, not {valid}"
    for name, (valid, test) in _OPTIONAL.items():
        if name in data and not test(data[name]):
            return f"holds {json.dumps(data[name])[:80]} as {name}, not {valid}"
    return None


def now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
