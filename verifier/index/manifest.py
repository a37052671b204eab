"""The index manifest: what an index holds and what built it, checked before any query."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..encoder import ModelFiles
from ..errors import IndexMismatch, IndexNotFound

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
    ef_search: int = 0  # HNSW's efSearch; 0 for exact search and for indexes older than this field
    format_version: int = FORMAT_VERSION

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
        path = folder / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise IndexNotFound(f"no index manifest at {path}") from None
        except (OSError, json.JSONDecodeError) as exc:
            raise IndexMismatch(f"unreadable index manifest {path}: {exc}") from exc
        version = data.get("format_version")
        if version != FORMAT_VERSION:
            raise IndexMismatch(
                f"index format version {version} at {folder} is not the version this verifier reads "
                f"({FORMAT_VERSION}); rebuild it with `verifier index`"
            )
        return cls.from_dict(data)

    def check_model(self, model: ModelFiles) -> None:
        """Refuse to query with other weights (or dimension) than the index was built with."""
        if model.weights_sha256 != self.model_sha256 or model.dim != self.dim:
            raise IndexMismatch(
                f"this index was built with model {self.model_name} (weights sha256 {self.model_sha256[:12]}…, "
                f"dim {self.dim}) but the configured model is {model.name} at {model.path} "
                f"(sha256 {model.weights_sha256[:12]}…, dim {model.dim}); set model_path to the model that "
                "built the index, or rebuild the index"
            )


def now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
