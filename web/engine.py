"""The app's one `Verifier`: loaded once (in a background thread, so health can answer while it loads)
and then shared by every request thread.

`Verifier` is built for sharing: its state is swapped whole by `add`, the encoder and the statement store
hold their own locks, and FAISS and BM25 searches only read. So requests need no lock here.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from verifier import Verifier, VerifierError

log = logging.getLogger(__name__)


class NotReady(Exception):
    """The model and index are still loading, or failed to load (then `error` says why)."""

    def __init__(self, error: str | None = None):
        self.error = error
        super().__init__(
            f"the verifier could not load its index: {error}" if error
            else "the verifier is still loading its model and index; try again in a few seconds"
        )


class Engine:
    def __init__(self, load: Callable[[], Verifier] | None = None, verifier: Verifier | None = None,
                 warm_up: Callable[[Verifier], None] | None = None):
        self._load = load
        self._warm_up = warm_up  # more to warm once loaded (the check queue's sessions)
        self._verifier = verifier
        self._error: str | None = None
        self.exception: Exception | None = None  # what stopped loading, if anything did
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self.on_failure: Callable[[str], None] | None = None
        if verifier is not None:
            self._done.set()

    def start(self, background: bool = True) -> "Engine":
        """Begin loading (once); with background=False, return only when loading has finished."""
        if self._done.is_set() or self._thread is not None:
            return self
        self._thread = threading.Thread(target=self._run, name="verifier-loader", daemon=True)
        self._thread.start()
        if not background:
            self._done.wait()
        return self

    def _run(self) -> None:
        assert self._load is not None
        started = time.perf_counter()
        try:
            verifier = self._load()
            verifier.warm_up()  # ready means warm: the first check builds nothing
            if self._warm_up:
                self._warm_up(verifier)
            self._verifier = verifier
            log.info("ready: %d statements loaded in %.1f s", self._verifier.info().count, time.perf_counter() - started)
        except Exception as exc:  # whatever stops loading stops the server: never "loading" forever
            self.exception = exc
            if isinstance(exc, (VerifierError, OSError)):
                self._error = str(exc)
                log.error("cannot load the verifier: %s", exc)
            else:  # a bug, not a damaged index (the index is checked part by part): keep the traceback
                self._error = f"{type(exc).__name__}: {exc}"
                log.exception("cannot load the verifier")
            if self.on_failure:
                self.on_failure(self._error)
        finally:
            self._done.set()

    def wait(self, timeout: float | None = None) -> bool:
        """True once loading has finished (ready or failed)."""
        return self._done.wait(timeout)

    @property
    def ready(self) -> bool:
        return self._verifier is not None

    @property
    def error(self) -> str | None:
        return self._error

    @property
    def verifier(self) -> Verifier:
        """The loaded Verifier; NotReady while loading or after a failed load."""
        if self._verifier is None:
            raise NotReady(self._error)
        return self._verifier
