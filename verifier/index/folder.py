"""The index folder and its generations: every build writes a new generation, then switches atomically.

    DIR/
      CURRENT            name of the live generation, replaced with os.replace (atomic)
      gen-000002/        manifest.json, statements.sqlite, vectors.faiss (or milvus.json), bm25/
      gen-000001/        the previous generation, kept so that a reader who just read CURRENT can open it
      .lock              held by the one writer

Each generation holds a REPLACED file naming the generation it replaced when it went live. After a switch
the one generation removed is the one that the replaced generation had itself replaced (read from its
REPLACED file): the new generation and the one it replaced stay. A generation found lying there that no
switch replaced (left by hand, or there when CURRENT was broken) is never removed, and neither is anything
whose name is not a plain generation name inside the folder. Indexes written before REPLACED existed keep
their older generations until removed by hand.

CURRENT missing (while generation folders exist), empty, or naming no generation folder of this index is
IndexDamaged: opening and appending are refused with a message saying how to repair it, and a build
without append starts a new generation but removes none.

A part of the live generation that is missing, unreadable or at odds with the others is IndexDamaged too
(`damaged_part`, raised by verifier/index/integrity.py when an index is opened): the message names the
file and says to rebuild, or to go back to the generation the live one replaced while it is still there.

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
from typing import Callable, Iterator

from ..errors import IndexDamaged, IndexNotFound

CURRENT = "CURRENT"
REPLACED = "REPLACED"
_GENERATION = re.compile(r"^gen-(\d{6})$")


class IndexFolder:
    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)
        self._discard: Callable[[Path], None] = lambda path: None

    def current(self) -> Path:
        """The live generation; IndexNotFound if the folder holds no index, IndexDamaged if it holds
        generations but CURRENT names none of them."""
        pointer = self.root / CURRENT
        try:
            name = pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            if self._generations():
                raise self._damaged(f"it has no {CURRENT} file") from None
            raise IndexNotFound(
                f"no index at {self.root} (no {CURRENT} file); build one with `verifier index FILES --index {self.root}`"
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise self._damaged(f"its {CURRENT} cannot be read ({exc})") from None
        if not name:
            raise self._damaged(f"its {CURRENT} file is empty")
        if not _GENERATION.match(name):
            raise self._damaged(f"its {CURRENT} holds {name[:80]!r}, which is not a generation name (gen-NNNNNN)")
        path = self.root / name
        if path.is_symlink() or not path.is_dir():
            raise self._damaged(f"its {CURRENT} names {name}, which is not a folder there")
        return path

    def live(self) -> Path | None:
        """The live generation, or None if the folder holds no index yet; IndexDamaged as `current`."""
        try:
            return self.current()
        except IndexDamaged:
            raise
        except IndexNotFound:
            return None

    def exists(self) -> bool:
        try:
            self.current()
        except IndexNotFound:
            return False
        return True

    def _damaged(self, what: str) -> IndexDamaged:
        found = self._generations()
        newest = found[-1] if found else "gen-NNNNNN"
        listed = ", ".join(found) if found else "none"
        return IndexDamaged(
            f"the index at {self.root} is damaged: {what}, so no generation is live and nothing was changed "
            f"(generation folders there: {listed}). To repair it, write the name of the generation to use into "
            f"{self.root / CURRENT} (usually the newest: `echo {newest} > {self.root / CURRENT}`), or rebuild "
            "it without --append"
        )

    @contextmanager
    def writing(self, discard: Callable[[Path], None] | None = None) -> Iterator[Path]:
        """Hold the writer lock and give an empty staging folder; on success it becomes the live generation.

        `discard(path)` is called before a generation folder (finished, failed or left partial by a killed
        build) is removed: it frees what the generation holds outside the folder (a Milvus collection).
        """
        self.root.mkdir(parents=True, exist_ok=True)
        self._discard = discard or (lambda path: None)
        with open(self.root / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._remove_partials()
            try:
                replaced = self.live()
            except IndexDamaged:
                replaced = None  # a build without append may go ahead; it replaces (and removes) nothing
            staging = Path(tempfile.mkdtemp(prefix="gen-", suffix=".partial", dir=self.root))
            staging.chmod(0o755)  # mkdtemp makes it private; a server running as another user reads it
            try:
                yield staging
                if replaced is not None:
                    (staging / REPLACED).write_text(replaced.name + "\n", encoding="utf-8")
                final = self.root / f"gen-{self._last_number() + 1:06d}"
                staging.rename(final)
                self._point_to(final.name)
            except BaseException:
                self._discard(staging)
                shutil.rmtree(staging, ignore_errors=True)
                raise
            if replaced is not None:
                self._remove_replaced_by(replaced, keep={final.name, replaced.name})

    def _point_to(self, name: str) -> None:
        tmp = self.root / (CURRENT + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(name + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.root / CURRENT)

    def _generations(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if _GENERATION.match(p.name))

    def _last_number(self) -> int:
        names = self._generations()
        return int(_GENERATION.match(names[-1]).group(1)) if names else 0

    def _remove_partials(self) -> None:
        for path in self.root.glob("gen-*.partial"):
            self._discard(path)
            shutil.rmtree(path, ignore_errors=True)

    def replaced_by(self, generation: Path) -> Path | None:
        """The generation that `generation` replaced when it went live, if it says which and it is still there."""
        try:
            name = (generation / REPLACED).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
        path = self.root / name
        return path if _GENERATION.match(name) and path.is_dir() and not path.is_symlink() else None

    def _remove_replaced_by(self, generation: Path, keep: set[str]) -> None:
        """Remove the generation that `generation` replaced when it went live, if it says which (REPLACED);
        nothing is known to be replaced by the first generation or by one written before REPLACED existed."""
        path = self.replaced_by(generation)
        if path is not None and path.name not in keep:
            self._discard(path)
            shutil.rmtree(path, ignore_errors=True)


def damaged_part(generation: Path, part: str, what: str) -> IndexDamaged:
    """IndexDamaged for a part of `generation` (a file or folder name in it), on one line: which file, what is
    wrong with it, and how to repair the index (rebuild; or go back to the generation this one replaced)."""
    folder = IndexFolder(generation.parent)
    previous = folder.replaced_by(generation)
    back = (f", or go back to the generation it replaced, without the statements added since: "
            f"`echo {previous.name} > {folder.root / CURRENT}`") if previous else ""
    what = " ".join(what.split())  # one line, whatever a library's message held
    return IndexDamaged(
        f"the index at {folder.root} is damaged: {generation / part} {what}. Nothing was changed; rebuild the index "
        f"with `verifier index FILES --index {folder.root}` (without --append){back}"
    )
