"""Where the batch page keeps results between the upload and the downloads: one JSON file per batch,
named by a random id, in a folder on disk.

Disk rather than memory so that memory stays bounded whatever users upload, and so that every request
thread (and every worker process sharing the folder) sees the same batches. Bounded on disk too: a batch
is kept `batch_results_ttl` seconds, and at most `batch_results_keep` batches at once (oldest go first).
The id is 128 random bits: only whoever got the link can read the results.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")


class BatchStore:
    def __init__(self, folder: str, ttl: int, keep: int):
        self._folder = Path(folder) if folder else None
        self.ttl = ttl
        self.keep = keep
        self._lock = threading.Lock()

    @property
    def folder(self) -> Path:
        with self._lock:
            if self._folder is None:
                self._folder = Path(tempfile.mkdtemp(prefix="verifier-batches-"))
                atexit.register(shutil.rmtree, self._folder, ignore_errors=True)
            self._folder.mkdir(parents=True, exist_ok=True)
            return self._folder

    def save(self, name: str, records: list[dict[str, Any]]) -> str:
        """Keep a batch's records; returns its id. Written then renamed, so a reader never sees half a file."""
        batch_id = secrets.token_urlsafe(16)
        folder = self.folder
        data = {"id": batch_id, "name": name, "created": time.time(), "records": records}
        tmp = folder / f".{batch_id}.tmp"
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, folder / f"{batch_id}.json")
        self.prune()
        return batch_id

    def load(self, batch_id: str) -> dict[str, Any] | None:
        """The batch (id, name, created, records), or None when unknown or expired."""
        if not _ID.match(batch_id):
            return None
        path = self.folder / f"{batch_id}.json"
        try:
            if time.time() - path.stat().st_mtime > self.ttl:
                return None
            return json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def prune(self) -> None:
        """Drop expired batches, then the oldest beyond the `keep` limit."""
        now = time.time()
        kept = []
        for path in self.folder.glob("*.json"):
            try:
                age = now - path.stat().st_mtime
            except FileNotFoundError:
                continue
            if age > self.ttl:
                path.unlink(missing_ok=True)
            else:
                kept.append((age, path))
        for _, path in sorted(kept)[self.keep:]:
            path.unlink(missing_ok=True)
