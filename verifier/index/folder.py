"""The index folder and its generations: every build writes a new generation, then switches atomically.

    DIR/
      CURRENT            name of the live generation, replaced with os.replace (atomic)
      gen-000002/        manifest.json, statements.sqlite, vectors.faiss, bm25/
      gen-000001/        the previous generation, kept so that a reader who just read CURRENT can open it
      .lock              held by the one writer

A build that fails or is interrupted never touches CURRENT, so the previous index stays as it was; its
unfinished `*.partial` folder is removed then, or by the next build if the process was killed.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import IndexNotFound

CURRENT = "CURRENT"
_GENERATION = re.compile(r"^gen-(\d{6})$")


class IndexFolder:
    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)

    def current(self) -> Path:
        """The live generation; IndexNotFound if there is none."""
        try:
            name = (self.root / CURRENT).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise IndexNotFound(
                f"no index at {self.root} (no {CURRENT} file); build one with `verifier index FILES --index {self.root}`"
            ) from None
        path = self.root / name
        if not _GENERATION.match(name) or not path.is_dir():
            raise IndexNotFound(f"{self.root / CURRENT} names {name!r}, which is not a generation folder")
        return path

    def exists(self) -> bool:
        try:
            self.current()
        except IndexNotFound:
            return False
        return True

    @contextmanager
    def writing(self) -> Iterator[Path]:
        """Hold the writer lock and give an empty staging folder; on success it becomes the live generation."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._remove_partials()
            staging = Path(tempfile.mkdtemp(prefix="gen-", suffix=".partial", dir=self.root))
            staging.chmod(0o755)  # mkdtemp makes it private; a server running as another user reads it
            try:
                yield staging
                final = self.root / f"gen-{self._last_number() + 1:06d}"
                staging.rename(final)
                self._point_to(final.name)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            self._remove_old(keep={final.name, _previous(final.name)})

    def _point_to(self, name: str) -> None:
        tmp = self.root / (CURRENT + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(name + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.root / CURRENT)

    def _generations(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir() if _GENERATION.match(p.name))

    def _last_number(self) -> int:
        names = self._generations()
        return int(_GENERATION.match(names[-1]).group(1)) if names else 0

    def _remove_partials(self) -> None:
        for path in self.root.glob("gen-*.partial"):
            shutil.rmtree(path, ignore_errors=True)

    def _remove_old(self, keep: set[str]) -> None:
        for name in self._generations():
            if name not in keep:
                shutil.rmtree(self.root / name, ignore_errors=True)


def _previous(name: str) -> str:
    number = int(_GENERATION.match(name).group(1))
    return f"gen-{number - 1:06d}"
